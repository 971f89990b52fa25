import { createPrivateKey, webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';
import { iso, recordAudit, requireCapability, type Actor, type Services } from '../context';
import { DomainError } from '../errors';
import { newId } from '../ids';
import { installationSecret, openBytes, sealBytes } from '../sealing';
import { getTenant } from '../tenants';
import { inTransaction } from '../../storage/db';
import type { SigningKeyTable } from '../../storage/schema';
import { activateSigningKey, signingKeysOf } from '../../storage/repositories/signing-keys';
import { bufferOf, importParams, sha256, type KeyAlgorithm, type Signer } from './cms';
import { algorithmOf, nameText, parseCertificate, pem, publicKeyOf, selfSigned } from './certificates';

/**
 * A tenant's signing keys (issue 17): generated here (self-signed, in the organisation's name) or imported
 * from PKCS#12 (opened with its password, which is then forgotten). The private key is kept only sealed
 * with the installation key. Generating or importing a key rotates: the new key is active, the one before
 * is retired, and still known, so every document it signed verifies as the tenant's.
 */
const crypto = webcrypto as unknown as Crypto;

export const KEY_ALGORITHMS = ['rsa-2048', 'rsa-3072', 'ecdsa-p256', 'ecdsa-p384'] as const satisfies readonly KeyAlgorithm[];

export interface SigningKeyView {
  id: string;
  algorithm: KeyAlgorithm;
  source: 'generated' | 'imported';
  subject: string;
  /** SHA-256 of the certificate (DER), hex. */
  fingerprint: string;
  notAfter: string;
  state: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
  /** The certificate, PEM: what a third party trusts to check the tenant's documents. */
  certificate: string;
}

export const keyView = (row: SigningKeyTable): SigningKeyView => ({
  id: row.id,
  algorithm: row.algorithm as KeyAlgorithm,
  source: row.source as 'generated' | 'imported',
  subject: row.subject,
  fingerprint: row.fingerprint,
  notAfter: row.not_after,
  state: row.state,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
  certificate: pem(Buffer.from(row.certificate, 'base64')),
});

function secretOrThrow(): string {
  const secret = installationSecret();
  if (!secret)
    throw new DomainError('conflict', 'SIGNING_NEEDS_SECRET_KEY', 'Signing keys are kept sealed with ATTEST_SECRET_KEY, which is not set.');
  return secret;
}

const generateParams = (algorithm: KeyAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams =>
  algorithm.startsWith('rsa')
    ? {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
        publicExponent: new Uint8Array([1, 0, 1]),
        modulusLength: algorithm === 'rsa-2048' ? 2048 : 3072,
      }
    : { name: 'ECDSA', namedCurve: algorithm === 'ecdsa-p256' ? 'P-256' : 'P-384' };

/** Ten years: a self-signed certificate is trusted by being handed over, not by its dates. */
const GENERATED_YEARS = 10;

export async function newSelfSignedKey(
  algorithm: KeyAlgorithm,
  organisation: string,
  now: Date,
): Promise<{ certificate: Uint8Array; pkcs8: Uint8Array }> {
  const keys = await crypto.subtle.generateKey(generateParams(algorithm), true, ['sign', 'verify']);
  const certificate = await selfSigned(keys, organisation, now, GENERATED_YEARS);
  return { certificate, pkcs8: new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

const pkcs12Problem = (code: string, message: string): DomainError =>
  new DomainError('invalid', 'PKCS12_INVALID', 'This PKCS#12 file cannot be used as the tenant’s signing key.', {
    problems: [{ path: code === 'PKCS12_PASSWORD_WRONG' ? 'password' : 'pkcs12', code, message }],
  });

const BAG = { key: '1.2.840.113549.1.12.10.1.1', shroudedKey: '1.2.840.113549.1.12.10.1.2', cert: '1.2.840.113549.1.12.10.1.3' };

/**
 * Opens a PKCS#12 file: it must open with this password (its MAC checked), hold exactly one private key
 * and the certificate of that key, of a kind we sign with, valid today. Each refusal is PKCS12_INVALID with
 * one problem saying which.
 */
export async function openPkcs12(
  bytes: Uint8Array,
  password: string,
  now: Date,
): Promise<{ certificate: Uint8Array; pkcs8: Uint8Array; algorithm: KeyAlgorithm }> {
  const pass = bufferOf(Buffer.from(password, 'utf8'));
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(bufferOf(bytes));
  } catch {
    throw pkcs12Problem('PKCS12_UNREADABLE', 'This is not a PKCS#12 (.p12, .pfx) file.');
  }
  try {
    await pfx.parseInternalValues({ password: pass, checkIntegrity: true });
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    if (/integrity|mac|password/i.test(text)) throw pkcs12Problem('PKCS12_PASSWORD_WRONG', 'The password does not open this file.');
    throw pkcs12Problem(
      'PKCS12_UNSUPPORTED',
      `This PKCS#12 file uses a protection we do not read (${text}); export it again with AES-256 and PBKDF2.`,
    );
  }
  const keys: Uint8Array[] = [];
  const certs: pkijs.Certificate[] = [];
  try {
    const safe = pfx.parsedValue?.authenticatedSafe;
    if (!safe) throw new Error('no authenticated safe');
    await safe.parseInternalValues({ safeContents: (safe.safeContents as unknown[]).map(() => ({ password: pass })) });
    const parsed = safe.parsedValue as { safeContents: { value: pkijs.SafeContents }[] } | undefined;
    for (const contents of parsed?.safeContents ?? []) {
      for (const bag of contents.value.safeBags) {
        if (bag.bagId === BAG.shroudedKey) {
          const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
          // Public in pkijs's JavaScript, its typings say protected: it is how a shrouded key is opened.
          await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> }).parseInternalValues({
            password: pass,
          });
          if (shrouded.parsedValue) keys.push(new Uint8Array(shrouded.parsedValue.toSchema().toBER(false)));
        } else if (bag.bagId === BAG.key) {
          keys.push(new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER(false)));
        } else if (bag.bagId === BAG.cert) {
          const parsed: unknown = (bag.bagValue as pkijs.CertBag).parsedValue;
          if (parsed instanceof pkijs.Certificate) certs.push(parsed);
        }
      }
    }
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    if (/password|decrypt|padding/i.test(text)) throw pkcs12Problem('PKCS12_PASSWORD_WRONG', 'The password does not open this file.');
    throw pkcs12Problem(
      'PKCS12_UNSUPPORTED',
      `This PKCS#12 file uses a protection we do not read (${text}); export it again with AES-256 and PBKDF2.`,
    );
  }
  if (keys.length !== 1)
    throw pkcs12Problem('PKCS12_KEY_COUNT', `A signing key file holds exactly one private key; this one holds ${keys.length}.`);
  const pkcs8 = keys[0]!;
  for (const cert of certs) {
    const algorithm = algorithmOf(cert);
    if (!algorithm) continue;
    let privateKey: CryptoKey;
    try {
      privateKey = await crypto.subtle.importKey('pkcs8', bufferOf(pkcs8), importParams(algorithm), false, ['sign']);
    } catch {
      continue;
    }
    const probe = Buffer.from('attest pkcs12 key check');
    const sigAlg = algorithm.startsWith('rsa') ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' };
    const signature = await crypto.subtle.sign(sigAlg, privateKey, probe);
    const publicKey = await publicKeyOf(cert, algorithm);
    if (!(await crypto.subtle.verify(sigAlg, publicKey, signature, probe))) continue;
    const [from, to] = [cert.notBefore.value, cert.notAfter.value];
    if (to <= now || from > now)
      throw pkcs12Problem('PKCS12_CERTIFICATE_EXPIRED', `This certificate is valid from ${iso(from)} to ${iso(to)}, not today.`);
    return { certificate: new Uint8Array(cert.toSchema().toBER(false)), pkcs8, algorithm };
  }
  const anyKnown = certs.some((c) => algorithmOf(c));
  throw anyKnown || !certs.length
    ? pkcs12Problem('PKCS12_KEY_MISMATCH', 'No certificate in this file is the certificate of its private key.')
    : pkcs12Problem('PKCS12_KEY_TYPE', 'The key is not one we sign with: RSA 2048 or 3072 bits, ECDSA P-256 or P-384.');
}

