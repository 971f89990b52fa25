import { createHash } from 'node:crypto';
import { hasErrors, type Diagnostic } from '../variables/diagnostics';
import type { BoundData } from '../variables/types';
import type { CompiledTemplate } from './compile';
import { PdfDocument } from './pdf';
import { documentIdOf, drawInto, issuedDate, prepareMarkup } from './render';
import { SharedDrawings } from './layout/document';

/**
 * A batch: one compiled template and N bound data sets (a session's learners) → ONE PDF holding every
 * document's pages in input order. It is the single-document render run N times into one shared
 * PdfDocument, so what a document shares across its pages a batch shares across all of them: each font is
 * embedded once (the writer collects every glyph the batch used and subsets once at save, with one
 * ToUnicode map for the shared subset), the background page or image once as one XObject every page
 * draws, and pages whose drawing is identical share one content stream. Same inputs, same bytes.
 *
 * A batch is never tagged (RenderOptions.tagged): it is a print file for a printer, not a document a person
 * reads on screen, and what makes it cheap, replaying an element drawn once, cannot carry marked content,
 * which is numbered per page. Each learner's own document, the one they are given, is tagged.
 */
export interface BatchOptions {
  /** Print-ready boxes: each page states its CropBox and TrimBox (= the page; no bleed). */
  print?: boolean;
  /** The document info title; by default "batch of N". */
  title?: string;
  /** Seed of the PDF's /ID; by default a hash of every document's own id (the certificate codes), in order. */
  documentId?: string;
  /** Previews: every page carries SPECIMEN. */
  specimen?: boolean;
  /** Milliseconds by stage (liquid, markup, draw, draw:<element>, save), summed over the batch. */
  timings?: Record<string, number>;
}

/** A data set of the batch that could not be drawn: its position in the input and why. */
export interface BatchFailure {
  index: number;
  diagnostics: Diagnostic[];
}

export interface BatchResult {
  /** Absent when any data set failed: a batch is printed whole or not at all. */
  pdf?: Uint8Array;
  pageCount: number;
  /** For each data set, in input order: the first page (0-based) and how many pages it has. */
  documents: { firstPage: number; pageCount: number }[];
  failures: BatchFailure[];
  /** Warnings, by data set. */
  warnings: BatchFailure[];
}

export function renderBatch(template: CompiledTemplate, items: readonly BoundData[], options: BatchOptions = {}): BatchResult {
  const timings = options.timings;
  const failures: BatchFailure[] = [];
  const warnings: BatchFailure[] = [];
  const documents: BatchResult['documents'] = [];
  let latest: Date | undefined;
  const ids = createHash('sha256');
  for (const data of items) {
    const issued = issuedDate(data);
    if (issued && (!latest || issued > latest)) latest = issued;
    ids.update(documentIdOf(data)).update('\n');
  }
  // The document info is the first document's author, subject and creator: the organisation's, the same
  // for a session (public metadata holds no personal data, the analyzer sees to it). Each data set is
  // prepared just before it is drawn, so nothing of a drawn document but its page content stays in memory.
  const firstDiagnostics: Diagnostic[] = [];
  const firstPrepared = items.length ? prepareMarkup(template, items[0]!, firstDiagnostics, timings) : undefined;
  const info = firstPrepared?.info ?? {};
  const doc = new PdfDocument({
    info: {
      title: options.title ?? `batch of ${items.length}`,
      ...(info.author ? { author: info.author } : {}),
      ...(info.subject ? { subject: info.subject } : {}),
      keywords: template.metadata.keywords,
      lang: template.locale,
      creator: info.creator ?? 'Attest',
    },
    ...(latest ? { creationDate: latest } : {}),
    documentId: options.documentId ?? ids.digest('hex'),
    ...(options.print ? { print: true } : {}),
  });

  const shared = new SharedDrawings();
  let pages = 0;
  for (let index = 0; index < items.length; index++) {
    const diagnostics = index === 0 ? firstDiagnostics : [];
    const prepared = index === 0 ? firstPrepared : prepareMarkup(template, items[index]!, diagnostics, timings);
    const drawn = prepared && drawInto(doc, template, prepared, diagnostics, options.specimen ?? false, timings, shared);
    if (!drawn || hasErrors(diagnostics)) failures.push({ index, diagnostics });
    else if (diagnostics.length) warnings.push({ index, diagnostics });
    documents.push({ firstPage: pages, pageCount: drawn ? drawn.pageCount : 0 });
    pages += drawn ? drawn.pageCount : 0;
  }
  if (failures.length || items.length === 0) return { pageCount: 0, documents, failures, warnings };

  const at = timings ? performance.now() : 0;
  const pdf = doc.save();
  if (timings) timings.save = (timings.save ?? 0) + performance.now() - at;
  return { pdf, pageCount: pages, documents, failures, warnings };
}
