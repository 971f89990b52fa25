import { z } from 'zod';
import { checkUploadedDocument, verifyCode } from '../../domain/verification';
import { receiveShopWebhook, ShopPayment } from '../../domain/webhook';
import { operation, rawBody, type Operation } from '../operation';
import { CodeParam, Verification, BatchResult } from '../schemas';
import { verificationPage } from '../pages/verify';

export const verificationOperations: Operation[] = [
  operation({
    id: 'verify',
    method: 'get',
    path: '/verify/:code',
    tag: 'Verification',
    summary: 'Check a document by its code: valid, revoked, expired (with what the tenant allows to show), locked (exists, nothing more) or unknown. Public, rate-limited.',
    access: { public: true },
    params: CodeParam,
    responses: { 200: Verification },
    example: `curl "$BASE/api/v1/verify/$CODE"`,
    handler: async ({ services, params }) => ({ json: await verifyCode(services, params.code) }),
  }),
  operation({
    id: 'verifyDocument',
    method: 'post',
    path: '/verify/:code/document',
    tag: 'Verification',
    summary: 'Check that an uploaded PDF is the document issued under this code (its SHA-256): current, superseded by a regeneration, or not this document.',
    access: { public: true },
    params: CodeParam,
    body: rawBody(['application/pdf', 'application/octet-stream'], 20_000_000),
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
    summary: 'The public verification page (HTML) the QR code on every document opens.',
    access: { public: true },
    params: CodeParam,
    responses: { 200: { media: 'text/html', description: 'The page.' } },
    example: `curl "$BASE/verify/$CODE"`,
    handler: async ({ services, params }) => ({ html: verificationPage(await verifyCode(services, params.code), params.code) }),
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
    handler: async ({ services, query }) => ({ html: verificationPage(query.code ? await verifyCode(services, query.code) : undefined, query.code ?? '') }),
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
    errors: ['WEBHOOK_SIGNATURE_INVALID', 'WEBHOOK_TIMESTAMP_INVALID', 'WEBHOOK_TIMESTAMP_STALE', 'BODY_NOT_JSON', 'WEBHOOK_BODY_INVALID', 'WEBHOOK_REPLAYED'],
    responses: { 200: z.object({ unlocked: BatchResult }) },
    example: `BODY='{"learner_id":"42","reference":"order-981"}'; TS=$(date +%s); SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | cut -d' ' -f2); curl -X POST "$BASE/api/v1/webhooks/demo/shop" -H "X-Attest-Timestamp: $TS" -H "X-Attest-Signature: sha256=$SIG" -H 'Content-Type: application/json' -d "$BODY"`,
    handler: async ({ services, params, headers, body }) => ({
      json: await receiveShopWebhook(services, { tenant: params.tenant, timestamp: headers['x-attest-timestamp'], signature: headers['x-attest-signature'], body }),
    }),
  }),
];

