import { PAPER_SIZES_MM, toPoints as lengthToPoints } from '../layout/units';
import { didYouMean } from '../../variables/suggest';
import type { Box, Color, Length, PageSize, Unit } from './types';
import type { ValueType, ValueTypes } from './vocabulary';

/**
 * Reading attribute values as designers write them. Each reader returns the value, or a sentence saying
 * what was expected, which the parser turns into MARKUP_INVALID_VALUE.
 */
export type ValueResult<T> = { ok: true; value: T } | { ok: false; expected: string; suggestion?: string };

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const LENGTH = /^([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(mm|cm|in|pt|%)?$/i;
const SEPARATOR = /[\s,]+/;

export const NAMED_COLORS: Readonly<Record<string, Color>> = {
  black: rgb(0x00, 0x00, 0x00),
  white: rgb(0xff, 0xff, 0xff),
  gray: rgb(0x80, 0x80, 0x80),
  grey: rgb(0x80, 0x80, 0x80),
  red: rgb(0xff, 0x00, 0x00),
  green: rgb(0x00, 0x80, 0x00),
  blue: rgb(0x00, 0x00, 0xff),
  navy: rgb(0x00, 0x00, 0x80),
  maroon: rgb(0x80, 0x00, 0x00),
  gold: rgb(0xff, 0xd7, 0x00),
  silver: rgb(0xc0, 0xc0, 0xc0),
};

function rgb(r: number, g: number, b: number): Color {
  return { r: r / 255, g: g / 255, b: b / 255 };
}

function ok<T>(value: T): ValueResult<T> {
  return { ok: true, value };
}
function fail<T>(expected: string, suggestion?: string): ValueResult<T> {
  return suggestion ? { ok: false, expected, suggestion } : { ok: false, expected };
}

export function readLength(raw: string): Length | undefined {
  const m = LENGTH.exec(raw.trim());
  if (!m) return undefined;
  return { value: Number(m[1]), unit: (m[2]?.toLowerCase() ?? 'mm') as Unit };
}

export function readNumber(raw: string): number | undefined {
  const s = raw.trim();
  return NUMBER.test(s) ? Number(s) : undefined;
}

export function readColor(raw: string): Color | undefined {
  const s = raw.trim().toLowerCase();
  if (s.startsWith('#')) {
    if (/^#[0-9a-f]{3}$/.test(s)) return rgb(parseInt(s[1]! + s[1]!, 16), parseInt(s[2]! + s[2]!, 16), parseInt(s[3]! + s[3]!, 16));
    if (/^#[0-9a-f]{6}$/.test(s)) return rgb(parseInt(s.slice(1, 3), 16), parseInt(s.slice(3, 5), 16), parseInt(s.slice(5, 7), 16));
    return undefined;
  }
  return Object.hasOwn(NAMED_COLORS, s) ? NAMED_COLORS[s] : undefined;
}

function toPoints(raw: string): number | undefined {
  const length = readLength(raw);
  if (!length || length.unit === '%') return undefined;
  // A bare number means points here (font sizes, stroke widths), not millimetres.
  if (!/[a-z%]\s*$/i.test(raw.trim())) return length.value;
  return lengthToPoints(length, 0);
}

function bounds(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return min === 0 ? ' of 0 or more' : ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

const LENGTH_EXAMPLES = 'a length such as 12mm, 1.5in, 2cm, 30pt or 50% (a bare number is mm)';

/** The sentence used both in error messages and in the docs' "value" column. */
export function describeType(type: ValueType): string {
  switch (type.kind) {
    case 'length':
      return type.nonNegative ? `${LENGTH_EXAMPLES}, not negative` : LENGTH_EXAMPLES;
    case 'box':
      return '1 to 4 lengths as in CSS (all · vertical horizontal · top horizontal bottom · top right bottom left)';
    case 'lengths':
      return 'one or more lengths separated by spaces, e.g. "30% 20% 50%"';
    case 'points':
      return `a size in points${bounds(type.min, type.max)} (a bare number is pt; mm, cm and in are converted)`;
    case 'number':
      return `${type.integer ? 'a whole number' : 'a number'}${bounds(type.min, type.max)}`;
    case 'angle':
      return 'an angle in degrees, clockwise, e.g. 90 or -45';
    case 'dash':
      return 'dash and gap lengths in points separated by spaces, e.g. "3 2"';
    case 'color':
      return `a colour: #rgb, #rrggbb or one of ${Object.keys(NAMED_COLORS).join(', ')}`;
    case 'enum':
      return `one of ${type.values.join(', ')}`;
    case 'page-size':
      return `${Object.keys(PAPER_SIZES_MM).join(', ')}, or a width and a height such as "200mm 100mm"`;
    case 'text':
      return type.nonEmpty ? 'some text (not empty)' : 'any text';
    case 'name':
      return `the name of ${type.of === 'asset' ? 'an asset' : 'a font role'} from the front matter`;
    case 'url':
      return 'a web address starting with https:// or http://, or a mailto: address';
  }
}

/** Reads one attribute value according to its type. */
export function readValue<K extends ValueType['kind']>(type: Extract<ValueType, { kind: K }>, raw: string): ValueResult<ValueTypes[K]>;
export function readValue(type: ValueType, raw: string): ValueResult<ValueTypes[keyof ValueTypes]> {
  switch (type.kind) {
    case 'length': {
      const length = readLength(raw);
      if (!length || (type.nonNegative && length.value < 0)) return fail(describeType(type));
      return ok(length);
    }
    case 'box': {
      const parts = raw.trim().split(SEPARATOR).map(readLength);
      if (parts.length < 1 || parts.length > 4 || parts.some((p) => !p)) return fail(describeType(type));
      const [top, right = top, bottom = top, left = right] = parts as Length[];
      return ok<Box>({ top: top!, right: right!, bottom: bottom!, left: left! });
    }
    case 'lengths': {
      const parts = raw.trim().split(SEPARATOR).map(readLength);
      if (parts.length === 0 || parts.some((p) => !p || p.value < 0)) return fail(describeType(type));
      return ok(parts as Length[]);
    }
    case 'points': {
      const pt = toPoints(raw);
      if (pt === undefined || (type.min !== undefined && pt < type.min) || (type.max !== undefined && pt > type.max))
        return fail(describeType(type));
      return ok(pt);
    }
    case 'number': {
      const n = readNumber(raw);
      if (
        n === undefined ||
        (type.integer && !Number.isInteger(n)) ||
        (type.min !== undefined && n < type.min) ||
        (type.max !== undefined && n > type.max)
      ) {
        return fail(describeType(type));
      }
      return ok(n);
    }
    case 'angle': {
      const n = readNumber(raw.trim().replace(/\s*deg$/i, ''));
      return n === undefined ? fail(describeType(type)) : ok(n);
    }
    case 'dash': {
      const parts = raw.trim().split(SEPARATOR).map(readNumber);
      if (parts.length === 0 || parts.some((p) => p === undefined || p < 0) || parts.every((p) => p === 0)) return fail(describeType(type));
      return ok(parts as number[]);
    }
    case 'color': {
      const color = readColor(raw);
      return color
        ? ok(color)
        : fail(describeType(type), raw.startsWith('#') ? undefined : didYouMean(raw.trim(), Object.keys(NAMED_COLORS)));
    }
    case 'enum': {
      if (type.values.includes(raw)) return ok(raw);
      return fail(describeType(type), didYouMean(raw.trim(), type.values));
    }
    case 'page-size':
      return readPageSize(raw);
    case 'text':
      return type.nonEmpty && raw.trim() === '' ? fail(describeType(type)) : ok(raw);
    case 'name': {
      const name = raw.trim();
      return name === '' ? fail(describeType(type)) : ok(name);
    }
    case 'url': {
      const url = readUrl(raw);
      return url === undefined ? fail(describeType(type)) : ok(url);
    }
  }
}

/**
 * An address a reader may be sent to: http(s) with a host, or mailto. Templates are untrusted, so every
 * other scheme (javascript:, file:, data:, a viewer's own) is refused, and so are relative addresses,
 * which a PDF viewer would resolve against wherever the file happens to be.
 */
export function readUrl(raw: string): string | undefined {
  const text = raw.trim();
  // Control characters and spaces inside an address are how schemes get smuggled past a check.
  if (text === '' || /[\u0000-\u0020\u007f]/.test(text)) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'mailto') return text.length > 'mailto:'.length ? text : undefined;
  // "http:/x" is read by URL as http://x/; what is written must already be an absolute address.
  if ((scheme !== 'http' && scheme !== 'https') || !/^https?:\/\/[^/]/i.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  return url.hostname ? text : undefined;
}

function readPageSize(raw: string): ValueResult<PageSize> {
  const s = raw.trim();
  const named = Object.keys(PAPER_SIZES_MM).find((name) => name.toLowerCase() === s.toLowerCase());
  if (named) {
    const [w, h] = PAPER_SIZES_MM[named]!;
    return ok({ width: { value: w, unit: 'mm' }, height: { value: h, unit: 'mm' }, name: named });
  }
  const parts = s.split(/\s*[x×]\s*|\s+/i).map(readLength);
  const [width, height] = parts;
  if (parts.length === 2 && width && height && width.unit !== '%' && height.unit !== '%' && width.value > 0 && height.value > 0)
    return ok({ width, height });
  return fail(describeType({ kind: 'page-size' }), didYouMean(s, Object.keys(PAPER_SIZES_MM)));
}
