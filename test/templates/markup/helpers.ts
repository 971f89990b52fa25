import { LineIndex, type Diagnostic, type Range } from '../../../variables/diagnostics';
import { parseMarkup, type InlineNode, type MarkupResult } from '../../../templates/markup';

/** Parses with positions in the markup itself (the template is the markup). */
export function parse(markup: string): MarkupResult & { at(d: Diagnostic | undefined): string } {
  const lines = new LineIndex(markup);
  const result = parseMarkup({ markup, locate: (start, end) => lines.range(start, end) });
  return { ...result, at: (d) => (d?.range ? markup.slice(lines.offset(d.range.start), lines.offset(d.range.end)) : '(no range)') };
}

export function codes(markup: string): string[] {
  return parse(markup).diagnostics.map((d) => d.code);
}

/** A page around some elements. */
export function page(body: string): string {
  return `<page>\n${body}\n</page>`;
}

export function text(inner: string, attributes = ''): string {
  return page(`<text x="10mm" y="10mm" width="100mm"${attributes ? ' ' + attributes : ''}>${inner}</text>`);
}

/** Drops ranges so trees compare by content. */
export function bare(nodes: InlineNode[]): unknown {
  return JSON.parse(JSON.stringify(nodes, (k: string, v: unknown) => (k === 'range' ? undefined : v)));
}

export type { Range };
