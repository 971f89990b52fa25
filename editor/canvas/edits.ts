import { LineIndex, type Range } from '../../variables/diagnostics';
import { DEFINITIONS, type ElementName } from '../../templates/elements/definitions';
import type { EditorSpec } from '../../templates/elements/definition';
import type { MessageKey } from '../i18n';
import type { CanvasMessageKey } from './messages';
import { isComputed, tagAt, type StartTag, type TagAttribute } from './tags';
import { lengthToMm, readWrittenLength, writeLengthLike, writeMm } from './units';

/**
 * Every change made on the canvas, as the smallest edit of the source: only the attribute values that
 * change are rewritten (or one attribute added), everything else stays byte for byte. The source stays
 * the truth: a value Liquid computes is refused with the reason, never overwritten. Pure and browser-safe;
 * the editor applies the edits as one Monaco edit (editor/canvas/apply.ts), so one change is one undo.
 */
export interface SourceEdit {
  /** Offsets in the source; `start === end` inserts. */
  start: number;
  end: number;
  text: string;
}

export interface Refusal {
  ok: false;
  /** A key of the UI strings (editor/i18n.ts or editor/canvas/messages.ts). */
  reason: MessageKey | CanvasMessageKey;
  params: Readonly<Record<string, string | number>>;
  /** The same in English, for logs and tests. */
  message: string;
}

export interface Edited {
  ok: true;
  edits: SourceEdit[];
  /** The attributes rewritten, old and new text (absent old: added). */
  changed: Record<string, readonly [string | undefined, string]>;
}

export type EditResult = Edited | Refusal;

export interface PageSizeMm {
  width: number;
  height: number;
}

export function refuse(reason: MessageKey | CanvasMessageKey, params: Record<string, string | number>, message: string): Refusal {
  return { ok: false, reason, params, message };
}

/** The editor spec of an element (its definition's `editor`), undefined for what the canvas cannot handle. */
export function editorSpec(name: string): EditorSpec | undefined {
  return Object.hasOwn(DEFINITIONS, name) ? (DEFINITIONS[name as ElementName] as { editor?: EditorSpec }).editor : undefined;
}

/** Attributes measured along the page's height (for percentages); the others go along its width. */
const VERTICAL = new Set(['y', 'y1', 'y2', 'height', 'bottom', 'continue-y']);
export const pageAxisMm = (attribute: string, page: PageSizeMm | undefined): number | undefined =>
  page ? (VERTICAL.has(attribute) ? page.height : page.width) : undefined;

/** The element whose start tag is at `range`, or the refusal that says nothing starts there. */
export function elementAt(source: string, range: Range, lines?: LineIndex): StartTag | Refusal {
  const tag = tagAt(source, range, lines);
  if (tag) return tag;
  const { line, column } = range.start;
  return refuse('move.notFound', { line, column }, `No element starts at line ${line}, column ${column} of the source.`);
}

/** An attribute as a length in mm, or why the canvas may not change it. */
export function lengthOf(
  tag: StartTag,
  name: string,
  page: PageSizeMm | undefined,
): { attribute: TagAttribute; mm: number; written: NonNullable<ReturnType<typeof readWrittenLength>> } | Refusal {
  const a = tag.attributes.find((b) => b.name === name);
  if (!a) return refuse('move.missing', { attribute: name }, `The element has no ${name} attribute to change.`);
  if (isComputed(tag, a))
    return refuse('move.liquid', { attribute: name }, `The ${name} attribute is computed by Liquid; edit it in the source.`);
  const written = readWrittenLength(a.value);
  if (!written) return refuse('move.notLength', { attribute: name }, `The ${name} attribute is not a plain length.`);
  const mm = lengthToMm(written, pageAxisMm(name, page));
  if (mm === undefined)
    return refuse('move.percent', { attribute: name }, `The ${name} attribute is a percentage and the page size is unknown.`);
  return { attribute: a, mm, written };
}

/** A change of one length attribute: by a number of millimetres, or to a value in millimetres. */
export interface LengthChange {
  attribute: string;
  by?: number;
  to?: number;
  /** When the attribute is absent: the value (mm) it has now (a text's height follows its lines); it is added. */
  whenAbsent?: number;
}

