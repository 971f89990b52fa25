import { constants, deflateSync, inflateSync } from 'node:zlib';
import {
  EncryptedPDFError,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  decodePDFRawStream,
  type PDFObject,
} from '@cantoo/pdf-lib';
import { ArchivalInspector } from './archival-inspector';
import { PdfAssetError } from './errors';
import { GroupBuilder, LocalRef, streamParts, type ObjectGroup, type ObjectPart } from './objects';
import { num } from './syntax';

/**
 * One page of an uploaded PDF (a background, a frame), copied once per process into a form XObject whose
 * objects are ready bytes. Its origin is the lower-left corner of the page's visible box (CropBox within
 * MediaBox, after /Rotate), so drawing it at (0, 0) with scale 1 covers a page of `width` × `height`.
 *
 * Parsing is asynchronous because @cantoo/pdf-lib's parser is; it happens once per asset, never per document.
 */
export class ImportedPage {
  /** Internal: use `ImportedPage.fromPdf`. */
  constructor(
    readonly width: number,
    readonly height: number,
    /** Object 0 is the form XObject. */
    readonly group: ObjectGroup,
    /**
     * Why this page cannot be part of a PDF/A document (a font not embedded, device CMYK colour under an
     * sRGB output intent, a transfer function…), in the designer's words; empty when it can.
     */
    readonly archivalProblems: readonly string[] = [],
  ) {}

  static async fromPdf(bytes: Uint8Array, pageIndex = 0, limits: ImportLimits = {}): Promise<ImportedPage> {
    const doc = await load(bytes);
    const count = doc.getPageCount();
    if (!Number.isInteger(pageIndex) || pageIndex < 0 || pageIndex >= count) {
      throw new PdfAssetError(
        'ASSET_PDF_PAGE_OUT_OF_RANGE',
        `This PDF has ${count} page${count === 1 ? '' : 's'}; page ${pageIndex + 1} does not exist.`,
      );
    }
    try {
      return importPage(doc, pageIndex, limits.maxContentBytes ?? MAX_PAGE_CONTENT_BYTES);
    } catch (cause) {
      if (cause instanceof PdfAssetError) throw cause;
      throw new PdfAssetError(
        'ASSET_PDF_CORRUPT',
        'This PDF is damaged: its page could not be read. Export it again from your design tool.',
        { cause },
      );
    }
  }

  static async pageCount(bytes: Uint8Array): Promise<number> {
    return (await load(bytes)).getPageCount();
  }
}

export interface ImportLimits {
  /** Largest decoded content of the page (all its content streams together), in bytes. */
  maxContentBytes?: number;
}

/**
 * A designed certificate background decodes to well under a megabyte of drawing operators; a page whose
 * content inflates past this is a decompression bomb or not a background.
 */
export const MAX_PAGE_CONTENT_BYTES = 20_000_000;

/**
 * Object and cross-reference streams together, decoded, at most. The PDF parser decodes these whole while
 * loading (before any page is looked at), so they are measured first, with a bound.
 */
export const MAX_OBJECT_STREAM_BYTES = 50_000_000;

const STREAM_KEYWORD = /\bstream(\r\n|\n|\r)/g;

/**
 * Finds the object streams (/Type /ObjStm) and cross-reference streams (/Type /XRef) in the raw file and
 * inflates each with zlib's maxOutputLength set to what is left of MAX_OBJECT_STREAM_BYTES, so a stream
 * that decompresses to gigabytes is refused here instead of filling the memory inside the parser. Names
 * are read with their #xx escapes decoded, as the parser reads them.
 */
