import { css, html, LitElement, nothing } from 'lit';
import type { EditorDiagnostic, Fix, Range } from '../monaco/language';
import { LocaleController, t } from '../i18n';

export interface ProblemSelectDetail {
  range: Range;
}

export interface ProblemFixDetail {
  fix: Fix;
}

/** Source order: the markup reports a cause at the element that causes it, so what comes first is fixed first. */
function bySource(a: EditorDiagnostic, b: EditorDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}

/**
 * `<attest-problems-panel>`: every diagnostic of the source, in source order, each with its severity,
 * message and line:column.
 *
 * - `diagnostics`: what the source editor's checks found (its `diagnostics-change` event).
 * - event `problem-select` (`detail.range`): the designer chose a problem; the host shows it in the source.
 * - event `problem-fix` (`detail.fix`): the designer chose a problem's quick fix (the same as Monaco's
 *   light bulb, reachable without a pointer).
 */
export class ProblemsPanel extends LitElement {
  static override properties = { diagnostics: { attribute: false } };
  declare diagnostics: readonly EditorDiagnostic[];
  private readonly i18n = new LocaleController(this);

  static override styles = css`
    :host {
      display: block;
      font-size: 12px;
      background: white;
      border-top: 1px solid #d0d4da;
    }
    h2 {
      font-size: 12px;
      margin: 0;
      padding: 4px 8px;
      font-weight: 600;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      max-height: 9em;
      overflow: auto;
    }
    li {
      display: flex;
      gap: 6px;
      align-items: baseline;
      padding: 1px 8px;
    }
    button {
      font: inherit;
      background: none;
      border: 0;
      padding: 2px 0;
      text-align: left;
      cursor: pointer;
      color: inherit;
    }
    button.go {
      flex: 1;
      display: flex;
      gap: 6px;
    }
    button:hover .message,
    button:focus-visible .message {
      text-decoration: underline;
    }
    button.fix {
      color: #0b57d0;
      white-space: nowrap;
    }
    .severity {
      font-weight: 600;
      min-width: 6em;
    }
    .error .severity {
      color: #b3261e;
    }
    .warning .severity {
      color: #8a5a00;
    }
    .at {
      color: #555;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .none {
      margin: 0;
      padding: 2px 8px 4px;
      color: #555;
    }
  `;

  constructor() {
    super();
    this.diagnostics = [];
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  protected override render(): unknown {
    const list = [...this.diagnostics].sort(bySource);
    return html`<section aria-labelledby="title">
      <h2 id="title">${t('problems.title')} (${list.length})</h2>
      ${
        list.length === 0
          ? html`<p class="none">${t('problems.none')}</p>`
          : html`<ol aria-labelledby="title">
              ${list.map((d) => {
                const { line, column } = d.range.start;
                const fix = d.fixes?.[0];
                return html`<li class=${d.severity} data-code=${d.code}>
                  <button
                    type="button"
                    class="go"
                    aria-label=${t('problems.goTo', { line, column, message: d.message })}
                    @click=${() => this.emit<ProblemSelectDetail>('problem-select', { range: d.range })}
                  >
                    <span class="severity">${t(`problems.${d.severity}`)}</span>
                    <span class="at">${line}:${column}</span>
                    <span class="message">${d.message}</span>
                  </button>
                  ${fix ? html`<button type="button" class="fix" @click=${() => this.emit<ProblemFixDetail>('problem-fix', { fix })}>${fix.title}</button>` : nothing}
                </li>`;
              })}
            </ol>`
      }
    </section>`;
  }
}

if (!customElements.get('attest-problems-panel')) customElements.define('attest-problems-panel', ProblemsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'attest-problems-panel': ProblemsPanel;
  }
}
