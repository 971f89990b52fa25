import { css, html, LitElement, nothing } from 'lit';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import { LocaleController } from '../i18n';
import type { Alignment } from './geometry';
import { INSERTABLE } from './insert';
import { ct } from './messages';

export interface PalettePickDetail {
  /** The element to place with the next click on the page; undefined: none (the pick was undone). */
  kind: string | undefined;
}

export interface ArrangeDetail {
  how: Alignment | 'distribute-x' | 'distribute-y';
}

/** Icons drawn in a 16×16 box: the line aligned to, and two bars. */
const icon = (lines: string) =>
  html`<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="currentColor" stroke="currentColor">
    ${unsafeSVG(lines)}
  </svg>`;
const ALIGN: readonly { how: ArrangeDetail['how']; glyph: unknown; key: Parameters<typeof ct>[0] }[] = [
  {
    how: 'left',
    glyph: icon('<line x1="2" y1="1" x2="2" y2="15"/><rect x="3" y="3" width="9" height="3"/><rect x="3" y="10" width="5" height="3"/>'),
    key: 'canvas.align.left',
  },
  {
    how: 'center',
    glyph: icon('<line x1="8" y1="1" x2="8" y2="15"/><rect x="3" y="3" width="10" height="3"/><rect x="5" y="10" width="6" height="3"/>'),
    key: 'canvas.align.center',
  },
  {
    how: 'right',
    glyph: icon('<line x1="14" y1="1" x2="14" y2="15"/><rect x="4" y="3" width="9" height="3"/><rect x="8" y="10" width="5" height="3"/>'),
    key: 'canvas.align.right',
  },
  {
    how: 'top',
    glyph: icon('<line x1="1" y1="2" x2="15" y2="2"/><rect x="3" y="3" width="3" height="9"/><rect x="10" y="3" width="3" height="5"/>'),
    key: 'canvas.align.top',
  },
  {
    how: 'middle',
    glyph: icon('<line x1="1" y1="8" x2="15" y2="8"/><rect x="3" y="3" width="3" height="10"/><rect x="10" y="5" width="3" height="6"/>'),
    key: 'canvas.align.middle',
  },
  {
    how: 'bottom',
    glyph: icon('<line x1="1" y1="14" x2="15" y2="14"/><rect x="3" y="4" width="3" height="9"/><rect x="10" y="8" width="3" height="5"/>'),
    key: 'canvas.align.bottom',
  },
  {
    how: 'distribute-x',
    glyph: icon(
      '<rect x="1" y="4" width="3" height="8"/><rect x="6.5" y="4" width="3" height="8"/><rect x="12" y="4" width="3" height="8"/>',
    ),
    key: 'canvas.distribute.h',
  },
  {
    how: 'distribute-y',
    glyph: icon(
      '<rect x="4" y="1" width="8" height="3"/><rect x="4" y="6.5" width="8" height="3"/><rect x="4" y="12" width="8" height="3"/>',
    ),
    key: 'canvas.distribute.v',
  },
];

/**
 * `<attest-canvas-palette>`: the elements to insert (pick one, then click the page where it goes; Escape
 * or a second click on it undoes the pick) and, for a selection of two or more, align and distribute.
 * Events: `palette-pick` {kind}, `arrange` {how}.
 */
export class CanvasPalette extends LitElement {
  static override properties = {
    armed: { type: String },
    selectedCount: { type: Number, attribute: 'selected-count' },
    disabled: { type: Boolean },
  };
  static override styles = css`
    :host {
      display: flex;
      align-items: center;
      gap: 4px;
      flex-wrap: wrap;
    }
    button {
      font: inherit;
      min-width: 28px;
      height: 28px;
      padding: 0 6px;
      border: 1px solid #b9c0c8;
      border-radius: 4px;
      background: white;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      background: #1a73e8;
      color: white;
      border-color: #1a73e8;
    }
    button:disabled {
      opacity: 0.45;
      cursor: default;
    }
    button:focus-visible {
      outline: 2px solid #1a73e8;
      outline-offset: 1px;
    }
    .label {
      color: #555;
      font-size: 12px;
    }
  `;
  declare armed: string;
  declare selectedCount: number;
  declare disabled: boolean;
  private readonly i18n = new LocaleController(this);

  constructor() {
    super();
    this.armed = '';
    this.selectedCount = 0;
    this.disabled = false;
  }

  private pick(kind: string | undefined): void {
    this.dispatchEvent(new CustomEvent<PalettePickDetail>('palette-pick', { detail: { kind }, bubbles: true, composed: true }));
  }

  protected override render(): unknown {
    return html`<span class="label" id="palette-label">${ct('canvas.palette')}</span>
      <span role="group" aria-labelledby="palette-label" style="display:contents">
        ${INSERTABLE.map(
          (kind) =>
            html`<button
              type="button"
              class="insert-${kind}"
              data-kind=${kind}
              aria-pressed=${this.armed === kind ? 'true' : 'false'}
              ?disabled=${this.disabled}
              title=${ct('canvas.palette.hint', { element: kind })}
              @click=${() => this.pick(this.armed === kind ? undefined : kind)}
            >
              ${kind}
            </button>`,
        )}
      </span>
      ${
        this.selectedCount >= 2
          ? html`<span class="label" id="align-label">${ct('canvas.align')}</span>
              <span role="group" aria-labelledby="align-label" style="display:contents">
                ${ALIGN.map(
                  (a) =>
                    html`<button
                      type="button"
                      class="arrange-${a.how}"
                      aria-label=${ct(a.key)}
                      title=${ct(a.key)}
                      ?disabled=${a.how.startsWith('distribute') && this.selectedCount < 3}
                      @click=${() =>
                        this.dispatchEvent(
                          new CustomEvent<ArrangeDetail>('arrange', { detail: { how: a.how }, bubbles: true, composed: true }),
                        )}
                    >
                      ${a.glyph}
                    </button>`,
                )}
              </span>`
          : nothing
      }`;
  }
}

if (!customElements.get('attest-canvas-palette')) customElements.define('attest-canvas-palette', CanvasPalette);

declare global {
  interface HTMLElementTagNameMap {
    'attest-canvas-palette': CanvasPalette;
  }
}