/** Keeps a new key as the tenant's active one; the active key before it is retired (rotation). */
async function keep(
  services: Services,
  actor: Actor,
  key: { certificate: Uint8Array; pkcs8: Uint8Array; algorithm: KeyAlgorithm; source: 'generated' | 'imported' },
): Promise<SigningKeyView> {
  const secret = secretOrThrow();
  const at = iso(services.now());
  const cert = parseCertificate(key.certificate);
  const row: SigningKeyTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    algorithm: key.algorithm,
    source: key.source,
    subject: nameText(cert.subject),
    certificate: Buffer.from(key.certificate).toString('base64'),
    fingerprint: sha256(key.certificate).toString('hex'),
    private_key: sealBytes('signing key', key.pkcs8, secret),
    not_after: iso(cert.notAfter.value),
    state: 'active',
    created_at: at,
    retired_at: null,
  };
  await inTransaction(services.storage.db, async (trx) => {
    await activateSigningKey(trx, row, at);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'signing-key',
      subjectId: row.id,
      action: key.source === 'generated' ? 'signing-key-generated' : 'signing-key-imported',
      actor,
      at,
      details: { algorithm: row.algorithm, subject: row.subject, fingerprint: row.fingerprint },
    });
  });
  return keyView(row);
}

export async function listSigningKeys(services: Services, actor: Actor): Promise<SigningKeyView[]> {
  requireCapability(actor, 'signature:manage');
  return (await signingKeysOf(services.storage.db, actor.tenantId)).map(keyView);
}

