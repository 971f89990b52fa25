import { LineIndex, type Range } from '../../variables/diagnostics';
import { editorSpec, refuse, type EditResult } from './edits';
import { readStartTag } from './tags';
import { writeMm } from './units';

/**
 * The palette's insertion: the element's `editor.insert` markup (its definition) with the point clicked
 * filled in, put on its own line just before the `</page>` of the page clicked, indented like the page's
 * content. Pure and browser-safe.
 */
export const INSERTABLE: readonly string[] = ['text', 'image', 'qr', 'line', 'rect', 'link', 'table'].filter((n) => editorSpec(n)?.insert);

export function insertElement(
  source: string,
  kind: string,
  at: { x: number; y: number },
  options: { page?: Range; asset?: string } = {},
): EditResult & { offset?: number } {
  const spec = editorSpec(kind)?.insert;
  if (!spec) return refuse('canvas.fixed', { reason: `<${kind}>` }, `A <${kind}> cannot be placed from the palette.`);
  const lines = new LineIndex(source);
  const pageStart = options.page ? lines.offset(options.page.start) : source.search(/<page[\s>/]/);
  const tag = pageStart >= 0 ? readStartTag(source, pageStart) : undefined;
  const close = tag && tag.name === 'page' && !tag.selfClosing ? source.indexOf('</page>', tag.end) : -1;
  if (close < 0) return refuse('canvas.noPage', {}, 'The template has no <page> to put it on.');
  const markup = spec.markup
    .replaceAll('{x}', writeMm(at.x))
    .replaceAll('{y}', writeMm(at.y))
    .replaceAll('{right}', writeMm(at.x + spec.width))
    .replaceAll('{bottom}', writeMm(at.y + spec.height))
    .replaceAll('{asset}', options.asset ?? 'logo');
  const lineStart = source.lastIndexOf('\n', close - 1) + 1;
  const before = source.slice(lineStart, close);
  const text = /^[ \t]*$/.test(before)
    ? // `</page>` on its own line: a new line above it, one step deeper.
      { start: lineStart, text: `${before}  ${markup}\n` }
    : { start: close, text: `\n${/^[ \t]*/.exec(before)![0]}  ${markup}\n` };
  return {
    ok: true,
    edits: [{ start: text.start, end: text.start, text: text.text }],
    changed: { [kind]: [undefined, markup] },
    offset: text.start + text.text.indexOf('<'),
  };
}
