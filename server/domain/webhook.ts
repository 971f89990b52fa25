import { z } from 'zod';
import { iso, type Services } from './context';
import { DomainError, invalid, zodProblems } from './errors';
import { checkWebhookSignature, WEBHOOK_TOLERANCE_SECONDS } from './webhook-signature';
import { codeKey } from './codes';
import { inputProblems } from './input';
import { applyLock, type BatchResult } from './issues';
import { tenantKeys } from './tenants';
import { serves } from './scope';
import { lockedCodes } from '../storage/repositories/issues';
import { deleteReceiptsBefore, rememberReceipt } from '../storage/repositories/webhook-receipts';

/**
 * The shop's webhook: "this learner paid", signed with the tenant's webhook secret by the scheme of
 * webhook-signature.ts. A signature is accepted once, within five minutes of its timestamp: a captured
 * request replayed later, or replayed at once, unlocks nothing.
 */
export { signWebhook, WEBHOOK_TOLERANCE_SECONDS } from './webhook-signature';

export const ShopPayment = z
  .object({
    learner_id: z.string().min(1).max(200),
    course_id: z.string().min(1).max(200).optional().describe('Unlock only documents of this course; all of the learner’s otherwise.'),
    codes: z.array(z.string().max(40)).max(500).optional().describe('Unlock exactly these documents (they must be the learner’s).'),
    reference: z.string().max(200).optional().describe('The shop’s order reference, recorded as the reason.'),
  })
  .strict();

export async function receiveShopWebhook(
  services: Services,
  input: { tenant: string; timestamp: string | undefined; signature: string | undefined; body: Uint8Array },
): Promise<{ unlocked: BatchResult[] }> {
  const refused = (code: string, message: string) => new DomainError('unauthenticated', code, message);
  const db = services.storage.db;
  const tenant = await tenantKeys(db, { slug: input.tenant });
  if (!tenant || !serves(services, tenant)) throw refused('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is not valid.');
  const check = checkWebhookSignature(tenant.webhookSecret, input, services.now().getTime() / 1000);
  if (!check.ok && check.why === 'timestamp-invalid')
    throw refused('WEBHOOK_TIMESTAMP_INVALID', 'X-Attest-Timestamp must be the Unix time of the request, in seconds.');
  if (!check.ok && check.why === 'signature-invalid') throw refused('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is not valid.');
  if (!check.ok)
    throw refused('WEBHOOK_TIMESTAMP_STALE', 'The webhook is too old or from the future; its timestamp must be within five minutes.');
  const expected = check.expected;
  let text: string;
  try {
    // Fatal: bytes that are not UTF-8 are refused, not turned into U+FFFD and matched against learner ids.
    text = new TextDecoder('utf-8', { fatal: true }).decode(input.body);
  } catch {
    throw new DomainError('malformed', 'BODY_NOT_UTF8', 'The webhook body is not valid UTF-8.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DomainError('malformed', 'BODY_NOT_JSON', 'The webhook body is not JSON.');
  }
  const notText = inputProblems(json, '');
  if (notText.length) throw invalid('WEBHOOK_BODY_INVALID', 'The webhook body is not a payment notice.', notText);
  const payment = ShopPayment.safeParse(json);
  if (!payment.success)
    throw invalid('WEBHOOK_BODY_INVALID', 'The webhook body is not a payment notice.', zodProblems(payment.error, '', json));
  // Remembered before acting: of two identical deliveries racing, one is refused by the primary key.
  if (!(await rememberReceipt(db, tenant.id, expected, iso(services.now()))))
    throw new DomainError('conflict', 'WEBHOOK_REPLAYED', 'This webhook was already received.');
  const p = payment.data;
  // Locked documents of the learner (optionally for one course): what a payment unlocks.
  const locked = await lockedCodes(db, tenant.id, p.learner_id, p.course_id);
  const wanted = p.codes ? new Set(p.codes.map((x) => codeKey(x))) : undefined;
  const codes = wanted ? locked.filter((c) => wanted.has(c)) : locked;
  const unlocked = await applyLock(
    services,
    { kind: 'webhook', tenantId: tenant.id, name: 'shop' },
    codes,
    false,
    p.reference ? `payment ${p.reference}` : 'payment',
  );
  return { unlocked };
}

/**
 * Receipts can go once any replay of them would be refused by its timestamp. A timestamp may be up to the
 * tolerance ahead of the moment of receipt and stays acceptable for the tolerance after itself: twice the
 * tolerance after receipt, nothing it signed can be accepted again. Returns how many were removed.
 */
export async function pruneWebhookReceipts(services: Services): Promise<number> {
  const before = iso(new Date(services.now().getTime() - 2 * WEBHOOK_TOLERANCE_SECONDS * 1000));
  return deleteReceiptsBefore(services.storage.db, before);
}
