import type { ScalarKind } from './types';

/**
 * What binding accepts for each scalar type, and the one normal form it turns it into (types.ts says which).
 * LMSs are loose: Moodle sends numbers and booleans as strings, dates as Unix timestamps in seconds, and 0
 * or "" for "not set". The rules, in one place:
 * - absent, null, "" and whitespace-only strings are *missing*, whatever the type;
 * - number/integer: a JSON number, or a string in JSON number syntax ("15.50000", "-2", "1e3"); no decimal
 *   comma and no thousands separator, because "1,500" could mean 1.5 or 1500;
 * - boolean: true/false, 1/0, "true"/"false", "1"/"0";
 * - date/datetime: ISO 8601 ("2026-03-01", "2026-03-01T09:30:00+01:00") or a Unix timestamp in seconds
 *   (number or numeric string); a timestamp of 0 is Moodle's "not set" and is missing. A timestamp's calendar
 *   date is taken in `timeZone` (UTC unless told); a datetime without an offset is UTC;
 * - duration: seconds (number or numeric string) or ISO 8601 ("PT12H30M", "P2DT3H"; no years or months,
 *   which have no fixed length);
 * - string/text: a string, or a finite number written out ("42" for an idnumber sent as 42);
 * - email, url (http or https), image (an asset name or a data:image URL) are strings of that shape.
 */

export type Coerced =
  | { ok: true; value: string | number | boolean }
  | { ok: false; code: 'BIND_TYPE' | 'BIND_FORMAT' | 'BIND_TOO_LONG' | 'BIND_IMAGE_TOO_LARGE'; message: string };

export interface CoerceOptions {
  /** IANA zone in which a Unix timestamp's calendar date is read ("Europe/Paris"); UTC by default. */
  timeZone?: string;
}

/** The sentinel for "no value": callers then apply required/optional. */
export const MISSING = Symbol('missing');

export function isMissing(raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  if (typeof raw === 'string') return raw.length === 0 || raw.trim().length === 0;
  return false;
}

const NUMBER = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const URL_SHAPE = /^https?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/i;
const DATA_IMAGE = /^data:image\/(?:png|jpeg|jpg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]+$/;
// Asset names are names in the template's asset table, never a way out of it: no "." or ".." segment.
const ASSET = /^(?!(?:.*\/)?\.\.?(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/;

const ok = (value: string | number | boolean): Coerced => ({ ok: true, value });
const fail = (code: 'BIND_TYPE' | 'BIND_FORMAT' | 'BIND_TOO_LONG' | 'BIND_IMAGE_TOO_LARGE', message: string): Coerced => ({
  ok: false,
  code,
  message,
});

export function describe(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw.length > 60 ? raw.slice(0, 57) + '…' : raw);
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'an object';
  if (typeof raw === 'function') return String(raw);
  // What is left once strings, objects (null too) and functions are out.
  const primitive = raw as number | boolean | bigint | symbol | undefined;
  return String(primitive);
}

function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string' && NUMBER.test(raw)) return Number(raw);
  return undefined;
}

