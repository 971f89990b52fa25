import { randomBytes } from 'node:crypto';
import { sha256Hex } from './hashing';

/**
 * The unguessable codes people hold: verification codes printed on documents, and API tokens (whose
 * secret is stored only as its hash).
 */

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

/**
 * The codes printed by Moodle's mod_certificate, kept on the issues imported from it: 10 letters and
 * digits from Moodle's random_string (A–Z, a–z, 0–9), case-sensitive. Accepted exactly as printed (only
 * surrounding spaces dropped), never normalised, so nothing about new codes loosens: a new code is 20
 * symbols and never has this form. No new document is given one.
 */
const LEGACY_CODE = /^[A-Za-z0-9]{10}$/;

export function legacyCode(input: string): string | undefined {
  const trimmed = input.trim();
  return LEGACY_CODE.test(trimmed) ? trimmed : undefined;
}

/** The form a typed code is stored in: a new code normalised, else an imported legacy code exactly; undefined when neither. */
export function codeKey(input: string): string | undefined {
  return normalizeCode(input) ?? legacyCode(input);
}

/** `att_<id>_<secret>`: the id finds the row, the secret (256 bits) is checked against its hash. */
export function newApiToken(id: string): { token: string; secretHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `att_${id}_${secret}`, secretHash: sha256Hex(secret) };
}

export function parseApiToken(token: string): { id: string; secret: string } | undefined {
  const m = /^att_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}
