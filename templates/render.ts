import { createHash } from 'node:crypto';
import { hasErrors, type Diagnostic } from '../variables/diagnostics';
import { bind, type BindOptions } from '../variables/bind';
import type { BoundData } from '../variables/types';
import type { CompiledTemplate } from './compile';
import { LiquidStageError } from './liquid/engine';
import { parseMarkup, type MarkupDocument } from './markup';
import { PdfDocument, type PdfAttachment, type PdfProtection } from './pdf';
import { drawDocument, type DrawnBox, type SharedDrawings } from './layout/document';

/**
 * The one entry from a compiled template and a learner's data to PDF bytes:
 * bind → render Liquid → parse markup → lay out and draw → save. Same template and data, same bytes.
 */
export interface RenderOptions {
  /** Previews: every page carries a SPECIMEN watermark. */
  specimen?: boolean;
  /** Seed of the PDF's /ID; by default the certificate code, else a hash of the data. */
  documentId?: string;
  bind?: BindOptions;
  /** Encrypt the document: cipher, permissions, passwords and the key material (see templates/pdf/encryption.ts). */
  protection?: PdfProtection;
  /** Files embedded in the document with their relationship to it (an Open Badges credential, say). */
  attachments?: readonly PdfAttachment[];
  /**
   * Milliseconds spent in each stage are added here when given (bind, liquid, markup, draw:<element>,
   * draw, save): the benchmark's breakdown. Absent, nothing is timed.
   */
  timings?: Record<string, number>;
}

function addTime(timings: Record<string, number> | undefined, stage: string, since: number): number {
  const now = performance.now();
  if (timings) timings[stage] = (timings[stage] ?? 0) + now - since;
  return now;
}

export interface RenderResult {
  pdf?: Uint8Array;
  diagnostics: Diagnostic[];
  pageCount: number;
  /** Where each element was drawn and where it is in the template: the editor's preview ↔ source link. */
  boxes: DrawnBox[];
  /** The data as bound (normalised, derived fields filled). */
  data?: BoundData;
}

export function renderDocument(template: CompiledTemplate, data: unknown, options: RenderOptions = {}): RenderResult {
  const started = options.timings ? performance.now() : 0;
  const bound = bind(template.schema, data, options.bind);
  if (options.timings) addTime(options.timings, 'bind', started);
  const diagnostics: Diagnostic[] = [...bound.diagnostics];
  if (hasErrors(bound.diagnostics)) return { diagnostics, pageCount: 0, boxes: [] };
  return renderBound(template, bound.data, options, diagnostics);
}

/** Renders data that has already been bound against `template.schema` (the server binds once, early). */
export function renderBound(
  template: CompiledTemplate,
  data: BoundData,
  options: RenderOptions = {},
  diagnostics: Diagnostic[] = [],
): RenderResult {
  const timings = options.timings;
  const prepared = prepareMarkup(template, data, diagnostics, timings);
  if (!prepared) return { diagnostics, pageCount: 0, boxes: [], data };
  const { info } = prepared;
  const issued = issuedDate(data);
  const doc = new PdfDocument({
    info: {
      ...info,
      keywords: template.metadata.keywords,
      lang: template.locale,
      creator: info.creator ?? 'Attest',
    },
    ...(issued ? { creationDate: issued } : {}),
    documentId: options.documentId ?? documentIdOf(data),
    ...(options.protection ? { protection: options.protection } : {}),
    ...(options.attachments?.length ? { attachments: options.attachments } : {}),
  });
  const drawn = drawInto(doc, template, prepared, diagnostics, options.specimen ?? false, timings);
  if (!drawn) return { diagnostics, pageCount: 0, boxes: [], data };
  try {
    const at = timings ? performance.now() : 0;
    const pdf = doc.save();
    if (timings) addTime(timings, 'save', at);
    return { pdf, diagnostics, pageCount: drawn.pageCount, boxes: drawn.boxes, data };
  } catch (e) {
    diagnostics.push(renderFailed(e));
    return { diagnostics, pageCount: 0, boxes: [], data };
  }
}

