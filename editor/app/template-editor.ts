import { html, nothing, type PropertyValues } from 'lit';
import '../components/source-editor';
import '../components/sample-data';
import '../components/variables-panel';
import '../components/version-diff';
import '../components/problems-panel';
import type { ProblemFixDetail, ProblemSelectDetail } from '../components/problems-panel';
import '../components/samples-grid';
import '../components/preview-tools';
import type { SampleOutcome, SamplePickDetail } from '../components/samples-grid';
import { savedSplit, specimenFileName, type SplitChangeDetail } from '../components/preview-tools';
import type { RenderedSide } from '../components/version-diff';
import '../preview/pdf-preview';
import type { DiagnosticsDetail, SourceChangeDetail, SourceEditor } from '../components/source-editor';
import type { SampleChangeDetail } from '../components/sample-data';
import type { InsertTextDetail } from '../components/variables-panel';
import type { ElementMoveDetail, ElementSelectDetail, PdfPreview, PreviewBox, PreviewRenderedDetail } from '../preview/pdf-preview';
// The canvas (issue 14): selection, handles, palette and the property panel over the preview.
import '../canvas/property-panel';
import { CanvasController } from '../canvas/canvas-controller';
import type { CanvasEditDetail, SelectionChangeDetail } from '../preview/pdf-preview';
import type { PropertyChangeDetail } from '../canvas/property-panel';
import { ct } from '../canvas/messages';
import { declaredAssets, fontRoles } from '../monaco/template';
import type { EditorDiagnostic } from '../monaco/language';
import { readTemplate } from '../monaco/template';
import { catalogue } from '../../variables/catalogue';
import type { Diagnostic as SourceDiagnostic } from '../../variables/diagnostics';
import type { Schema } from '../../variables/types';
import { getLocale, t } from '../i18n';
import { api, base64Bytes, holds, type ApiError, type Me, type PreviewResult, type Result, type TemplateDetail } from './api';
import { AutosaveController } from './controllers/autosave-controller';
import { PreviewController } from './controllers/preview-controller';
import { TabsController } from './controllers/tabs-controller';
import './assets-panel';
import './versions-panel';
import { NO_FINDINGS, publishFindings, type PublishFindings, type RevealDetail } from './publish-report';
import type { CompareDetail } from './versions-panel';
import { AppElement, linkHandler } from './base';
import { errorBox } from './error-box';
import { tr } from './messages';
import { paths } from './router';

type Tab = 'sample' | 'variables' | 'assets' | 'versions' | 'properties';

interface Sample {
  persona?: string;
  data?: Record<string, unknown>;
}

/** The server's diagnostics carry the same fields as the analyzer's; only the ones with a range can be shown at their place. */
function asSourceDiagnostics(list: readonly { stage: string; code: string; severity: string; message: string }[]): SourceDiagnostic[] {
  return list as unknown as SourceDiagnostic[];
}

const SIDE_PANELS_KEY = 'attest.editor.side';

/** Whether the side-panel drawer was left open in this browser (closed at first: the source needs the room). */
function savedSidePanels(): boolean {
  try {
    return localStorage.getItem(SIDE_PANELS_KEY) === 'open';
  } catch {
    return false;
  }
}

/**
 * `<attest-template-editor>`: one template's draft. Source in Monaco (`<attest-source-editor>`), live PDF
 * preview (`<attest-pdf-preview>`) linked both ways, sample learner, variables, assets, versions,
 * save and publish. When previews are asked for is the PreviewController's, when the draft is saved (quiet
 * time, button, Ctrl/Cmd+S, leaving) the AutosaveController's.
 *
 * The last preview latency (from the edit that produced it to its page on screen) is shown in the bar, for
 * whoever wonders why a preview is slow, and each measure is dispatched as `preview-measured`.
 */
