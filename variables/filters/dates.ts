import { didYouMean } from '../suggest';
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
  // A format the filter cannot read is the template's mistake, not the data's: it stops the document
  // rather than print "longg" or "DD/03/YYYY" on it.
  if (typeof format === 'string') {
    const problem = dateFormatProblem(format);
    if (problem) throw new DateFormatError(format, problem);
  }
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

/**
 * Why a date format cannot be read, and the format that was most likely meant:
 * - `style`: a word that is no style ("longg", "lang"): a misspelt "long";
 * - `letters`: a pattern with letters that are no pattern letters ("DD/MM/YYYY", "d de MMMM"): they would
 *   print as they are, so they must be quoted ('de') or written in the right case (dd, yyyy);
 * - `strftime`: a `%d %B %Y` format (PHP, Moodle, Jekyll), which Attest does not read: its pattern is proposed.
 */
export interface DateFormatProblem {
  kind: 'style' | 'letters' | 'strftime';
  /** For `letters`: the offending letters, once each, in order. */
  letters?: string;
  suggestion?: string;
}

/** Letters designers write for the pattern letters (spreadsheets and moment.js say YYYY and DD). */
const LETTER_CASE: Readonly<Record<string, string>> = { Y: 'y', D: 'd', S: 's' };

/** strftime directives and the pattern letters that print the same. */
const STRFTIME: Readonly<Record<string, string>> = {
  d: 'dd',
  e: 'd',
  m: 'MM',
  B: 'MMMM',
  b: 'MMM',
  h: 'MMM',
  Y: 'yyyy',
  y: 'yy',
  A: 'EEEE',
  a: 'EEE',
  H: 'HH',
  I: 'hh',
  M: 'mm',
  S: 'ss',
  p: 'a',
};

export function dateFormatProblem(format: string): DateFormatProblem | undefined {
  if (isStyle(format)) return undefined;
  if (/%[A-Za-z%]/.test(format)) {
    const suggestion = strftimeToPattern(format);
    return suggestion === undefined ? { kind: 'strftime' } : { kind: 'strftime', suggestion };
  }
  const all = unquotedLetters(format);
  // A pattern without a single field ("", "--", "'le'") prints no date at all.
  if (all.length === 0) return { kind: 'style' };
  const bad = all.filter((c) => !FIELD_LETTERS.includes(c));
  if (bad.length === 0) return undefined;
  const letters = [...new Set(bad)].join('');
  const fixed = repairPattern(format);
  // A lone word is a style name, misspelt, unless it is pattern letters in the wrong case ("YYYY").
  if (/^[A-Za-z]+$/.test(format)) {
    const guess = didYouMean(format, DATE_STYLES);
    if (guess) return { kind: 'style', suggestion: guess };
    if (!/^(.)\1*$/.test(format)) return { kind: 'style' };
  }
  return fixed === format ? { kind: 'letters', letters } : { kind: 'letters', letters, suggestion: fixed };
}

/**
 * The pattern most likely meant: a run of one letter in the wrong case is put in the right one (DD → dd,
 * YYYY → yyyy); any other word holding a letter that is no pattern letter is text, so it is quoted
 * (d de MMMM → d 'de' MMMM).
 */
function repairPattern(pattern: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === "'") quoted = !quoted;
    if (quoted || !/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let j = i;
    while (j < pattern.length && /[A-Za-z]/.test(pattern[j]!)) j++;
    const word = pattern.slice(i, j);
    i = j;
    if ([...word].every((l) => FIELD_LETTERS.includes(l))) out += word;
    else if (/^(.)\1*$/.test(word) && LETTER_CASE[word[0]!]) out += LETTER_CASE[word[0]!]!.repeat(word.length);
    else out += `'${word}'`;
  }
  return out;
}

/** The ASCII letters of a pattern outside its quotes: the ones read as fields. */
function unquotedLetters(pattern: string): string[] {
  const out: string[] = [];
  mapUnquoted(pattern, (c) => {
    if (/[A-Za-z]/.test(c)) out.push(c);
    return c;
  });
  return out;
}

function mapUnquoted(pattern: string, f: (c: string) => string): string {
  let out = '';
  let quoted = false;
  for (const c of pattern) {
    if (c === "'") quoted = !quoted;
    out += quoted || c === "'" ? c : f(c);
  }
  return out;
}

/** The pattern a strftime format means, or undefined when it uses a directive without one. */
function strftimeToPattern(format: string): string | undefined {
  let out = '';
  let literal = '';
  const flush = (): void => {
    // Literal letters are quoted so that they print as written ('' is a quote).
    if (literal) out += /[A-Za-z']/.test(literal) ? `'${literal.replace(/'/g, "''")}'` : literal;
    literal = '';
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      literal += c;
      continue;
    }
    const d = format[++i];
    if (d === '%') {
      literal += '%';
      continue;
    }
    const letters = d === undefined ? undefined : STRFTIME[d];
    if (!letters) return undefined;
    flush();
    out += letters;
  }
  flush();
  return out;
}

/** Thrown by the date filters on a format they cannot read; the Liquid stage reports it with its code. */
export class DateFormatError extends Error {
  readonly code = 'DATE_FORMAT_UNKNOWN';
  constructor(
    readonly format: string,
    readonly problem: DateFormatProblem,
  ) {
    super(dateFormatMessage(format, problem).en);
    this.name = 'DateFormatError';
  }
}

/** What is wrong with a date format, in the designer's words (English and French). */
export function dateFormatMessage(format: string, p: DateFormatProblem): { en: string; fr: string } {
  const f = JSON.stringify(format);
  const styles = DATE_STYLES.map((s) => `"${s}"`).join(', ');
  const mean = p.suggestion ? { en: ` Did you mean "${p.suggestion}"?`, fr: ` Vouliez-vous dire "${p.suggestion}" ?` } : { en: '', fr: '' };
  switch (p.kind) {
    case 'style':
      return {
        en: `${f} is not a date format: use ${styles}, or a pattern such as "dd/MM/yyyy".${mean.en}`,
        fr: `${f} n’est pas un format de date : utilisez ${styles}, ou un motif comme "dd/MM/yyyy".${mean.fr}`,
      };
    case 'letters':
      return {
        en: `In the date pattern ${f}, ${[...(p.letters ?? '')].map((c) => `"${c}"`).join(', ')} ${(p.letters ?? '').length > 1 ? 'are no pattern letters' : 'is no pattern letter'} (d, M, y, E, H, h, m, s, a): they would print as they are. Quote text ('le'), or write the letter in its case (dd, yyyy).${mean.en}`,
        fr: `Dans le motif de date ${f}, ${[...(p.letters ?? '')].map((c) => `"${c}"`).join(', ')} ${(p.letters ?? '').length > 1 ? 'ne sont pas des lettres de motif' : 'n’est pas une lettre de motif'} (d, M, y, E, H, h, m, s, a) : ${(p.letters ?? '').length > 1 ? 'elles s’imprimeraient' : 'elle s’imprimerait'} telle quelle. Mettez le texte entre apostrophes ('le'), ou écrivez la lettre dans sa casse (dd, yyyy).${mean.fr}`,
      };
    case 'strftime':
      return {
        en: `${f} is a strftime format (%d, %B, %Y); Attest reads styles (${styles}) and patterns such as "dd MMMM yyyy".${mean.en}`,
        fr: `${f} est un format strftime (%d, %B, %Y) ; Attest lit les styles (${styles}) et les motifs comme "dd MMMM yyyy".${mean.fr}`,
      };
  }
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
