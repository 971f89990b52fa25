import { parentPort } from 'node:worker_threads';
import { compileTemplate, type CompiledTemplate } from '../../templates/compile';
import { renderDocument } from '../../templates/render';
import type { Diagnostic } from '../../variables/diagnostics';
import type { RenderAnswer, RenderRequest } from './protocol';

/**
 * A render worker: compiles template versions once (kept by key, a bounded few) and renders documents.
 * It runs untrusted templates, so the pool can terminate it at any moment; it holds nothing that matters.
 */
const compiled = new Map<string, Promise<{ template?: CompiledTemplate; diagnostics: Diagnostic[] }>>();
const KEEP = 32;

function compile(request: RenderRequest) {
  let entry = compiled.get(request.templateKey);
  if (!entry) {
    entry = compileTemplate(request.source, { loadAsset: (file) => request.assets[file] });
    if (compiled.size >= KEEP) compiled.delete(compiled.keys().next().value!);
    compiled.set(request.templateKey, entry);
  }
  return entry;
}

async function handle(request: RenderRequest): Promise<RenderAnswer> {
  const result = await compile(request);
  if (!result.template) return { id: request.id, pageCount: 0, diagnostics: result.diagnostics };
  const r = renderDocument(result.template, request.data, {
    specimen: request.specimen,
    ...(request.documentId !== undefined ? { documentId: request.documentId } : {}),
  });
  const answer: RenderAnswer = { id: request.id, pageCount: r.pageCount, diagnostics: [...result.template.warnings, ...r.diagnostics] };
  // Sent by transfer, not copied: it must own its whole buffer (Node's Buffers often share a pooled one).
  if (r.pdf) answer.pdf = r.pdf.byteOffset === 0 && r.pdf.byteLength === r.pdf.buffer.byteLength ? r.pdf : new Uint8Array(r.pdf);
  return answer;
}

parentPort?.postMessage('ready');
parentPort?.on('message', (request: RenderRequest) => {
  handle(request).then(
    (answer) => parentPort!.postMessage(answer, answer.pdf ? [answer.pdf.buffer as ArrayBuffer] : []),
    (e: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        pageCount: 0,
        diagnostics: [{ stage: 'draw', code: 'RENDER_FAILED', severity: 'error', message: `The document could not be made (${e instanceof Error ? e.message : String(e)}).` }],
      } satisfies RenderAnswer),
  );
});
