import { dateTimeFormat, dayPeriods, monthNames, normalizeLocale, weekdayNames } from './intl';

/**
 * `date` and `datetime`. A date ("2026-03-01") is a calendar date: it prints as 1 March in every time zone,
 * so it is formatted as UTC midnight in UTC. A datetime (ISO 8601, or a Unix timestamp in seconds as Moodle
 * sends) is an instant, printed in UTC unless the template names a time zone: the same data must give the
 * same document on every server.
 */
export const DATE_STYLES = ['short', 'medium', 'long', 'full'] as const;
export type DateStyle = (typeof DATE_STYLES)[number];

interface Moment {
  /** Milliseconds since the epoch; for a calendar date, its UTC midnight. */
  ms: number;
  /** A calendar date has no time and no zone. */
  calendar: boolean;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const DIGITS = /^-?\d+(\.\d+)?$/;

export function toMoment(value: unknown): Moment | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? { ms: value * 1000, calendar: false } : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : { ms: value.getTime(), calendar: false };
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const d = DATE_ONLY.exec(text);
  if (d) {
    const ms = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    const back = new Date(ms);
    // Reject 2026-02-30 rather than print 2 March.
    if (back.getUTCMonth() !== Number(d[2]) - 1 || back.getUTCDate() !== Number(d[3])) return undefined;
    return { ms, calendar: true };
  }
  if (DATE_TIME.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : { ms, calendar: false };
  }
  if (DIGITS.test(text)) return { ms: Number(text) * 1000, calendar: false };
  return undefined;
}

function isStyle(format: string): format is DateStyle {
  return (DATE_STYLES as readonly string[]).includes(format);
}

/** Formats a date (no time). Returns undefined when the value is not a date or the arguments are wrong. */
export function formatDate(value: unknown, locale: string, format: unknown = 'long', timeZone?: unknown): string | undefined {
  return format_(value, locale, format, timeZone, false);
}

/** Formats a date with its time. */
export function formatDateTime(value: unknown, locale: string, format: unknown = 'long', timeZone?: unknown): string | undefined {
  return format_(value, locale, format, timeZone, true);
}

function format_(value: unknown, locale: string, format: unknown, zone: unknown, withTime: boolean): string | undefined {
  const moment = toMoment(value);
  if (!moment || typeof format !== 'string') return undefined;
  const timeZone = moment.calendar || zone === undefined || zone === null ? 'UTC' : zone;
  if (typeof timeZone !== 'string') return undefined;
  const loc = normalizeLocale(locale);
  try {
    if (isStyle(format)) {
      const options: Intl.DateTimeFormatOptions = { dateStyle: format, timeZone };
      if (withTime && !moment.calendar) options.timeStyle = 'short';
      return dateTimeFormat(loc, options).format(moment.ms);
    }
    return formatPattern(compilePattern(format), fields(moment.ms, timeZone), loc);
  } catch {
    // An unknown time zone: Intl throws RangeError; filters never throw.
    return undefined;
  }
}

interface Fields {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: number; // 0 = Sunday
  hour: number;
  minute: number;
  second: number;
}

function fields(ms: number, timeZone: string): Fields {
  if (timeZone === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: d.getUTCDay(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const parts = dateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const f = { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
  return { ...f, weekday: new Date(Date.UTC(f.year, f.month - 1, f.day)).getUTCDay() };
}

/** A pattern is compiled once into literal strings and field letters ("dd", "MMMM", …). */
type Piece = string | { field: string };

const compiled = new Map<string, Piece[]>();
const FIELD_LETTERS = 'dMyEHhmsa';

/**
 * Pattern letters as in Unicode/Java date patterns, the ones designers know from spreadsheets: d dd, M MM MMM
 * MMMM, yy yyyy, EEE EEEE, H HH, h hh, m mm, s ss, a; text between single quotes is printed as is ('' is a
 * quote). Any other character is printed as is.
 */
export function compilePattern(pattern: string): Piece[] {
  let pieces = compiled.get(pattern);
  if (pieces) return pieces;
  pieces = [];
  let literal = '';
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close === i + 1) literal += "'";
      else literal += pattern.slice(i + 1, close === -1 ? undefined : close);
      i = close === -1 ? pattern.length : close + 1;
    } else if (FIELD_LETTERS.includes(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      if (literal) pieces.push(literal);
      literal = '';
      pieces.push({ field: pattern.slice(i, j) });
      i = j;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal) pieces.push(literal);
  if (compiled.size > 500) compiled.clear();
  compiled.set(pattern, pieces);
  return pieces;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function formatPattern(pieces: Piece[], f: Fields, locale: string): string {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      out += piece;
      continue;
    }
    const token = piece.field;
    const n = token.length;
    switch (token[0]) {
      case 'd':
        out += pad(f.day, Math.min(n, 2));
        break;
      case 'M':
        out += n >= 4 ? monthNames(locale, 'long')[f.month - 1] : n === 3 ? monthNames(locale, 'short')[f.month - 1] : pad(f.month, n);
        break;
      case 'y':
        out += n === 2 ? pad(f.year % 100, 2) : pad(f.year, n);
        break;
      case 'E':
        out += weekdayNames(locale, n >= 4 ? 'long' : 'short')[f.weekday];
        break;
      case 'H':
        out += pad(f.hour, Math.min(n, 2));
        break;
      case 'h':
        out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, Math.min(n, 2));
        break;
      case 'm':
        out += pad(f.minute, Math.min(n, 2));
        break;
      case 's':
        out += pad(f.second, Math.min(n, 2));
        break;
      case 'a':
        out += dayPeriods(locale)[f.hour < 12 ? 0 : 1];
        break;
      default:
        // Fields hold only FIELD_LETTERS and are never empty: nothing else reaches here.
        break;
    }
  }
  return out;
}
