import { editor, languages, MarkerSeverity, type IDisposable, type IRange } from 'monaco-editor/editor';
import { completionsAt, hoverAt, type CompletionItem, type DocLanguage, type EditorDiagnostic, type Fix, type Range } from './language';
import type { DiagnoseRequest, WorkerAnswer } from './diagnostics-protocol';
import { VOCABULARY } from '../../templates/markup/vocabulary';
import { getLocale, LOCALE_CHANGE, localeEvents } from '../i18n';

/** The Monaco language id of certificate templates. */
export const LANGUAGE_ID = 'attest-template';
/** A light theme whose colours tell front matter, Liquid and markup apart. */
export const THEME_ID = 'attest-light';

const LIQUID_WORDS = [
  'assign',
  'capture',
  'endcapture',
  'case',
  'when',
  'endcase',
  'comment',
  'endcomment',
  'if',
  'elsif',
  'else',
  'endif',
  'unless',
  'endunless',
  'for',
  'endfor',
  'in',
  'break',
  'continue',
  'cycle',
  'tablerow',
  'endtablerow',
  'render',
  'include',
  'with',
  'as',
  'raw',
  'endraw',
  'echo',
  'liquid',
  'increment',
  'decrement',
  'and',
  'or',
  'contains',
  'not',
  'true',
  'false',
  'nil',
  'null',
  'empty',
  'blank',
  'limit',
  'offset',
  'reversed',
  'cols',
];

/** Liquid inside `{{ }}` or `{% %}`, wherever it appears (body, attribute values, front matter strings). */
function liquidRules(closer: RegExp): languages.IMonarchLanguageRule[] {
  return [
    [closer, { token: 'delimiter.liquid', next: '@pop' }],
    [/"[^"]*"|'[^']*'/, 'string.liquid'],
    [/-?\d+(\.\d+)?/, 'number.liquid'],
    [/(\|)(\s*)([A-Za-z_]\w*)/, ['operator.liquid', 'white', 'filter.liquid']],
    [/[A-Za-z_][\w-]*/, { cases: { '@liquidWords': 'keyword.liquid', '@default': 'variable.liquid' } }],
    [/[.[\]:,=<>!()|]+/, 'operator.liquid'],
    [/\s+/, 'white'],
    [/./, 'variable.liquid'],
  ];
}

/**
 * One tokenizer for the three languages of a template: YAML front matter between the `---` lines, then
 * markup with Liquid anywhere in it, including inside attribute values and front matter strings.
 */
