import { html, nothing, type PropertyValues } from 'lit';
import '../components/source-editor';
import '../components/sample-data';
import '../components/variables-panel';
import '../components/version-diff';
import '../preview/pdf-preview';
import type { DiagnosticsDetail, SourceChangeDetail, SourceEditor } from '../components/source-editor';
import type { SampleChangeDetail } from '../components/sample-data';
import type { InsertTextDetail } from '../components/variables-panel';
import type { ElementMoveDetail, ElementSelectDetail, PdfPreview, PreviewBox, PreviewRenderedDetail } from '../preview/pdf-preview';
import { moveElement } from '../preview/move';
import type { EditorDiagnostic } from '../monaco/language';
import { readTemplate } from '../monaco/template';
import { catalogue } from '../../variables/catalogue';
import type { Diagnostic as SourceDiagnostic } from '../../variables/diagnostics';
import type { Schema } from '../../variables/types';
import { getLocale, t, type MessageKey } from '../i18n';
import { api, base64Bytes, holds, type ApiError, type Me, type TemplateDetail } from './api';
import './assets-panel';
import './versions-panel';
import type { CompareDetail } from './versions-panel';
import { AppElement, linkHandler } from './base';
import { errorBox } from './error-box';
import { tr } from './messages';
import { paths } from './router';

/**
 * Wait after the last keystroke before asking for a preview. Short on purpose: the target is a new preview
 * under 300 ms after the last keystroke, and a render of the reference example takes tens of
 * milliseconds. Requests never pile up: one is in flight at a time and only the latest text is sent after it.
 */
export const PREVIEW_DEBOUNCE_MS = 80;
/** Autosave after this quiet time; Ctrl/Cmd+S and the button save at once. */
const AUTOSAVE_MS = 2000;

type Tab = 'sample' | 'variables' | 'assets' | 'versions';
type SaveState = 'saved' | 'dirty' | 'saving' | 'error';

interface Sample {
  persona?: string;
  data?: Record<string, unknown>;
}

/** The server's diagnostics carry the same fields as the analyzer's; only the ones with a range can be shown at their place. */
function asSourceDiagnostics(list: readonly { stage: string; code: string; severity: string; message: string }[]): SourceDiagnostic[] {
  return list as unknown as SourceDiagnostic[];
}

/**
 * `<attest-template-editor>`: one template's draft. Source in Monaco (`<attest-source-editor>`), live PDF
 * preview (`<attest-pdf-preview>`) linked both ways, sample learner, variables, assets, versions,
 * save (autosave, button, Ctrl/Cmd+S) and publish.
 *
 * The last preview latency (from the edit that produced it to its page on screen) is kept in
 * `data-preview-ms`, for the browser test and for whoever wonders why a preview is slow.
 */
export class TemplateEditor extends AppElement {
  static override properties = {
    me: { attribute: false },
    templateId: { type: String },
    detail: { state: true },
    name: { state: true },
    saveState: { state: true },
    problems: { state: true },
    pdf: { state: true },
    boxes: { state: true },
    previewError: { state: true },
    previewLoading: { state: true },
    sample: { state: true },
    schema: { state: true },
    declared: { state: true },
    tab: { state: true },
    notice: { state: true },
    failure: { state: true },
    publishDiagnostics: { state: true },
    compare: { state: true },
    previewMs: { state: true },
  };
  declare me: Me | undefined;
  declare templateId: string;
  declare protected detail: TemplateDetail | undefined;
  declare protected name: string;
  declare protected saveState: SaveState;
  declare protected problems: { errors: number; warnings: number } | undefined;
  declare protected pdf: Uint8Array | undefined;
  declare protected boxes: readonly PreviewBox[];
  declare protected previewError: readonly SourceDiagnostic[] | undefined;
  declare protected previewLoading: boolean;
  declare protected sample: Sample;
  declare protected schema: Schema;
  declare protected declared: Schema;
  declare protected tab: Tab;
  declare protected notice: string;
  declare protected failure: ApiError | undefined;
  declare protected publishDiagnostics: readonly SourceDiagnostic[];
  declare protected compare: CompareDetail | undefined;
  declare protected previewMs: number | undefined;

