import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets kept at rest (protection passwords, SMTP passwords, signing keys): AES-256-GCM under a key
 * derived from the installation's ATTEST_SECRET_KEY and the purpose, so a copy of the database alone gives
 * none of them away, and a value sealed for one purpose never opens as another. Sealed text is
 * base64(iv ‖ tag ‖ ciphertext). Values stored beside clear ones say so with the `sealed:` prefix
 * (sealStored/openStored); SMTP settings keep their own `gcm:`/`plain:` pair.
 */
export type SealPurpose = 'pdf protection password' | 'smtp password' | 'signing key' | 'credential signing key';

/** The installation key, or undefined when the operator has not set one. */
export function installationSecret(): string | undefined {
  return process.env.ATTEST_SECRET_KEY || undefined;
}

function sealKey(purpose: SealPurpose, secret: string): Buffer {
  return createHash('sha256').update(`attest ${purpose}\0${secret}`).digest();
}

export function sealBytes(purpose: SealPurpose, clear: Uint8Array, secret: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', sealKey(purpose, secret), iv);
  const body = Buffer.concat([c.update(clear), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
}

/** The clear bytes, or undefined when the value does not open with this key (another installation's, or changed). */
export function openBytes(purpose: SealPurpose, sealed: string, secret: string): Buffer | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64');
    if (raw.length < 28) return undefined;
    const d = createDecipheriv('aes-256-gcm', sealKey(purpose, secret), raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
  } catch {
    return undefined;
  }
}

export const sealText = (purpose: SealPurpose, clear: string, secret: string): string =>
  sealBytes(purpose, Buffer.from(clear, 'utf8'), secret);

export const openText = (purpose: SealPurpose, sealed: string, secret: string): string | undefined =>
  openBytes(purpose, sealed, secret)?.toString('utf8');

/** What a stored sealed value starts with, so a row or a setting says it holds one. */
export const SEALED_PREFIX = 'sealed:';

export const isSealed = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

export const sealStored = (purpose: SealPurpose, clear: string, secret: string): string => SEALED_PREFIX + sealText(purpose, clear, secret);

/** The clear text of a `sealed:` value; undefined when it is not one or does not open with this key. */
export const openStored = (purpose: SealPurpose, stored: string, secret: string): string | undefined =>
  isSealed(stored) ? openText(purpose, stored.slice(SEALED_PREFIX.length), secret) : undefined;
