import { checkUploadedDocument, verifyCodeForPage, verifyKnownCode, type VerificationPageFacts } from '../../domain/verification';
import { receiveShopWebhook, ShopPayment } from '../../domain/webhook';
import { verificationDeclarations } from '../contract/verification';
import { bindOperations, type Operation, type Reply } from '../operation';
import { acceptedLocale, sayBatch } from '../problems';
import { verificationPage, type PageOptions } from '../pages/verify';

/** The page for what a code found; an unknown code is a 404 page, the same page a person can retype on. */
function page(found: VerificationPageFacts | undefined, headers: Record<string, string | undefined>, options: PageOptions = {}): Reply {
  const v = found?.verification;
  const { html, policy } = verificationPage(v, {
    locale: acceptedLocale(headers['accept-language']) ?? 'fr',
    ...(found?.brand ? { brand: found.brand } : {}),
    ...(found?.verificationUrl ? { verificationUrl: found.verificationUrl } : {}),
    ...(found?.credential ? { credential: found.credential } : {}),
    ...options,
  });
  return { status: v?.status === 'unknown' ? 404 : 200, html, headers: { 'Content-Security-Policy': policy } };
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

export const verificationOperations: Operation[] = bindOperations(verificationDeclarations, {
  verify: {
    errors: ['VERIFICATION_CODE_UNKNOWN'],
    handler: async ({ services, params }) => ({ json: await verifyKnownCode(services, params.code) }),
  },
  verifyDocument: {
    body: { limit: 20_000_000 },
    errors: ['VERIFICATION_CODE_UNKNOWN'],
    handler: async ({ services, params, body }) => ({ json: await checkUploadedDocument(services, params.code, body) }),
  },
  verificationPage: {
    handler: async ({ services, params, headers }) => page(await verifyCodeForPage(services, params.code), headers, { typed: params.code }),
  },
  verificationPageDocument: {
    body: { limit: 20_000_000 },
    handler: async ({ services, params, headers, body }) => {
      const found = await verifyCodeForPage(services, params.code);
      if (found.verification.status === 'unknown') return page(found, headers, { typed: params.code });
      const pdf = await uploadedFile(body, headers['content-type']);
      if (!pdf) return { ...page(found, headers, { typed: params.code, match: 'no-file' }), status: 422 };
      const { match, signature, credential } = await checkUploadedDocument(services, params.code, pdf, { count: false });
      return page(found, headers, {
        typed: params.code,
        match,
        ...(signature ? { signature } : {}),
        ...(credential ? { uploadedCredential: credential } : {}),
      });
    },
  },
  verificationForm: {
    handler: async ({ services, query, headers }) =>
      page(query.code ? await verifyCodeForPage(services, query.code) : undefined, headers, { typed: query.code ?? '' }),
  },
  shopWebhook: {
    body: { limit: 64 * 1024, schema: ShopPayment },
    errors: [
      'WEBHOOK_SIGNATURE_INVALID',
      'WEBHOOK_TIMESTAMP_INVALID',
      'WEBHOOK_TIMESTAMP_STALE',
      'BODY_NOT_JSON',
      'BODY_NOT_UTF8',
      'WEBHOOK_BODY_INVALID',
      'WEBHOOK_REPLAYED',
    ],
    handler: async ({ services, params, headers, body, locale }) => {
      const { unlocked } = await receiveShopWebhook(services, {
        tenant: params.tenant,
        timestamp: headers['x-attest-timestamp'],
        signature: headers['x-attest-signature'],
        body,
      });
      return { json: { unlocked: sayBatch(unlocked, await locale()) } };
    },
  },
});