export class TemplateEditor extends AppElement {
  static override properties = {
    me: { attribute: false },
    templateId: { type: String },
    detail: { state: true },
    name: { state: true },
    problems: { state: true },
    diagnostics: { state: true },
    pdf: { state: true },
    boxes: { state: true },
    previewError: { state: true },
    sample: { state: true },
    schema: { state: true },
    declared: { state: true },
    notice: { state: true },
    failure: { state: true },
    publishFindings: { state: true },
    compare: { state: true },
    staleProblems: { state: true },
    split: { state: true },
    allSamples: { state: true },
    samplesRevision: { state: true },
    sourceMounted: { state: true },
    sidePanelsOpen: { state: true },
  };
  declare me: Me | undefined;
  declare templateId: string;
  declare protected detail: TemplateDetail | undefined;
  declare protected name: string;
  declare protected problems: { errors: number; warnings: number } | undefined;
  declare protected diagnostics: readonly EditorDiagnostic[];
  declare protected pdf: Uint8Array | undefined;
  declare protected boxes: readonly PreviewBox[];
  declare protected previewError: readonly SourceDiagnostic[] | undefined;
  declare protected sample: Sample;
  declare protected schema: Schema;
  declare protected declared: Schema;
  declare protected notice: string;
  declare protected failure: ApiError | undefined;
  declare protected publishFindings: PublishFindings;
  declare protected compare: CompareDetail | undefined;
  /** The problems of a text that does not render, shown over the last page that did. */
  declare protected staleProblems: readonly SourceDiagnostic[];
  /** The source's share of the width it divides with the preview (the splitter's). */
  declare protected split: number;
  /** The preview shows every sample learner at once instead of the one chosen. */
  declare protected allSamples: boolean;
  declare protected samplesRevision: number;
  /**
   * Monaco is set up once the first page is on screen (or the first preview failed). Set up beside it, its
   * main-thread work (≈ 0.5–0.9 s on this machine) was most of the wait for the first page; the designer
   * opened the template to see it, and the source follows a moment later.
   */
  declare protected sourceMounted: boolean;
  /** Below 1100 px the side panels are a drawer over the preview (app.css): open or not, kept in the browser. */
  declare protected sidePanelsOpen: boolean;

  /** The text in the editor now, and the last text the server has. */
  private source = '';
  private savedSource = '';
  private readonly previews = new PreviewController<Result<PreviewResult>>(this, {
    request: () => this.requestPreview(),
    show: (r) => this.showPreview(r),
  });
  private readonly autosave = new AutosaveController(this, {
    save: () => this.save(),
    enabled: () => this.canEdit,
    hasChanges: () => this.source !== this.savedSource || (!!this.detail && this.name.trim() !== this.detail.name),
  });
  private readonly tabs = new TabsController<Tab>(this, ['sample', 'variables', 'assets', 'versions', 'properties']);
  private readonly canvas = new CanvasController(this, {
    source: () => this.source,
    editor: () => this.editor,
    notice: (text) => (this.notice = text),
    imageAssets: () =>
      declaredAssets(readTemplate(this.source))
        .filter((a) => a.kind === 'image')
        .map((a) => a.name),
    showProperties: () => this.tabs.select('properties'),
  });

  constructor() {
    super();
    this.me = undefined;
    this.templateId = '';
    this.detail = undefined;
    this.name = '';
    this.problems = undefined;
    this.diagnostics = [];
    this.pdf = undefined;
    this.boxes = [];
    this.previewError = undefined;
    this.sample = { persona: 'camille-martin' };
    this.schema = catalogue;
    this.declared = {};
    this.notice = '';
    this.failure = undefined;
    this.publishFindings = NO_FINDINGS;
    this.compare = undefined;
    this.staleProblems = [];
    this.split = savedSplit();
    this.allSamples = false;
    this.samplesRevision = 0;
    this.sourceMounted = false;
    this.sidePanelsOpen = savedSidePanels();
  }

  private showSidePanels(open: boolean): void {
    this.sidePanelsOpen = open;
    try {
      localStorage.setItem(SIDE_PANELS_KEY, open ? 'open' : 'closed');
    } catch {
      // A browser that keeps nothing still opens the drawer; it just forgets.
    }
  }

  /** Escape in the drawer closes it and gives the focus back to its toggle (only where it is a drawer). */
  private onSideKey(e: KeyboardEvent): void {
    const toggle = this.querySelector<HTMLButtonElement>('button.side-toggle');
    if (e.key !== 'Escape' || !this.sidePanelsOpen || !toggle || getComputedStyle(toggle).display === 'none') return;
    this.showSidePanels(false);
    toggle.focus();
  }

  private mountSource(): void {
    if (this.sourceMounted) return;
    this.sourceMounted = true;
    void this.updateComplete.then(() => {
      const ed = this.editor;
      if (ed && this.source) ed.load(this.source);
    });
  }

  private get canEdit(): boolean {
    return holds(this.me, 'templates:edit');
  }

