import { randomUUID } from 'node:crypto';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import type { Db } from '../../storage/db';
import { activeKeyOf, insertActiveKeyIfNone, keyById, keysOf, retireKey } from '../../storage/repositories/credentials';
import type { CredentialKeyTable } from '../../storage/schema';
import { DomainError } from '../errors';
import { installationSecret, openStored, sealStored } from '../sealing';
import type { IssuerKey, IssuerKeyState } from './types';

/**
 * Tenants' signing keys: Ed25519, one active per tenant, made on first use; rotation retires the active
 * key (kept, published) and makes a new one. The secret half is sealed (sealing.ts) for this purpose alone,
 * so a PDF password's sealing and a key's never share a key.
 */
function sealingSecret(): string {
  const secret = installationSecret();
  if (!secret)
    throw new DomainError('conflict', 'CREDENTIALS_NEED_SECRET_KEY', 'Signing credentials needs the installation key (ATTEST_SECRET_KEY).');
  return secret;
}

const seal = (clear: string, secret: string): string => sealStored('credential signing key', clear, secret);
const open = (sealed: string, secret: string): string | undefined => openStored('credential signing key', sealed, secret);

const toKey = (row: CredentialKeyTable): IssuerKey => ({
  id: row.id,
  tenantId: row.tenant_id,
  publicKeyMultibase: row.public_key_multibase,
  state: row.state as IssuerKeyState,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
});

export async function issuerKeys(db: Db, tenantId: string): Promise<IssuerKey[]> {
  return (await keysOf(db, tenantId)).map(toKey);
}

async function newKeyRow(tenantId: string, now: Date): Promise<CredentialKeyTable> {
  const secret = sealingSecret();
  const pair = await Ed25519Multikey.generate();
  if (!pair.secretKeyMultibase) throw new Error('ed25519-multikey made a key pair without its secret half.');
  return {
    id: randomUUID(),
    tenant_id: tenantId,
    public_key_multibase: pair.publicKeyMultibase,
    secret_key_sealed: seal(pair.secretKeyMultibase, secret),
    state: 'active',
    created_at: now.toISOString(),
    retired_at: null,
  };
}

export async function activeIssuerKey(db: Db, tenantId: string, now: Date): Promise<IssuerKey> {
  const found = await activeKeyOf(db, tenantId);
  if (found) return toKey(found);
  // Two first uses at once: both make a key, the index keeps one, both answer that one.
  await insertActiveKeyIfNone(db, await newKeyRow(tenantId, now));
  const active = await activeKeyOf(db, tenantId);
  if (!active) throw new Error('The tenant has no active credential key after making one.');
  return toKey(active);
}

export async function rotateIssuerKey(db: Db, tenantId: string, now: Date): Promise<{ active: IssuerKey; retired?: IssuerKey }> {
  const row = await newKeyRow(tenantId, now);
  const previous = await activeKeyOf(db, tenantId);
  if (previous) await retireKey(db, previous.id, now.toISOString());
  if (!(await insertActiveKeyIfNone(db, row))) {
    // Another rotation made the active key between our two steps: that one stands.
    throw new DomainError('conflict', 'CREDENTIAL_KEY_ROTATION_CONFLICT', 'The key was rotated by another request at the same time.');
  }
  const retired = previous ? await keyById(db, previous.id) : undefined;
  return { active: toKey(row), ...(retired ? { retired: toKey(retired) } : {}) };
}

/** Signers by key id: a key never changes once made, and opening it costs a decryption and an import. */
const signers = new Map<string, Promise<Ed25519Multikey.Ed25519KeyPair>>();

/** The key pair of a stored key, its verification method id `methodId`; for signing. */
export async function keyPairOf(db: Db, key: IssuerKey, methodId: string): Promise<Ed25519Multikey.Ed25519KeyPair> {
  const cacheKey = `${key.id}\0${methodId}`;
  let pair = signers.get(cacheKey);
  if (!pair) {
    pair = (async () => {
      const row = await keyById(db, key.id);
      if (!row) throw new Error(`Credential key ${key.id} is gone.`);
      const secretKeyMultibase = open(row.secret_key_sealed, sealingSecret());
      if (secretKeyMultibase === undefined)
        throw new DomainError(
          'conflict',
          'CREDENTIAL_KEY_SEALED_INVALID',
          'The tenant’s credential key does not open with this ATTEST_SECRET_KEY (was the installation key changed?).',
        );
      return Ed25519Multikey.from({ id: methodId, publicKeyMultibase: row.public_key_multibase, secretKeyMultibase });
    })();
    pair.catch(() => signers.delete(cacheKey));
    signers.set(cacheKey, pair);
  }
  return pair;
}
