/// <reference types="vite/client" />
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { getDocument, GlobalWorkerOptions, PDFWorker, type PDFDocumentLoadingTask, type PDFDocumentProxy } from 'pdfjs-dist';
// The worker ships with the app (no CDN): Vite copies it and gives us its URL.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { Diagnostic, Range } from '../../variables/diagnostics';
import type { DrawnBox } from '../../templates/layout/boxes';
import { PT_PER_MM } from '../../templates/layout/units';
import { LocaleController, t } from '../i18n';
import { MOVABLE_KINDS } from './move';

GlobalWorkerOptions.workerSrc = workerUrl;

/**
 * One pdf.js worker for the page, shared by every preview and every PDF: without it, getDocument starts a
 * new worker (and parses its 1.2 MB script) for each PDF, which costs more than the render itself.
 */
let sharedWorker: PDFWorker | undefined;
function pdfWorker(): PDFWorker {
  if (!sharedWorker || sharedWorker.destroyed) sharedWorker = new PDFWorker();
  return sharedWorker;
}

/** Where an element was drawn, as the renderer reports it (a type only: nothing of the renderer is bundled). */
export type PreviewBox = DrawnBox;

export interface ElementSelectDetail {
  range: Range;
  kind?: string;
  /** "preview" for a click on the page, "diagnostic" for a click on a problem in the error list. */
  origin: 'preview' | 'diagnostic';
}

export interface ElementMoveDetail {
  range: Range;
  kind: string;
  /** 0-based page index. */
  page: number;
  /** The move in PDF points, x to the right and y down (the markup's axes). */
  dxPt: number;
  dyPt: number;
  /** The same in millimetres, what `moveElement` takes. */
  dxMm: number;
  dyMm: number;
  /** The page's size in millimetres, for positions written in percent (moveElement's `page`). */
  pageMm: { width: number; height: number };
}

export interface PreviewRenderedDetail {
  /** 1-based. */
  page: number;
  pageCount: number;
  text: string;
  /** Milliseconds from the new `pdf` to its page on screen (the pdf.js share of the preview's latency). */
  ms: number;
  /** When the page appeared (performance.now()); the text is read after, so it does not delay the page. */
  shownAt: number;
}

export { MOVABLE_KINDS } from './move';

const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];
/** Pixels a pointer must travel before a press becomes a drag (a click with a shaky hand stays a click). */
const DRAG_THRESHOLD = 3;

interface Drag {
  box: PreviewBox;
  pointerId: number;
  startX: number;
  startY: number;
  dx: number;
  dy: number;
  moved: boolean;
}

/**
 * `<attest-pdf-preview>`: the PDF of the template being edited, drawn by pdf.js onto a canvas, with zoom
 * and page navigation, linked to the source.
 *
 * Data down: `pdf` (bytes), `boxes` (where each element was drawn), `error` (diagnostics that replace the
 * preview, never a blank pane), `loading`. Events up: `element-select` {range} when an element is clicked
 * (or a problem in the error list), `element-move` {range, page, dxPt, dyPt} when a positioned element is
 * dragged and dropped, `page-change` and `preview-rendered` {page, pageCount, text}.
 *
 * Keyboard: the buttons; PageUp/PageDown and +/−/0 on the page; Tab reaches every element with a source
 * range, Enter selects it, arrow keys move a positioned one by 1 mm (Shift: 10 mm).
 */
