/**
 * PDF object syntax for values the writer produces itself. Everything here is pure and deterministic: the
 * same value always gives the same bytes.
 */

/** Shortest fixed-point form with at most 4 decimals; PDF readers reject exponents and "-0". */
export function num(n: number): string {
  if (!Number.isFinite(n)) return '0';
  // Beyond any page size; keeps JavaScript's exponent notation out of the file.
  if (n > 1e15 || n < -1e15) n = n > 0 ? 1e15 : -1e15;
  if (Number.isInteger(n)) return n === 0 ? '0' : String(n);
  const r = Math.round(n * 10000) / 10000;
  if (r === 0) return '0';
  let s = r.toFixed(4);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  s = s.slice(0, end);
  return s;
}

/** A name object, with every byte outside the regular characters written as #xx (PDF 1.7 §7.3.5). */
export function name(value: string): string {
  let out = '/';
  const bytes = Buffer.from(value, 'utf8');
  for (const b of bytes) {
    const regular = b > 0x20 && b < 0x7f && !DELIMITERS.has(b) && b !== 0x23;
    out += regular ? String.fromCharCode(b) : '#' + HEX2[b];
  }
  return out;
}
const DELIMITERS = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));

export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
/** Four hex digits for every 16-bit value: glyph ids and UTF-16 units are written per glyph, per document. */
export const HEX4: readonly string[] = Array.from({ length: 65536 }, (_, i) => HEX2[i >> 8]! + HEX2[i & 255]!);

/** A literal string of bytes 0..255 (latin1 chars), with delimiters and non-printables escaped. */
export function literalBytes(s: string): string {
  let out = '(';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += '\\' + s[i];
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else out += '\\' + (c & 0xff).toString(8).padStart(3, '0');
  }
  return out + ')';
}

/** A text string (PDF 1.7 §7.9.2.2): plain ASCII when it is, otherwise UTF-16BE with a byte order mark. */
export function textString(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return literalBytes(s);
  let hex = '<FEFF';
  for (let i = 0; i < s.length; i++) hex += HEX4[s.charCodeAt(i)];
  return hex + '>';
}

/** UTF-16BE hex digits of a string (surrogate pairs stay pairs), for ToUnicode CMaps. */
export function utf16Hex(s: string): string {
  let hex = '';
  for (let i = 0; i < s.length; i++) hex += HEX4[s.charCodeAt(i)];
  return hex;
}

export function hexBytes(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += HEX2[b];
  return hex;
}

/** D:YYYYMMDDHHmmSSZ in UTC, so the date never depends on the server's time zone. */
export function pdfDate(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `D:${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}` +
    `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`
  );
}

export function latin1(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}
