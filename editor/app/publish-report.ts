import { html, nothing } from 'lit';
import type { Diagnostic, Range } from '../../variables/diagnostics';
import { AppElement } from './base';
import { tr } from './messages';

/** What publishing found: what blocks it, and what would show on every document issued from the version. */
export interface PublishFindings {
  errors: readonly Diagnostic[];
  warnings: readonly Diagnostic[];
}

export const NO_FINDINGS: PublishFindings = { errors: [], warnings: [] };

const diagnostics = (value: unknown): Diagnostic[] =>
  Array.isArray(value) ? (value as Diagnostic[]).filter((d) => typeof d?.code === 'string' && typeof d.message === 'string') : [];

/**
 * The findings of a publish answer: a 201's `warnings`, or a 422's `details.errors` and `details.warnings`
 * (a server from before they came apart sends `details.diagnostics`: split here by severity).
 */
export function publishFindings(answer: { warnings?: unknown; details?: Readonly<Record<string, unknown>> }): PublishFindings {
  const details = answer.details;
  if (details && (details['errors'] !== undefined || details['warnings'] !== undefined))
    return { errors: diagnostics(details['errors']), warnings: diagnostics(details['warnings']) };
  const all = details ? diagnostics(details['diagnostics']) : diagnostics(answer.warnings);
  return { errors: all.filter((d) => d.severity === 'error'), warnings: all.filter((d) => d.severity !== 'error') };
}

/** `reveal-finding` {range}: the designer asks to see a finding in the source. */
export interface RevealDetail {
  range: Range;
}

/**
 * `<attest-publish-report>`: the two lists under the editor's bar after publishing: the errors that stopped
 * it, and apart, the warnings, which did not, but which every learner's document would show.
 */
export class PublishReport extends AppElement {
  static override properties = { findings: { attribute: false } };
  declare findings: PublishFindings;

  constructor() {
    super();
    this.findings = NO_FINDINGS;
  }

  private list(kind: 'errors' | 'warnings', items: readonly Diagnostic[]): unknown {
    if (items.length === 0) return nothing;
    const title = tr(kind === 'errors' ? 'publish.errors' : 'publish.warnings', { count: items.length });
    return html`<section class="publish-${kind}" data-testid="publish-${kind}">
      <h3>${title}</h3>
      <ul aria-label=${title}>
        ${items.map(
          (x) =>
            html`<li>
              <button
                type="button"
                class="link"
                ?disabled=${!x.range}
                @click=${() => x.range && this.emit<RevealDetail>('reveal-finding', { range: x.range })}
              >
                ${x.range ? `${x.range.start.line}:${x.range.start.column}` : ''} <code>${x.code}</code> ${x.message}
              </button>
            </li>`,
        )}
      </ul>
    </section>`;
  }

  override render(): unknown {
    return html`${this.list('errors', this.findings.errors)}${this.list('warnings', this.findings.warnings)}`;
  }
}

customElements.define('attest-publish-report', PublishReport);

declare global {
  interface HTMLElementTagNameMap {
    'attest-publish-report': PublishReport;
  }
}
