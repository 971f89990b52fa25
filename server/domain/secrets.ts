import { createHash, createHmac, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Everything secret or unguessable is made and compared here: ids, verification codes, API tokens,
 * passwords, HMAC signatures. Comparisons are constant-time; nothing secret is stored in clear but for
 * the HMAC keys, which must be.
 */
export const newId = (): string => randomUUID();

/** Crockford's base32: no I, L, O, U, so codes read aloud and typed from paper survive. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A verification code: 20 symbols of base32 = 100 bits. At a million guesses a second for a century, the
 * chance of hitting one of a billion codes is below 10⁻¹⁰ — and the verification endpoint is rate-limited.
 */
export function newVerificationCode(): string {
  const bytes = randomBytes(20);
  let out = '';
  for (let i = 0; i < 20; i++) {
    if (i > 0 && i % 5 === 0) out += '-';
    out += ALPHABET[bytes[i]! & 31];
  }
  return out;
}

/** Accepts codes as people type them: any case, spaces or missing dashes, O for 0, I/L for 1. */
export function normalizeCode(input: string): string | undefined {
  const clean = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{20}$/.test(clean)) return undefined;
  return clean.match(/.{5}/g)!.join('-');
}

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** `att_<id>_<secret>`: the id finds the row, the secret (256 bits) is checked against its hash. */
export function newApiToken(id: string): { token: string; secretHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `att_${id}_${secret}`, secretHash: sha256Hex(secret) };
}

export function parseApiToken(token: string): { id: string; secret: string } | undefined {
  const m = /^att_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

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

export const newSecret = (): string => randomBytes(32).toString('base64url');

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keylen, { N, r, p, maxmem: 64 * 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

/** A slow, salted hash with its parameters, so they can be raised later without breaking old passwords. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split('$');
  if (!parts || parts.length !== 6 || parts[0] !== 'scrypt') {
    // Same work whether or not the account exists: the answer's timing tells nothing.
    await scryptAsync(password, Buffer.alloc(16), SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
    return false;
  }
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const hmacHex = (key: string, message: string | Uint8Array): string => createHmac('sha256', key).update(message).digest('hex');