/** A new self-signed key in the organisation's name, made active. */
export async function generateSigningKey(services: Services, actor: Actor, input: { algorithm: KeyAlgorithm }): Promise<SigningKeyView> {
  requireCapability(actor, 'signature:manage');
  secretOrThrow();
  const tenant = await getTenant(services.storage.db, actor.tenantId);
  const made = await newSelfSignedKey(input.algorithm, tenant.settings.organization.name, services.now());
  return keep(services, actor, { ...made, algorithm: input.algorithm, source: 'generated' });
}

/** An uploaded PKCS#12 (base64) made active; its password is used to open it and never kept. */
export async function importSigningKey(
  services: Services,
  actor: Actor,
  input: { pkcs12: string; password: string },
): Promise<SigningKeyView> {
  requireCapability(actor, 'signature:manage');
  secretOrThrow();
  const bytes = Buffer.from(input.pkcs12, 'base64');
  if (!bytes.length) throw pkcs12Problem('PKCS12_UNREADABLE', 'This is not a PKCS#12 (.p12, .pfx) file.');
  const opened = await openPkcs12(bytes, input.password, services.now());
  return keep(services, actor, { ...opened, source: 'imported' });
}

const signers = new Map<string, Promise<Signer>>();

/** The key ready to sign with (imported once per process and key). */
export function signerOf(row: SigningKeyTable): Promise<Signer> {
  let known = signers.get(row.id);
  if (!known) {
    known = (async () => {
      const secret = installationSecret();
      const pkcs8 = secret ? openBytes('signing key', row.private_key, secret) : undefined;
      if (!pkcs8)
        throw new DomainError(
          'conflict',
          'SIGNING_UNAVAILABLE',
          'The tenant’s signing key does not open with ATTEST_SECRET_KEY (missing or changed).',
        );
      return {
        certificate: Buffer.from(row.certificate, 'base64'),
        privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
      };
    })();
    known.catch(() => signers.delete(row.id));
    if (signers.size >= 256) signers.delete(signers.keys().next().value!);
    signers.set(row.id, known);
  }
  return known;
}
