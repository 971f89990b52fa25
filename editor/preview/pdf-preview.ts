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
import { unsafeCSS } from 'lit';
import type { PageSizeMm, Refusal } from '../canvas/edits';
import { align, distribute, snap, snapTargets, type Distance, type Guide, type Rect } from '../canvas/geometry';
import type { EdgeDeltas, Handling } from '../canvas/operations';
import { handlingOf } from '../canvas/operations';
import { say } from '../canvas/messages';
import '../canvas/palette';
import type { ArrangeDetail, PalettePickDetail } from '../canvas/palette';
import { handleEdges, HANDLES, renderGuides, renderHandles, selectionStyles, type Handle } from '../canvas/selection-layer';
import { marginsMm } from '../canvas/units';
import { readTemplate } from '../monaco/template';

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

/** An element on the canvas: where its tag is, and what it is. */
export interface CanvasItem {
  range: Range;
  kind: string;
}

/**
 * A change asked on the canvas, for the host to write into the source (editor/canvas/canvas-controller.ts):
 * several elements moved at once (a group drag, align, distribute), one resized by its handles, one
 * inserted from the palette at a point of the page (millimetres from its top-left corner).
 */
export type CanvasEditDetail =
  | { op: 'moves'; label: 'moved' | 'aligned' | 'distributed'; items: (CanvasItem & { dxMm: number; dyMm: number })[]; pageMm: PageSizeMm }
  | { op: 'resize'; item: CanvasItem; edges: EdgeDeltas; box: { width: number; height: number }; pageMm: PageSizeMm }
  | { op: 'insert'; kind: string; at: { x: number; y: number }; page?: Range };

export interface SelectionChangeDetail {
  /** The selected elements' boxes on the page shown. */
  boxes: PreviewBox[];
  pageMm: PageSizeMm;
}

/** A drawn box's identity across previews: where its tag starts (a table flowing over pages keeps it). */
export function boxKey(box: { range?: Range }): string {
  return box.range ? `${box.range.start.line}:${box.range.start.column}` : '';
}

function unionOf(rects: readonly Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  return {
    x,
    y,
    width: Math.max(...rects.map((r) => r.x + r.width)) - x,
    height: Math.max(...rects.map((r) => r.y + r.height)) - y,
  };
}

/** Screen pixels within which a dragged edge or centre snaps. */
const SNAP_PX = 6;

const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];
/** Pixels a pointer must travel before a press becomes a drag (a click with a shaky hand stays a click). */
const DRAG_THRESHOLD = 3;

