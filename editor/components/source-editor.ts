import { html, LitElement, type PropertyValues } from 'lit';
import { editor, type IDisposable } from 'monaco-editor/editor';
import { LANGUAGE_ID, THEME_ID, toMonacoRange, watchDiagnostics } from '../monaco/register';
import { setUpMonaco } from '../monaco/setup';
import type { DocLanguage, EditorDiagnostic, Fix, Position, Range } from '../monaco/language';
import { LocaleController, t } from '../i18n';

export interface SourceChangeDetail {
  value: string;
}

export interface DiagnosticsDetail {
  diagnostics: readonly EditorDiagnostic[];
}

/**
 * `<attest-source-editor>`: the source of one template in Monaco, with the template language (highlighting,
 * completion, hover, live diagnostics and quick fixes).
 *
 * - `value`: the text; setting it replaces the text (the undo history keeps the change).
 * - `load(text)`: opens a text: replaces it and the undo history, so Undo cannot empty a template just opened.
 * - `doc-language`: "en" or "fr", the language of completion and hover docs.
 * - event `source-change` (`detail.value`): after each edit by the designer.
 * - event `diagnostics-change` (`detail.diagnostics`): each time the worker has checked the text.
 * - `reveal(range)` / `setCursor(position)`: put the cursor on markup (from a click in the preview).
 * - `insertText(text)`: types text at the cursor (a variable from the catalogue).
 * - `applyFix(fix)`: applies a diagnostic's quick fix, as Monaco's light bulb does.
 *
 * Keyboard users leave the editor with Escape then Tab (or Shift+Tab), or Ctrl+M to make Tab move focus;
 * a hint under the editor says so (Tab itself indents).
 *
 * It renders in light DOM: Monaco puts its CSS in the document head, which a shadow root would not see.
 */
let hints = 0;
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta']);

/** Characters of French and English typography that Monaco would otherwise mark as confusable or invisible. */
const FRENCH_TYPOGRAPHY: Record<string, true> = Object.fromEntries(
  [
    '\u2019',
    '\u2018',
    '\u201c',
    '\u201d',
    '\u00ab',
    '\u00bb',
    '\u00a0',
    '\u202f',
    '\u2009',
    '\u2013',
    '\u2014',
    '\u2026',
    '\u0153',
    '\u0152',
    '\u00e6',
  ].map((c) => [c, true] as const),
);

export class SourceEditor extends LitElement {
  static override properties = {
    value: { type: String },
    docLanguage: { type: String, attribute: 'doc-language' },
  };

  declare value: string;
  declare docLanguage: DocLanguage;

  private monaco?: editor.IStandaloneCodeEditor;
  private disposables: IDisposable[] = [];
  /** Escape was the last key: the next Tab leaves the editor instead of indenting. */
  private leaving = false;
  private readonly i18n = new LocaleController(this);