export class PdfPreview extends LitElement {
  static override properties = {
    pdf: { attribute: false },
    boxes: { attribute: false },
    error: { attribute: false },
    loading: { type: Boolean, reflect: true },
    page: { type: Number, reflect: true },
    zoom: { attribute: false },
    pageCount: { state: true },
    scale: { state: true },
    pageSize: { state: true },
    drag: { state: true },
    renderProblem: { state: true },
  };

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      min-width: 0;
      background: #e7e9ec;
      font:
        13px system-ui,
        sans-serif;
      color: #1d2327;
    }
    .toolbar {
      display: flex;
      align-items: center;
      gap: 4px;
      padding: 4px 8px;
      background: #f7f7f8;
      border-bottom: 1px solid #d0d4d9;
      flex-wrap: wrap;
    }
    .toolbar .group {
      display: flex;
      align-items: center;
      gap: 4px;
    }
    .toolbar .sep {
      width: 1px;
      height: 20px;
      background: #d0d4d9;
      margin: 0 6px;
    }
    button {
      font: inherit;
      min-width: 28px;
      height: 28px;
      padding: 0 8px;
      border: 1px solid #b9c0c8;
      border-radius: 4px;
      background: white;
      cursor: pointer;
    }
    button:disabled {
      opacity: 0.45;
      cursor: default;
    }
    button:focus-visible,
    input:focus-visible,
    .box:focus-visible,
    .stage:focus-visible {
      outline: 2px solid #1a73e8;
      outline-offset: 1px;
    }
    input[type='number'] {
      width: 3.5em;
      height: 24px;
      font: inherit;
      text-align: right;
    }
    .zoom-level {
      min-width: 4.5em;
      text-align: center;
      font-variant-numeric: tabular-nums;
    }
    .stage {
      position: relative;
      flex: 1;
      min-height: 0;
      overflow: auto;
      padding: 16px;
      box-sizing: border-box;
    }
    .sheet {
      position: relative;
      margin: 0 auto;
      background: white;
      box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25);
    }
    .canvas-host {
      position: absolute;
      inset: 0;
    }
    .sheet canvas {
      display: block;
      width: 100%;
      height: 100%;
    }
    .boxes {
      position: absolute;
      inset: 0;
    }
    .box {
      position: absolute;
      box-sizing: border-box;
      cursor: pointer;
      border: 1px solid transparent;
    }
    .box:hover {
      border-color: rgba(26, 115, 232, 0.5);
      background: rgba(26, 115, 232, 0.05);
    }
    .box.movable {
      cursor: move;
    }
    .box.dragging {
      border: 1.5px dashed #1a73e8;
      background: rgba(26, 115, 232, 0.08);
      z-index: 2;
    }
    .busy {
      position: absolute;
      top: 8px;
      right: 24px;
      padding: 2px 8px;
      background: #fff8d6;
      border: 1px solid #e0c96b;
      border-radius: 10px;
      font-size: 12px;
      z-index: 3;
    }
    .errors {
      margin: 16px;
      padding: 12px 16px;
      background: #fff;
      border: 1px solid #e3a0a0;
      border-left: 4px solid #c62828;
      border-radius: 4px;
    }
    .errors h2 {
      margin: 0 0 8px;
      font-size: 14px;
      color: #b71c1c;
    }
    .errors ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .errors li {
      padding: 6px 0;
      border-top: 1px solid #f1dede;
      display: flex;
      gap: 8px;
      align-items: baseline;
      flex-wrap: wrap;
    }
    .errors li:first-child {
      border-top: 0;
    }
    .errors .severity {
      font-size: 11px;
      text-transform: uppercase;
      font-weight: 600;
      color: #b71c1c;
    }
    .errors .severity.warning {
      color: #8a6d00;
    }
    .errors code {
      font-size: 11px;
      color: #555;
    }
    .errors .where {
      height: auto;
      min-width: 0;
      padding: 0 6px;
      font-size: 12px;
    }
    .empty {
      margin: 32px auto;
      color: #555;
      text-align: center;
    }
  `;

  declare pdf: Uint8Array | undefined;
  declare boxes: readonly PreviewBox[];
  declare error: readonly Diagnostic[] | undefined;
  declare loading: boolean;
  /** The page shown, 1-based. */
  declare page: number;
  /** A scale (1 = 1 CSS pixel per point) or "fit" (the page's width fills the pane). */
  declare zoom: number | 'fit';
  declare protected pageCount: number;
  declare protected scale: number;
  /** The shown page's size in points. */
  declare protected pageSize: { width: number; height: number } | undefined;
  declare protected drag: Drag | undefined;
  declare protected renderProblem: string | undefined;

  /** The text pdf.js extracted from the last page drawn: what a browser test checks. */
  renderedText = '';

  /** Re-renders the labels when the UI language changes (registered with the host by its constructor). */
  private readonly i18n = new LocaleController(this);
  private doc: PDFDocumentProxy | undefined;
  private loadingTask: PDFDocumentLoadingTask | undefined;
  /** Each render bumps this; a slower older render that finishes late is dropped. */
  private generation = 0;
  private resizeObserver: ResizeObserver | undefined;
  private stageWidth = 0;
  /** When the current `pdf` arrived: `preview-rendered` reports how long pdf.js took to show it. */
  private loadStarted = 0;

  constructor() {
    super();
    this.pdf = undefined;
    this.boxes = [];
    this.error = undefined;
    this.loading = false;
    this.page = 1;
    this.zoom = 'fit';
    this.pageCount = 0;
    this.scale = 1;
    this.pageSize = undefined;
    this.drag = undefined;
    this.renderProblem = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver((entries) => {
      const width = entries[0]?.contentRect.width ?? 0;
      if (Math.abs(width - this.stageWidth) < 1) return;
      this.stageWidth = width;
      // A document being loaded is drawn at the new width when it arrives; drawing the old one now would
      // make the new one's drawing stale (each draw supersedes the ones before).
      if (this.zoom === 'fit' && !this.loadPending) void this.drawPage();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    void this.loadingTask?.destroy();
    this.loadingTask = undefined;
    this.doc = undefined;
  }

  protected override firstUpdated(): void {
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    if (stage) this.resizeObserver?.observe(stage);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('pdf')) void this.load();
    else if (changed.has('page') || changed.has('zoom')) void this.drawPage();
    // The stage is re-created when an error list is replaced by the preview again.
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    if (stage && changed.has('error')) {
      this.resizeObserver?.observe(stage);
      this.attachCanvas();
    }
  }

  /** Zoom in one step (from "fit", from the scale that fit gives). */
  zoomIn(): void {
    this.zoom = ZOOM_STEPS.find((s) => s > this.scale + 0.001) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1]!;
  }
  zoomOut(): void {
    this.zoom = [...ZOOM_STEPS].reverse().find((s) => s < this.scale - 0.001) ?? ZOOM_STEPS[0]!;
  }
  fit(): void {
    this.zoom = 'fit';
  }
  goToPage(page: number): void {
    const next = Math.min(Math.max(1, Math.round(page)), Math.max(1, this.pageCount));
    if (next === this.page) return;
    this.page = next;
    this.dispatchEvent(new CustomEvent('page-change', { detail: { page: next }, bubbles: true, composed: true }));
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    const previous = this.loadingTask;
    this.loadingTask = undefined;
    if (!this.pdf) {
      this.doc = undefined;
      this.pageCount = 0;
      this.canvas = undefined;
      this.pageSize = undefined;
      this.renderedText = '';
      delete this.dataset.text;
      delete this.dataset.page;
      void previous?.destroy();
      await this.updateComplete;
      this.attachCanvas();
      return;
    }
    this.loadStarted = performance.now();
    this.loadPending = true;
    try {
      // pdf.js transfers the buffer to its worker: give it a copy so the caller's bytes stay usable.
      const task = getDocument({ data: this.pdf.slice(), isEvalSupported: false, disableFontFace: true, worker: pdfWorker() });
      this.loadingTask = task;
      const doc = await task.promise;
      if (generation !== this.generation) {
        void task.destroy();
        return;
      }
      // The old document is destroyed only now, so the stale page stays visible until the new one is ready.
      void previous?.destroy();
      this.doc = doc;
      this.pageCount = doc.numPages;
      if (this.page > doc.numPages) this.page = doc.numPages;
      this.renderProblem = undefined;
      await this.drawPage(generation, this.loadStarted);
    } catch (e) {
      if (generation === this.generation) this.renderProblem = (e as Error).message;
    } finally {
      if (generation === this.generation) this.loadPending = false;
    }
  }

  /** A new `pdf` is being opened (see the resize observer). */
  private loadPending = false;

  /** The canvas of the last page drawn, kept outside Lit's template so a re-render never blanks it. */
  private canvas: HTMLCanvasElement | undefined;

  private attachCanvas(): void {
    const host = this.renderRoot.querySelector<HTMLElement>('.canvas-host');
    if (!host) return;
    if (!this.canvas) host.replaceChildren();
    else if (host.firstChild !== this.canvas) host.replaceChildren(this.canvas);
  }

  /** Draws the current page; `started` is when the work began (the new `pdf`'s arrival, or now for a page turn). */
  private async drawPage(generation = ++this.generation, started = performance.now()): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const pageNumber = Math.min(Math.max(1, this.page), doc.numPages);
    try {
      const page = await doc.getPage(pageNumber);
      const base = page.getViewport({ scale: 1 });
      const fitWidth = (this.stageWidth || this.clientWidth || 800) - 32;
      const scale = this.zoom === 'fit' ? Math.max(0.1, fitWidth / base.width) : this.zoom;
      const ratio = window.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: scale * ratio });
      // A fresh canvas, swapped in when drawn: the previous page stays on screen meanwhile.
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.setAttribute('role', 'img');
      // The text is asked for at once (pdf.js works on it while the page paints) but waited for only
      // after the page is on screen: what the designer waits for is the picture.
      const textContent = page.getTextContent();
      textContent.catch(() => undefined);
      await page.render({ canvas, viewport }).promise;
      if (generation !== this.generation) return;
      this.canvas = canvas;
      this.scale = scale;
      this.pageSize = { width: base.width, height: base.height };
      this.dataset.page = String(pageNumber);
      await this.updateComplete;
      canvas.setAttribute('aria-label', t('preview.canvas', { page: pageNumber }));
      this.attachCanvas();
      const shownAt = performance.now();
      const content = await textContent;
      if (generation !== this.generation) return;
      const text = content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
        .join(' ')
        .replace(/[ \t]+/g, ' ')
        .trim();
      this.renderedText = text;
      this.dataset.text = text;
      this.dispatchEvent(
        new CustomEvent<PreviewRenderedDetail>('preview-rendered', {
          detail: { page: pageNumber, pageCount: doc.numPages, text, ms: shownAt - started, shownAt },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (e) {
      // A render cancelled by a newer one is not a problem to show.
      if (generation === this.generation) this.renderProblem = (e as Error).message;
    }
  }

  // ---- pointer and keyboard on element boxes ----

  private onBoxPointerDown(event: PointerEvent, box: PreviewBox): void {
    if (event.button !== 0) return;
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    this.drag = { box, pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, dx: 0, dy: 0, moved: false };
    event.preventDefault();
  }

  private onBoxPointerMove(event: PointerEvent): void {
    const d = this.drag;
    if (!d || d.pointerId !== event.pointerId) return;
    const dx = event.clientX - d.startX;
    const dy = event.clientY - d.startY;
    const moved = d.moved || Math.hypot(dx, dy) >= DRAG_THRESHOLD;
    if (!MOVABLE_KINDS.has(d.box.kind)) {
      this.drag = { ...d, moved };
      return;
    }
    this.drag = { ...d, dx, dy, moved };
  }

  private onBoxPointerUp(event: PointerEvent): void {
    const d = this.drag;
    if (!d || d.pointerId !== event.pointerId) return;
    this.drag = undefined;
    const range = d.box.range;
    if (!range) return;
    if (!d.moved) {
      this.select(d.box);
      return;
    }
    if (!MOVABLE_KINDS.has(d.box.kind)) return;
    this.move(d.box, d.dx / this.scale, d.dy / this.scale);
  }

  private onBoxPointerCancel(): void {
    this.drag = undefined;
  }

  private onBoxKey(event: KeyboardEvent, box: PreviewBox): void {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.select(box);
      return;
    }
    const arrows: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const step = arrows[event.key];
    if (step && MOVABLE_KINDS.has(box.kind)) {
      event.preventDefault();
      event.stopPropagation();
      const mm = event.shiftKey ? 10 : 1;
      this.move(box, step[0] * mm * PT_PER_MM, step[1] * mm * PT_PER_MM);
    }
  }

  private select(box: PreviewBox): void {
    if (!box.range) return;
    this.dispatchEvent(
      new CustomEvent<ElementSelectDetail>('element-select', {
        detail: { range: box.range, kind: box.kind, origin: 'preview' },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private move(box: PreviewBox, dxPt: number, dyPt: number): void {
    if (!box.range) return;
    this.dispatchEvent(
      new CustomEvent<ElementMoveDetail>('element-move', {
        detail: {
          range: box.range,
          kind: box.kind,
          page: box.page,
          dxPt,
          dyPt,
          dxMm: dxPt / PT_PER_MM,
          dyMm: dyPt / PT_PER_MM,
          pageMm: { width: (this.pageSize?.width ?? 0) / PT_PER_MM, height: (this.pageSize?.height ?? 0) / PT_PER_MM },
        },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private onStageKey(event: KeyboardEvent): void {
    if (event.target !== event.currentTarget) return;
    switch (event.key) {
      case 'PageDown':
        event.preventDefault();
        this.goToPage(this.page + 1);
        break;
      case 'PageUp':
        event.preventDefault();
        this.goToPage(this.page - 1);
        break;
      case '+':
      case '=':
        event.preventDefault();
        this.zoomIn();
        break;
      case '-':
        event.preventDefault();
        this.zoomOut();
        break;
      case '0':
        event.preventDefault();
        this.fit();
        break;
    }
  }

  private selectDiagnostic(d: Diagnostic): void {
    if (!d.range) return;
    this.dispatchEvent(
      new CustomEvent<ElementSelectDetail>('element-select', {
        detail: { range: d.range, origin: 'diagnostic' },
        bubbles: true,
        composed: true,
      }),
    );
  }

  // ---- rendering ----

  protected override render(): unknown {
    const problems = this.error ?? [];
    const showErrors = problems.length > 0;
    return html`
      <div class="toolbar" role="toolbar" aria-label=${t('preview.toolbar')}>${this.renderToolbar(showErrors)}</div>
      ${showErrors ? this.renderErrors(problems) : this.renderStage()}
    `;
  }

  private renderToolbar(disabled: boolean): unknown {
    const count = this.pageCount;
    const none = disabled || count === 0;
    return html`
      <div class="group">
        <button
          type="button"
          class="prev"
          aria-label=${t('preview.prevPage')}
          title=${t('preview.prevPage')}
          ?disabled=${none || this.page <= 1}
          @click=${() => this.goToPage(this.page - 1)}
        >
          ‹
        </button>
        <label class="group">
          <span class="visually-hidden" style="position:absolute;left:-9999px">${t('preview.pageNumber')}</span>
          <input
            type="number"
            class="page-input"
            min="1"
            max=${Math.max(1, count)}
            .value=${String(this.page)}
            ?disabled=${none}
            aria-label=${t('preview.pageNumber')}
            @change=${(e: Event) => this.goToPage(Number((e.target as HTMLInputElement).value))}
          />
        </label>
        <span class="page-count" aria-live="polite">${t('preview.of', { count })}</span>
        <span class="page-status" style="position:absolute;left:-9999px" aria-live="polite"
          >${t('preview.pageOf', { page: this.page, count })}</span
        >
        <button
          type="button"
          class="next"
          aria-label=${t('preview.nextPage')}
          title=${t('preview.nextPage')}
          ?disabled=${none || this.page >= count}
          @click=${() => this.goToPage(this.page + 1)}
        >
          ›
        </button>
      </div>
      <span class="sep" aria-hidden="true"></span>
      <div class="group">
        <button
          type="button"
          class="zoom-out"
          aria-label=${t('preview.zoomOut')}
          title=${t('preview.zoomOut')}
          ?disabled=${none}
          @click=${() => this.zoomOut()}
        >
          −
        </button>
        <span class="zoom-level">${Math.round(this.scale * 100)} %</span>
        <button
          type="button"
          class="zoom-in"
          aria-label=${t('preview.zoomIn')}
          title=${t('preview.zoomIn')}
          ?disabled=${none}
          @click=${() => this.zoomIn()}
        >
          +
        </button>
        <button
          type="button"
          class="fit"
          aria-pressed=${this.zoom === 'fit' ? 'true' : 'false'}
          ?disabled=${none}
          @click=${() => this.fit()}
        >
          ${t('preview.fit')}
        </button>
      </div>
    `;
  }

  private renderErrors(problems: readonly Diagnostic[]): unknown {
    return html`<section class="errors" role="alert" aria-label=${t('preview.errorsTitle', { count: problems.length })}>
      <h2>${t('preview.errorsTitle', { count: problems.length })}</h2>
      <ul>
        ${problems.map(
          (d) =>
            html`<li>
              <span class="severity ${d.severity}">${d.severity}</span>
              <span class="message">${d.message}</span>
              <code>${d.code}</code>
              ${
                d.range
                  ? html`<button type="button" class="where" title=${t('preview.goTo')} @click=${() => this.selectDiagnostic(d)}>
                      ${t('preview.errorAt', { line: d.range.start.line, column: d.range.start.column })}
                    </button>`
                  : nothing
              }
            </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderStage(): unknown {
    const size = this.pageSize;
    const s = this.scale;
    const pageIndex = this.page - 1;
    // Larger boxes first, so smaller ones (a row in a table, text on a rect) lie on top and get the click.
    const boxes = size
      ? this.boxes
          .filter((b) => b.page === pageIndex && b.range && b.kind !== 'page')
          .sort((a, b) => b.width * b.height - a.width * a.height)
      : [];
    const d = this.drag;
    return html`<div class="stage" tabindex="0" aria-label=${t('preview.label')} @keydown=${(e: KeyboardEvent) => this.onStageKey(e)}>
      ${this.loading ? html`<div class="busy" role="status">${t('preview.loading')}</div>` : nothing}
      ${this.renderProblem ? html`<div class="errors" role="alert">${t('preview.renderFailed', { message: this.renderProblem })}</div>` : nothing}
      ${!size && !this.pdf ? html`<p class="empty">${this.loading ? t('preview.loading') : t('preview.empty')}</p>` : nothing}
      <div class="sheet" style=${size ? `width:${size.width * s}px;height:${size.height * s}px` : 'display:none'}>
        <div class="canvas-host"></div>
        <div class="boxes">
          ${boxes.map((b) => {
            const dragging = d?.box === b && d.moved && MOVABLE_KINDS.has(b.kind);
            const style = `left:${b.x * s}px;top:${b.y * s}px;width:${Math.max(4, b.width * s)}px;height:${Math.max(4, b.height * s)}px;${
              dragging ? `transform:translate(${d.dx}px,${d.dy}px)` : ''
            }`;
            const movable = MOVABLE_KINDS.has(b.kind);
            return html`<div
              class="box ${movable ? 'movable' : ''} ${dragging ? 'dragging' : ''}"
              data-kind=${b.kind}
              data-line=${b.range!.start.line}
              role="button"
              tabindex="0"
              aria-label=${`<${b.kind}> ${t('preview.errorAt', { line: b.range!.start.line, column: b.range!.start.column })}`}
              style=${style}
              @pointerdown=${(e: PointerEvent) => this.onBoxPointerDown(e, b)}
              @pointermove=${(e: PointerEvent) => this.onBoxPointerMove(e)}
              @pointerup=${(e: PointerEvent) => this.onBoxPointerUp(e)}
              @pointercancel=${() => this.onBoxPointerCancel()}
              @keydown=${(e: KeyboardEvent) => this.onBoxKey(e, b)}
            ></div>`;
          })}
        </div>
      </div>
    </div>`;
  }
}

if (!customElements.get('attest-pdf-preview')) customElements.define('attest-pdf-preview', PdfPreview);

declare global {
  interface HTMLElementTagNameMap {
    'attest-pdf-preview': PdfPreview;
  }
}
