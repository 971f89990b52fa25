import type { DrawnBox } from '../../templates/layout/boxes';
import type { PdfAttachment, PdfProtection } from '../../templates/pdf';
import type { Diagnostic } from '../../variables/diagnostics';
import type { Language } from '../../variables/analyzer';

/**
 * What the server's render workers are asked and what they answer. A template version is identified by
 * `templateKey` (its content hash): a worker compiles a version once and keeps it for the next documents,
 * so the source and assets travel only with the first request a worker sees for that key.
 */
export interface TemplatePayload {
  source: string;
  /** The template's assets by the file names its front matter uses. */
  assets: Record<string, Uint8Array>;
}

export interface RenderRequest {
  id: number;
  /**
   * `compile` checks a template (validation, drafts) without rendering a document; `check` compiles and,
   * when that succeeds, renders with every sample learner (publication), answering only the problems;
   * `batch` renders every bound data set of `items` into one PDF (templates/render-batch.ts).
   */
  kind: 'render' | 'compile' | 'check' | 'batch';
  templateKey: string;
  template?: TemplatePayload;
  data?: unknown;
  /** The data was bound by the server against this version's contract: rendered as it is, not bound again. */
  bound?: boolean;
  specimen?: boolean;
  documentId?: string;
  /** A batch's data sets, bound by the server, in page order. */
  items?: unknown[];
  /** A batch: print-ready page boxes. */
  print?: boolean;
  /** The language of the diagnostics: the caller's interface (English when absent). */
  language?: Language;
  /** Encrypt the document (server/domain/protection.ts): passwords in clear, only in memory. */
  protection?: PdfProtection;
  /** Files to embed in the document (templates/pdf/attachments.ts). */
  attachments?: PdfAttachment[];
}

/**
 * What a worker keeps a compiled template under, and the pool's mirror of it: the diagnostics found while
 * compiling are written once, in one language, so a version checked in French is another entry than the
 * same version in English (English keeps the bare key, which is what issuing documents uses).
 */
export function compiledKey(request: Pick<RenderRequest, 'templateKey' | 'language'>): string {
  return request.language && request.language !== 'en' ? `${request.templateKey}#${request.language}` : request.templateKey;
}

/** Compiled templates a worker keeps; the pool mirrors it to know what to send. */
export const WORKER_TEMPLATE_CACHE = 32;

/** A worker that lost a template (never sent, or evicted) asks for it again with this code. */
export const TEMPLATE_NOT_LOADED = 'TEMPLATE_NOT_LOADED';

export interface RenderAnswer {
  id: number;
  pdf?: Uint8Array;
  pageCount: number;
  diagnostics: Diagnostic[];
  /** Where each element was drawn and where it is in the template (previews). */
  boxes?: DrawnBox[];
  ms?: number;
}
