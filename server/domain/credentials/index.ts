/**
 * Open Badges 3.0 credentials (issue 17): what a delivered document can carry as a W3C Verifiable
 * Credential 2.0, signed with a Data Integrity proof (eddsa-rdfc-2022) by the tenant's did:web key, with a
 * Bitstring Status List entry so a revocation is visible to any verifier.
 *
 * Plain functions over plain facts and a database handle, no HTTP: the server side (routes for did.json,
 * JWKS, status lists, credential JSON and baked PNG; issue, regeneration and revocation) calls these.
 *
 *   loader.ts       the static document loader: bundled contexts, DIDs from storage, nothing fetched
 *   did.ts          did:web of a tenant, its DID document and JWKS
 *   keys.ts         Ed25519 keys per tenant, sealed at rest, rotation
 *   build.ts        the OpenBadgeCredential from plain facts (identity hash, results, status entry)
 *   sign.ts         the proof
 *   status-list.ts  slots, revocation bits, the signed BitstringStatusListCredential
 *   resolver.ts     this installation's DIDs and status lists, from storage
 *   issue.ts        slot + build + sign in one call
 *   verify.ts       proof, status and validity window, each with its code
 *   jwt.ts          the VC-JWT form (compact JWS, EdDSA), and its verification
 */
export type * from './types';
export { createDocumentLoader, OB_V3_CONTEXT, VC_V2_CONTEXT } from './loader';
export { tenantDid, parseTenantDid, didDocumentUrl, verificationMethodId, didDocument, jwks } from './did';
export { issuerKeys, activeIssuerKey, rotateIssuerKey } from './keys';
export { identityHash, newSalt, saltFor, buildCredential } from './build';
export { signCredential } from './sign';
export { statusSlot, setRevoked, statusListCredential, LIST_SIZE } from './status-list';
export { storedDidResolver, storedStatusLists, statusListUrl } from './resolver';
export { issueCredential } from './issue';
export { verifyCredential, verificationMessage } from './verify';
export { credentialJwt, verifyCredentialJwt } from './jwt';
