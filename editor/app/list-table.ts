import { html, type TemplateResult } from 'lit';
import { tr } from './messages';

/** A column's heading; a `hidden` one is read by screen readers only (the actions column). */
export type ListColumn = string | TemplateResult | { hidden: string };

const isHidden = (c: ListColumn): c is { hidden: string } => typeof c === 'object' && 'hidden' in c;

/**
 * The lists of the admin screens, all one way, so that they read and behave alike: a status while the
 * items are on their way, a sentence when there are none, else a table that scrolls sideways on a narrow
 * window, its headings scoped to their columns.
 */
export function listTable<T>(
  items: readonly T[] | undefined,
  options: { empty: unknown; columns: readonly ListColumn[]; row: (item: T) => unknown; className?: string },
): TemplateResult {
  if (items === undefined) return html`<p role="status">${tr('app.loading')}</p>`;
  if (items.length === 0) return html`<p>${options.empty}</p>`;
  return html`<div class="table-scroll">
    <table class=${options.className ?? 'list'}>
      <thead>
        <tr>
          ${options.columns.map((c) =>
            isHidden(c) ? html`<th scope="col"><span class="visually-hidden">${c.hidden}</span></th>` : html`<th scope="col">${c}</th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${items.map((item) => options.row(item))}
      </tbody>
    </table>
  </div>`;
}
