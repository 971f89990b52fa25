import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { getDocument, PDFWorker } from 'pdfjs-dist';
// Sets pdf.js's worker address (the app's own copy) as a side effect; the element itself is not used here.
import '../preview/pdf-preview';
import { personas } from '../../variables/personas';
import { getLocale } from '../i18n';
import { tr } from '../app/messages';

/** What one sample learner's preview gave: its first page as PDF bytes, or why there is none. */
export type SampleOutcome = { pdf: Uint8Array; warnings: readonly string[] } | { problems: readonly string[] };

/** `sample-pick` {persona}: the designer chose this learner's card (the main preview switches to them). */
export interface SamplePickDetail {
  persona: string;
}

/** Thumbnails draw on a worker of their own: the main preview's keeps its pace while the grid fills. */
let thumbnailWorker: PDFWorker | undefined;
const worker = () => (thumbnailWorker && !thumbnailWorker.destroyed ? thumbnailWorker : (thumbnailWorker = new PDFWorker()));

/** At most this many previews asked at once: the server's preview lane is shared with every designer. */
const AT_ONCE = 2;

/**
 * `<attest-samples-grid>`: the template as every bundled sample learner gets it, at a glance. One card per
 * persona: the first page drawn small, or, when that learner's data breaks the template, the card flagged
 * with the problems. `preview(persona)` is the host's (it knows the template and the text being typed);
 * the grid asks again whenever `revision` changes. A card's button sends `sample-pick`.
 */
export class SamplesGrid extends LitElement {
  static override properties = {
    preview: { attribute: false },
    revision: { type: Number },
    outcomes: { state: true },
  };
  declare preview: ((persona: string) => Promise<SampleOutcome>) | undefined;
  /** Bumped by the host when what the previews show changed (the text, the assets). */
  declare revision: number;
  declare protected outcomes: ReadonlyMap<string, SampleOutcome | 'pending'>;

  private round = 0;

  constructor() {
    super();
    this.preview = undefined;
    this.revision = 0;
    this.outcomes = new Map();
  }

  static override styles = css`
    :host {
      display: block;
      overflow: auto;
      padding: 12px;
      background: #eef0f3;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
      gap: 12px;
    }
    li {
      background: white;
      border: 1px solid #d0d4d9;
      border-radius: 6px;
      padding: 8px;
      display: flex;
      flex-direction: column;
      gap: 6px;
      font:
        12px system-ui,
        sans-serif;
    }
    li[data-state='broken'] {
      border-color: #b3261e;
      background: #fdf1f0;
    }
    canvas {
      width: 100%;
      height: auto;
      border: 1px solid #e3e5e8;
    }
    .problems {
      color: #b3261e;
    }
    .problems p {
      margin: 0 0 4px;
    }
    .warnings {
      color: #8a5a00;
    }
    button {
      font: inherit;
      align-self: flex-start;
    }
    strong {
      font-size: 13px;
    }
  `;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('revision') || changed.has('preview')) void this.fill();
  }

  /** Asks for every persona's preview, AT_ONCE at a time; answers of an older round are dropped. */
  private async fill(): Promise<void> {
    const ask = this.preview;
    if (!ask) return;
    const round = ++this.round;
    this.outcomes = new Map(personas.map((p) => [p.id, 'pending' as const]));
    const queue = personas.map((p) => p.id);
    const next = async (): Promise<void> => {
      const id = queue.shift();
      if (id === undefined || round !== this.round) return;
      let outcome: SampleOutcome;
      try {
        outcome = await ask(id);
      } catch (e) {
        outcome = { problems: [(e as Error).message] };
      }
      if (round !== this.round) return;
      this.outcomes = new Map(this.outcomes).set(id, outcome);
      await this.updateComplete;
      if ('pdf' in outcome) await this.draw(id, outcome.pdf, round);
      return next();
    };
    await Promise.all(Array.from({ length: AT_ONCE }, next));
  }

  private async draw(id: string, pdf: Uint8Array, round: number): Promise<void> {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(`li[data-persona="${CSS.escape(id)}"] canvas`);
    if (!canvas) return;
    const task = getDocument({ data: pdf.slice(), isEvalSupported: false, disableFontFace: true, worker: worker() });
    try {
      const doc = await task.promise;
      const page = await doc.getPage(1);
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (360 / base.width) * (window.devicePixelRatio || 1) });
      const drawn = document.createElement('canvas');
      drawn.width = Math.floor(viewport.width);
      drawn.height = Math.floor(viewport.height);
      await page.render({ canvas: drawn, viewport }).promise;
      if (round !== this.round) return;
      canvas.width = drawn.width;
      canvas.height = drawn.height;
      canvas.getContext('2d')?.drawImage(drawn, 0, 0);
      canvas.closest('li')?.setAttribute('data-drawn', 'true');
    } catch (e) {
      this.outcomes = new Map(this.outcomes).set(id, { problems: [(e as Error).message] });
    } finally {
      void task.destroy();
    }
  }

  private pick(persona: string): void {
    this.dispatchEvent(new CustomEvent<SamplePickDetail>('sample-pick', { detail: { persona }, bubbles: true, composed: true }));
  }

  protected override render(): unknown {
    const locale = getLocale();
    return html`<ul aria-label=${tr('samples.title')}>
      ${personas.map((p) => {
        const o = this.outcomes.get(p.id);
        const state = o === undefined || o === 'pending' ? 'pending' : 'pdf' in o ? 'ok' : 'broken';
        return html`<li data-persona=${p.id} data-state=${state}>
          <strong>${p.label[locale]}</strong>
          ${
            state === 'broken' && o !== undefined && o !== 'pending' && 'problems' in o
              ? html`<span role="status">${tr('samples.broken')}</span>
                  <div class="problems">${o.problems.map((m) => html`<p>${m}</p>`)}</div>`
              : html`<canvas role="img" aria-label=${tr('samples.page', { name: p.label[locale] })}></canvas>`
          }
          ${
            o !== undefined && o !== 'pending' && 'warnings' in o && o.warnings.length
              ? html`<span class="warnings">${tr('samples.warnings', { count: o.warnings.length })}</span>`
              : nothing
          }
          ${state === 'pending' ? html`<span>${tr('samples.pending')}</span>` : nothing}
          <button type="button" @click=${() => this.pick(p.id)}>${tr('samples.pick')}</button>
        </li>`;
      })}
    </ul>`;
  }
}

if (!customElements.get('attest-samples-grid')) customElements.define('attest-samples-grid', SamplesGrid);

declare global {
  interface HTMLElementTagNameMap {
    'attest-samples-grid': SamplesGrid;
  }
}
