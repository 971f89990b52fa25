import { z } from 'zod';
import { declareOperations } from './declaration';
import { CodeParam, Verification } from './schemas';

/**
 * Open Badges 3.0 (issue 17): what the server publishes for VC verifiers — each tenant's did:web document
 * and JWKS, its status lists, a document's credential (JSON and baked PNG) — and the checks the
 * verification page makes. The did:web paths are where `did:web:<host>:tenants:<slug>` resolves to.
 */
const TenantParam = z.object({ tenant: z.string().min(1).max(63) }).strict();

const CredentialVerification = z
  .object({
    valid: z.boolean().describe('Proof valid, not revoked, within its validity window.'),
    code: z
      .string()
      .describe('CREDENTIAL_VALID, else the first thing wrong (CREDENTIAL_PROOF_INVALID, CREDENTIAL_REVOKED, CREDENTIAL_EXPIRED, …).'),
    proof: z.object({ code: z.string(), verificationMethod: z.string().optional(), message: z.string().optional() }),
    status: z.object({ code: z.string(), list: z.string().optional(), index: z.number().int().optional() }),
    validity: z.object({ code: z.string(), validFrom: z.string().optional(), validUntil: z.string().optional() }),
    issuer: z.string().optional(),
  })
  .meta({ id: 'CredentialVerification' });

export const CredentialCheck = z
  .object({
    verification: CredentialVerification,
    match: z
      .enum(['current', 'superseded', 'none'])
      .describe(
        'current: the credential of the document as it is; superseded: of an earlier revision (regenerated since); none: not this document’s.',
      ),
  })
  .meta({ id: 'CredentialCheck' });

const KeyInfo = z.object({ publicKeyMultibase: z.string(), state: z.string(), createdAt: z.string(), retiredAt: z.string().nullable() });

export const credentialDeclarations = declareOperations({
  issuerDid: {
    method: 'get',
    path: '/tenants/:tenant/did.json',
    absolute: true,
    tag: 'Credentials',
    summary:
      'The tenant’s did:web DID document (`did:web:<host>:tenants:<slug>`): every signing key, the active one and the retired ones, so what any of them signed keeps verifying. Public, cacheable.',
    access: { public: true },
    params: TenantParam,
    responses: { 200: { media: 'application/did+json', description: 'The DID document.' } },
    example: `curl "$BASE/tenants/demo/did.json"`,
  },
  issuerJwks: {
    method: 'get',
    path: '/tenants/:tenant/jwks.json',
    absolute: true,
    tag: 'Credentials',
    summary: 'The same keys as a JSON Web Key Set (Ed25519, `kid` = the verification method id). Public, cacheable.',
    access: { public: true },
    params: TenantParam,
    responses: { 200: { media: 'application/jwk-set+json', description: 'The key set.' } },
    example: `curl "$BASE/tenants/demo/jwks.json"`,
  },
  statusList: {
    method: 'get',
    path: '/tenants/:tenant/status/:list',
    absolute: true,
    tag: 'Credentials',
    summary:
      'A signed BitstringStatusListCredential (revocation) of the tenant: the bit of each credential it numbers is set when its document is revoked, deleted or withdrawn. Public, cacheable for 5 minutes.',
    access: { public: true },
    params: z.object({ tenant: z.string().min(1).max(63), list: z.coerce.number().int().min(1).max(1_000_000) }).strict(),
    responses: { 200: { media: 'application/ld+json', description: 'The status list credential.' } },
    example: `curl "$BASE/tenants/demo/status/1"`,
  },
  documentCredential: {
    method: 'get',
    path: '/verify/:code/credential.json',
    absolute: true,
    tag: 'Verification',
    summary:
      'The document’s Open Badges 3.0 credential (a W3C Verifiable Credential with an eddsa-rdfc-2022 proof), the very text its PDF embeds. Public like the verification page: it states what the document states and a salted SHA-256 of the learner’s email, never the email. Locked: 423 CREDENTIAL_LOCKED; none: 404 CREDENTIAL_NOT_ISSUED.',
    access: { public: true },
    params: CodeParam,
    responses: { 200: { media: 'application/ld+json', description: 'The signed credential.' } },
    example: `curl "$BASE/verify/$CODE/credential.json" -o credential.json`,
  },
  documentBadge: {
    method: 'get',
    path: '/verify/:code/badge.png',
    absolute: true,
    tag: 'Verification',
    summary:
      'The document’s badge: a PNG in the organisation’s colour (its logo when it is a PNG) with the credential baked in (an iTXt chunk `openbadgecredential`, Open Badges 3.0 baking). Public, as the credential.',
    access: { public: true },
    params: CodeParam,
    responses: { 200: { media: 'image/png', description: 'The baked badge.' } },
    example: `curl "$BASE/verify/$CODE/badge.png" -o badge.png`,
  },
  verifyCredential: {
    method: 'post',
    path: '/verify/:code/credential',
    tag: 'Verification',
    summary:
      'Check a credential (JSON) against the document issued under this code: its proof, its status and its validity window, and whether it is the document’s current credential, an earlier revision’s (superseded) or not this document’s.',
    access: { public: true },
    params: CodeParam,
    body: { raw: ['application/json', 'application/ld+json', 'application/vc'] },
    responses: { 200: z.object({ verification: Verification, credential: CredentialCheck }) },
    example: `curl -X POST "$BASE/api/v1/verify/$CODE/credential" -H 'Content-Type: application/json' --data-binary @credential.json`,
  },
  rotateCredentialKey: {
    method: 'post',
    path: '/tenant/credential-keys/rotate',
    tag: 'Tenant',
    summary:
      'Rotate the tenant’s credential signing key: a new Ed25519 key signs from now on (documents made or regenerated after), the old one is retired and stays in did.json and the JWKS, so every credential it signed still verifies.',
    access: { capability: 'credentials:rotate-key' },
    body: { json: z.object({ reason: z.string().max(500).optional() }).strict() },
    responses: { 200: z.object({ did: z.string(), active: KeyInfo, retired: KeyInfo.optional() }) },
    example: `curl -X POST "$BASE/api/v1/tenant/credential-keys/rotate" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"reason":"yearly rotation"}'`,
  },
});
