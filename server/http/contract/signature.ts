import { z } from 'zod';
import { declareOperations } from './declaration';

/** The tenant's signing keys (issue 17): documents are signed (PAdES) with the active one. */
export const SigningKey = z
  .object({
    id: z.string(),
    algorithm: z.enum(['rsa-2048', 'rsa-3072', 'ecdsa-p256', 'ecdsa-p384']),
    source: z.enum(['generated', 'imported']).describe('generated: self-signed here in the organisation’s name; imported: from PKCS#12.'),
    subject: z.string().describe('The certificate’s subject, as readers show the signer.'),
    fingerprint: z.string().describe('SHA-256 of the certificate (DER), hex.'),
    notAfter: z.string(),
    state: z.enum(['active', 'retired']).describe('One key is active; retired keys sign nothing new, and their documents still verify.'),
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
    certificate: z.string().describe('The certificate, PEM: what a third party trusts to check documents with pdfsig.'),
  })
  .meta({ id: 'SigningKey' });

export const signatureDeclarations = declareOperations({
  listSigningKeys: {
    method: 'get',
    path: '/tenant/signing-keys',
    tag: 'Signature',
    summary: 'The tenant’s signing keys: the active one first, then those it replaced (never the private keys).',
    access: { capability: 'signature:manage' },
    responses: { 200: z.array(SigningKey) },
    example: `curl "$BASE/api/v1/tenant/signing-keys" -H "Authorization: Bearer $TOKEN"`,
  },
  generateSigningKey: {
    method: 'post',
    path: '/tenant/signing-keys',
    tag: 'Signature',
    summary:
      'Generate a key and a self-signed certificate in the organisation’s name; it becomes the active key and the one before is retired (rotation). Needs ATTEST_SECRET_KEY (the private key is kept sealed).',
    access: { capability: 'signature:manage' },
    body: {
      json: z.object({ algorithm: z.enum(['rsa-2048', 'rsa-3072', 'ecdsa-p256', 'ecdsa-p384']).default('rsa-2048') }).strict(),
    },
    responses: { 201: SigningKey },
    example: `curl -X POST "$BASE/api/v1/tenant/signing-keys" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"algorithm":"ecdsa-p256"}'`,
  },
  importSigningKey: {
    method: 'post',
    path: '/tenant/signing-keys/import',
    tag: 'Signature',
    summary:
      'Import a key and its certificate from PKCS#12 (base64): opened with the password (never stored), exactly one key matching its certificate, RSA 2048/3072 or ECDSA P-256/P-384, valid today (422 PKCS12_INVALID says which). It becomes the active key; the one before is retired.',
    access: { capability: 'signature:manage' },
    body: {
      json: z
        .object({
          pkcs12: z.string().min(1).max(200_000).describe('The .p12 / .pfx file, base64.'),
          password: z.string().max(1000),
        })
        .strict(),
    },
    responses: { 201: SigningKey },
    example: `curl -X POST "$BASE/api/v1/tenant/signing-keys/import" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "{\\"pkcs12\\":\\"$(base64 -w0 key.p12)\\",\\"password\\":\\"…\\"}"`,
  },
});
