import type { DiagnoseRequest, WorkerAnswer } from './diagnostics-protocol';
import { diagnose } from './language';

/**
 * Runs the analyzer off the page's thread, so typing never waits for it. The page debounces and sends the
 * whole text; each answer names the version it is about.
 */
interface WorkerScope {
  onmessage: ((event: MessageEvent<DiagnoseRequest>) => void) | null;
  postMessage(message: WorkerAnswer): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const request = event.data;
  if (request?.type !== 'diagnose') return;
  const started = performance.now();
  try {
    const diagnostics = diagnose(request.text, request.language);
    scope.postMessage({
      type: 'diagnostics',
      model: request.model,
      version: request.version,
      diagnostics,
      milliseconds: performance.now() - started,
    });
  } catch (error) {
    // A bug in a check must not leave the designer with stale squiggles and no word about it.
    scope.postMessage({
      type: 'failure',
      model: request.model,
      version: request.version,
      message: error instanceof Error ? error.message : String(error),
    });
  }
};
