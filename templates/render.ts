import { createHash } from 'node:crypto';
import { hasErrors, type Diagnostic } from '../variables/diagnostics';
import { bind, type BindOptions } from '../variables/bind';
import type { BoundData } from '../variables/types';
import type { CompiledTemplate } from './compile';
import { LiquidStageError } from './liquid/engine';
import { parseMarkup } from './markup';
import { PdfDocument } from './pdf';
import { drawDocument, type DrawnBox } from './layout/document';

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
  let at = timings ? performance.now() : 0;
  let markup: ReturnType<CompiledTemplate['body']['render']>;
  const info: { title?: string; author?: string; subject?: string; creator?: string } = {};
  try {
    markup = template.body.render(data);
    for (const field of ['title', 'author', 'subject', 'creator'] as const) {
      const render = template.metadata[field];
      if (render) info[field] = render(data).replace(/\s+/g, ' ').trim();
    }
  } catch (e) {
    if (e instanceof LiquidStageError) return { diagnostics: [...diagnostics, ...e.diagnostics], pageCount: 0, boxes: [], data };
    throw e;
  }

  if (timings) at = addTime(timings, 'liquid', at);
  const parsed = parseMarkup({ markup: markup.output, locate: (s, e) => markup.map.locate(s, e) });
  if (timings) at = addTime(timings, 'markup', at);
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.document || hasErrors(parsed.diagnostics)) return { diagnostics, pageCount: 0, boxes: [], data };

  const certificate = (data.certificate ?? null) as { code?: unknown; issued?: unknown } | null;
  const issued =
    typeof certificate?.issued === 'string'
      ? new Date(certificate.issued.length === 10 ? `${certificate.issued}T00:00:00Z` : certificate.issued)
      : undefined;
  const documentId =
    options.documentId ??
    (typeof certificate?.code === 'string' && certificate.code
      ? certificate.code
      : createHash('sha256').update(JSON.stringify(data)).digest('hex'));
  const doc = new PdfDocument({
    info: {
      ...info,
      keywords: template.metadata.keywords,
      lang: template.locale,
      creator: info.creator ?? 'Attest',
    },
    ...(issued && !Number.isNaN(issued.getTime()) ? { creationDate: issued } : {}),
    documentId,
  });
  try {
    const drawn = drawDocument(parsed.document, { template, doc, specimen: options.specimen ?? false, ...(timings ? { timings } : {}) });
    if (timings) at = addTime(timings, 'draw', at);
    diagnostics.push(...drawn.diagnostics);
    if (hasErrors(drawn.diagnostics)) return { diagnostics, pageCount: 0, boxes: [], data };
    const pdf = doc.save();
    if (timings) addTime(timings, 'save', at);
    return { pdf, diagnostics, pageCount: drawn.pageCount, boxes: drawn.boxes, data };
  } catch (e) {
    // Fonts and images come from outside; a library failing deep inside them must not take the caller
    // down. Every known failure has its own code; this one says the render itself broke.
    diagnostics.push({
      stage: 'draw',
      code: 'RENDER_FAILED',
      severity: 'error',
      message: `The document could not be drawn (${e instanceof Error ? e.message : String(e)}). This is a fault in Attest, not in the template: please report it with the template and data.`,
    });
    return { diagnostics, pageCount: 0, boxes: [], data };
  }
}
