/**
 * Where a cursor is in the certificate markup of a body whose Liquid has been blanked (regions.ts): in an
 * element name, an attribute name, an attribute value, or in content. Offsets are 0-based in the body.
 */
export type MarkupCursor =
  | { kind: 'content'; parent: string | undefined }
  | { kind: 'element'; prefix: string; start: number; closing: boolean; parent: string | undefined }
  | { kind: 'attribute'; element: string; prefix: string; start: number; written: string[] }
  | { kind: 'value'; element: string; attribute: string; prefix: string; start: number; quote: string };

/** A complete attribute: a value still being typed is not one. */
const ATTRIBUTE = /\s+([\w:-]+)\s*=\s*(?:"[^"]*"|'[^']*')/y;

export function markupCursor(masked: string, offset: number): MarkupCursor {
  const before = masked.slice(0, offset);
  const lt = before.lastIndexOf('<');
  const gt = before.lastIndexOf('>');
  const commentOpen = before.lastIndexOf('<!--');
  if (commentOpen >= 0 && before.indexOf('-->', commentOpen) < 0) return { kind: 'content', parent: undefined };
  if (lt < 0 || lt < gt) return { kind: 'content', parent: openElement(before) };
  const tag = before.slice(lt);
  const name = /^<(\/?)([\w-]*)$/.exec(tag);
  if (name)
    return {
      kind: 'element',
      prefix: name[2]!,
      start: lt + 1 + name[1]!.length,
      closing: name[1] === '/',
      parent: openElement(before.slice(0, lt)),
    };
  const element = /^<([\w-]+)/.exec(tag)?.[1];
  if (!element) return { kind: 'content', parent: openElement(before) };
  // Walk the complete attributes; what is left is what the cursor is in.
  const written: string[] = [];
  ATTRIBUTE.lastIndex = element.length + 1;
  let rest = element.length + 1;
  for (let m = ATTRIBUTE.exec(tag); m; m = ATTRIBUTE.exec(tag)) {
    written.push(m[1]!);
    rest = ATTRIBUTE.lastIndex;
  }
  const tail = tag.slice(rest);
  const value = /^\s+([\w:-]+)\s*=\s*(["'])([^"']*)$/.exec(tail);
  if (value) {
    const prefix = value[3]!;
    return { kind: 'value', element, attribute: value[1]!, prefix, start: offset - prefix.length, quote: value[2]! };
  }
  const attr = /^\s+([\w:-]*)$/.exec(tail);
  if (attr) {
    const prefix = attr[1]!;
    return { kind: 'attribute', element, prefix, start: offset - prefix.length, written };
  }
  // Right after a closing quote, or in a tag that is not well formed: nothing to offer.
  return { kind: 'content', parent: element };
}

/** The innermost element still open at the end of `text` (undefined at the top level). */
export function openElement(text: string): string | undefined {
  const stack: string[] = [];
  const tags = /<!--[\s\S]*?-->|<(\/?)([\w-]+)(?:\s[^<>]*?)?(\/?)>/g;
  for (const m of text.matchAll(tags)) {
    const name = m[2];
    if (!name) continue;
    if (m[1]) {
      const at = stack.lastIndexOf(name);
      if (at >= 0) stack.length = at;
    } else if (!m[3]) stack.push(name);
  }
  return stack[stack.length - 1];
}

/** The element or attribute name under a cursor, for hover. */
export type MarkupWord =
  | { kind: 'element'; name: string; start: number; end: number }
  | { kind: 'attribute'; element: string; name: string; start: number; end: number };

export function markupWordAt(masked: string, offset: number): MarkupWord | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && /[\w-]/.test(masked[start - 1]!)) start--;
  while (end < masked.length && /[\w-]/.test(masked[end]!)) end++;
  if (start === end) return undefined;
  const name = masked.slice(start, end);
  if (masked[start - 1] === '<' || (masked[start - 1] === '/' && masked[start - 2] === '<')) return { kind: 'element', name, start, end };
  const cursor = markupCursor(masked, start);
  if (cursor.kind === 'attribute' && /^\s*=/.test(masked.slice(end)))
    return { kind: 'attribute', element: cursor.element, name, start, end };
  return undefined;
}
