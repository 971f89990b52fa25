import { css, html, LitElement, nothing } from 'lit';
import type { ElementSelectDetail } from '../preview/pdf-preview';
import type { Diagnostic } from '../../variables/diagnostics';
import { tr } from '../app/messages';

/**
 * What sits around the template editor's preview: the splitter that sizes it against the source (its
 * position kept in the browser), and the banner that lists the problems of a text that no longer renders
 * while the last good page stays visible under it.
 */

const SPLIT_KEY = 'attest.editor.split';
/** The source's share of the width the source and the preview divide between them. */
export const DEFAULT_SPLIT = 0.535;
const MIN_SPLIT = 0.2;
const MAX_SPLIT = 0.8;

const clampSplit = (x: number) => Math.min(MAX_SPLIT, Math.max(MIN_SPLIT, x));

/** The split the designer last chose in this browser, or the default. */
export function savedSplit(): number {
  try {
    const v = Number(localStorage.getItem(SPLIT_KEY));
    return Number.isFinite(v) && v > 0 ? clampSplit(v) : DEFAULT_SPLIT;
  } catch {
    return DEFAULT_SPLIT;
  }
}

function saveSplit(x: number): void {
  try {
    localStorage.setItem(SPLIT_KEY, String(x));
  } catch {
    // A browser that keeps nothing (private mode, storage full) still resizes; it just forgets.
  }
}

/** `split-change` {split}: the source's new share of the width, already kept for next time. */
export interface SplitChangeDetail {
  split: number;
}

/**
 * `<attest-preview-splitter>`: the bar between the source and the preview. Dragged with the pointer, or
 * moved with the arrow keys (Home/End for the extremes) as a focusable separator.
 */
export class PreviewSplitter extends LitElement {
  static override properties = { split: { type: Number } };
  declare split: number;

  constructor() {
    super();
    this.split = DEFAULT_SPLIT;
  }

  static override styles = css`
    :host {
      display: block;
      cursor: col-resize;
      background: #d0d4d9;
      touch-action: none;
    }
    :host(:hover),
    :host(:focus-visible) {
      background: #1f3a5f;
      outline: none;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'separator');
    this.setAttribute('aria-orientation', 'vertical');
    this.setAttribute('aria-label', tr('editor.preview.resize'));
    this.setAttribute('aria-valuemin', String(MIN_SPLIT * 100));
    this.setAttribute('aria-valuemax', String(MAX_SPLIT * 100));
    this.tabIndex = 0;
    this.addEventListener('pointerdown', this.onDown);
    this.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('pointerdown', this.onDown);
    this.removeEventListener('keydown', this.onKey);
  }

  protected override updated(): void {
    this.setAttribute('aria-valuenow', String(Math.round(this.split * 100)));
  }

  private change(split: number): void {
    this.split = clampSplit(split);
    saveSplit(this.split);
    this.dispatchEvent(
      new CustomEvent<SplitChangeDetail>('split-change', { detail: { split: this.split }, bubbles: true, composed: true }),
    );
  }

  private readonly onDown = (down: PointerEvent): void => {
    const panes = this.parentElement;
    const source = this.previousElementSibling;
    const preview = this.nextElementSibling;
    if (!panes || !source || !preview) return;
    down.preventDefault();
    this.setPointerCapture(down.pointerId);
    // The two panes' width is the splitter's to share; the side panel keeps its own.
    const left = source.getBoundingClientRect().left;
    const width = preview.getBoundingClientRect().right - left;
    const move = (e: PointerEvent) => this.change((e.clientX - left) / width);
    const up = () => {
      this.removeEventListener('pointermove', move);
      this.removeEventListener('pointerup', up);
      this.removeEventListener('pointercancel', up);
    };
    this.addEventListener('pointermove', move);
    this.addEventListener('pointerup', up);
    this.addEventListener('pointercancel', up);
  };

  private readonly onKey = (e: KeyboardEvent): void => {
    const step = { ArrowLeft: -0.05, ArrowRight: 0.05 }[e.key];
    if (step !== undefined) this.change(this.split + step);
    else if (e.key === 'Home') this.change(MIN_SPLIT);
    else if (e.key === 'End') this.change(MAX_SPLIT);
    else return;
    e.preventDefault();
  };
}

/**
 * `<attest-preview-problems>`: over the last good page, the problems that stop the text being typed from
 * rendering. The page stays (the designer keeps their bearings); the banner says it is not the current
 * text. A problem with a place sends `element-select` (origin "diagnostic"), as the preview's own list does.
 */
export class PreviewProblems extends LitElement {
  static override properties = { problems: { attribute: false } };
  declare problems: readonly Diagnostic[];

  constructor() {
    super();
    this.problems = [];
  }

  static override styles = css`
    :host {
      position: absolute;
      left: 8px;
      right: 8px;
      bottom: 8px;
      max-height: 45%;
      overflow: auto;
      background: #fdf1f0;
      border: 1px solid #b3261e;
      border-radius: 6px;
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.15);
      font:
        13px system-ui,
        sans-serif;
      color: #3b0b08;
      z-index: 2;
    }
    :host([hidden]) {
      display: none;
    }
    p {
      margin: 0;
      padding: 6px 10px;
      font-weight: 600;
      color: #b3261e;
    }
    ul {
      margin: 0;
      padding: 0 10px 8px 28px;
    }
    button {
      font: inherit;
      background: none;
      border: none;
      padding: 0;
      color: inherit;
      text-align: left;
      cursor: pointer;
      text-decoration: underline;
    }
    code {
      font-size: 12px;
    }
  `;

  private reveal(d: Diagnostic): void {
    if (!d.range) return;
    this.dispatchEvent(
      new CustomEvent<ElementSelectDetail>('element-select', {
        detail: { range: d.range, origin: 'diagnostic' },
        bubbles: true,
        composed: true,
      }),
    );
  }

  protected override render(): unknown {
    if (this.problems.length === 0) return nothing;
    return html`<p role="alert">${tr('editor.preview.stale', { count: this.problems.length })}</p>
      <ul>
        ${this.problems.map(
          (d) =>
            html`<li data-code=${d.code}>
              ${
                d.range
                  ? html`<button type="button" @click=${() => this.reveal(d)}>
                      ${tr('editor.preview.at', { line: d.range.start.line, column: d.range.start.column })}
                    </button> `
                  : nothing
              }<code>${d.code}</code> ${d.message}
            </li>`,
        )}
      </ul>`;
  }
}

/** The specimen's file name: the template's name, made safe for every file system. */
export function specimenFileName(templateName: string): string {
  const base = templateName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${base || 'template'}-specimen.pdf`;
}

if (!customElements.get('attest-preview-splitter')) customElements.define('attest-preview-splitter', PreviewSplitter);
if (!customElements.get('attest-preview-problems')) customElements.define('attest-preview-problems', PreviewProblems);

declare global {
  interface HTMLElementTagNameMap {
    'attest-preview-splitter': PreviewSplitter;
    'attest-preview-problems': PreviewProblems;
  }
}
