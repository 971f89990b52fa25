import { LineIndex, type Range } from '../../variables/diagnostics';

/**
 * The start tag of an element in the template source, read where the renderer says the element was
 * written (its drawn box's `range`), with the offsets of each attribute: what a change on the canvas
 * rewrites. Pure and browser-safe.
 */
export interface TagAttribute {
  name: string;
  /** Offset of the attribute's name (the start of what a removal takes away). */
  start: number;
  /** Offsets of the value, inside the quotes. */
  valueStart: number;
  valueEnd: number;
  value: string;
}

export interface StartTag {
  name: string;
  /** Offset of the `<`. */
  start: number;
  /** Offset just past the `>`. */
  end: number;
  attributes: TagAttribute[];
  /** Attributes written more than once (e.g. in two Liquid branches): which one applies is not ours to tell. */
  duplicated: ReadonlySet<string>;
  /** Where a new attribute goes: after the last thing written in the tag, before `/>` or `>`. */
  insertAt: number;
  selfClosing: boolean;
}

/**
 * Reads the start tag at `offset`. Liquid between attributes (`{% if %} …`) is skipped over; the tag is
 * undefined when it is not one (an unclosed quote, text that is not an attribute).
 */
export function readStartTag(source: string, offset: number): StartTag | undefined {
  const head = /<([A-Za-z][\w-]*)/y;
  head.lastIndex = offset;
  const m = head.exec(source);
  if (!m) return undefined;
  const attributes: TagAttribute[] = [];
  const duplicated = new Set<string>();
  let i = head.lastIndex;
  let insertAt = i;
  const attr = /([A-Za-z_:][\w:.-]*)\s*=\s*(["'])/y;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '>' || source.startsWith('/>', i)) {
      const selfClosing = c === '/';
      return { name: m[1]!, start: offset, end: i + (selfClosing ? 2 : 1), attributes, duplicated, insertAt, selfClosing };
    }
    if (source.startsWith('{%', i) || source.startsWith('{{', i)) {
      const close = source.indexOf(source[i + 1] === '%' ? '%}' : '}}', i + 2);
      if (close < 0) return undefined;
      i = close + 2;
      insertAt = i;
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
    attributes.push({ name, start: i, valueStart, valueEnd, value: source.slice(valueStart, valueEnd) });
    i = valueEnd + 1;
    insertAt = i;
  }
  return undefined;
}

/** The start tag at a range's start (1-based line and column, as the renderer reports it). */
export function tagAt(source: string, range: Range, lines = new LineIndex(source)): StartTag | undefined {
  const offset = lines.offset(range.start);
  if (lines.position(offset).line !== range.start.line) return undefined;
  return readStartTag(source, offset);
}

/** True when Liquid decides the value: the canvas cannot rewrite it without changing what the designer meant. */
export function isComputed(tag: StartTag, attribute: TagAttribute): boolean {
  return tag.duplicated.has(attribute.name) || attribute.value.includes('{{') || attribute.value.includes('{%');
}
