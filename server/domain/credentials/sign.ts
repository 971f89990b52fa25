import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import type { Ed25519KeyPair } from '@digitalbazaar/ed25519-multikey';
import * as vc from '@digitalbazaar/vc';
import type { Db } from '../../storage/db';
import { DomainError } from '../errors';
import { verificationMethodId } from './did';
import { activeIssuerKey, keyPairOf } from './keys';
import { createDocumentLoader } from './loader';
import type { IssuerKey, JsonObject, OpenBadgeCredential, SignedCredential } from './types';

/**
 * Data Integrity proofs, eddsa-rdfc-2022 (W3C vc-di-eddsa): the credential is canonicalised as RDF
 * (RDFC-1.0), hashed with the proof options, and signed with Ed25519. Signing needs only the bundled
 * contexts: the loader it is given resolves no DID and fetches nothing.
 */
const contextsOnly = createDocumentLoader();

/** The id of the credential's issuer (a string or a Profile's id). */
export function issuerId(credential: JsonObject): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (typeof issuer === 'object' && issuer !== null && !Array.isArray(issuer) && typeof issuer.id === 'string') return issuer.id;
  return undefined;
}

/** Signs with a key pair whose `id` is its verification method; `created` is `now` to the second. */
export async function signWithKeyPair<T extends JsonObject>(
  credential: T,
  pair: Ed25519KeyPair,
  now: Date,
  loader = contextsOnly,
): Promise<T & { proof: JsonObject }> {
  const created = `${now.toISOString().slice(0, 19)}Z`;
  const suite = new DataIntegrityProof({ signer: pair.signer(), date: created, cryptosuite });
  // vc.issue adds the proof to the object it is given: a copy keeps the caller's credential unsigned.
  const signed = await vc.issue({ credential: structuredClone(credential), suite, documentLoader: loader, now });
  return signed as T & { proof: JsonObject };
}

/** The key pair of the tenant's key, as the verification method of `did`. */
export async function tenantKeyPair(db: Db, key: IssuerKey, did: string): Promise<Ed25519KeyPair> {
  return keyPairOf(db, key, verificationMethodId(did, key));
}

export async function signCredential(db: Db, tenantId: string, credential: OpenBadgeCredential, now: Date): Promise<SignedCredential> {
  const did = issuerId(credential);
  if (!did?.startsWith('did:web:'))
    throw new DomainError('invalid', 'CREDENTIAL_MALFORMED', 'A credential signed here names its tenant’s did:web as issuer.');
  const key = await activeIssuerKey(db, tenantId, now);
  return signWithKeyPair(credential, await tenantKeyPair(db, key, did), now);
}