/** Rewrites lengths of one element, each in the unit it was written in; all or nothing. */
export function changeLengths(source: string, range: Range, changes: readonly LengthChange[], page?: PageSizeMm): EditResult {
  const tag = elementAt(source, range);
  if ('ok' in tag) return tag;
  return changeTagLengths(tag, changes, page);
}

export function changeTagLengths(tag: StartTag, changes: readonly LengthChange[], page?: PageSizeMm): EditResult {
  const edits: SourceEdit[] = [];
  const changed: Edited['changed'] = {};
  const adds: string[] = [];
  for (const c of changes) {
    const present = tag.attributes.some((a) => a.name === c.attribute);
    if (!present && c.whenAbsent !== undefined) {
      if (c.to === undefined && !c.by) continue;
      if (!tag.duplicated.has(c.attribute)) {
        const mm = c.to ?? c.whenAbsent + (c.by ?? 0);
        const text = writeMm(mm);
        adds.push(` ${c.attribute}="${text}"`);
        changed[c.attribute] = [undefined, text];
        continue;
      }
    }
    const current = lengthOf(tag, c.attribute, page);
    if ('ok' in current) return current;
    const mm = c.to ?? current.mm + (c.by ?? 0);
    if (c.to === undefined && !c.by) continue;
    const text = writeLengthLike(current.written, mm, pageAxisMm(c.attribute, page));
    if (text === undefined)
      return refuse(
        'move.percent',
        { attribute: c.attribute },
        `The ${c.attribute} attribute is a percentage and the page size is unknown.`,
      );
    if (text === current.attribute.value) continue;
    edits.push({ start: current.attribute.valueStart, end: current.attribute.valueEnd, text });
    changed[c.attribute] = [current.attribute.value, text];
  }
  if (adds.length) edits.push({ start: tag.insertAt, end: tag.insertAt, text: adds.join('') });
  return { ok: true, edits, changed };
}

/** Escapes a value for a double- or single-quoted attribute (the markup is XML). */
function escapeValue(value: string, quote: string): string {
  const text = value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return quote === '"' ? text.replace(/"/g, '&quot;') : text.replace(/'/g, '&apos;');
}

/**
 * Sets attributes to text values (undefined removes one), as typed in the property panel: a present one
 * has its value replaced in its own quotes, a new one is added at the end of the tag.
 */
export function setAttributes(source: string, range: Range, values: Readonly<Record<string, string | undefined>>): EditResult {
  const tag = elementAt(source, range);
  if ('ok' in tag) return tag;
  const edits: SourceEdit[] = [];
  const changed: Edited['changed'] = {};
  let added = '';
  for (const [name, value] of Object.entries(values)) {
    const a = tag.attributes.find((b) => b.name === name);
    if (a && isComputed(tag, a))
      return refuse('move.liquid', { attribute: name }, `The ${name} attribute is computed by Liquid; edit it in the source.`);
    if (value === undefined) {
      if (!a) continue;
      // The attribute and the spaces before it go; the rest of the tag stays as written.
      let start = a.start;
      while (start > 0 && /[ \t]/.test(source[start - 1]!)) start--;
      edits.push({ start, end: a.valueEnd + 1, text: '' });
      changed[name] = [a.value, ''];
      continue;
    }
    if (a) {
      const quote = source[a.valueStart - 1]!;
      const text = escapeValue(value, quote);
      if (text === a.value) continue;
      edits.push({ start: a.valueStart, end: a.valueEnd, text });
      changed[name] = [a.value, text];
    } else {
      const text = escapeValue(value, '"');
      added += ` ${name}="${text}"`;
      changed[name] = [undefined, text];
    }
  }
  if (added) edits.push({ start: tag.insertAt, end: tag.insertAt, text: added });
  return { ok: true, edits, changed };
}

/** The source with edits applied (they must not overlap); what the editor checks Monaco now holds. */
export function applyEdits(source: string, edits: readonly SourceEdit[]): string {
  let out = source;
  for (const e of [...edits].sort((p, q) => q.start - p.start || q.end - p.end)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Several elements' results as one change (an alignment): the first refusal wins, edits are merged. */
export function combine(results: readonly EditResult[]): { ok: true; edits: SourceEdit[] } | Refusal {
  const edits: SourceEdit[] = [];
  for (const r of results) {
    if (!r.ok) return r;
    edits.push(...r.edits);
  }
  return { ok: true, edits };
}
