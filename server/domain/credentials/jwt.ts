import { createPublicKey, verify as verifySignature } from 'node:crypto';
import type { Db } from '../../storage/db';
import { ed25519PublicKey, verificationMethodId } from './did';
import { activeIssuerKey } from './keys';
import { issuerId, tenantKeyPair } from './sign';
import type { CredentialVerification, Json, JsonObject, VerifiableCredential, VerifyOptions } from './types';
import { MALFORMED, shapeProblem, statusOf, verdictOf, windowOf, type ProofOutcome } from './verify';

/**
 * The VC-JWT form (Open Badges 3.0 §8.2, "JSON Web Token Proof Format"): the credential as the JWT
 * payload with the iss/jti/nbf/exp/sub claims, signed as a compact JWS with the tenant's Ed25519 key
 * (alg EdDSA: the specification asks RS256 "as a minimum" and permits others; one key per tenant keeps
 * one did.json and one JWKS). The header's `kid` is the key's verification method, also its JWKS kid.
 * An embedded Data Integrity proof, when the credential has one, is kept in the payload (it comes first).
 */
const b64 = (value: object): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

function subjectId(c: JsonObject): string | undefined {
  const s = c.credentialSubject;
  return typeof s === 'object' && s !== null && !Array.isArray(s) && typeof s.id === 'string' ? s.id : undefined;
}

function claims(c: JsonObject): JsonObject {
  const sub = subjectId(c);
  return {
    iss: issuerId(c) ?? null,
    jti: typeof c.id === 'string' ? c.id : null,
    nbf: typeof c.validFrom === 'string' ? seconds(c.validFrom) : null,
    ...(typeof c.validUntil === 'string' ? { exp: seconds(c.validUntil) } : {}),
    // `sub` names the learner's DID; a learner known only by their hashed email has none to give.
    ...(sub ? { sub } : {}),
  };
}

export async function credentialJwt(db: Db, tenantId: string, credential: VerifiableCredential, now: Date): Promise<string> {
  const did = issuerId(credential) ?? '';
  const key = await activeIssuerKey(db, tenantId, now);
  const pair = await tenantKeyPair(db, key, did);
  const header = { alg: 'EdDSA', kid: verificationMethodId(did, key), typ: 'JWT' };
  const input = `${b64(header)}.${b64({ ...credential, ...claims(credential) })}`;
  const signature = await pair.signer().sign({ data: new TextEncoder().encode(input) });
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(part: string | undefined): JsonObject | undefined {
  try {
    const v = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Json;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

async function jwsProof(
  header: JsonObject,
  input: string,
  signature: string,
  payload: JsonObject,
  options: VerifyOptions,
): Promise<ProofOutcome> {
  const kid = header.kid;
  if (header.alg !== 'EdDSA' || typeof kid !== 'string')
    return { ok: false, code: 'CREDENTIAL_PROOF_INVALID', message: 'Not an EdDSA JWS with a kid.' };
  let method: JsonObject;
  let controller: JsonObject;
  try {
    method = (await options.loader(kid)).document;
    if (typeof method.controller !== 'string') throw new TypeError('A key without a controller.');
    controller = (await options.loader(method.controller)).document;
  } catch {
    return { ok: false, code: 'CREDENTIAL_ISSUER_UNKNOWN' };
  }
  const iss = issuerId(payload);
  const authorised = Array.isArray(controller.assertionMethod) && controller.assertionMethod.includes(kid);
  if (method.controller !== iss || controller.id !== iss || !authorised)
    return { ok: false, code: 'CREDENTIAL_PROOF_INVALID', message: 'The key is not an assertion method of the issuer.' };
  const multibase = method.publicKeyMultibase;
  let checks: boolean;
  try {
    if (typeof multibase !== 'string') throw new TypeError('A key without publicKeyMultibase.');
    const x = Buffer.from(ed25519PublicKey(multibase)).toString('base64url');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    checks = verifySignature(null, Buffer.from(input, 'utf8'), key, Buffer.from(signature, 'base64url'));
  } catch {
    checks = false;
  }
  if (!checks) return { ok: false, code: 'CREDENTIAL_PROOF_INVALID', message: 'The JWS signature does not check.' };
  const expected = claims(payload);
  for (const name of ['iss', 'jti', 'nbf', 'exp', 'sub'])
    if (payload[name] !== expected[name])
      return { ok: false, code: 'CREDENTIAL_PROOF_INVALID', message: `The ${name} claim does not match the credential.` };
  return { ok: true, verificationMethod: kid };
}

/** Verifies a compact JWS credential: the JWS, its claims against the credential, then status and window as verifyCredential. */
export async function verifyCredentialJwt(jws: string, options: VerifyOptions): Promise<CredentialVerification> {
  const parts = jws.trim().split('.');
  const header = parse(parts[0]);
  const payload = parse(parts[1]);
  if (parts.length !== 3 || !header || !payload || !parts[2]) return MALFORMED('Not a compact JWS.');
  const problem = shapeProblem(payload, false);
  if (problem) return MALFORMED(problem);
  const issuer = issuerId(payload) ?? '';
  const [proof, status] = await Promise.all([
    jwsProof(header, `${parts[0]}.${parts[1]}`, parts[2], payload, options),
    statusOf(payload, issuer, options),
  ]);
  return verdictOf(proof, status, windowOf(payload, options.now), issuer);
}
