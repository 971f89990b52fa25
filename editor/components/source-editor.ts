import { html, LitElement, type PropertyValues } from 'lit';
import { editor, type IDisposable } from 'monaco-editor/editor';
import { LANGUAGE_ID, THEME_ID, toMonacoRange, watchDiagnostics } from '../monaco/register';
import { setUpMonaco } from '../monaco/setup';
import type { DocLanguage, EditorDiagnostic, Position, Range } from '../monaco/language';

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
 * - `doc-language`: "en" or "fr", the language of completion and hover docs.
 * - event `source-change` (`detail.value`): after each edit by the designer.
 * - event `diagnostics-change` (`detail.diagnostics`): each time the worker has checked the text.
 * - `reveal(range)` / `setCursor(position)`: put the cursor on markup (from a click in the preview).
 * - `insertText(text)`: types text at the cursor (a variable from the catalogue).
 *
 * It renders in light DOM: Monaco puts its CSS in the document head, which a shadow root would not see.
 */
export class SourceEditor extends LitElement {
  static override properties = {
    value: { type: String },
    docLanguage: { type: String, attribute: 'doc-language' },
  };

  declare value: string;
  declare docLanguage: DocLanguage;

  private monaco?: editor.IStandaloneCodeEditor;
  private disposables: IDisposable[] = [];
  /** True while the component itself writes `value` back, so `updated` does not write it into Monaco again. */
  private echoing = false;

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
  }

  protected override render(): unknown {
    return html`<div class="attest-source-editor" style="width:100%;height:100%;min-height:200px"></div>`;
  }

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
    });
    this.disposables.push(
      model,
      this.monaco,
      model.onDidChangeContent(() => {
        this.echoing = true;
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
    if (this.echoing) {
      this.echoing = false;
      return;
    }
    const model = this.monaco?.getModel();
    if (changed.has('value') && model && model.getValue() !== this.value) {
      // An edit rather than setValue, so the designer can undo a text that came from outside.
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: this.value }], () => null);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
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