function daysIn(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validDay(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(Number(y), month);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a zone, as "YYYY-MM-DD". */
function calendarDate(ms: number, timeZone: string | undefined): string {
  if (!timeZone || timeZone === 'UTC') return new Date(ms).toISOString().slice(0, 10);
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  let y = '';
  let m = '';
  let d = '';
  for (const p of f.formatToParts(ms)) {
    if (p.type === 'year') y = p.value;
    else if (p.type === 'month') m = p.value;
    else if (p.type === 'day') d = p.value;
  }
  return `${y.padStart(4, '0')}-${m}-${d}`;
}

const utc = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';

const DATE_HELP = 'a date (ISO 8601 "2026-03-01" or a Unix timestamp in seconds)';

/** The instant a timestamp or ISO datetime names, in ms; or why it is not one. */
function instant(raw: unknown, wantDate: boolean, options: CoerceOptions): Coerced | typeof MISSING {
  const seconds = toNumber(raw);
  if (seconds !== undefined) {
    if (seconds === 0) return MISSING;
    const ms = seconds * 1000;
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return fail('BIND_FORMAT', `${describe(raw)} is not a valid Unix timestamp.`);
    return ok(wantDate ? calendarDate(ms, options.timeZone) : utc(ms));
  }
  if (typeof raw !== 'string') return fail('BIND_TYPE', `Expected ${DATE_HELP}, got ${describe(raw)}.`);
  const s = raw.trim();
  const d = DATE.exec(s);
  if (d) {
    if (!validDay(d[1]!, d[2]!, d[3]!)) return fail('BIND_FORMAT', `${describe(raw)} is not a calendar date.`);
    return ok(wantDate ? s : `${s}T00:00:00Z`);
  }
  const t = DATETIME.exec(s);
  if (!t) return fail('BIND_FORMAT', `Expected ${DATE_HELP}, got ${describe(raw)}.`);
  const [, y, mo, da, h, mi, se, frac, zone] = t;
  if (!validDay(y!, mo!, da!) || Number(h) > 23 || Number(mi) > 59 || Number(se ?? 0) > 59) {
    return fail('BIND_FORMAT', `${describe(raw)} is not a valid date and time.`);
  }
  // A datetime given for a date keeps the calendar date its sender wrote.
  if (wantDate) return ok(`${y}-${mo}-${da}`);
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(da), Number(h), Number(mi), Number(se ?? 0), frac ? Number(frac) * 1000 : 0);
  return ok(utc(ms - offset * 60_000));
}

/**
 * The longest value a field of each kind may hold, in characters. A certificate prints names and titles,
 * not books: anything longer is a mistake or an attack on the renderer, refused with BIND_TOO_LONG. An
 * image is an asset name or a data: URL of at most MAX_DATA_IMAGE_BYTES (BIND_IMAGE_TOO_LARGE beyond).
 */
export const MAX_LENGTH: Readonly<Partial<Record<ScalarKind, number>>> = {
  string: 2_000,
  email: 320,
  url: 4_000,
  text: 50_000,
  image: 1_500_000,
};

/**
 * An image sent in the data (a signature, a logo) is decoded while a document is made: it is kept small.
 * Larger images belong in the template's assets, which are checked once when uploaded.
 */
export const MAX_DATA_IMAGE_BYTES = 1_000_000;

/** The bytes a data: URL carries, from its base64 length (whitespace counted: an upper bound). */
export function dataUrlBytes(url: string): number {
  const comma = url.indexOf(',');
  return Math.floor(((url.length - comma - 1) * 3) / 4);
}

/** Checks and normalises one scalar value that is not missing (see isMissing); MISSING for Moodle's 0 dates. */
export function coerceScalar(kind: ScalarKind, raw: unknown, options: CoerceOptions = {}): Coerced | typeof MISSING {
  if (kind === 'image' && typeof raw === 'string' && /^data:/i.test(raw) && dataUrlBytes(raw) > MAX_DATA_IMAGE_BYTES) {
    return fail(
      'BIND_IMAGE_TOO_LARGE',
      `This image is ${(dataUrlBytes(raw) / 1e6).toFixed(1)} MB; an image sent in the data may be at most ${MAX_DATA_IMAGE_BYTES / 1e6} MB. Make it smaller, or upload it as a template asset and give its name.`,
    );
  }
  const max = MAX_LENGTH[kind];
  if (max !== undefined && typeof raw === 'string' && raw.length > max) {
    return fail(
      'BIND_TOO_LONG',
      `This value has ${raw.length.toLocaleString('en')} characters; a ${kind} may have at most ${max.toLocaleString('en')}.`,
    );
  }
  switch (kind) {
    case 'string':
    case 'text':
      if (typeof raw === 'string') return ok(raw);
      if (typeof raw === 'number' && Number.isFinite(raw)) return ok(String(raw));
      return fail('BIND_TYPE', `Expected text, got ${describe(raw)}.`);
    case 'number':
    case 'integer': {
      const n = toNumber(raw);
      if (n === undefined) return fail('BIND_TYPE', `Expected a number, got ${describe(raw)}.`);
      if (kind === 'integer' && !Number.isInteger(n)) return fail('BIND_TYPE', `Expected a whole number, got ${describe(raw)}.`);
      return ok(n);
    }
    case 'boolean':
      if (raw === true || raw === 1 || raw === '1' || raw === 'true') return ok(true);
      if (raw === false || raw === 0 || raw === '0' || raw === 'false') return ok(false);
      return fail('BIND_TYPE', `Expected true or false (or 1 or 0), got ${describe(raw)}.`);
    case 'date':
    case 'datetime':
      return instant(raw, kind === 'date', options);
    case 'duration': {
      const n = toNumber(raw);
      if (n !== undefined) return n >= 0 ? ok(n) : fail('BIND_FORMAT', `A duration cannot be negative (${describe(raw)}).`);
      if (typeof raw !== 'string') return fail('BIND_TYPE', `Expected a duration (seconds or ISO 8601 "PT12H30M"), got ${describe(raw)}.`);
      const m = DURATION.exec(raw.trim());
      if (!m || raw.trim().length < 2 || /T$/i.test(raw.trim())) {
        const hint = /^P(\d+Y|\d+M)/i.test(raw.trim()) ? ' Years and months have no fixed length: use weeks, days or hours.' : '';
        return fail('BIND_FORMAT', `Expected a duration (seconds or ISO 8601 "PT12H30M"), got ${describe(raw)}.${hint}`);
      }
      const [, w, d, h, mi, s] = m;
      return ok(Number(w ?? 0) * 604800 + Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0));
    }
    case 'email':
      if (typeof raw !== 'string') return fail('BIND_TYPE', `Expected an email address, got ${describe(raw)}.`);
      return EMAIL.test(raw.trim()) ? ok(raw.trim()) : fail('BIND_FORMAT', `${describe(raw)} is not an email address.`);
    case 'url':
      if (typeof raw !== 'string') return fail('BIND_TYPE', `Expected a web address, got ${describe(raw)}.`);
      return URL_SHAPE.test(raw.trim())
        ? ok(raw.trim())
        : fail('BIND_FORMAT', `${describe(raw)} is not a web address (http:// or https://).`);
    case 'image':
      if (typeof raw !== 'string') return fail('BIND_TYPE', `Expected an image (an asset name or a data:image URL), got ${describe(raw)}.`);
      return DATA_IMAGE.test(raw) || ASSET.test(raw)
        ? ok(raw)
        : fail('BIND_FORMAT', `${describe(raw)} is not an image: give the name of a template asset or a data:image/…;base64 URL.`);
  }
}
