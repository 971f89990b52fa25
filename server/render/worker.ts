import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { compileTemplate, type CompileResult } from '../../templates/compile';
import { trialRenders } from '../../templates/check';
import { renderBound, renderDocument } from '../../templates/render';
import { renderBatch } from '../../templates/render-batch';
import type { BoundData } from '../../variables/types';
import { hasErrors } from '../../variables/diagnostics';
import { warmUpKindOf, warmUpTemplate } from './warm-up';
import { TEMPLATE_NOT_LOADED, WORKER_TEMPLATE_CACHE, compiledKey, type RenderAnswer, type RenderRequest } from './protocol';

/**
 * A render worker: compiles template versions once (kept by key, the most recent few) and renders
 * documents. It runs untrusted templates, so the pool can terminate it at any moment; it holds nothing
 * that matters.
 */
const compiled = new Map<string, Promise<CompileResult>>();
/** How this worker warmed up (worker-start.ts): templates are warmed alike. */
const warmUpKind = warmUpKindOf(workerData);

function compile(request: RenderRequest): Promise<CompileResult> | undefined {
  if (request.template) {
    const { source, assets } = request.template;
    // A template about to be issued is warmed once here (its fonts, background and static text prepared),
    // so its first document costs what the next ones do; drafts being checked are not, nor previews: a
    // source being typed is compiled for one specimen, and warming it would make that specimen twice.
    const language = request.language ?? 'en';
    const entry = compileTemplate(source, { loadAsset: (file) => assets[file], language }).then((result) => {
      if ((request.kind === 'render' || request.kind === 'batch') && !request.specimen && result.template)
        warmUpTemplate(result.template, warmUpKind);
      return result;
    });
    const key = compiledKey(request);
    compiled.delete(key);
    // Same eviction order as the pool's mirror of this cache (oldest sent first).
    if (compiled.size >= WORKER_TEMPLATE_CACHE) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, entry);
    return entry;
  }
  return compiled.get(compiledKey(request));
}

/** Bound data crosses the thread as structured-cloned JSON: an object is what the server bound. */
const isBoundData = (data: unknown): data is BoundData => typeof data === 'object' && data !== null && !Array.isArray(data);

async function handle(request: RenderRequest): Promise<RenderAnswer> {
  const started = performance.now();
  const entry = compile(request);
  if (!entry)
    return {
      id: request.id,
      pageCount: 0,
      diagnostics: [{ stage: 'draw', code: TEMPLATE_NOT_LOADED, severity: 'error', message: 'The template is not loaded in this worker.' }],
    };
  const result = await entry;
  if (request.kind === 'compile' || !result.template)
    return { id: request.id, pageCount: 0, diagnostics: result.diagnostics, ms: performance.now() - started };
  if (request.kind === 'check') {
    // Trial renders only for a template without errors: with them, publication is refused anyway.
    const trials = hasErrors(result.diagnostics) ? [] : trialRenders(result.template);
    return { id: request.id, pageCount: 0, diagnostics: [...result.diagnostics, ...trials], ms: performance.now() - started };
  }
  if (request.kind === 'batch') return batch(request, result.template, started);
  const options = {
    specimen: request.specimen ?? false,
    ...(request.documentId !== undefined ? { documentId: request.documentId } : {}),
    ...(request.protection ? { protection: { ...request.protection, secret: new Uint8Array(request.protection.secret) } } : {}),
    ...(request.signature ? { signature: request.signature } : {}),
    ...(request.attachments?.length ? { attachments: request.attachments } : {}),
    ...(request.archival ? { archival: true } : {}),
    ...(request.tagged ? { tagged: true } : {}),
  };
  const r =
    request.bound && isBoundData(request.data)
      ? renderBound(result.template, request.data, options)
      : renderDocument(result.template, request.data, options);
  const answer: RenderAnswer = {
    id: request.id,
    pageCount: r.pageCount,
    diagnostics: [...result.template.warnings, ...r.diagnostics],
    ms: performance.now() - started,
    ...(request.specimen ? { boxes: r.boxes } : {}),
  };
  if (r.pdf) answer.pdf = owned(r.pdf);
  return answer;
}

/** A batch's answer: one PDF, or the diagnostics of the data sets that failed, each saying which it was. */
function batch(request: RenderRequest, template: NonNullable<CompileResult['template']>, started: number): RenderAnswer {
  const items = (request.items ?? []).filter(isBoundData);
  const r = renderBatch(template, items, { ...(request.print ? { print: true } : {}) });
  const diagnostics = [...template.warnings];
  for (const f of r.failures)
    for (const d of f.diagnostics) diagnostics.push({ ...d, message: `Document ${f.index + 1} of the batch: ${d.message}` });
  const answer: RenderAnswer = { id: request.id, pageCount: r.pageCount, diagnostics, ms: performance.now() - started };
  if (r.pdf) answer.pdf = owned(r.pdf);
  return answer;
}

/** Sent by transfer, not copied: it must own its whole buffer (Node's Buffers often share a pooled one). */
const owned = (pdf: Uint8Array): Uint8Array =>
  pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? pdf : new Uint8Array(pdf);

parentPort?.postMessage('ready');
parentPort?.on('message', (request: RenderRequest) => {
  handle(request).then(
    (answer) => parentPort!.postMessage(answer, answer.pdf ? [answer.pdf.buffer as ArrayBuffer] : []),
    (e: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        pageCount: 0,
        diagnostics: [
          {
            stage: 'draw',
            code: 'RENDER_FAILED',
            severity: 'error',
            message: `The document could not be made (${e instanceof Error ? e.message : String(e)}).`,
          },
        ],
      } satisfies RenderAnswer),
  );
});