export const monarchLanguage: languages.IMonarchLanguage = {
  defaultToken: '',
  liquidWords: LIQUID_WORDS,
  elements: Object.keys(VOCABULARY),
  start: 'prelude',
  tokenizer: {
    prelude: [
      [/^---\s*$/, { token: 'delimiter.frontmatter', switchTo: '@frontmatter' }],
      [/./, { token: '@rematch', switchTo: '@body' }],
    ],
    frontmatter: [
      [/^---\s*$/, { token: 'delimiter.frontmatter', switchTo: '@body' }],
      [/#.*$/, 'comment.yaml'],
      [/\{\{-?/, { token: 'delimiter.liquid', next: '@liquidOutput' }],
      [/[\w.-]+(?=\s*:(\s|$))/, 'key.yaml'],
      [/"/, { token: 'string.yaml', next: '@yamlDouble' }],
      [/'/, { token: 'string.yaml', next: '@yamlSingle' }],
      [/-?\d+(\.\d+)?\b(?![\w.])/, 'number.yaml'],
      [/[:\-[\]{},|>]/, 'delimiter.yaml'],
      [/[^\s#"'{}[\],:]+/, 'value.yaml'],
      [/\s+/, 'white'],
    ],
    yamlDouble: [
      [/\{\{-?/, { token: 'delimiter.liquid', next: '@liquidOutput' }],
      [/\{%-?/, { token: 'delimiter.liquid', next: '@liquidTag' }],
      [/[^"\\{]+/, 'string.yaml'],
      [/\\./, 'string.escape.yaml'],
      [/\{/, 'string.yaml'],
      [/"/, { token: 'string.yaml', next: '@pop' }],
    ],
    yamlSingle: [
      [/\{\{-?/, { token: 'delimiter.liquid', next: '@liquidOutput' }],
      [/[^'{]+/, 'string.yaml'],
      [/\{/, 'string.yaml'],
      [/'/, { token: 'string.yaml', next: '@pop' }],
    ],
    body: [
      [/\{%-?\s*comment\s*-?%\}/, { token: 'comment.liquid', next: '@liquidComment' }],
      [/\{%-?\s*raw\s*-?%\}/, { token: 'delimiter.liquid', next: '@liquidRaw' }],
      [/\{\{-?/, { token: 'delimiter.liquid', next: '@liquidOutput' }],
      [/\{%-?/, { token: 'delimiter.liquid', next: '@liquidTag' }],
      [/<!--/, { token: 'comment.markup', next: '@markupComment' }],
      [/(<\/?)([\w-]+)/, ['delimiter.markup', { token: 'tag.markup', next: '@markupTag' }]],
      [/&(#\d+|#x[0-9a-fA-F]+|\w+);/, 'entity.markup'],
      [/[^<{&]+/, 'text.markup'],
      [/[<{&]/, 'text.markup'],
    ],
    markupTag: [
      [/\/?>/, { token: 'delimiter.markup', next: '@pop' }],
      [/\{\{-?/, { token: 'delimiter.liquid', next: '@liquidOutput' }],
      [/\{%-?/, { token: 'delimiter.liquid', next: '@liquidTag' }],
      [/[\w:-]+/, 'attribute.name.markup'],
      [/=/, 'delimiter.markup'],
      [/"/, { token: 'attribute.value.markup', next: '@attributeDouble' }],
      [/'/, { token: 'attribute.value.markup', next: '@attributeSingle' }],
      [/\s+/, 'white'],
    ],
    attributeDouble: [
      [/\{\{-?/, { token: 'delimiter.liquid', next: '@liquidOutput' }],
      [/\{%-?/, { token: 'delimiter.liquid', next: '@liquidTag' }],
      [/[^"{]+/, 'attribute.value.markup'],
      [/\{/, 'attribute.value.markup'],
      [/"/, { token: 'attribute.value.markup', next: '@pop' }],
    ],
    attributeSingle: [
      [/\{\{-?/, { token: 'delimiter.liquid', next: '@liquidOutput' }],
      [/\{%-?/, { token: 'delimiter.liquid', next: '@liquidTag' }],
      [/[^'{]+/, 'attribute.value.markup'],
      [/\{/, 'attribute.value.markup'],
      [/'/, { token: 'attribute.value.markup', next: '@pop' }],
    ],
    markupComment: [
      [/-->/, { token: 'comment.markup', next: '@pop' }],
      [/[^-]+/, 'comment.markup'],
      [/-/, 'comment.markup'],
    ],
    liquidOutput: liquidRules(/-?\}\}/),
    liquidTag: liquidRules(/-?%\}/),
    liquidComment: [
      [/\{%-?\s*endcomment\s*-?%\}/, { token: 'comment.liquid', next: '@pop' }],
      [/[^{]+/, 'comment.liquid'],
      [/\{/, 'comment.liquid'],
    ],
    liquidRaw: [
      [/\{%-?\s*endraw\s*-?%\}/, { token: 'delimiter.liquid', next: '@pop' }],
      [/[^{]+/, 'text.markup'],
      [/\{/, 'text.markup'],
    ],
  },
};

const THEME_RULES: editor.ITokenThemeRule[] = [
  { token: 'delimiter.frontmatter', foreground: '8a8a8a', fontStyle: 'bold' },
  { token: 'key.yaml', foreground: '0b6e4f' },
  { token: 'value.yaml', foreground: '3d3d3d' },
  { token: 'string.yaml', foreground: '7a4e00' },
  { token: 'number.yaml', foreground: '098658' },
  { token: 'comment.yaml', foreground: '8a8a8a', fontStyle: 'italic' },
  { token: 'delimiter.liquid', foreground: 'a626a4', fontStyle: 'bold' },
  { token: 'keyword.liquid', foreground: 'a626a4' },
  { token: 'variable.liquid', foreground: '0451a5' },
  { token: 'filter.liquid', foreground: '0e7c86', fontStyle: 'italic' },
  { token: 'operator.liquid', foreground: '6f42c1' },
  { token: 'string.liquid', foreground: 'a31515' },
  { token: 'number.liquid', foreground: '098658' },
  { token: 'comment.liquid', foreground: '8a8a8a', fontStyle: 'italic' },
  { token: 'tag.markup', foreground: '800000' },
  { token: 'delimiter.markup', foreground: '9b5a5a' },
  { token: 'attribute.name.markup', foreground: 'c2410c' },
  { token: 'attribute.value.markup', foreground: '1d4ed8' },
  { token: 'entity.markup', foreground: 'b45309' },
  { token: 'comment.markup', foreground: '8a8a8a', fontStyle: 'italic' },
  { token: 'text.markup', foreground: '1f1f1f' },
];

const KINDS: Record<CompletionItem['kind'], languages.CompletionItemKind> = {
  variable: languages.CompletionItemKind.Variable,
  property: languages.CompletionItemKind.Property,
  filter: languages.CompletionItemKind.Function,
  tag: languages.CompletionItemKind.Keyword,
  element: languages.CompletionItemKind.Struct,
  attribute: languages.CompletionItemKind.Field,
  value: languages.CompletionItemKind.EnumMember,
  asset: languages.CompletionItemKind.File,
  'font-role': languages.CompletionItemKind.Reference,
};

export function toMonacoRange(r: Range): IRange {
  return { startLineNumber: r.start.line, startColumn: r.start.column, endLineNumber: r.end.line, endColumn: r.end.column };
}

function toSuggestion(item: CompletionItem): languages.CompletionItem {
  const s: languages.CompletionItem = {
    label: item.label,
    kind: KINDS[item.kind],
    detail: item.detail,
    insertText: item.insertText,
    range: toMonacoRange(item.range),
    sortText: `${item.preferred ? '0' : '1'}${item.label}`,
  };
  if (item.documentation) s.documentation = { value: item.documentation };
  if (item.snippet) s.insertTextRules = languages.CompletionItemInsertTextRule.InsertAsSnippet;
  if (item.retrigger) s.command = { id: 'editor.action.triggerSuggest', title: 'Suggest' };
  return s;
}

const SEVERITY: Record<EditorDiagnostic['severity'], MarkerSeverity> = {
  error: MarkerSeverity.Error,
  warning: MarkerSeverity.Warning,
  info: MarkerSeverity.Info,
};

/** The owner of our markers on a model; tests read them with `editor.getModelMarkers({ owner })`. */
export const MARKER_OWNER = 'attest';
const MARKER_SOURCE = 'Attest';

/** The quick fixes of the last diagnostics of each model, found again from the marker they belong to. */
const fixesByModel = new WeakMap<editor.ITextModel, Map<string, Fix[]>>();
const markerKey = (code: string, r: IRange): string => `${code}@${r.startLineNumber}:${r.startColumn}-${r.endLineNumber}:${r.endColumn}`;

/** Shows diagnostics on a model as markers, and keeps their fixes for the quick fix menu. */
export function showDiagnostics(model: editor.ITextModel, diagnostics: readonly EditorDiagnostic[]): void {
  const fixes = new Map<string, Fix[]>();
  const markers = diagnostics.map((d): editor.IMarkerData => {
    const exact = toMonacoRange(d.range);
    // A zero-width range would draw no squiggle.
    const empty = exact.startLineNumber === exact.endLineNumber && exact.endColumn <= exact.startColumn;
    const range: IRange = empty ? { ...exact, endColumn: exact.startColumn + 1 } : exact;
    if (d.fixes?.length) fixes.set(markerKey(d.code, range), d.fixes);
    return { ...range, severity: SEVERITY[d.severity], message: d.message, code: d.code, source: MARKER_SOURCE };
  });
  fixesByModel.set(model, fixes);
  editor.setModelMarkers(model, MARKER_OWNER, markers);
}

export interface RegisterOptions {
  /** Language of docs in completion and hover. */
  language?: () => DocLanguage;
}

let registered: IDisposable | undefined;

/**
 * Registers the template language once per page: tokenizer, theme, completion, hover and quick fixes.
 * Diagnostics come separately, per model, from `watchDiagnostics`.
 */
export function registerTemplateLanguage(options: RegisterOptions = {}): IDisposable {
  if (registered) return registered;
  const docLanguage = (): DocLanguage => options.language?.() ?? 'en';
  languages.register({ id: LANGUAGE_ID, extensions: ['.liquid'], aliases: ['Attest template'] });
  const disposables: IDisposable[] = [
    languages.setMonarchTokensProvider(LANGUAGE_ID, monarchLanguage),
    languages.setLanguageConfiguration(LANGUAGE_ID, {
      comments: { blockComment: ['<!--', '-->'] },
      brackets: [
        ['{{', '}}'],
        ['{%', '%}'],
        ['<', '>'],
        ['(', ')'],
        ['[', ']'],
      ],
      autoClosingPairs: [
        { open: '"', close: '"', notIn: ['string'] },
        { open: '(', close: ')' },
        { open: '[', close: ']' },
      ],
      // Names with dashes (letter-spacing, page-break) and Liquid paths are one word each.
      wordPattern: /[A-Za-z_][\w-]*/,
    }),
    languages.registerCompletionItemProvider(LANGUAGE_ID, {
      triggerCharacters: ['.', '|', '<', '/', ' ', '"', ':'],
      provideCompletionItems(model, position) {
        const items = completionsAt(model.getValue(), { line: position.lineNumber, column: position.column }, { language: docLanguage() });
        return { suggestions: items.map(toSuggestion) };
      },
    }),
    languages.registerHoverProvider(LANGUAGE_ID, {
      provideHover(model, position) {
        const hover = hoverAt(model.getValue(), { line: position.lineNumber, column: position.column }, { language: docLanguage() });
        return hover ? { range: toMonacoRange(hover.range), contents: [{ value: hover.contents }] } : null;
      },
    }),
    languages.registerCodeActionProvider(
      LANGUAGE_ID,
      {
        provideCodeActions(model, _range, context) {
          const fixes = fixesByModel.get(model);
          const actions: languages.CodeAction[] = [];
          for (const marker of context.markers) {
            if (marker.source !== MARKER_SOURCE || typeof marker.code !== 'string') continue;
            for (const fix of fixes?.get(markerKey(marker.code, marker)) ?? []) {
              actions.push({
                title: fix.title,
                kind: 'quickfix',
                diagnostics: [marker],
                isPreferred: true,
                edit: {
                  edits: [
                    {
                      resource: model.uri,
                      versionId: model.getVersionId(),
                      textEdit: { range: toMonacoRange(fix.range), text: fix.replacement },
                    },
                  ],
                },
              });
            }
          }
          return { actions, dispose: () => undefined };
        },
      },
      { providedCodeActionKinds: ['quickfix'] },
    ),
  ];
  editor.defineTheme(THEME_ID, { base: 'vs', inherit: true, rules: THEME_RULES, colors: {} });
  registered = {
    dispose() {
      for (const d of disposables) d.dispose();
      registered = undefined;
    },
  };
  return registered;
}

/** What `watchDiagnostics` needs of a worker: a real Worker, or anything that talks the same way. */
export interface DiagnosticsWorker {
  postMessage(message: DiagnoseRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerAnswer>) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent<WorkerAnswer>) => void): void;
}

export interface WatchOptions {
  /** Quiet time after the last keystroke before the text is checked. */
  debounceMs?: number;
  /** Called with every answer applied (tests and status bars use it). */
  onDiagnostics?: (diagnostics: readonly EditorDiagnostic[], milliseconds: number) => void;
  onFailure?: (message: string) => void;
}

/**
 * Checks a model in the worker as it changes (debounced) and shows the result as markers. Answers about
 * an older version of the text are dropped, so a slow check never paints over a newer one.
 */
export function watchDiagnostics(model: editor.ITextModel, worker: DiagnosticsWorker, options: WatchOptions = {}): IDisposable {
  const debounce = options.debounceMs ?? 150;
  const id = model.uri.toString();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const request = (): void => {
    timer = undefined;
    if (model.isDisposed()) return;
    // Messages in the interface language; a switch asks again (below), since the text did not change.
    worker.postMessage({ type: 'diagnose', model: id, version: model.getVersionId(), text: model.getValue(), language: getLocale() });
  };
  const listener = (event: MessageEvent<WorkerAnswer>): void => {
    const answer = event.data;
    if (answer.model !== id || model.isDisposed() || answer.version !== model.getVersionId()) return;
    if (answer.type === 'diagnostics') {
      showDiagnostics(model, answer.diagnostics);
      options.onDiagnostics?.(answer.diagnostics, answer.milliseconds);
    } else options.onFailure?.(answer.message);
  };
  worker.addEventListener('message', listener);
  const change = model.onDidChangeContent(() => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(request, debounce);
  });
  request();
  localeEvents.addEventListener(LOCALE_CHANGE, request);
  return {
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      change.dispose();
      worker.removeEventListener('message', listener);
      localeEvents.removeEventListener(LOCALE_CHANGE, request);
    },
  };
}