  /** The text in the editor now, and the last text the server has. */
  private source = '';
  private savedSource = '';
  private previewTimer: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  /** Numbers the preview requests, so an answer that waited is dropped when a newer one has started. */
  private seq = 0;
  /** Set while a preview is in flight and the text (or sample) changed again: one more round after it. */
  private previewAgain = false;
  /** When the edit that the coming preview shows was made (performance.now()). */
  private editAt = 0;
  /** The edit time of the PDF handed to the preview, until pdf.js says it is on screen. */
  private shownEditAt: number | undefined;
  /** Where the time of the last preview went: waiting after the edit, the server's answer, pdf.js. */
  private timing: { debounce: number; server: number } | undefined;

  constructor() {
    super();
    this.me = undefined;
    this.templateId = '';
    this.detail = undefined;
    this.name = '';
    this.saveState = 'saved';
    this.problems = undefined;
    this.pdf = undefined;
    this.boxes = [];
    this.previewError = undefined;
    this.previewLoading = false;
    this.sample = { persona: 'camille-martin' };
    this.schema = catalogue;
    this.declared = {};
    this.tab = 'sample';
    this.notice = '';
    this.failure = undefined;
    this.publishDiagnostics = [];
    this.compare = undefined;
    this.previewMs = undefined;
  }

  private get canEdit(): boolean {
    return holds(this.me, 'templates:edit');
  }