/** The document info fields a template's metadata renders (Liquid over the data). */
type RenderedInfo = { title?: string; author?: string; subject?: string; creator?: string };

/** What one data set becomes before drawing: its parsed markup and its rendered metadata. */
export interface PreparedMarkup {
  document: MarkupDocument;
  info: RenderedInfo;
}

/**
 * Liquid (body and metadata) then the markup parser, for one bound data set: the part of a render that
 * depends only on the template and the data, shared by a single document and a batch. Problems go to
 * `diagnostics`; undefined when there is nothing to draw.
 */
export function prepareMarkup(
  template: CompiledTemplate,
  data: BoundData,
  diagnostics: Diagnostic[],
  timings?: Record<string, number>,
): PreparedMarkup | undefined {
  let at = timings ? performance.now() : 0;
  let markup: ReturnType<CompiledTemplate['body']['render']>;
  const info: RenderedInfo = {};
  try {
    markup = template.body.render(data);
    for (const field of ['title', 'author', 'subject', 'creator'] as const) {
      const render = template.metadata[field];
      if (render) info[field] = render(data).replace(/\s+/g, ' ').trim();
    }
  } catch (e) {
    if (e instanceof LiquidStageError) {
      diagnostics.push(...e.diagnostics);
      return undefined;
    }
    throw e;
  }
  if (timings) at = addTime(timings, 'liquid', at);
  const parsed = parseMarkup({ markup: markup.output, locate: (s, e) => markup.map.locate(s, e) });
  if (timings) addTime(timings, 'markup', at);
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.document || hasErrors(parsed.diagnostics)) return undefined;
  return { document: parsed.document, info };
}

/**
 * Lays out and draws one prepared data set as new pages of `doc` (a document of its own, or a batch's
 * shared one). Undefined, with the diagnostics, when drawing failed.
 */
export function drawInto(
  doc: PdfDocument,
  template: CompiledTemplate,
  prepared: PreparedMarkup,
  diagnostics: Diagnostic[],
  specimen: boolean,
  timings?: Record<string, number>,
  shared?: SharedDrawings,
): { pageCount: number; boxes: DrawnBox[] } | undefined {
  try {
    const at = timings ? performance.now() : 0;
    const drawn = drawDocument(prepared.document, {
      template,
      doc,
      specimen,
      ...(timings ? { timings } : {}),
      ...(shared ? { shared } : {}),
    });
    if (timings) addTime(timings, 'draw', at);
    diagnostics.push(...drawn.diagnostics);
    if (hasErrors(drawn.diagnostics)) return undefined;
    return { pageCount: drawn.pageCount, boxes: drawn.boxes };
  } catch (e) {
    diagnostics.push(renderFailed(e));
    return undefined;
  }
}

/** The issue date a document carries (`certificate.issued`), if the data has a valid one. */
export function issuedDate(data: BoundData): Date | undefined {
  const certificate = (data.certificate ?? null) as { issued?: unknown } | null;
  if (typeof certificate?.issued !== 'string') return undefined;
  const issued = new Date(certificate.issued.length === 10 ? `${certificate.issued}T00:00:00Z` : certificate.issued);
  return Number.isNaN(issued.getTime()) ? undefined : issued;
}

/** The seed of a document's /ID: the certificate code, else a hash of the data. */
export function documentIdOf(data: BoundData): string {
  const certificate = (data.certificate ?? null) as { code?: unknown } | null;
  return typeof certificate?.code === 'string' && certificate.code
    ? certificate.code
    : createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

/**
 * Fonts and images come from outside; a library failing deep inside them must not take the caller down.
 * Every known failure has its own code; this one says the render itself broke.
 */
function renderFailed(e: unknown): Diagnostic {
  return {
    stage: 'draw',
    code: 'RENDER_FAILED',
    severity: 'error',
    message: `The document could not be drawn (${e instanceof Error ? e.message : String(e)}). This is a fault in Attest, not in the template: please report it with the template and data.`,
  };
}