function checkObjectStreams(bytes: Uint8Array): void {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let left = MAX_OBJECT_STREAM_BYTES;
  for (const m of text.matchAll(STREAM_KEYWORD)) {
    const keyword = m.index;
    const dict = text
      .slice(Math.max(0, text.lastIndexOf('obj', keyword)), keyword)
      .replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (!/\/Type\s*\/(ObjStm|XRef)\b/.test(dict)) continue;
    const start = keyword + m[0].length;
    const end = text.indexOf('endstream', start);
    const data = bytes.subarray(start, end < 0 ? bytes.length : end);
    const filters = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict)?.[1] ?? '';
    if (filters === '') {
      left -= data.length;
    } else if (/^(\/FlateDecode|\[\s*\/FlateDecode\s*\])$/.test(filters.trim())) {
      try {
        left -= inflateSync(data, { maxOutputLength: Math.max(1, left), finishFlush: constants.Z_SYNC_FLUSH }).length;
      } catch (cause) {
        if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') left = -1;
        // Anything else is damage the parser will report in its own words.
      }
    } else {
      throw new PdfAssetError(
        'ASSET_PDF_CORRUPT',
        'This PDF compresses its object streams in a way Attest does not read; export it again from your design tool (PDF 1.5 or later, standard compression).',
      );
    }
    if (left < 0) {
      throw new PdfAssetError(
        'ASSET_PDF_TOO_LARGE',
        `This PDF's object streams decompress to more than ${MAX_OBJECT_STREAM_BYTES / 1e6} MB; a background should be far smaller. Export it again from your design tool.`,
      );
    }
  }
}

async function load(bytes: Uint8Array): Promise<PDFDocument> {
  checkObjectStreams(bytes);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  } catch (cause) {
    if (cause instanceof EncryptedPDFError) throw encrypted(cause);
    throw new PdfAssetError('ASSET_PDF_CORRUPT', 'This file is not a readable PDF. Export it again from your design tool as a PDF.', {
      cause,
    });
  }
  if (doc.isEncrypted) throw encrypted();
  if (doc.getPageCount() === 0) throw new PdfAssetError('ASSET_PDF_CORRUPT', 'This PDF has no pages that can be read.');
  return doc;
}

function encrypted(cause?: unknown): PdfAssetError {
  return new PdfAssetError(
    'ASSET_PDF_ENCRYPTED',
    'This PDF is password-protected or encrypted; save a copy without protection and upload that.',
    { cause },
  );
}