  private get editor(): SourceEditor | null {
    return this.querySelector('attest-source-editor');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
    window.addEventListener('beforeunload', this.onUnload);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onKey);
    window.removeEventListener('beforeunload', this.onUnload);
    clearTimeout(this.previewTimer);
    // Leaving the screen saves what was typed rather than dropping it.
    if (this.saveState === 'dirty') void this.save();
    clearTimeout(this.saveTimer);
  }

  private readonly onKey = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void this.save();
    }
  };

  private readonly onUnload = (e: BeforeUnloadEvent) => {
    if (this.saveState === 'dirty' || this.saveState === 'saving') e.preventDefault();
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('templateId') && this.templateId) void this.load();
  }

  private async load(): Promise<void> {
    const r = await api.template(this.templateId);
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.detail = r.value;
    this.name = r.value.name;
    this.source = r.value.source;
    this.savedSource = r.value.source;
    this.saveState = 'saved';
    this.readSchema();
    await this.updateComplete;
    const ed = this.editor;
    if (ed) ed.value = this.source;
    this.editAt = performance.now();
    void this.runPreview();
  }

  /** Reloads the template after an asset change (its list and the draft's key for the preview cache). */
  private async reloadAssets(): Promise<void> {
    const r = await api.template(this.templateId);
    if (!r.ok) return;
    this.detail = { ...r.value, source: this.detail?.source ?? r.value.source };
    this.editAt = performance.now();
    this.schedulePreview(0);
  }

  private readSchema(): void {
    // The front matter's declarations are read in the browser (no round trip): the sample data and the
    // variables panel follow the template as it is typed.
    try {
      ({ schema: this.schema, declared: this.declared } = readTemplate(this.source));
    } catch {
      this.schema = catalogue;
      this.declared = {};
    }
  }

  private onSourceChange(e: CustomEvent<SourceChangeDetail>): void {
    this.source = e.detail.value;
    this.editAt = performance.now();
    this.readSchema();
    if (this.source !== this.savedSource) {
      this.saveState = 'dirty';
      clearTimeout(this.saveTimer);
      if (this.canEdit) this.saveTimer = setTimeout(() => void this.save(), AUTOSAVE_MS);
    }
    this.schedulePreview(PREVIEW_DEBOUNCE_MS);
  }

  private onDiagnostics(e: CustomEvent<DiagnosticsDetail>): void {
    const list: readonly EditorDiagnostic[] = e.detail.diagnostics;
    this.problems = { errors: list.filter((d) => d.severity === 'error').length, warnings: list.filter((d) => d.severity === 'warning').length };
  }

  private schedulePreview(delay: number): void {
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => void this.runPreview(), delay);
  }

  private async runPreview(): Promise<void> {
    if (this.inFlight) {
      this.previewAgain = true;
      return;
    }
    this.inFlight = true;
    this.previewAgain = false;
    this.previewLoading = true;
    const source = this.source;
    const editAt = this.editAt;
    const requestedAt = performance.now();
    const seq = ++this.seq;
    const body = { source, ...(this.sample.persona !== undefined ? { persona: this.sample.persona } : this.sample.data !== undefined ? { data: this.sample.data } : {}) };
    const r = await api.preview(this.templateId, body);
    this.inFlight = false;
    if (this.previewAgain) {
      // The text changed meanwhile: this answer is already stale; ask again for the latest.
      void this.runPreview();
      return;
    }
    this.previewLoading = false;
    if (!r.ok) {
      this.previewError = [{ stage: 'server', code: r.code, severity: 'error', message: r.message } as unknown as SourceDiagnostic];
      return;
    }
    const { pdf, diagnostics, boxes } = r.value;
    if (pdf) {
      this.shownEditAt = editAt;
      this.timing = { debounce: Math.round(requestedAt - editAt), server: Math.round(performance.now() - requestedAt) };
      this.pdf = base64Bytes(pdf);
      this.boxes = boxes;
      this.previewError = undefined;
    } else {
      // No PDF: the problems take the preview's place (never a blank pane, never a stale page as if current).
      const errors = diagnostics.filter((d) => d.severity === 'error');
      this.previewError = asSourceDiagnostics(errors.length ? errors : diagnostics);
    }
  }

  private onRendered(e: CustomEvent<PreviewRenderedDetail>): void {
    if (this.shownEditAt === undefined) return;
    this.previewMs = Math.round(e.detail.shownAt - this.shownEditAt);
    this.shownEditAt = undefined;
    this.dataset.previewMs = String(this.previewMs);
    // Counted, so a reader (the latency test) knows a new measure arrived even when it equals the last.
    this.dataset.previewsMeasured = String(Number(this.dataset.previewsMeasured ?? 0) + 1);
    if (this.timing) this.dataset.previewTiming = JSON.stringify({ ...this.timing, pdfjs: Math.round(e.detail.ms), total: this.previewMs });
    this.dataset.previewText = e.detail.text.slice(0, 2000);
  }

  private async save(): Promise<void> {
    clearTimeout(this.saveTimer);
    if (!this.canEdit || !this.detail) return;
    const source = this.source;
    const name = this.name.trim();
    if (source === this.savedSource && name === this.detail.name) {
      this.saveState = 'saved';
      return;
    }
    this.saveState = 'saving';
    const r = await api.updateTemplate(this.templateId, { source, ...(name && name !== this.detail.name ? { name } : {}) });
    if (!r.ok) {
      this.saveState = 'error';
      this.failure = r;
      return;
    }
    this.failure = undefined;
    this.savedSource = source;
    this.detail = { ...r.value };
    this.saveState = this.source === source ? 'saved' : 'dirty';
  }

  private async publish(): Promise<void> {
    await this.save();
    if (this.saveState === 'error') return;
    this.notice = '';
    const r = await api.publish(this.templateId);
    if (!r.ok) {
      const diagnostics = r.details?.['diagnostics'];
      this.publishDiagnostics = Array.isArray(diagnostics) ? asSourceDiagnostics(diagnostics as SourceDiagnostic[]) : [];
      this.failure = r;
      this.notice = this.publishDiagnostics.length ? tr('editor.publishFailed', { count: this.publishDiagnostics.length }) : '';
      return;
    }
    this.failure = undefined;
    this.publishDiagnostics = [];
    this.notice = tr('editor.published', { number: r.value.version.number });
    const fresh = await api.template(this.templateId);
    if (fresh.ok) this.detail = { ...fresh.value, source: this.source };
  }

  private onSelect(e: CustomEvent<ElementSelectDetail>): void {
    this.editor?.reveal(e.detail.range);
  }

  private onMove(e: CustomEvent<ElementMoveDetail>): void {
    const d = e.detail;
    const result = moveElement(this.source, d.range, d.dxMm, d.dyMm, d.pageMm);
    if (!result.ok) {
      this.notice = tr('editor.moveRefused', { reason: t(result.reason as MessageKey, result.params) });
      return;
    }
    this.notice = t('move.moved');
    // Through the editor, so the move is one undoable edit and `source-change` follows as for typing.
    const ed = this.editor;
    if (ed) ed.value = result.source;
  }

  private onInsert(e: CustomEvent<InsertTextDetail>): void {
    const code = this.editor?.codeEditor;
    if (!code) return;
    const selection = code.getSelection();
    if (selection) code.executeEdits('variables-panel', [{ range: selection, text: e.detail.text, forceMoveMarkers: true }]);
    code.focus();
  }

  private onSample(e: CustomEvent<SampleChangeDetail>): void {
    this.sample = e.detail.persona !== undefined ? { persona: e.detail.persona } : e.detail.data !== undefined ? { data: e.detail.data } : {};
    this.editAt = performance.now();
    this.schedulePreview(0);
  }

  private openCompare(detail: CompareDetail): void {
    this.compare = detail;
    // Keyboard users land in the dialog, and Escape or its button brings them back to the versions panel.
    void this.updateComplete.then(() => this.querySelector<HTMLButtonElement>('.close-compare')?.focus());
  }

  private closeCompare(): void {
    this.compare = undefined;
    void this.updateComplete.then(() => this.querySelector<HTMLButtonElement>('#tab-versions')?.focus());
  }

  private saveLabel(): string {
    switch (this.saveState) {
      case 'saved':
        return tr('editor.saved');
      case 'saving':
        return tr('editor.saving');
      case 'dirty':
        return tr('editor.unsaved');
      case 'error':
        return this.failure?.message ?? tr('editor.unsaved');
    }
  }

  private tabButton(tab: Tab, label: string): unknown {
    return html`<button
      type="button"
      role="tab"
      id=${`tab-${tab}`}
      aria-selected=${this.tab === tab ? 'true' : 'false'}
      aria-controls=${`panel-${tab}`}
      tabindex=${this.tab === tab ? 0 : -1}
      @click=${() => (this.tab = tab)}
      @keydown=${(e: KeyboardEvent) => this.tabKey(e)}
    >
      ${label}
    </button>`;
  }

  /** Arrow keys move between tabs, as in any tab list. */
  private tabKey(e: KeyboardEvent): void {
    const order: Tab[] = ['sample', 'variables', 'assets', 'versions'];
    const i = order.indexOf(this.tab);
    const next = e.key === 'ArrowRight' ? order[(i + 1) % order.length] : e.key === 'ArrowLeft' ? order[(i + order.length - 1) % order.length] : undefined;
    if (!next) return;
    e.preventDefault();
    this.tab = next;
    void this.updateComplete.then(() => this.querySelector<HTMLButtonElement>(`#tab-${next}`)?.focus());
  }

  /**
   * Every panel stays rendered (hidden when not chosen): the sample learner picked or the JSON typed
   * survives a look at the variables.
   */
  private side(): unknown {
    const d = this.detail;
    return html`<div id="panel-sample" role="tabpanel" aria-labelledby="tab-sample" ?hidden=${this.tab !== 'sample'}>
        <attest-sample-data .schema=${this.schema} @sample-change=${(e: CustomEvent<SampleChangeDetail>) => this.onSample(e)}></attest-sample-data>
      </div>
      <div id="panel-variables" role="tabpanel" aria-labelledby="tab-variables" ?hidden=${this.tab !== 'variables'}>
        <attest-variables-panel .declared=${this.declared} @insert-text=${(e: CustomEvent<InsertTextDetail>) => this.onInsert(e)}></attest-variables-panel>
      </div>
      <div id="panel-assets" role="tabpanel" aria-labelledby="tab-assets" ?hidden=${this.tab !== 'assets'}>
        <attest-assets-panel .templateId=${this.templateId} .assets=${d?.assets ?? []} .canEdit=${this.canEdit} @assets-change=${() => void this.reloadAssets()}></attest-assets-panel>
      </div>
      <div id="panel-versions" role="tabpanel" aria-labelledby="tab-versions" ?hidden=${this.tab !== 'versions'}>
        <attest-versions-panel
          .templateId=${this.templateId}
          .versions=${d?.versions ?? []}
          .draft=${this.source}
          @compare-versions=${(e: CustomEvent<CompareDetail>) => this.openCompare(e.detail)}
        ></attest-versions-panel>
      </div>`;
  }

  protected override render(): unknown {
    const d = this.detail;
    const p = this.problems;
    return html`<main id="main" class="template-editor" data-save-state=${this.saveState}>
      <div class="editor-bar">
        <a href=${paths.templates} @click=${linkHandler(this, paths.templates)}>← ${tr('editor.back')}</a>
        <label class="name"
          >${tr('editor.name')}
          <input
            .value=${this.name}
            ?readonly=${!this.canEdit}
            @input=${(e: Event) => {
              this.name = (e.target as HTMLInputElement).value;
              this.saveState = 'dirty';
            }}
            @change=${() => void this.save()}
        /></label>
        <span class="status" role="status" aria-live="polite" data-testid="problems"
          >${p ? (p.errors + p.warnings === 0 ? tr('editor.noProblems') : tr('editor.problems', { errors: p.errors, warnings: p.warnings })) : ''}</span
        >
        <span class="save-state" aria-live="polite">${this.saveLabel()}</span>
        ${this.previewMs !== undefined ? html`<span class="muted">${tr('editor.previewMs', { ms: this.previewMs })}</span>` : nothing}
        <span class="spacer"></span>
        ${this.canEdit ? html`<button type="button" @click=${() => void this.save()} ?disabled=${this.saveState === 'saving'}>${tr('editor.save')}</button>` : nothing}
        ${holds(this.me, 'templates:publish') ? html`<button type="button" class="primary" @click=${() => void this.publish()}>${tr('editor.publish')}</button>` : nothing}
      </div>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${errorBox(this.failure)}
      ${this.publishDiagnostics.length
        ? html`<ul class="publish-problems" aria-label=${tr('editor.publishFailed', { count: this.publishDiagnostics.length })}>
            ${this.publishDiagnostics.map(
              (x) =>
                html`<li>
                  <button type="button" class="link" ?disabled=${!x.range} @click=${() => x.range && this.editor?.reveal(x.range)}>
                    ${x.range ? `${x.range.start.line}:${x.range.start.column}` : ''} <code>${x.code}</code> ${x.message}
                  </button>
                </li>`,
            )}
          </ul>`
        : nothing}
      <div class="panes">
        <attest-source-editor
          class="source"
          aria-label=${tr('editor.source')}
          doc-language=${getLocale()}
          @source-change=${(e: CustomEvent<SourceChangeDetail>) => this.onSourceChange(e)}
          @diagnostics-change=${(e: CustomEvent<DiagnosticsDetail>) => this.onDiagnostics(e)}
        ></attest-source-editor>
        <attest-pdf-preview
          class="preview"
          .pdf=${this.pdf}
          .boxes=${this.boxes}
          .error=${this.previewError}
          ?loading=${this.previewLoading}
          @element-select=${(e: CustomEvent<ElementSelectDetail>) => this.onSelect(e)}
          @element-move=${(e: CustomEvent<ElementMoveDetail>) => this.onMove(e)}
          @preview-rendered=${(e: CustomEvent<PreviewRenderedDetail>) => this.onRendered(e)}
        ></attest-pdf-preview>
        <aside class="side" aria-label=${tr('editor.tabs')}>
          <div role="tablist" aria-label=${tr('editor.tabs')}>
            ${this.tabButton('sample', tr('editor.tab.sample'))} ${this.tabButton('variables', tr('editor.tab.variables'))}
            ${this.tabButton('assets', tr('editor.tab.assets'))} ${this.tabButton('versions', tr('editor.tab.versions'))}
          </div>
          ${d ? this.side() : nothing}
        </aside>
      </div>
      ${this.compare
        ? html`<div
            class="overlay"
            role="dialog"
            aria-modal="true"
            aria-label=${t('diff.title')}
            @keydown=${(e: KeyboardEvent) => {
              if (e.key === 'Escape') this.closeCompare();
            }}
          >
            <div class="overlay-bar">
              <strong>${t('diff.title')}</strong>
              <button type="button" class="close-compare" @click=${() => this.closeCompare()}>${tr('app.close')}</button>
            </div>
            <attest-version-diff .left=${this.compare.left} .right=${this.compare.right} .leftLabel=${this.compare.leftLabel} .rightLabel=${this.compare.rightLabel}></attest-version-diff>
          </div>`
        : nothing}
    </main>`;
  }
}
customElements.define('attest-template-editor', TemplateEditor);

declare global {
  interface HTMLElementTagNameMap {
    'attest-template-editor': TemplateEditor;
  }
}

export type { PdfPreview };
