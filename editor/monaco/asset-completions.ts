import { languages, type IDisposable } from 'monaco-editor/editor';
import { assetPathsAt } from '../app/front-matter-assets';
import { LANGUAGE_ID } from './register';

/**
 * Completion of uploaded asset files in the front matter's `assets:` map (the values; names are
 * completions.ts's). The files are the draft's, which only the app knows: the assets panel says them with
 * `setUploadedAssets` whenever it shows them. Registered once per page by setup.ts.
 */
let uploaded: readonly string[] = [];

export function setUploadedAssets(names: readonly string[]): void {
  uploaded = [...names];
}

let registered: IDisposable | undefined;

export function registerAssetCompletions(): IDisposable {
  registered ??= languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: [' ', '/'],
    provideCompletionItems(model, position) {
      const proposals = assetPathsAt(model.getValue(), position.lineNumber, position.column, uploaded);
      return {
        suggestions: proposals.map((p) => ({
          label: p.path,
          kind: languages.CompletionItemKind.File,
          detail: 'uploaded asset',
          insertText: p.path,
          range: {
            startLineNumber: position.lineNumber,
            endLineNumber: position.lineNumber,
            startColumn: p.startColumn,
            endColumn: p.endColumn,
          },
        })),
      };
    },
  });
  return registered;
}