function importPage(doc: PDFDocument, pageIndex: number, maxContentBytes: number): ImportedPage {
  const page = doc.getPage(pageIndex);
  const media = page.getMediaBox();
  const crop = page.getCropBox();
  // The visible box: the crop box, clipped to the media box.
  const llx = Math.max(Math.min(crop.x, crop.x + crop.width), Math.min(media.x, media.x + media.width));
  const lly = Math.max(Math.min(crop.y, crop.y + crop.height), Math.min(media.y, media.y + media.height));
  const urx = Math.min(Math.max(crop.x, crop.x + crop.width), Math.max(media.x, media.x + media.width));
  const ury = Math.min(Math.max(crop.y, crop.y + crop.height), Math.max(media.y, media.y + media.height));
  if (!(urx > llx && ury > lly)) throw new PdfAssetError('ASSET_PDF_CORRUPT', 'This PDF page has an empty page box.');
  const w = urx - llx;
  const h = ury - lly;
  const rotate = ((((Math.round(page.getRotation().angle / 90) * 90) % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  // Maps the visible box, turned as a viewer would show it, onto (0, 0)–(width, height).
  const matrix = {
    0: [1, 0, 0, 1, -llx, -lly],
    90: [0, -1, 1, 0, -lly, urx],
    180: [-1, 0, 0, -1, urx, ury],
    270: [0, 1, -1, 0, ury, -llx],
  }[rotate];
  const [width, height] = rotate === 90 || rotate === 270 ? [h, w] : [w, h];

  const copier = new GraphCopier(doc);
  const form = copier.builder.reserve();
  const decoded = pageContent(doc, page.node.Contents(), maxContentBytes);
  copier.archival.content(decoded);
  const content = deflateSync(decoded);
  const resources = page.node.Resources();
  const dict: ObjectPart[] = [
    ` /Type /XObject /Subtype /Form /FormType 1 /BBox [${num(llx)} ${num(lly)} ${num(urx)} ${num(ury)}]` +
      ` /Matrix [${matrix.map(num).join(' ')}] /Resources `,
    ...(resources ? copier.resources(resources) : ['<< >>']),
    ' /Filter /FlateDecode',
  ];
  copier.builder.set(form, streamParts(dict, content));
  copier.drain();
  return new ImportedPage(width, height, copier.builder.build(), copier.archival.problems());
}

/**
 * The page's content streams, decoded and joined (a page may split its content over several streams).
 * Decoding reads at most what is left of `maxBytes` plus one byte: a stream that inflates to gigabytes is
 * stopped there, not decoded and then measured.
 */
function pageContent(doc: PDFDocument, contents: PDFObject | undefined, maxBytes: number): Uint8Array {
  const streams: PDFObject[] = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
  const parts: Uint8Array[] = [];
  let used = 0;
  for (const item of streams) {
    const stream = item instanceof PDFRef ? doc.context.lookup(item) : item;
    let raw: PDFRawStream;
    if (stream instanceof PDFRawStream) raw = stream;
    else if (stream instanceof PDFStream) raw = PDFRawStream.of(stream.dict, stream.getContents());
    else continue;
    const left = maxBytes - used;
    const read = decodePDFRawStream(raw).getBytes(left + 1);
    const decoded = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
    used += decoded.length;
    if (decoded.length > left) {
      throw new PdfAssetError(
        'ASSET_PDF_TOO_LARGE',
        `This PDF page's drawing decompresses to more than ${(maxBytes / 1e6).toLocaleString('en')} MB; a background should be far smaller. Export it again (flattened, or as an image).`,
      );
    }
    parts.push(decoded, NEWLINE);
  }
  return Buffer.concat(parts);
}
const NEWLINE = new Uint8Array([10]);

/**
 * Copies the objects a page's resources reach, renumbered as one ready group. Links back into the page
 * tree (a /Parent, an annotation's /P) are cut: the form must not drag the source document along.
 *
 * Only what drawing needs comes along: a resource dictionary keeps the kinds of resources (fonts, XObjects,
 * colour spaces, patterns, shadings, graphics states, marked-content properties) and nothing else, and no
 * action (JavaScript, /Launch, a link), additional-actions entry or annotation is copied from anywhere in
 * the graph: an issued certificate never carries code or links an uploaded background brought.
 */
class GraphCopier {
  readonly builder = new GroupBuilder();
  readonly archival: ArchivalInspector;
  private readonly local = new Map<PDFRef, LocalRef>();
  private readonly queue: [PDFRef, LocalRef, boolean][] = [];

  constructor(private readonly doc: PDFDocument) {
    this.archival = new ArchivalInspector(doc);
  }

  private ref(ref: PDFRef, isResources = false): ObjectPart {
    const target = this.doc.context.lookup(ref);
    if (target === undefined || isPageTreeNode(target) || isAction(target)) return 'null';
    let l = this.local.get(ref);
    if (!l) {
      if (this.local.size > 200_000) throw new PdfAssetError('ASSET_PDF_CORRUPT', 'This PDF page has too many objects to import.');
      l = this.builder.reserve();
      this.local.set(ref, l);
      this.queue.push([ref, l, isResources]);
    }
    return l;
  }

  drain(): void {
    for (let next = this.queue.pop(); next; next = this.queue.pop()) {
      const [ref, l, isResources] = next;
      const obj = this.doc.context.lookup(ref);
      if (obj instanceof PDFStream) {
        this.archival.stream(obj);
        const contents = obj instanceof PDFRawStream ? obj.contents : obj.getContents();
        this.builder.set(l, streamParts(this.entries(obj.dict, false, [LENGTH]), contents));
      } else if (obj instanceof PDFDict && isResources) {
        this.builder.set(l, this.resources(obj));
      } else {
        this.builder.set(l, obj ? this.direct(obj) : ['null']);
      }
    }
  }

  /** A resource dictionary (the page's, or a form's or pattern's), keeping only the kinds drawing uses. */
  resources(obj: PDFObject): ObjectPart[] {
    if (obj instanceof PDFRef) return [this.ref(obj, true)];
    if (!(obj instanceof PDFDict)) return ['<< >>'];
    return ['<<', ...this.entries(obj, true), ' >>'];
  }

  private entries(dict: PDFDict, isResources: boolean, skip: readonly PDFName[] = []): ObjectPart[] {
    this.archival.dict(dict);
    const out: ObjectPart[] = [];
    for (const [key, value] of dict.entries()) {
      if (skip.includes(key) || DROPPED_KEYS.has(key)) continue;
      if (isResources && !RESOURCE_KINDS.has(key)) continue;
      out.push(' ', key.toString(), ' ', ...(key === RESOURCES ? this.resources(value) : this.direct(value)));
    }
    return out;
  }

  /** A direct object's parts, with every indirect reference renumbered. */
  direct(obj: PDFObject): ObjectPart[] {
    if (obj instanceof PDFRef) return [this.ref(obj)];
    if (obj instanceof PDFDict) return isAction(obj) ? ['null'] : ['<<', ...this.entries(obj, false), ' >>'];
    if (obj instanceof PDFArray) {
      const out: ObjectPart[] = ['['];
      obj.asArray().forEach((item, i) => out.push(i ? ' ' : '', ...this.direct(item)));
      out.push(']');
      return out;
    }
    // A stream can only be reached through a reference; anything else (name, number, string, bool, null)
    // prints as pdf-lib parsed it.
    if (obj instanceof PDFStream) return ['null'];
    const text = obj.toString();
    return [text.startsWith('PDFInvalidObject') ? 'null' : text];
  }
}

const LENGTH = PDFName.of('Length');
const RESOURCES = PDFName.of('Resources');
const TYPE = PDFName.of('Type');
const S = PDFName.of('S');

/** What a resource dictionary may hold: everything a content stream can name, and nothing else. */
const RESOURCE_KINDS: ReadonlySet<PDFName> = new Set(
  ['Font', 'XObject', 'ColorSpace', 'Pattern', 'Shading', 'ExtGState', 'Properties', 'ProcSet'].map((n) => PDFName.of(n)),
);

/**
 * Never copied, wherever they appear: links back into the page tree (/Parent, an annotation's /P), and
 * every way a PDF runs code or opens something (actions, additional actions, JavaScript, annotations).
 */
const DROPPED_KEYS: ReadonlySet<PDFName> = new Set(
  ['Parent', 'P', 'A', 'AA', 'JS', 'JavaScript', 'OpenAction', 'Annots', 'Names', 'URI', 'Launch'].map((n) => PDFName.of(n)),
);

const ACTION_TYPES: ReadonlySet<PDFName> = new Set(
  [
    'JavaScript',
    'Launch',
    'URI',
    'GoTo',
    'GoToR',
    'GoToE',
    'SubmitForm',
    'ImportData',
    'ResetForm',
    'Named',
    'Rendition',
    'Sound',
    'Movie',
    'Hide',
    'SetOCGState',
    'Trans',
    'GoTo3DView',
    'RichMediaExecute',
    'Thread',
  ].map((n) => PDFName.of(n)),
);

/** An action dictionary (typed /Action, or carrying an action's /S), which drawing never needs. */
function isAction(obj: PDFObject): boolean {
  if (!(obj instanceof PDFDict)) return false;
  const type = obj.get(TYPE);
  const subtype = obj.get(S);
  return type === PDFName.of('Action') || type === PDFName.of('Annot') || (subtype instanceof PDFName && ACTION_TYPES.has(subtype));
}

function isPageTreeNode(obj: PDFObject): boolean {
  if (!(obj instanceof PDFDict)) return false;
  const type = obj.get(PDFName.of('Type'));
  return type === PDFName.of('Page') || type === PDFName.of('Pages') || type === PDFName.of('Catalog');
}
