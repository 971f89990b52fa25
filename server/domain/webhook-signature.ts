import { hmacHex, sameSecret } from './hashing';

/**
 * The one signing scheme of Attest's webhooks, both ways: the shop signs what it sends us, we sign what we
 * send to an LMS or any receiver a tenant lists. HMAC-SHA256 with the shared secret over
 * `<timestamp>.<raw body>`, sent as `X-Attest-Signature: sha256=<hex>` beside `X-Attest-Timestamp: <Unix
 * seconds>`. The timestamp bounds a replay in time; what we send also carries its delivery id in the signed
 * body (and in `X-Attest-Delivery`), so a receiver that keeps the ids it accepted takes each delivery once.
 */
export const SIGNATURE_HEADER = 'x-attest-signature';
export const TIMESTAMP_HEADER = 'x-attest-timestamp';
export const DELIVERY_HEADER = 'x-attest-delivery';
export const EVENT_HEADER = 'x-attest-event';

/** How far a timestamp may be from the receiver's clock: five minutes either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestamp: number, body: string | Uint8Array): string {
  return `sha256=${hmacHex(secret, Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(body)]))}`;
}

export type SignatureCheck = { ok: true; expected: string } | { ok: false; why: 'timestamp-invalid' | 'signature-invalid' | 'stale' };

/** Checks a signed request as a receiver does: the signature first (constant-time), then the timestamp's age. */
export function checkWebhookSignature(
  secret: string,
  input: { timestamp: string | undefined; signature: string | undefined; body: string | Uint8Array },
  nowSeconds: number,
): SignatureCheck {
  const ts = input.timestamp && /^\d{1,12}$/.test(input.timestamp) ? Number(input.timestamp) : NaN;
  if (!Number.isFinite(ts)) return { ok: false, why: 'timestamp-invalid' };
  const expected = signWebhook(secret, ts, input.body);
  if (!input.signature || !sameSecret(expected, input.signature)) return { ok: false, why: 'signature-invalid' };
  if (Math.abs(nowSeconds - ts) > WEBHOOK_TOLERANCE_SECONDS) return { ok: false, why: 'stale' };
  return { ok: true, expected };
}
