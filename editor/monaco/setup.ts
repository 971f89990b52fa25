/// <reference types="vite/client" />
// Every editor feature (suggest, hover, code actions, find, …) and none of Monaco's 80 bundled languages.
import 'monaco-editor/features/register.all';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TemplateDiagnosticsWorker from './diagnostics.worker?worker';
import { registerTemplateLanguage, type RegisterOptions } from './register';
import { registerAssetCompletions } from './asset-completions';

/**
 * Page-wide Monaco setup: the editor's own worker, our language, and one diagnostics worker that every
 * template editor on the page shares (a worker per editor would load the analyzer again each time).
 */
let diagnosticsWorker: Worker | undefined;

export function setUpMonaco(options: RegisterOptions = {}): { diagnosticsWorker: Worker } {
  if (!globalThis.MonacoEnvironment) {
    // Only the core editor worker is needed: the template language runs in our own worker.
    globalThis.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  }
  registerTemplateLanguage(options);
  registerAssetCompletions();
  diagnosticsWorker ??= new TemplateDiagnosticsWorker();
  return { diagnosticsWorker };
}