  private get editor(): SourceEditor | null {
    return this.querySelector('attest-source-editor');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('templateId') && this.templateId) void this.load();
  }

  private async load(): Promise<void> {
    // The first preview is of the saved draft: asked at once, beside the template itself, not after it.
    // Nothing of another template's stays: its page would pass for this one's "last good page".
    this.source = '';
    this.pdf = undefined;
    this.boxes = [];
    this.previewError = undefined;
    this.staleProblems = [];
    this.previews.now();
    const r = await api.call('getTemplate', { params: { id: this.templateId } });
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.detail = r.value;
    this.name = r.value.name;
    this.source = r.value.source;
    this.savedSource = r.value.source;
    this.autosave.state = 'saved';
    this.readSchema();
    await this.updateComplete;
    // Loaded, not typed: the designer's first Undo must not empty the template.
    this.editor?.load(this.source);
  }

  /** Reloads the template after an asset change (its list and the draft's key for the preview cache). */
  private async reloadAssets(): Promise<void> {
    const r = await api.call('getTemplate', { params: { id: this.templateId } });
    if (!r.ok) return;
    this.detail = { ...r.value, source: this.detail?.source ?? r.value.source };
    this.previews.edited(0);
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
    // The editor echoes the text it was given on opening: that is no edit, and asking again would drop the first preview.
    if (e.detail.value === this.source) return;
    this.source = e.detail.value;
    this.readSchema();
    // The canvas and the property panel read the source: they follow each edit.
    this.requestUpdate();
    this.autosave.changed();
    this.previews.edited();
  }

  private onDiagnostics(e: CustomEvent<DiagnosticsDetail>): void {
    const list: readonly EditorDiagnostic[] = e.detail.diagnostics;
    this.diagnostics = list;
    this.problems = {
      errors: list.filter((d) => d.severity === 'error').length,
      warnings: list.filter((d) => d.severity === 'warning').length,
    };
  }

  /** The preview of the text and sample learner of now. */
  private requestPreview(): Promise<Result<PreviewResult>> {
    const body = {
      // No text yet (the template is still loading): the server previews the saved draft.
      ...(this.source ? { source: this.source } : {}),
      ...(this.sample.persona !== undefined
        ? { persona: this.sample.persona }
        : this.sample.data !== undefined
          ? { data: this.sample.data }
          : {}),
    };
    return api.call('previewTemplate', { params: { id: this.templateId }, body });
  }

  /** Shows a current preview answer; true when a new page goes to the PDF preview. */
  private showPreview(r: Result<PreviewResult>): boolean {
    if (this.allSamples) this.samplesRevision++;
    if (!r.ok) {
      this.failedPreview([{ stage: 'server', code: r.code, severity: 'error', message: r.message } as unknown as SourceDiagnostic]);
      this.mountSource();
      return false;
    }
    const { pdf, diagnostics, boxes } = r.value;
    if (pdf) {
      this.pdf = base64Bytes(pdf);
      this.boxes = boxes;
      this.canvas.boxesChanged(boxes);
      this.previewError = undefined;
      this.staleProblems = [];
      return true;
    }
    const errors = diagnostics.filter((d) => d.severity === 'error');
    this.failedPreview(asSourceDiagnostics(errors.length ? errors : diagnostics));
    this.mountSource();
    return false;
  }

  /**
   * No PDF for the text of now. With a page already on screen, it stays, marked stale, the problems listed
   * over it; with none yet, the problems take the preview's place (never a blank pane).
   */
  private failedPreview(problems: readonly SourceDiagnostic[]): void {
    if (this.pdf) this.staleProblems = problems;
    else this.previewError = problems;
  }

  /** The preview of the text of now for one sample learner: the grid's card. */
  private async samplePreview(persona: string): Promise<SampleOutcome> {
    const r = await api.call('previewTemplate', {
      params: { id: this.templateId },
      body: { ...(this.source ? { source: this.source } : {}), persona },
    });
    if (!r.ok) return { problems: [r.message] };
    const warnings = r.value.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
    if (r.value.pdf) return { pdf: base64Bytes(r.value.pdf), warnings };
    const errors = r.value.diagnostics.filter((d) => d.severity === 'error');
    return { problems: (errors.length ? errors : r.value.diagnostics).map((d) => `${d.code}: ${d.message}`) };
  }

  /** A compared version as pages: its source with this template's assets and the sample learner of now. */
  private async renderSide(source: string): Promise<RenderedSide> {
    const sample =
      this.sample.persona !== undefined
        ? { persona: this.sample.persona }
        : this.sample.data !== undefined
          ? { data: this.sample.data }
          : {};
    const r = await api.call('previewTemplate', { params: { id: this.templateId }, body: { source, ...sample } });
    if (!r.ok) return { problems: [r.message] };
    if (r.value.pdf) return { pdf: base64Bytes(r.value.pdf) };
    return { problems: r.value.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`) };
  }

  /** Saves the PDF on screen as a file: the same specimen the server made, marked SPECIMEN. */
  private downloadSpecimen(): void {
    if (!this.pdf) return;
    const url = URL.createObjectURL(new Blob([this.pdf.slice()], { type: 'application/pdf' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = specimenFileName(this.name || 'template');
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  private onSamplePick(e: CustomEvent<SamplePickDetail>): void {
    this.allSamples = false;
    this.sample = { persona: e.detail.persona };
    // The sample panel says whom the preview is for: it follows the card picked.
    const panel = this.querySelector('attest-sample-data');
    if (panel) panel.selected = e.detail.persona;
    this.previews.edited(0);
  }

  private async save(): Promise<void> {
    if (!this.canEdit || !this.detail) return;
    const source = this.source;
    const name = this.name.trim();
    if (source === this.savedSource && name === this.detail.name) {
      this.autosave.state = 'saved';
      return;
    }
    this.autosave.state = 'saving';
    const r = await api.call('updateTemplate', {
      params: { id: this.templateId },
      body: { source, ...(name && name !== this.detail.name ? { name } : {}) },
    });
    if (!r.ok) {
      this.autosave.state = 'error';
      this.failure = r;
      return;
    }
    this.failure = undefined;
    this.savedSource = source;
    this.detail = { ...r.value };
    this.autosave.state = this.source === source ? 'saved' : 'dirty';
  }

  /** Saves the draft, then publishes it; what stops it, and apart what would reach documents, are listed under the bar. */
  private async publish(): Promise<void> {
    await this.autosave.saveNow();
    if (this.autosave.state === 'error') return;
    this.notice = '';
    const r = await api.call('publishTemplate', { params: { id: this.templateId } });
    if (!r.ok) {
      this.publishFindings = r.details ? publishFindings({ details: r.details }) : NO_FINDINGS;
      this.failure = r;
      const count = this.publishFindings.errors.length;
      this.notice = count ? tr('editor.publishFailed', { count }) : '';
      return;
    }
    this.failure = undefined;
    this.publishFindings = publishFindings(r.value);
    const { number } = r.value.version;
    const count = this.publishFindings.warnings.length;
    this.notice = count ? tr('publish.publishedWithWarnings', { number, count }) : tr('editor.published', { number });
    const fresh = await api.call('getTemplate', { params: { id: this.templateId } });
    if (fresh.ok) this.detail = { ...fresh.value, source: this.source };
  }

  private onInsert(e: CustomEvent<InsertTextDetail>): void {
    this.editor?.insertText(e.detail.text, 'variables-panel');
  }

  private onSample(e: CustomEvent<SampleChangeDetail>): void {
    this.sample =
      e.detail.persona !== undefined ? { persona: e.detail.persona } : e.detail.data !== undefined ? { data: e.detail.data } : {};
    this.previews.edited(0);
  }

  private propertiesPanel(): unknown {
    const view = readTemplate(this.source);
    return html`<div id="panel-properties" role="tabpanel" aria-labelledby="tab-properties" ?hidden=${this.tabs.selected !== 'properties'}>
      <attest-property-panel
        .source=${this.source}
        .range=${this.canvas.selected?.range}
        .selectedCount=${this.canvas.selection.length}
        .pageMm=${this.canvas.pageMm}
        .schema=${this.schema}
        .fontRoles=${fontRoles(view)}
        .assets=${declaredAssets(view).map((a) => a.name)}
        @property-change=${(e: CustomEvent<PropertyChangeDetail>) => this.canvas.onProperty(e)}
      ></attest-property-panel>
    </div>`;
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
    switch (this.autosave.state) {
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

  /**
   * Every panel stays rendered (hidden when not chosen): the sample learner picked or the JSON typed
   * survives a look at the variables.
   */
  private side(): unknown {
    const d = this.detail;
    return html`<div id="panel-sample" role="tabpanel" aria-labelledby="tab-sample" ?hidden=${this.tabs.selected !== 'sample'}>
        <attest-sample-data
          .schema=${this.schema}
          @sample-change=${(e: CustomEvent<SampleChangeDetail>) => this.onSample(e)}
        ></attest-sample-data>
      </div>
      <div id="panel-variables" role="tabpanel" aria-labelledby="tab-variables" ?hidden=${this.tabs.selected !== 'variables'}>
        <attest-variables-panel
          .declared=${this.declared}
          @insert-text=${(e: CustomEvent<InsertTextDetail>) => this.onInsert(e)}
        ></attest-variables-panel>
      </div>
      <div id="panel-assets" role="tabpanel" aria-labelledby="tab-assets" ?hidden=${this.tabs.selected !== 'assets'}>
        <attest-assets-panel
          .templateId=${this.templateId}
          .assets=${d?.assets ?? []}
          .canEdit=${this.canEdit}
          @assets-change=${() => void this.reloadAssets()}
        ></attest-assets-panel>
      </div>
      <div id="panel-versions" role="tabpanel" aria-labelledby="tab-versions" ?hidden=${this.tabs.selected !== 'versions'}>
        <attest-versions-panel
          .templateId=${this.templateId}
          .versions=${d?.versions ?? []}
          .draft=${this.source}
          @compare-versions=${(e: CustomEvent<CompareDetail>) => this.openCompare(e.detail)}
        ></attest-versions-panel>
      </div>
      ${this.propertiesPanel()}`;
  }

  protected override render(): unknown {
    const d = this.detail;
    const p = this.problems;
    return html`<main id="main" class="template-editor" data-save-state=${this.autosave.state}>
      <div class="editor-bar">
        <a href=${paths.templates} @click=${linkHandler(this, paths.templates)}>← ${tr('editor.back')}</a>
        <label class="name"
          >${tr('editor.name')}
          <input
            .value=${this.name}
            ?readonly=${!this.canEdit}
            @input=${(e: Event) => {
              this.name = (e.target as HTMLInputElement).value;
              this.autosave.state = 'dirty';
            }}
            @change=${() => void this.autosave.saveNow()}
        /></label>
        <span class="status" role="status" aria-live="polite" data-testid="problems"
          >${p ? (p.errors + p.warnings === 0 ? tr('editor.noProblems') : tr('editor.problems', { errors: p.errors, warnings: p.warnings })) : ''}</span
        >
        <span class="save-state" aria-live="polite">${this.saveLabel()}</span>
        ${this.previews.last ? html`<span class="muted">${tr('editor.previewMs', { ms: this.previews.last.ms })}</span>` : nothing}
        <span class="spacer"></span>
        <button
          type="button"
          class="side-toggle"
          aria-controls="editor-side"
          aria-expanded=${this.sidePanelsOpen ? 'true' : 'false'}
          @click=${() => this.showSidePanels(!this.sidePanelsOpen)}
        >
          ${tr('editor.tabs')}
        </button>
        ${this.canEdit ? html`<button type="button" @click=${() => void this.autosave.saveNow()} ?disabled=${this.autosave.state === 'saving'}>${tr('editor.save')}</button>` : nothing}
        ${holds(this.me, 'templates:publish') ? html`<button type="button" class="primary" @click=${() => void this.publish()}>${tr('editor.publish')}</button>` : nothing}
      </div>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing} ${errorBox(this.failure)}
      <attest-publish-report
        .findings=${this.publishFindings}
        @reveal-finding=${(e: CustomEvent<RevealDetail>) => this.editor?.reveal(e.detail.range)}
      ></attest-publish-report>
      <div class="panes" style=${`grid-template-columns: minmax(0, ${this.split}fr) 6px minmax(0, ${1 - this.split}fr) var(--side-column)`}>
        ${
          this.sourceMounted
            ? html`<attest-source-editor
                class="source"
                aria-label=${tr('editor.source')}
                doc-language=${getLocale()}
                @source-change=${(e: CustomEvent<SourceChangeDetail>) => this.onSourceChange(e)}
                @diagnostics-change=${(e: CustomEvent<DiagnosticsDetail>) => this.onDiagnostics(e)}
              ></attest-source-editor>`
            : html`<div class="source" aria-busy="true"></div>`
        }
        <attest-preview-splitter
          .split=${this.split}
          @split-change=${(e: CustomEvent<SplitChangeDetail>) => (this.split = e.detail.split)}
        ></attest-preview-splitter>
        <div class="preview-cell" style="position:relative;min-height:0;min-width:0;display:flex;flex-direction:column">
          <div
            class="preview-extras"
            role="toolbar"
            aria-label=${tr('editor.previewTools')}
            style="display:flex;gap:6px;padding:4px 8px;border-bottom:1px solid var(--line)"
          >
            <button
              type="button"
              class="all-samples"
              aria-pressed=${this.allSamples ? 'true' : 'false'}
              @click=${() => {
                this.allSamples = !this.allSamples;
                if (this.allSamples) this.samplesRevision++;
              }}
            >
              ${tr('editor.allSamples')}
            </button>
            <button type="button" class="download-specimen" ?disabled=${!this.pdf} @click=${() => this.downloadSpecimen()}>
              ${tr('editor.downloadSpecimen')}
            </button>
          </div>
          ${
            this.allSamples
              ? html`<attest-samples-grid
                  style="flex:1;min-height:0"
                  .preview=${(persona: string) => this.samplePreview(persona)}
                  .revision=${this.samplesRevision}
                  @sample-pick=${(e: CustomEvent<SamplePickDetail>) => this.onSamplePick(e)}
                ></attest-samples-grid>`
              : nothing
          }
          <attest-pdf-preview
            class="preview"
            style=${`flex:1;min-height:0;height:auto;display:${this.allSamples ? 'none' : 'flex'}`}
            .pdf=${this.pdf}
            .boxes=${this.boxes}
            .error=${this.previewError}
            ?loading=${this.previews.loading}
            .source=${this.source}
            .selection=${this.canvas.selection}
            @element-select=${(e: CustomEvent<ElementSelectDetail>) => this.canvas.onSelect(e)}
            @element-move=${(e: CustomEvent<ElementMoveDetail>) => this.canvas.onMove(e)}
            @canvas-edit=${(e: CustomEvent<CanvasEditDetail>) => this.canvas.onEdit(e)}
            @selection-change=${(e: CustomEvent<SelectionChangeDetail>) => this.canvas.onSelectionChange(e)}
            @keydown=${(e: KeyboardEvent) => this.canvas.onKey(e)}
            @preview-rendered=${(e: CustomEvent<PreviewRenderedDetail>) => {
              this.previews.rendered(e.detail);
              this.mountSource();
            }}
          ></attest-pdf-preview>
          <attest-preview-problems
            ?hidden=${this.allSamples || this.staleProblems.length === 0}
            .problems=${this.staleProblems}
            @element-select=${(e: CustomEvent<ElementSelectDetail>) => this.canvas.onSelect(e)}
          ></attest-preview-problems>
        </div>
        <aside
          id="editor-side"
          class=${this.sidePanelsOpen ? 'side open' : 'side'}
          aria-label=${tr('editor.tabs')}
          @keydown=${(e: KeyboardEvent) => this.onSideKey(e)}
        >
          <div role="tablist" aria-label=${tr('editor.tabs')} style="flex-wrap:wrap">
            ${this.tabs.button('sample', tr('editor.tab.sample'))} ${this.tabs.button('variables', tr('editor.tab.variables'))}
            ${this.tabs.button('assets', tr('editor.tab.assets'))} ${this.tabs.button('versions', tr('editor.tab.versions'))}
            ${this.tabs.button('properties', ct('panel.title'))}
          </div>
          ${d ? this.side() : nothing}
        </aside>
      </div>
      <attest-problems-panel
        class="problems"
        .diagnostics=${this.diagnostics}
        @problem-select=${(e: CustomEvent<ProblemSelectDetail>) => this.editor?.reveal(e.detail.range)}
        @problem-fix=${(e: CustomEvent<ProblemFixDetail>) => this.editor?.applyFix(e.detail.fix)}
      ></attest-problems-panel>
      ${
        this.compare
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
              <attest-version-diff
                .left=${this.compare.left}
                .right=${this.compare.right}
                .leftLabel=${this.compare.leftLabel}
                .rightLabel=${this.compare.rightLabel}
                .renderSource=${(source: string) => this.renderSide(source)}
              ></attest-version-diff>
            </div>`
          : nothing
      }
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
