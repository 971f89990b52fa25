import { z } from 'zod';
import { declareOperations } from './declaration';
import { BatchResult, CodeParam, UploadedSignature, Verification } from './schemas';
import { CredentialCheck } from './credentials';

export const verificationDeclarations = declareOperations({
  verify: {
    method: 'get',
    path: '/verify/:code',
    tag: 'Verification',
    summary:
      'Check a document by its code: valid, revoked (whether or not it is locked), expired (with what the tenant allows to show), locked (exists, nothing more) or withdrawn (erased with its learner’s data: the day, nothing more). A code no document has: 404 VERIFICATION_CODE_UNKNOWN. Public, rate-limited.',
    access: { public: true },
    params: CodeParam,
    responses: { 200: Verification },
    example: `curl "$BASE/api/v1/verify/$CODE"`,
  },
  verifyDocument: {
    method: 'post',
    path: '/verify/:code/document',
    tag: 'Verification',
    summary:
      'Check that an uploaded PDF is the document issued under this code (its SHA-256): current, superseded by a regeneration, or not this document; for a signed PDF, `signature` says whether its signature is intact and whose key made it; the Open Badges credential it carries, when it has one, is checked too (proof, status, validity window, which revision). A code no document has: 404 VERIFICATION_CODE_UNKNOWN.',
    access: { public: true },
    params: CodeParam,
    body: { raw: ['application/pdf', 'application/octet-stream'] },
    responses: {
      200: z.object({
        verification: Verification,
        match: z.enum(['current', 'superseded', 'none']),
        signature: UploadedSignature.optional(),
        credential: CredentialCheck.optional().describe('The Open Badges credential the PDF carries (`credential.json`), checked.'),
      }),
    },
    example: `curl -X POST "$BASE/api/v1/verify/$CODE/document" -H 'Content-Type: application/pdf' --data-binary @certificate.pdf`,
  },
  verificationPage: {
    method: 'get',
    path: '/verify/:code',
    absolute: true,
    tag: 'Verification',
    summary:
      'The public verification page (HTML) the QR code on every document opens, with a form to check a PDF file against the document. A code no document has: a 404 page.',
    access: { public: true },
    params: CodeParam,
    responses: {
      200: { media: 'text/html', description: 'The page.' },
      404: { media: 'text/html', description: 'No document has this code: the page says so.' },
    },
    example: `curl "$BASE/verify/$CODE"`,
  },
  verificationPageDocument: {
    method: 'post',
    path: '/verify/:code/document',
    absolute: true,
    tag: 'Verification',
    summary:
      'The verification page’s form: a PDF file (multipart field `document`) compared with the document issued under this code; answers the page with current, superseded or not this document.',
    access: { public: true },
    params: CodeParam,
    body: { raw: ['multipart/form-data'] },
    responses: {
      200: { media: 'text/html', description: 'The page, with what the file is.' },
      404: { media: 'text/html', description: 'No document has this code.' },
      422: { media: 'text/html', description: 'No file was chosen: the page asks for one.' },
    },
    example: `curl "$BASE/verify/$CODE/document" -F document=@certificate.pdf`,
  },
  verificationForm: {
    method: 'get',
    path: '/verify',
    absolute: true,
    tag: 'Verification',
    summary: 'The verification page without a code: a form to type one.',
    access: { public: true },
    query: z.object({ code: z.string().max(40).optional() }).strict(),
    responses: { 200: { media: 'text/html', description: 'The page.' } },
    example: `curl "$BASE/verify?code=$CODE"`,
  },
  shopWebhook: {
    method: 'post',
    path: '/webhooks/:tenant/shop',
    tag: 'Webhooks',
    summary:
      'The shop says a learner paid: their locked documents unlock. Signed: X-Attest-Timestamp (Unix seconds) and X-Attest-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<raw body>"); within 5 minutes, each signature once.',
    access: { public: true },
    params: z.object({ tenant: z.string().max(63) }).strict(),
    body: { raw: ['application/json'] },
    responses: { 200: z.object({ unlocked: BatchResult }) },
    example: `BODY='{"learner_id":"42","reference":"order-981"}'; TS=$(date +%s); SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | cut -d' ' -f2); curl -X POST "$BASE/api/v1/webhooks/demo/shop" -H "X-Attest-Timestamp: $TS" -H "X-Attest-Signature: sha256=$SIG" -H 'Content-Type: application/json' -d "$BODY"`,
  },
});