  constructor() {
    super();
    this.value = '';
    this.docLanguage = 'en';
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.style.display) this.style.display = 'block';
    // Capture, on the host: it runs before Monaco's own keydown handling in the text area inside.
    this.addEventListener('keydown', this.onKeyDown, true);
  }

  protected override render(): unknown {
    return html`<div style="display:flex;flex-direction:column;width:100%;height:100%">
      <div class="attest-source-editor" style="width:100%;flex:1;min-height:200px"></div>
      <p class="attest-source-hint" id=${this.hintId} style="margin:0;padding:2px 6px;font-size:12px;color:#555">
        ${t('source.keyboardHint')}
      </p>
    </div>`;
  }

  /** One id per element on the page, for the text area's aria-describedby. */
  private readonly hintId = `attest-source-hint-${++hints}`;

  private readonly onKeyDown = (e: KeyboardEvent): void => {
    this.restoreTabStops();
    if (e.key === 'Tab' && this.leaving && !e.ctrlKey && !e.altKey && !e.metaKey) {
      // Monaco never sees this Tab, and the browser moves focus to the next (or previous) control outside:
      // Monaco's own tab stops are taken out of the order until the focus has left.
      e.stopPropagation();
      this.leaving = false;
      for (const el of this.querySelectorAll<HTMLElement>('[tabindex], textarea, input, button, a[href]')) {
        if (el.tabIndex < 0) continue;
        this.tabStops.push([el, el.getAttribute('tabindex')]);
        el.tabIndex = -1;
      }
      this.addEventListener('focusout', this.restoreTabStops, { once: true });
      return;
    }
    // Shift alone (on its way to Shift+Tab) keeps the Escape in mind.
    if (!MODIFIERS.has(e.key)) this.leaving = e.key === 'Escape';
  };

  private tabStops: [HTMLElement, string | null][] = [];

  private readonly restoreTabStops = (): void => {
    for (const [el, tabindex] of this.tabStops) {
      if (tabindex === null) el.removeAttribute('tabindex');
      else el.setAttribute('tabindex', tabindex);
    }
    this.tabStops = [];
  };

  protected override firstUpdated(): void {
    const host = this.querySelector<HTMLDivElement>('.attest-source-editor')!;
    const { diagnosticsWorker } = setUpMonaco({ language: () => this.docLanguage });
    const model = editor.createModel(this.value, LANGUAGE_ID);
    this.monaco = editor.create(host, {
      model,
      theme: THEME_ID,
      automaticLayout: true,
      minimap: { enabled: false },
      // Markup lines are long and the editor shares the screen with the preview: wrap rather than scroll.
      wordWrap: 'on',
      wrappingIndent: 'indent',
      // The editor may sit in a scrolling panel: suggestion and hover widgets must not be clipped by it.
      fixedOverflowWidgets: true,
      quickSuggestions: { other: true, strings: true, comments: false },
      wordBasedSuggestions: 'off',
      scrollBeyondLastLine: false,
      fontSize: 13,
      tabSize: 2,
      'semanticHighlighting.enabled': false,
      ariaLabel: this.getAttribute('aria-label') ?? t('source.label'),
      // Certificates are written in French and English: their typography (’ « » and the narrow and
      // non-breaking spaces before ; : ! ?) is wanted, not a spoofing attempt to flag.
      unicodeHighlight: {
        allowedLocales: { fr: true, en: true, _os: true, _vscode: true },
        allowedCharacters: FRENCH_TYPOGRAPHY,
      },
    });
    // Monaco types into an EditContext div where the browser has it, into a textarea elsewhere.
    for (const input of this.monaco.getDomNode()?.querySelectorAll('textarea, .native-edit-context') ?? [])
      input.setAttribute('aria-describedby', this.hintId);
    this.disposables.push(
      model,
      this.monaco,
      model.onDidChangeContent(() => {
        this.value = model.getValue();
        this.dispatchEvent(
          new CustomEvent<SourceChangeDetail>('source-change', { detail: { value: this.value }, bubbles: true, composed: true }),
        );
      }),
      watchDiagnostics(model, diagnosticsWorker, {
        onDiagnostics: (diagnostics) =>
          this.dispatchEvent(
            new CustomEvent<DiagnosticsDetail>('diagnostics-change', { detail: { diagnostics }, bubbles: true, composed: true }),
          ),
      }),
    );
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The model's own echo (`value` set from a content change) equals the model: only a text from outside differs.
    const model = this.monaco?.getModel();
    if (changed.has('value') && model && model.getValue() !== this.value) {
      // An edit rather than setValue, so the designer can undo a text that came from outside.
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: this.value }], () => null);
    }
  }

  /** Opens a text: it replaces the text and the undo history (the designer's Undo starts from here). */
  load(text: string): void {
    const model = this.monaco?.getModel();
    if (model && model.getValue() !== text) model.setValue(text);
    else this.value = text;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeyDown, true);
    for (const d of this.disposables.reverse()) d.dispose();
    this.disposables = [];
    this.monaco = undefined;
  }

  /** Selects a range of the source (1-based, end exclusive), scrolls it into view and focuses the editor. */
  reveal(range: Range): void {
    if (!this.monaco) return;
    const r = toMonacoRange(range);
    this.monaco.setSelection(r);
    this.monaco.revealRangeInCenterIfOutsideViewport(r);
    this.monaco.focus();
  }

  /** Puts the cursor at a position of the source and focuses the editor. */
  setCursor(position: Position): void {
    if (!this.monaco) return;
    this.monaco.setPosition({ lineNumber: position.line, column: position.column });
    this.monaco.revealPositionInCenterIfOutsideViewport({ lineNumber: position.line, column: position.column });
    this.monaco.focus();
  }

  /**
   * Puts text where the cursor is (replacing the selection), as one undoable edit named after where it came
   * from, and focuses the editor; `source-change` follows as for typing.
   */
  insertText(text: string, source = 'app'): void {
    if (!this.monaco) return;
    const selection = this.monaco.getSelection();
    if (selection) this.monaco.executeEdits(source, [{ range: selection, text, forceMoveMarkers: true }]);
    this.monaco.focus();
  }

  /** Applies a quick fix as one undoable edit and puts the cursor after it; `source-change` follows. */
  applyFix(fix: Fix): void {
    if (!this.monaco) return;
    this.monaco.executeEdits('quick-fix', [{ range: toMonacoRange(fix.range), text: fix.replacement, forceMoveMarkers: true }]);
    this.monaco.focus();
  }

  /** The Monaco editor inside, for tests and what the methods above do not cover. */
  get codeEditor(): editor.IStandaloneCodeEditor | undefined {
    return this.monaco;
  }
}

if (!customElements.get('attest-source-editor')) customElements.define('attest-source-editor', SourceEditor);

declare global {
  interface HTMLElementTagNameMap {
    'attest-source-editor': SourceEditor;
  }
}
