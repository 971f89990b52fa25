import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PreviewRenderedDetail } from '../../preview/pdf-preview';

/**
 * Wait after the last keystroke before asking for a preview. Short on purpose: the target is a new page
 * under 150 ms after the last keystroke, and this wait is part of it (80 ms was over half the budget).
 * Requests never pile up however fast one types: one is in flight at a time and only the latest text is
 * sent after it.
 */
export const PREVIEW_DEBOUNCE_MS = 30;

/** How long the last preview took, from the edit it shows to its page on screen, and where the time went. */
export interface PreviewMeasure {
  /** Edit → page on screen. */
  ms: number;
  /** Waiting after the edit, the server's answer, pdf.js's page. */
  timing: { debounce: number; server: number; pdfjs: number; total: number };
}

/** Dispatched by the host (bubbling) each time a preview is measured: the browser test's latency probe. */
export type PreviewMeasuredDetail = PreviewMeasure;

export interface PreviewControllerOptions<A> {
  /** Asks the server for a preview of what the host holds now. */
  request: () => Promise<A>;
  /** Shows an answer that is still current; true when it hands a new page to the PDF preview (then measured). */
  show: (answer: A) => boolean;
}

/**
 * Schedules the previews of a screen: a short wait after each edit, one request in flight at a time, an
 * answer that a newer edit made stale dropped for one more round, and the latency of each preview (from the
 * edit to pdf.js's page) measured. What to ask and how to show it is the host's.
 */
export class PreviewController<A> implements ReactiveController {
  /** True while a request is out (the preview shows it is working). */
  loading = false;
  /** The last measure, shown in the screen's bar. */
  last: PreviewMeasure | undefined;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  /** Set while a preview is in flight and the text (or sample) changed again: one more round after it. */
  private again = false;
  /** When the edit that the coming preview shows was made (performance.now()). */
  private editAt = 0;
  /** The edit time of the PDF handed to the preview, until pdf.js says it is on screen. */
  private shownEditAt: number | undefined;
  private timing: { debounce: number; server: number } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: PreviewControllerOptions<A>,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** Something the preview shows changed (the text, the sample, the assets): a new preview after `delay`. */
  edited(delay = PREVIEW_DEBOUNCE_MS): void {
    this.editAt = performance.now();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delay);
  }

  /** A preview now (the screen's first). */
  now(): void {
    this.editAt = performance.now();
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.again = false;
    this.setLoading(true);
    const editAt = this.editAt;
    const requestedAt = performance.now();
    const answer = await this.options.request();
    this.inFlight = false;
    if (this.again) {
      // The text changed meanwhile: this answer is already stale; ask again for the latest.
      void this.run();
      return;
    }
    this.setLoading(false);
    if (this.options.show(answer)) {
      this.shownEditAt = editAt;
      this.timing = { debounce: Math.round(requestedAt - editAt), server: Math.round(performance.now() - requestedAt) };
    }
  }

  /** pdf.js put a page on screen: if it is the one last handed over, the preview is measured. */
  rendered(detail: PreviewRenderedDetail): void {
    if (this.shownEditAt === undefined) return;
    const ms = Math.round(detail.shownAt - this.shownEditAt);
    this.shownEditAt = undefined;
    this.last = { ms, timing: { ...(this.timing ?? { debounce: 0, server: 0 }), pdfjs: Math.round(detail.ms), total: ms } };
    this.host.requestUpdate();
    this.host.dispatchEvent(
      new CustomEvent<PreviewMeasuredDetail>('preview-measured', { detail: this.last, bubbles: true, composed: true }),
    );
  }

  private setLoading(loading: boolean): void {
    this.loading = loading;
    this.host.requestUpdate();
  }
}