interface Drag {
  /** Moving the box (or the selection holding it), or resizing it by a handle. */
  mode: 'move' | Handle;
  box: PreviewBox;
  pointerId: number;
  startX: number;
  startY: number;
  dx: number;
  dy: number;
  moved: boolean;
  guides?: Guide[];
  distances?: Distance[];
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
    source: { attribute: false },
    selection: { attribute: false },
    armed: { state: true },
    fixedHint: { state: true },
  };

  static override styles = [
    unsafeCSS(selectionStyles),
    css`
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
        /* The toolbar below fits the width the preview is given, not the window's. */
        container-type: inline-size;
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
      /*
       * A narrow preview (a small screen, or the splitter pulled): two rows at most, the page and zoom
       * controls tightened on the first, the palette on the second, where a long one (the align buttons
       * added) scrolls in its own row rather than pushing the page sideways or growing a third.
       */
      @container (max-width: 560px) {
        .toolbar {
          gap: 2px;
          padding: 3px 4px;
        }
        .toolbar .sep {
          margin: 0 2px;
        }
        .toolbar button {
          min-width: 24px;
          padding: 0 5px;
        }
        .zoom-level {
          min-width: 3.2em;
        }
        /* One line of whole buttons (as a flex row they would shrink to clipped labels), scrolled in place. */
        .toolbar attest-canvas-palette {
          display: block;
          flex: 1 1 100%;
          min-width: 0;
          white-space: nowrap;
          overflow-x: auto;
        }
        .toolbar attest-canvas-palette + .sep,
        .toolbar .sep:has(+ attest-canvas-palette) {
          display: none;
        }
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
    `,
  ];

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
  /**
   * The template source, when the host has it: the canvas then knows what each element allows (a position
   * Liquid computes cannot be dragged, and says so) and snaps to the page's margins.
   */
  declare source: string | undefined;
  /** The selected elements (`boxKey`s); set by the host to follow the source's cursor. */
  declare selection: readonly string[];
  /** The palette's pick, placed by the next click on the page. */
  declare protected armed: string;
  declare protected fixedHint: { box: PreviewBox; reason: Refusal } | undefined;
  private handlings = new Map<string, Handling | Refusal>();
  private margins = { top: 0, right: 0, bottom: 0, left: 0 };

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
    this.source = undefined;
    this.selection = [];
    this.armed = '';
    this.fixedHint = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') || changed.has('boxes') || changed.has('pageSize' as keyof PdfPreview)) {
      this.handlings = new Map();
      const source = this.source;
      if (source !== undefined) {
        for (const b of this.boxes)
          if (b.range && b.kind !== 'page') this.handlings.set(boxKey(b), handlingOf(source, b.range, this.pageMm));
        try {
          this.margins = marginsMm(readTemplate(source).frontMatter?.page.margin);
        } catch {
          this.margins = marginsMm(undefined);
        }
      }
    }
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

  // ---- the canvas: selection, drag to move, handles to resize, palette, arrange ----

  /** The boxes of the page shown that the designer may select: those the template wrote. */
  private pageBoxes(): PreviewBox[] {
    return this.boxes.filter((b) => b.page === this.page - 1 && b.range && b.kind !== 'page');
  }

  private selectedBoxes(): PreviewBox[] {
    const keys = new Set(this.selection);
    return this.pageBoxes().filter((b) => keys.has(boxKey(b)));
  }

  /** What the source allows for a box: from its tag when the source is known, from its kind otherwise. */
  private handling(box: PreviewBox): { move: true | Refusal; resize: boolean } {
    const known = this.handlings.get(boxKey(box));
    if (known) return 'ok' in known ? { move: known, resize: false } : known;
    return MOVABLE_KINDS.has(box.kind)
      ? { move: true, resize: false }
      : { move: { ok: false, reason: 'canvas.fixed', params: { reason: `<${box.kind}>` }, message: '' }, resize: false };
  }

  private get pageMm(): PageSizeMm {
    return { width: (this.pageSize?.width ?? 0) / PT_PER_MM, height: (this.pageSize?.height ?? 0) / PT_PER_MM };
  }

  private setSelection(keys: readonly string[]): void {
    this.selection = keys;
    this.dispatchEvent(
      new CustomEvent<SelectionChangeDetail>('selection-change', {
        detail: { boxes: this.selectedBoxes(), pageMm: this.pageMm },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private onBoxPointerDown(event: PointerEvent, box: PreviewBox): void {
    if (event.button !== 0 || this.armed) return;
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    const key = boxKey(box);
    if (event.shiftKey)
      this.setSelection(this.selection.includes(key) ? this.selection.filter((k) => k !== key) : [...this.selection, key]);
    else if (!this.selection.includes(key)) this.setSelection([key]);
    this.drag = { mode: 'move', box, pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, dx: 0, dy: 0, moved: false };
    event.preventDefault();
  }

  private onHandlePointerDown(event: PointerEvent, box: PreviewBox, handle: Handle): void {
    if (event.button !== 0) return;
    event.stopPropagation();
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    this.drag = { mode: handle, box, pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, dx: 0, dy: 0, moved: false };
  }

  /** Millimetres in a rect, from a box in points. */
  private static mm(b: PreviewBox): Rect {
    return { x: b.x / PT_PER_MM, y: b.y / PT_PER_MM, width: b.width / PT_PER_MM, height: b.height / PT_PER_MM };
  }

  private snapping(moving: readonly PreviewBox[]): ReturnType<typeof snapTargets> {
    const skip = new Set(moving.map(boxKey));
    const others = this.pageBoxes()
      .filter((b) => !skip.has(boxKey(b)) && MOVABLE_KINDS.has(b.kind))
      .map((b) => PdfPreview.mm(b));
    return snapTargets({ ...this.pageMm, margins: this.margins }, others);
  }

  /** Alt moves freely; so does a preview without its source (the components' page), which has no canvas. */
  private free(event: PointerEvent): boolean {
    return event.altKey || this.source === undefined;
  }

  private onPointerMove(event: PointerEvent): void {
    const d = this.drag;
    if (!d || d.pointerId !== event.pointerId) return;
    const rawX = event.clientX - d.startX;
    const rawY = event.clientY - d.startY;
    const moved = d.moved || Math.hypot(rawX, rawY) >= DRAG_THRESHOLD;
    const k = this.scale * PT_PER_MM;
    // Snapping holds within a few screen pixels whatever the zoom; Alt moves freely.
    const threshold = SNAP_PX / k;
    if (d.mode === 'move') {
      const group = this.selection.includes(boxKey(d.box)) ? this.selectedBoxes() : [d.box];
      const blocked = group.map((b) => this.handling(b).move).find((m) => m !== true);
      if (blocked) {
        this.drag = { ...d, moved };
        if (moved) this.fixedHint = { box: d.box, reason: blocked };
        return;
      }
      const union = unionOf(group.map((b) => PdfPreview.mm(b)));
      const s = this.free(event)
        ? { dx: rawX / k, dy: rawY / k, guides: [], distances: [] }
        : snap(union, rawX / k, rawY / k, this.snapping(group), threshold, undefined, this.pageMm);
      this.drag = { ...d, moved, dx: s.dx * k, dy: s.dy * k, guides: s.guides, distances: s.distances };
      return;
    }
    const e = handleEdges(d.mode);
    const rect = PdfPreview.mm(d.box);
    const s = this.free(event)
      ? { dx: rawX / k, dy: rawY / k, guides: [], distances: [] }
      : snap(
          rect,
          e.x ? rawX / k : 0,
          e.y ? rawY / k : 0,
          this.snapping([d.box]),
          threshold,
          {
            x: e.x < 0 ? ['start'] : e.x > 0 ? ['end'] : [],
            y: e.y < 0 ? ['start'] : e.y > 0 ? ['end'] : [],
          },
          this.pageMm,
        );
    // Never smaller than a millimetre, never turned inside out.
    const dx = e.x < 0 ? Math.min(s.dx, rect.width - 1) : e.x > 0 ? Math.max(s.dx, 1 - rect.width) : 0;
    const dy = e.y < 0 ? Math.min(s.dy, rect.height - 1) : e.y > 0 ? Math.max(s.dy, 1 - rect.height) : 0;
    this.drag = { ...d, moved, dx: dx * k, dy: dy * k, guides: s.guides, distances: s.distances };
  }

  private onPointerUp(event: PointerEvent): void {
    const d = this.drag;
    if (!d || d.pointerId !== event.pointerId) return;
    this.drag = undefined;
    this.fixedHint = undefined;
    if (!d.box.range) return;
    if (!d.moved) {
      if (!event.shiftKey) this.select(d.box);
      return;
    }
    const k = this.scale * PT_PER_MM;
    if (d.mode === 'move') {
      const group = this.selection.includes(boxKey(d.box)) ? this.selectedBoxes() : [d.box];
      if (group.some((b) => this.handling(b).move !== true)) return;
      if (group.length <= 1) this.move(d.box, d.dx / this.scale, d.dy / this.scale);
      else
        this.moveMany(
          group.map((b) => ({ box: b, dxMm: d.dx / k, dyMm: d.dy / k })),
          'moved',
        );
      return;
    }
    const e = handleEdges(d.mode);
    const dx = d.dx / k;
    const dy = d.dy / k;
    this.edit({
      op: 'resize',
      item: { range: d.box.range, kind: d.box.kind },
      edges: { left: e.x < 0 ? dx : 0, right: e.x > 0 ? dx : 0, top: e.y < 0 ? dy : 0, bottom: e.y > 0 ? dy : 0 },
      box: { width: d.box.width / PT_PER_MM, height: d.box.height / PT_PER_MM },
      pageMm: this.pageMm,
    });
  }

  private onPointerCancel(): void {
    this.drag = undefined;
    this.fixedHint = undefined;
  }

  private onBoxKey(event: KeyboardEvent, box: PreviewBox): void {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const key = boxKey(box);
      if (event.shiftKey)
        this.setSelection(this.selection.includes(key) ? this.selection.filter((x) => x !== key) : [...this.selection, key]);
      else {
        this.setSelection([key]);
        this.select(box);
      }
      return;
    }
    if (event.key === 'Escape') {
      this.setSelection([]);
      return;
    }
    const arrows: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const step = arrows[event.key];
    if (!step) return;
    event.preventDefault();
    event.stopPropagation();
    const mm = event.shiftKey ? 10 : 1;
    const group = this.selection.includes(boxKey(box)) && this.selection.length > 1 ? this.selectedBoxes() : [box];
    const blocked = group.map((b) => this.handling(b).move).find((m) => m !== true);
    if (blocked) {
      this.fixedHint = { box, reason: blocked };
      return;
    }
    if (group.length === 1) this.move(box, step[0] * mm * PT_PER_MM, step[1] * mm * PT_PER_MM);
    else
      this.moveMany(
        group.map((b) => ({ box: b, dxMm: step[0] * mm, dyMm: step[1] * mm })),
        'moved',
      );
  }

  /** A click on the page itself: places the element picked in the palette, or clears the selection. */
  private onSheetPointerDown(event: PointerEvent): void {
    if (event.button !== 0 || event.target !== event.currentTarget) return;
    if (!this.armed) {
      if (this.selection.length) this.setSelection([]);
      return;
    }
    const sheet = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const k = this.scale * PT_PER_MM;
    this.place({ x: (event.clientX - sheet.left) / k, y: (event.clientY - sheet.top) / k });
  }

  /** Inserts the palette's pick at a point of the page shown (millimetres). */
  private place(at: { x: number; y: number }): void {
    const pageBox = this.boxes.find((b) => b.page === this.page - 1 && b.kind === 'page' && b.range);
    this.edit({ op: 'insert', kind: this.armed, at, ...(pageBox?.range ? { page: pageBox.range } : {}) });
    this.armed = '';
  }

  /** Aligns or distributes the selection: one change of the source for all of them. */
  private arrange(how: ArrangeDetail['how']): void {
    const group = this.selectedBoxes();
    if (group.length < 2) return;
    const rects = group.map((b) => PdfPreview.mm(b));
    const moves = how === 'distribute-x' ? distribute(rects, 'x') : how === 'distribute-y' ? distribute(rects, 'y') : align(rects, how);
    this.moveMany(
      group.map((b, i) => ({ box: b, dxMm: moves[i]!.dx, dyMm: moves[i]!.dy })),
      how.startsWith('distribute') ? 'distributed' : 'aligned',
    );
  }

  private moveMany(items: { box: PreviewBox; dxMm: number; dyMm: number }[], label: 'moved' | 'aligned' | 'distributed'): void {
    this.edit({
      op: 'moves',
      label,
      items: items.filter((i) => i.box.range).map((i) => ({ range: i.box.range!, kind: i.box.kind, dxMm: i.dxMm, dyMm: i.dyMm })),
      pageMm: this.pageMm,
    });
  }

  private edit(detail: CanvasEditDetail): void {
    this.dispatchEvent(new CustomEvent<CanvasEditDetail>('canvas-edit', { detail, bubbles: true, composed: true }));
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
    if (event.key === 'Escape' && (this.armed || this.selection.length)) {
      this.armed = '';
      this.setSelection([]);
      return;
    }
    if (event.target !== event.currentTarget) return;
    if (this.armed && event.key === 'Enter') {
      // Without a pointer, the element picked goes to the page's top-left margin corner.
      event.preventDefault();
      this.place({ x: this.margins.left, y: this.margins.top });
      return;
    }
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
      ${
        this.source !== undefined
          ? html`<span class="sep" aria-hidden="true"></span>
              <attest-canvas-palette
                .armed=${this.armed}
                .selectedCount=${this.selectedBoxes().length}
                ?disabled=${none}
                @palette-pick=${(e: CustomEvent<PalettePickDetail>) => (this.armed = e.detail.kind ?? '')}
                @arrange=${(e: CustomEvent<ArrangeDetail>) => this.arrange(e.detail.how)}
              ></attest-canvas-palette>`
          : nothing
      }
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
    const k = s * PT_PER_MM;
    // Larger boxes first, so smaller ones (a row in a table, text on a rect) lie on top and get the click.
    const boxes = size ? this.pageBoxes().sort((a, b) => b.width * b.height - a.width * a.height) : [];
    const d = this.drag;
    const selected = new Set(this.selection);
    const group = d?.mode === 'move' && d.moved ? (selected.has(boxKey(d.box)) ? selected : new Set([boxKey(d.box)])) : new Set<string>();
    const single = this.selection.length === 1 ? boxes.find((b) => boxKey(b) === this.selection[0]) : undefined;
    return html`<div class="stage" tabindex="0" aria-label=${t('preview.label')} @keydown=${(e: KeyboardEvent) => this.onStageKey(e)}>
      ${this.loading ? html`<div class="busy" role="status">${t('preview.loading')}</div>` : nothing}
      ${this.renderProblem ? html`<div class="errors" role="alert">${t('preview.renderFailed', { message: this.renderProblem })}</div>` : nothing}
      ${!size && !this.pdf ? html`<p class="empty">${this.loading ? t('preview.loading') : t('preview.empty')}</p>` : nothing}
      <div class="sheet" style=${size ? `width:${size.width * s}px;height:${size.height * s}px` : 'display:none'}>
        <div class="canvas-host"></div>
        <div
          class="boxes ${this.armed ? 'placing' : ''}"
          @pointerdown=${(e: PointerEvent) => this.onSheetPointerDown(e)}
          @pointermove=${(e: PointerEvent) => this.onPointerMove(e)}
          @pointerup=${(e: PointerEvent) => this.onPointerUp(e)}
          @pointercancel=${() => this.onPointerCancel()}
        >
          ${boxes.map((b) => {
            const key = boxKey(b);
            const handling = this.handling(b);
            const moving = group.has(key) && handling.move === true;
            let r = { x: b.x * s, y: b.y * s, width: b.width * s, height: b.height * s };
            if (d && d.moved && d.mode !== 'move' && d.box === b) {
              const e = handleEdges(d.mode);
              r = {
                x: r.x + (e.x < 0 ? d.dx : 0),
                y: r.y + (e.y < 0 ? d.dy : 0),
                width: r.width + (e.x < 0 ? -d.dx : e.x > 0 ? d.dx : 0),
                height: r.height + (e.y < 0 ? -d.dy : e.y > 0 ? d.dy : 0),
              };
            }
            const style = `left:${r.x}px;top:${r.y}px;width:${Math.max(4, r.width)}px;height:${Math.max(4, r.height)}px;${
              moving ? `transform:translate(${d!.dx}px,${d!.dy}px)` : ''
            }`;
            const fixed = handling.move !== true;
            return html`<div
              class="box ${!fixed ? 'movable' : 'fixed'} ${moving ? 'dragging' : ''} ${selected.has(key) ? 'selected' : ''}"
              data-kind=${b.kind}
              data-line=${b.range!.start.line}
              data-key=${key}
              role="button"
              tabindex="0"
              aria-pressed=${selected.has(key) ? 'true' : 'false'}
              aria-label=${`<${b.kind}> ${t('preview.errorAt', { line: b.range!.start.line, column: b.range!.start.column })}`}
              title=${handling.move === true ? '' : say(handling.move.reason, handling.move.params)}
              style=${style}
              @pointerdown=${(e: PointerEvent) => this.onBoxPointerDown(e, b)}
              @keydown=${(e: KeyboardEvent) => this.onBoxKey(e, b)}
            ></div>`;
          })}
          ${
            single && this.handling(single).resize && !(d?.moved && d.mode === 'move')
              ? renderHandles(
                  d?.moved && d.box === single && d.mode !== 'move'
                    ? (() => {
                        const e = handleEdges(d.mode);
                        return {
                          x: single.x * s + (e.x < 0 ? d.dx : 0),
                          y: single.y * s + (e.y < 0 ? d.dy : 0),
                          width: single.width * s + (e.x < 0 ? -d.dx : e.x > 0 ? d.dx : 0),
                          height: single.height * s + (e.y < 0 ? -d.dy : e.y > 0 ? d.dy : 0),
                        };
                      })()
                    : { x: single.x * s, y: single.y * s, width: single.width * s, height: single.height * s },
                  single.kind === 'table' ? ['e', 'w'] : single.kind === 'qr' ? ['ne', 'se', 'sw', 'nw'] : HANDLES,
                  (e, h) => this.onHandlePointerDown(e, single, h),
                )
              : nothing
          }
          ${
            this.fixedHint
              ? html`<div
                  class="fixed-reason"
                  role="status"
                  style=${`left:${this.fixedHint.box.x * s}px;top:${(this.fixedHint.box.y + this.fixedHint.box.height) * s + 4}px`}
                >
                  ${say('canvas.fixed', { reason: say(this.fixedHint.reason.reason, this.fixedHint.reason.params) })}
                </div>`
              : nothing
          }
          ${d?.moved && size ? renderGuides(d.guides ?? [], d.distances ?? [], k, { width: size.width * s, height: size.height * s }) : nothing}
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
