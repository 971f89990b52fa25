import { z } from 'zod';
import { checkUploadedDocument, verifyCode, verifyKnownCode, type Verification as Found } from '../../domain/verification';
import { receiveShopWebhook, ShopPayment } from '../../domain/webhook';
import { operation, rawBody, type Operation, type Reply } from '../operation';
import { sayBatch } from '../problems';
import { CodeParam, Verification, BatchResult } from '../schemas';
import { pageLocale, verificationPage, type PageOptions } from '../pages/verify';

/** The page for what a code found; an unknown code is a 404 page, the same page a person can retype on. */
function page(v: Found | undefined, headers: Record<string, string | undefined>, options: PageOptions = {}): Reply {
  return { status: v?.status === 'unknown' ? 404 : 200, html: verificationPage(v, { locale: pageLocale(headers['accept-language']), ...options }) };
}

/**
 * The file of the page's multipart form (field `document`), parsed by the Fetch API's own multipart reader
 * (undici, in Node): nothing hand-written reads the boundaries. Anything else is "no file".
 */
async function uploadedFile(body: Uint8Array, contentType: string | undefined): Promise<Uint8Array | undefined> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  try {
    const file = (await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData()).get('document');
    return file instanceof Blob && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : undefined;
  } catch {
    return undefined;
  }
}

export const verificationOperations: Operation[] = [
  operation({
    id: 'verify',
    method: 'get',
    path: '/verify/:code',
    tag: 'Verification',
    summary:
      'Check a document by its code: valid, revoked (whether or not it is locked), expired (with what the tenant allows to show) or locked (exists, nothing more). A code no document has: 404 VERIFICATION_CODE_UNKNOWN. Public, rate-limited.',
    access: { public: true },
    params: CodeParam,
    errors: ['VERIFICATION_CODE_UNKNOWN'],
    responses: { 200: Verification },
    example: `curl "$BASE/api/v1/verify/$CODE"`,
    handler: async ({ services, params }) => ({ json: await verifyKnownCode(services, params.code) }),
  }),
  operation({
    id: 'verifyDocument',
    method: 'post',
    path: '/verify/:code/document',
    tag: 'Verification',
    summary: 'Check that an uploaded PDF is the document issued under this code (its SHA-256): current, superseded by a regeneration, or not this document. A code no document has: 404 VERIFICATION_CODE_UNKNOWN.',
    access: { public: true },
    params: CodeParam,
    body: rawBody(['application/pdf', 'application/octet-stream'], 20_000_000),
    errors: ['VERIFICATION_CODE_UNKNOWN'],
    responses: { 200: z.object({ verification: Verification, match: z.enum(['current', 'superseded', 'none']) }) },
    example: `curl -X POST "$BASE/api/v1/verify/$CODE/document" -H 'Content-Type: application/pdf' --data-binary @certificate.pdf`,
    handler: async ({ services, params, body }) => ({ json: await checkUploadedDocument(services, params.code, body) }),
  }),
  operation({
    id: 'verificationPage',
    method: 'get',
    path: '/verify/:code',
    absolute: true,
    tag: 'Verification',
    summary: 'The public verification page (HTML) the QR code on every document opens, with a form to check a PDF file against the document. A code no document has: a 404 page.',
    access: { public: true },
    params: CodeParam,
    responses: { 200: { media: 'text/html', description: 'The page.' }, 404: { media: 'text/html', description: 'No document has this code: the page says so.' } },
    example: `curl "$BASE/verify/$CODE"`,
    handler: async ({ services, params, headers }) => page(await verifyCode(services, params.code), headers, { typed: params.code }),
  }),
  operation({
    id: 'verificationPageDocument',
    method: 'post',
    path: '/verify/:code/document',
    absolute: true,
    tag: 'Verification',
    summary: 'The verification page’s form: a PDF file (multipart field `document`) compared with the document issued under this code; answers the page with current, superseded or not this document.',
    access: { public: true },
    params: CodeParam,
    body: rawBody(['multipart/form-data'], 20_000_000),
    responses: {
      200: { media: 'text/html', description: 'The page, with what the file is.' },
      404: { media: 'text/html', description: 'No document has this code.' },
      422: { media: 'text/html', description: 'No file was chosen: the page asks for one.' },
    },
    example: `curl "$BASE/verify/$CODE/document" -F document=@certificate.pdf`,
    handler: async ({ services, params, headers, body }) => {
      const verification = await verifyCode(services, params.code);
      if (verification.status === 'unknown') return page(verification, headers, { typed: params.code });
      const pdf = await uploadedFile(body, headers['content-type']);
      if (!pdf) return { ...page(verification, headers, { typed: params.code, match: 'no-file' }), status: 422 };
      const { match } = await checkUploadedDocument(services, params.code, pdf);
      return page(verification, headers, { typed: params.code, match });
    },
  }),
  operation({
    id: 'verificationForm',
    method: 'get',
    path: '/verify',
    absolute: true,
    tag: 'Verification',
    summary: 'The verification page without a code: a form to type one.',
    access: { public: true },
    query: z.object({ code: z.string().max(40).optional() }).strict(),
    responses: { 200: { media: 'text/html', description: 'The page.' } },
    example: `curl "$BASE/verify?code=$CODE"`,
    handler: async ({ services, query, headers }) => page(query.code ? await verifyCode(services, query.code) : undefined, headers, { typed: query.code ?? '' }),
  }),
  operation({
    id: 'shopWebhook',
    method: 'post',
    path: '/webhooks/:tenant/shop',
    tag: 'Webhooks',
    summary:
      'The shop says a learner paid: their locked documents unlock. Signed: X-Attest-Timestamp (Unix seconds) and X-Attest-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<raw body>"); within 5 minutes, each signature once.',
    access: { public: true },
    params: z.object({ tenant: z.string().max(63) }).strict(),
    body: rawBody(['application/json'], 64 * 1024, ShopPayment),
    errors: ['WEBHOOK_SIGNATURE_INVALID', 'WEBHOOK_TIMESTAMP_INVALID', 'WEBHOOK_TIMESTAMP_STALE', 'BODY_NOT_JSON', 'BODY_NOT_UTF8', 'WEBHOOK_BODY_INVALID', 'WEBHOOK_REPLAYED'],
    responses: { 200: z.object({ unlocked: BatchResult }) },
    example: `BODY='{"learner_id":"42","reference":"order-981"}'; TS=$(date +%s); SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | cut -d' ' -f2); curl -X POST "$BASE/api/v1/webhooks/demo/shop" -H "X-Attest-Timestamp: $TS" -H "X-Attest-Signature: sha256=$SIG" -H 'Content-Type: application/json' -d "$BODY"`,
    handler: async ({ services, params, headers, body, locale }) => {
      const { unlocked } = await receiveShopWebhook(services, { tenant: params.tenant, timestamp: headers['x-attest-timestamp'], signature: headers['x-attest-signature'], body });
      return { json: { unlocked: sayBatch(unlocked, await locale()) } };
    },
  }),
];

