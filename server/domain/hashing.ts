import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Hashes, HMAC signatures and their comparison; comparisons are constant-time. */
export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of `a`.
  if (x.length !== y.length) {
    timingSafeEqual(y, y);
    return false;
  }
  return timingSafeEqual(x, y);
}

export const hmacHex = (key: string, message: string | Uint8Array): string => createHmac('sha256', key).update(message).digest('hex');
