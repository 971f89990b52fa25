import { html, LitElement, type PropertyValues } from 'lit';
import { editor, type IDisposable } from 'monaco-editor/editor';
import { LANGUAGE_ID, THEME_ID } from '../monaco/register';
import { setUpMonaco } from '../monaco/setup';
import { LocaleController, t } from '../i18n';
import { tr } from '../app/messages';
import '../preview/pdf-preview';

/** One side rendered as pages: its PDF, or why there is none. */
export type RenderedSide = { pdf: Uint8Array } | { problems: readonly string[] };

/**
 * `<attest-version-diff>`: two versions of a template's source side by side, read-only, with Monaco's
 * line diff and the template language's highlighting. `left`/`right` are the sources, `leftLabel` /
 * `rightLabel` say which versions they are ("v3 — published", "Draft"). Given `renderSource` (the host's: a
 * source → its specimen with the current sample learner), the two can be compared as rendered pages side
 * by side too: what changed on paper, not only in the text.
 *
 * Light DOM, like the source editor: Monaco's CSS lives in the document head (../shared/FIELD-NOTES.md).
 */
export class VersionDiff extends LitElement {
  static override properties = {
    left: { type: String },
    right: { type: String },
    leftLabel: { type: String, attribute: 'left-label' },
    rightLabel: { type: String, attribute: 'right-label' },
    changes: { state: true },
    renderSource: { attribute: false },
    view: { state: true },
    pages: { state: true },
  };

  declare renderSource: ((source: string) => Promise<RenderedSide>) | undefined;
  /** The source diff, or the two versions as pages. */
  declare view: 'source' | 'pages';
  declare protected pages: { left: RenderedSide; right: RenderedSide } | undefined;

  declare left: string;
  declare right: string;
  declare leftLabel: string;
  declare rightLabel: string;
  /** Number of changed regions once Monaco has computed the diff; undefined before. */
  declare changes: number | undefined;

  /** Re-renders on a language switch; `i18n.locale` picks descriptions in the UI language. */
  private readonly i18n = new LocaleController(this);
  private diff: editor.IStandaloneDiffEditor | undefined;
  private models: { original: editor.ITextModel; modified: editor.ITextModel } | undefined;
  private disposables: IDisposable[] = [];

  constructor() {
    super();
    this.left = '';
    this.right = '';
    this.leftLabel = '';
    this.rightLabel = '';
    this.changes = undefined;
    this.renderSource = undefined;
    this.view = 'source';
    this.pages = undefined;
  }

  /** Shows the two versions as pages, rendering them when first asked (and again when a side changed). */
  async showPages(): Promise<void> {
    this.view = 'pages';
    const render = this.renderSource;
    if (!render || this.pages) return;
    const [left, right] = await Promise.all([render(this.left), render(this.right)]);
    this.pages = { left, right };
  }

  private side(which: 'left' | 'right', label: string): unknown {
    const side = this.pages?.[which];
    return html`<div class="attest-diff-page attest-diff-page-${which}" style="flex:1;min-width:0;display:flex;flex-direction:column">
      ${
        !side
          ? html`<p style="margin:8px;font:12px system-ui,sans-serif">${t('preview.loading')}</p>`
          : 'pdf' in side
            ? html`<attest-pdf-preview style="flex:1;min-height:0" aria-label=${label} .pdf=${side.pdf}></attest-pdf-preview>`
            : html`<p role="alert" style="margin:8px;font:12px system-ui,sans-serif;color:#b3261e">
                ${tr('diff.noPage', { problems: side.problems.join(' · ') })}
              </p>`
      }
    </div>`;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.style.display) this.style.display = 'flex';
    this.style.flexDirection = 'column';
  }

  protected override render(): unknown {
    const left = this.leftLabel || t('diff.left');
    const right = this.rightLabel || t('diff.right');
    const identical = this.changes === 0;
    const pages = this.view === 'pages';
    return html`
      ${
        this.renderSource
          ? html`<div
              role="group"
              aria-label=${tr('diff.view.label')}
              style="display:flex;gap:4px;padding:4px 8px;font:12px system-ui,sans-serif"
            >
              <button
                type="button"
                class="attest-diff-view-source"
                aria-pressed=${pages ? 'false' : 'true'}
                @click=${() => (this.view = 'source')}
              >
                ${tr('diff.view.source')}
              </button>
              <button
                type="button"
                class="attest-diff-view-pages"
                aria-pressed=${pages ? 'true' : 'false'}
                @click=${() => void this.showPages()}
              >
                ${tr('diff.view.pages')}
              </button>
            </div>`
          : ''
      }
      <div
        class="attest-diff-labels"
        style="display:flex;font:12px system-ui,sans-serif;color:#444;border-bottom:1px solid #d0d4d9;background:#f7f7f8"
      >
        <span class="attest-diff-left" style="flex:1;padding:4px 8px">${left}</span>
        <span class="attest-diff-right" style="flex:1;padding:4px 8px">${right}</span>
      </div>
      <p
        class="attest-diff-status"
        role="status"
        style="margin:0;padding:${identical ? '4px 8px' : '0'};font:12px system-ui,sans-serif;color:#1b5e20"
      >
        ${identical ? t('diff.identical') : ''}
      </p>
      <div
        class="attest-diff-host"
        role="region"
        aria-label=${t('diff.label', { left, right })}
        style="flex:1;min-height:200px;width:100%"
        ?hidden=${pages}
      ></div>
      ${
        pages
          ? html`<div class="attest-diff-pages" style="flex:1;min-height:200px;display:flex;gap:8px">
              ${this.side('left', left)} ${this.side('right', right)}
            </div>`
          : ''
      }
    `;
  }

  protected override firstUpdated(): void {
    const host = this.querySelector<HTMLDivElement>('.attest-diff-host')!;
    setUpMonaco();
    const original = editor.createModel(this.left, LANGUAGE_ID);
    const modified = editor.createModel(this.right, LANGUAGE_ID);
    this.models = { original, modified };
    this.diff = editor.createDiffEditor(host, {
      theme: THEME_ID,
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      // Templates are long and versions differ in a few lines: fold the rest so the changes are on screen.
      hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 5, revealLineCount: 10 },
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      ariaLabel: t('diff.label', { left: this.leftLabel || t('diff.left'), right: this.rightLabel || t('diff.right') }),
    });
    this.diff.setModel({ original, modified });
    this.disposables.push(
      this.diff.onDidUpdateDiff(() => {
        this.changes = this.diff?.getLineChanges()?.length;
      }),
      this.diff,
      original,
      modified,
    );
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.models) return;
    if (changed.has('left') || changed.has('right')) {
      // Pages of other sources are pages no longer: rendered again if they are on screen.
      const stale = this.pages !== undefined && (changed.get('left') !== undefined || changed.get('right') !== undefined);
      if (stale) {
        this.pages = undefined;
        if (this.view === 'pages') void this.showPages();
      }
    }
    if (changed.has('left') && this.models.original.getValue() !== this.left) this.models.original.setValue(this.left);
    if (changed.has('right') && this.models.modified.getValue() !== this.right) this.models.modified.setValue(this.right);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const d of this.disposables) d.dispose();
    this.disposables = [];
    this.diff = undefined;
    this.models = undefined;
  }

  /** The Monaco diff editor inside, for the app's own commands (and tests). */
  get diffEditor(): editor.IStandaloneDiffEditor | undefined {
    return this.diff;
  }
}

if (!customElements.get('attest-version-diff')) customElements.define('attest-version-diff', VersionDiff);

declare global {
  interface HTMLElementTagNameMap {
    'attest-version-diff': VersionDiff;
  }
}
