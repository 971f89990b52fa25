import { LineIndex, type Range } from '../../variables/diagnostics';
import { PT_PER_IN, PT_PER_MM, type Unit } from '../../templates/layout/units';
import { isElementName, MOVABLE, VOCABULARY } from '../../templates/markup/vocabulary';
import type { MessageKey } from '../i18n';

/**
 * Moving an element from the preview: the designer drags a box, and its new position is written back into
 * the template source, in the unit the designer wrote, so the source stays theirs. Only literal lengths are
 * rewritten; a position computed by Liquid (`x="{{ left }}mm"`) or absent is refused with a reason, since
 * guessing would change what the designer meant.
 *
 * Pure: no DOM, no Monaco; the preview and the tests call it the same way.
 */
export interface MoveRefusal {
  ok: false;
  /** A key of the UI strings (editor/i18n.ts), so the app shows the reason in the designer's language. */
  reason: MessageKey;
  params: Readonly<Record<string, string | number>>;
  /** The same reason in English, for logs and tests. */
  message: string;
}

export interface MoveSuccess {
  ok: true;
  source: string;
  /** The attributes rewritten, old and new text, e.g. { x: ['20mm', '30mm'] }. */
  changed: Readonly<Record<string, readonly [string, string]>>;
}

export type MoveResult = MoveSuccess | MoveRefusal;

export interface PageSizeMm {
  width: number;
  height: number;
}

/** What the markup reader accepts as a length (templates/markup/values.ts), keeping how it was written. */
const LENGTH = /^(\s*)([-+]?(?:\d+(?:\.\d*)?|\.\d+))(\s*)(mm|cm|in|pt|%)?(\s*)$/i;

/** Rounding per unit: about a tenth of a millimetre, which is finer than a hand can drag. */
const STEP: Record<Unit, number> = { mm: 0.1, cm: 0.01, in: 0.01, pt: 0.1, '%': 0.01 };

/**
 * The kinds of drawn boxes a designer may drag: the elements whose definition says how they move
 * (templates/elements/<name>/definition.ts, `editor.move`).
 */
export const MOVABLE_KINDS: ReadonlySet<string> = MOVABLE;

/** A tag the definitions do not know (or cannot move) is moved by x and y, and refused if it has none. */
const DEFAULT_AXES = { h: ['x'], v: ['y'] } as const;

interface Attribute {
  name: string;
  /** Offsets of the value, inside the quotes. */
  valueStart: number;
  valueEnd: number;
  value: string;
}

function refuse(reason: MessageKey, params: Record<string, string | number>, message: string): MoveRefusal {
  return { ok: false, reason, params, message };
}

/**
 * Reads the start tag at `offset`: its name and quoted attributes. Liquid tags between attributes
 * (`{% if %} …`) are skipped over; an attribute that appears twice (e.g. in two Liquid branches) is
 * reported as such, since we could not tell which one applies.
 */
function readStartTag(source: string, offset: number): { name: string; attributes: Attribute[]; duplicated: Set<string> } | undefined {
  const head = /<([A-Za-z][\w-]*)/y;
  head.lastIndex = offset;
  const m = head.exec(source);
  if (!m) return undefined;
  const attributes: Attribute[] = [];
  const duplicated = new Set<string>();
  let i = head.lastIndex;
  const attr = /([A-Za-z_:][\w:.-]*)\s*=\s*(["'])/y;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '>' || source.startsWith('/>', i)) break;
    if (source.startsWith('{%', i) || source.startsWith('{{', i)) {
      const close = source.indexOf(source[i + 1] === '%' ? '%}' : '}}', i + 2);
      if (close < 0) return undefined;
      i = close + 2;
      continue;
    }
    attr.lastIndex = i;
    const a = attr.exec(source);
    if (!a) return undefined;
    const quote = a[2]!;
    const valueStart = attr.lastIndex;
    const valueEnd = source.indexOf(quote, valueStart);
    if (valueEnd < 0) return undefined;
    const name = a[1]!;
    if (attributes.some((b) => b.name === name)) duplicated.add(name);
    attributes.push({ name, valueStart, valueEnd, value: source.slice(valueStart, valueEnd) });
    i = valueEnd + 1;
  }
  return { name: m[1]!, attributes, duplicated };
}

function format(value: number, unit: Unit): string {
  const step = STEP[unit];
  const decimals = Math.max(0, Math.round(-Math.log10(step)));
  const rounded = Math.round(value / step) * step;
  // toFixed then trim: "30.000" → "30", "12.50" → "12.5"; never "-0".
  const text = rounded.toFixed(decimals).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/** `delta` millimetres in `unit`; percentages are of the page dimension along that axis. */
function mmIn(unit: Unit, delta: number, pageMm: number | undefined): number | undefined {
  switch (unit) {
    case 'mm':
      return delta;
    case 'cm':
      return delta / 10;
    case 'in':
      return (delta * PT_PER_MM) / PT_PER_IN;
    case 'pt':
      return delta * PT_PER_MM;
    case '%':
      return pageMm ? (delta / pageMm) * 100 : undefined;
  }
}

/**
 * Moves the element whose start tag begins at `range.start` by (dxMm, dyMm), x to the right and y down
 * (as markup measures them). `page` is needed only for positions written in percent.
 */
export function moveElement(source: string, range: Range, dxMm: number, dyMm: number, page?: PageSizeMm): MoveResult {
  const lines = new LineIndex(source);
  const offset = lines.offset(range.start);
  const { line, column } = range.start;
  const tag = lines.position(offset).line === line ? readStartTag(source, offset) : undefined;
  if (!tag) return refuse('move.notFound', { line, column }, `No element starts at line ${line}, column ${column} of the source.`);

  const axes = (isElementName(tag.name) ? VOCABULARY[tag.name].move : undefined) ?? DEFAULT_AXES;
  const edits: { start: number; end: number; text: string; name: string; old: string }[] = [];
  for (const [names, delta, pageMm] of [
    [axes.h, dxMm, page?.width],
    [axes.v, dyMm, page?.height],
  ] as const) {
    for (const name of names) {
      const a = tag.attributes.find((b) => b.name === name);
      if (!a) return refuse('move.missing', { attribute: name }, `The element has no ${name} attribute to change.`);
      if (tag.duplicated.has(name) || a.value.includes('{{') || a.value.includes('{%')) {
        return refuse('move.liquid', { attribute: name }, `The ${name} attribute is computed by Liquid; edit it in the source.`);
      }
      const m = LENGTH.exec(a.value);
      if (!m) return refuse('move.notLength', { attribute: name }, `The ${name} attribute is not a plain length.`);
      if (delta === 0) continue;
      // A bare number is millimetres (templates/markup/values.ts readLength).
      const unit = (m[4]?.toLowerCase() ?? 'mm') as Unit;
      const shift = mmIn(unit, delta, pageMm);
      if (shift === undefined)
        return refuse('move.percent', { attribute: name }, `The ${name} attribute is a percentage and the page size is unknown.`);
      const next = format(Number(m[2]) + shift, unit);
      // Keep the designer's spacing and the unit as written ("20 MM" stays upper case).
      const text = `${m[1]}${next}${m[3]}${m[4] ?? ''}${m[5]}`;
      edits.push({ start: a.valueStart, end: a.valueEnd, text, name, old: a.value });
    }
  }
  let out = source;
  const changed: Record<string, readonly [string, string]> = {};
  for (const e of [...edits].sort((p, q) => q.start - p.start)) {
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    changed[e.name] = [e.old, e.text];
  }
  return { ok: true, source: out, changed };
}
