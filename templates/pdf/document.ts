import { deflateSync } from 'node:zlib';
import { ContentStream, type ContentBuilder, type PageResources } from './content';
import type { ImportedPage } from './imported-page';
import type { PreparedFont } from './prepared-font';
import type { PreparedImage } from './prepared-image';
import { literalBytes, name, num, pdfDate, textString } from './syntax';
import { PdfEncryptor, type PdfProtection } from './encryption';
import { writeAttachments, type PdfAttachment } from './attachments';
import { PdfWriter, fileId } from './writer';
import { PdfArchivalError, metadataStreamParts, srgbOutputIntent, xmlSafe, type ArchivalInfo } from './archival';
import { StructureTree, finishStructure, writeStructure, type TaggedPage } from './structure';
import { signatureDictionary, type PdfSignatureField } from './signature';

export interface DocumentInfo {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string[];
  creator?: string;
  /** BCP 47 language of the document's text, e.g. "fr-FR"; written as the catalog's /Lang. */
  lang?: string;
}

export interface PdfDocumentOptions {
  info?: DocumentInfo;
  /** The issue date; also the modification date. Absent: no dates are written (there is no clock here). */
  creationDate?: Date;
  /** Seed for the file identifier /ID: the same id gives the same bytes, a different one a different /ID. */
  documentId: string;
  /**
   * Print-ready boxes: every page also states its /CropBox and /TrimBox, both the page itself (no bleed),
   * so imposition software reads the trim from the file instead of guessing it.
   */
  print?: boolean;
  /** Encrypts the document (AES-256 or AES-128) with these permissions and passwords. */
  protection?: PdfProtection;
  /**
   * Writes the document as PDF/A-3b (archival.ts): XMP metadata, an sRGB output intent, printable links.
   * Excludes `protection` (the standard forbids encryption); anything drawn that PDF/A forbids makes
   * `save()` throw a PdfArchivalError instead of writing a file that claims what it is not.
   */
  archival?: boolean;
  /** Reserves a PAdES signature (templates/pdf/signature.ts): an invisible field on page 1, /Contents left to fill. */
  signature?: PdfSignatureField;
  /** Files carried in the document, each with its relationship to it (templates/pdf/attachments.ts). */
  attachments?: readonly PdfAttachment[];
  /**
   * Tagged PDF (templates/pdf/structure.ts): pages offer `tags` to build a structure tree while drawing,
   * and what is drawn outside it is marked as an artifact. Off, the bytes are those of an untagged file.
   */
  tagged?: boolean;
}

export interface LinkRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PdfPage {
  readonly width: number;
  readonly height: number;
  readonly content: ContentBuilder;
  /** In a tagged document: the structure of what this page draws. Undefined otherwise. */
  readonly tags: TaggedPage | undefined;
  /**
   * A clickable area. In a tagged document the annotation belongs to the current Link element (one is
   * made around it otherwise) and `description`, the link's text, is its /Contents.
   */
  addLink(rect: LinkRect, url: string, description?: string): void;
  /**
   * Runs `draw` and returns what it put on this page: its operators and the resources they name, to
   * `replay` on another page of the same document (a batch draws an element that is the same for every
   * learner once). Undefined when `draw` added a link (annotations are not replayed) or the document is
   * tagged (marked content is numbered per page, so it cannot be replayed either).
   */
  capture(draw: () => void): PageDrawing | undefined;
  /** Puts a captured drawing on this page: the same operators, the same resources. */
  replay(drawing: PageDrawing): void;
}

/** A captured drawing: operators, and the resource names they use, by dictionary. */
export interface PageDrawing {
  readonly ops: string;
  readonly uses: { readonly Font: readonly string[]; readonly XObject: readonly string[]; readonly ExtGState: readonly string[] };
}

type Uses = { Font: Set<string>; XObject: Set<string>; ExtGState: Set<string> };

interface DocumentFont {
  name: string;
  prepared: PreparedFont;
  /** Glyph id → the text the first placement of that glyph stood for. */
  used: Map<number, string>;
}

class Page implements PdfPage {
  readonly content: ContentStream;
  readonly links: { rect: LinkRect; url: string; description?: string }[] = [];
  readonly tags: TaggedPage | undefined;
  /** Resource names this page's content uses, by dictionary, in first-use order. */
  readonly uses: Uses = { Font: new Set<string>(), XObject: new Set<string>(), ExtGState: new Set<string>() };
  /** While `capture` runs: the names the drawing uses, already used on the page or not. */
  private recording: Uses | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
    document: Resources,
    tree: StructureTree | undefined,
  ) {
    const use = (kind: keyof Uses, name: string) => {
      this.uses[kind].add(name);
      this.recording?.[kind].add(name);
    };
    this.content = new ContentStream({
      font(prepared) {
        const f = document.font(prepared);
        use('Font', f.name);
        return f;
      },
      image(image) {
        const n = document.image(image);
        use('XObject', n);
        return n;
      },
      form(page) {
        const n = document.form(page);
        use('XObject', n);
        return n;
      },
      extGState(fill, stroke) {
        const n = document.extGState(fill, stroke);
        use('ExtGState', n);
        return n;
      },
    });
    this.tags = tree?.addPage(this);
  }

  addLink(rect: LinkRect, url: string, description?: string): void {
    const tags = this.tags;
    if (!tags) {
      this.links.push({ rect, url });
      return;
    }
    this.links.push(description ? { rect, url, description } : { rect, url });
    if (tags.tree.current.type === 'Link' || tags.tree.suppressed) tags.annotation(this.links.length - 1);
    else tags.tag('Link', { alt: description ?? url }, () => tags.annotation(this.links.length - 1));
  }

  capture(draw: () => void): PageDrawing | undefined {
    if (this.tags) {
      draw();
      return undefined;
    }
    const start = this.content.text.length;
    const links = this.links.length;
    const recording: Uses = { Font: new Set(), XObject: new Set(), ExtGState: new Set() };
    this.recording = recording;
    try {
      draw();
    } finally {
      this.recording = undefined;
    }
    if (this.links.length !== links) return undefined;
    return {
      ops: this.content.text.slice(start),
      uses: { Font: [...recording.Font], XObject: [...recording.XObject], ExtGState: [...recording.ExtGState] },
    };
  }

  replay(drawing: PageDrawing): void {
    this.content.text += drawing.ops;
    for (const kind of ['Font', 'XObject', 'ExtGState'] as const) for (const n of drawing.uses[kind]) this.uses[kind].add(n);
  }
}

/** Resource names for the whole document: the same font or image drawn on many pages is embedded once. */
class Resources implements PageResources {
  readonly fonts = new Map<PreparedFont, DocumentFont>();
  readonly images = new Map<PreparedImage, string>();
  readonly forms = new Map<ImportedPage, string>();
  readonly extGStates = new Map<string, { name: string; fill: number; stroke: number }>();

  font(prepared: PreparedFont): DocumentFont {
    let f = this.fonts.get(prepared);
    if (!f) {
      f = { name: `/F${this.fonts.size + 1}`, prepared, used: new Map() };
      this.fonts.set(prepared, f);
    }
    return f;
  }
  image(image: PreparedImage): string {
    let n = this.images.get(image);
    if (!n) this.images.set(image, (n = `/Im${this.images.size + 1}`));
    return n;
  }
  form(page: ImportedPage): string {
    let n = this.forms.get(page);
    if (!n) this.forms.set(page, (n = `/P${this.forms.size + 1}`));
    return n;
  }
  extGState(fill: number, stroke: number): string {
    const key = `${num(fill)} ${num(stroke)}`;
    let g = this.extGStates.get(key);
    if (!g) this.extGStates.set(key, (g = { name: `/GS${this.extGStates.size + 1}`, fill, stroke }));
    return g.name;
  }
}

/**
 * One PDF being written. Pages and their drawing are recorded; `save()` writes the file, copying every
 * prepared font subset, image and imported page as ready bytes. Identical calls give identical bytes.
 */
export class PdfDocument {
  private readonly pages: Page[] = [];
  private readonly resources = new Resources();
  private readonly tree: StructureTree | undefined;

  constructor(private readonly options: PdfDocumentOptions) {
    if (options.tagged) this.tree = new StructureTree();
  }

  addPage(width: number, height: number): PdfPage {
    const page = new Page(width, height, this.resources, this.tree);
    this.pages.push(page);
    return page;
  }

  save(): Uint8Array {
    const w = new PdfWriter();
    const protection = this.options.protection;
    const archival = this.options.archival === true;
    if (archival) this.checkArchival();
    if (protection) w.encryptor = new PdfEncryptor(protection, this.options.documentId, fileId(this.options.documentId));
    const catalog = w.allocate();
    const pagesNum = w.allocate();
    const infoNum = this.writeInfo(w);

    const refs = new Map<string, number>();
    for (const f of this.resources.fonts.values()) refs.set(f.name, w.writeGroup(fontObjects(f)));
    for (const [image, n] of this.resources.images) refs.set(n, w.writeGroup(image.group));
    for (const [form, n] of this.resources.forms) refs.set(n, w.writeGroup(form.group));
    for (const g of this.resources.extGStates.values()) {
      const num_ = w.allocate();
      w.writeObject(num_, [`<< /Type /ExtGState /ca ${num(g.fill)} /CA ${num(g.stroke)} >>`]);
      refs.set(g.name, num_);
    }

    const tree = this.tree;
    // The tree is closed first: wrapping the last content changes the pages' text, and annotations need their keys.
    const annotationKeys = tree ? finishStructure(tree) : undefined;
    const annotationNums: number[][] = [];
    const signature = this.options.signature;
    const field = signature && this.pages.length ? { widget: w.allocate(), dictionary: w.allocate() } : undefined;

    const kids: number[] = [];
    // Pages whose drawing is the same (a batch's static pages, repeated pages) share one content stream.
    const contents = new Map<string, number>();
    for (const [pageIndex, page] of this.pages.entries()) {
      const pageNum = w.allocate();
      kids.push(pageNum);
      const text = page.content.text;
      let contentNum = contents.get(text);
      if (contentNum === undefined) {
        contentNum = w.allocate();
        contents.set(text, contentNum);
        const data = deflateSync(Buffer.from(text, 'latin1'));
        w.writeObject(contentNum, [`<< /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, data, '\nendstream']);
      }
      let resources = '<<';
      for (const kind of ['Font', 'XObject', 'ExtGState'] as const) {
        if (page.uses[kind].size === 0) continue;
        resources += ` /${kind} <<`;
        for (const n of page.uses[kind]) resources += ` ${n} ${refs.get(n)} 0 R`;
        resources += ' >>';
      }
      resources += ' >>';
      let annots = '';
      if (page.links.length) {
        const linkNums: number[] = [];
        for (const link of page.links) {
          const n = w.allocate();
          const { x, y, width, height } = link.rect;
          let tagging = '';
          if (annotationKeys) {
            const key = annotationKeys.get(`${pageIndex}:${linkNums.length}`);
            if (key !== undefined) tagging += ` /StructParent ${key}`;
            tagging += ` /Contents ${textString(link.description ?? link.url)}`;
          }
          w.writeObject(n, [
            `<< /Type /Annot /Subtype /Link /Rect [${num(x)} ${num(y)} ${num(x + width)} ${num(y + height)}]` +
              // PDF/A: an annotation is printed (flag 4); a link draws nothing, so an ordinary file leaves it out.
              ` /Border [0 0 0]${archival ? ' /F 4' : ''} /A << /S /URI /URI ${literalBytes(encodeUri(link.url))} >>${tagging} >>`,
          ]);
          linkNums.push(n);
        }
        annots = ` /Annots [${linkNums.map((n) => `${n} 0 R`).join(' ')}]`;
        // Tab order follows the structure (PDF/UA 7.18.3).
        if (tree) annots += ' /Tabs /S';
        annotationNums[pageIndex] = linkNums;
      }
      const structParents = tree ? ` /StructParents ${pageIndex}` : '';
      if (field && kids.length === 1) {
        annots = annots ? annots.replace(/\]$/, ` ${field.widget} 0 R]`) : ` /Annots [${field.widget} 0 R]`;
        // Invisible (zero rectangle), printed and locked: the signature shows in a reader's panel, not on the page.
        w.writeObject(field.widget, [
          `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /F 132 /Rect [0 0 0 0] /P ${pageNum} 0 R /V ${field.dictionary} 0 R >>`,
        ]);
      }
      const box = `[0 0 ${num(page.width)} ${num(page.height)}]`;
      w.writeObject(pageNum, [
        `<< /Type /Page /Parent ${pagesNum} 0 R /MediaBox ${box}` +
          (this.options.print ? ` /CropBox ${box} /TrimBox ${box}` : '') +
          ` /Resources ${resources} /Contents ${contentNum} 0 R${annots}${structParents} >>`,
      ]);
    }
    w.writeObject(pagesNum, [`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`]);

    const structRoot =
      tree && annotationKeys
        ? writeStructure(
            tree,
            {
              pageNum: (i) => kids[i]!,
              annotationNum: (p, i) => annotationNums[p]![i]!,
              allocate: () => w.allocate(),
              write: (n, body) => w.writeObject(n, [body]),
            },
            annotationKeys,
          )
        : undefined;

    const declared = writeAttachments(w, this.options.attachments ?? [], this.options.creationDate);
    const info = this.options.info;
    let cat = `<< /Type /Catalog /Pages ${pagesNum} 0 R${declared}`;
    if (structRoot !== undefined) cat += ` /MarkInfo << /Marked true >> /StructTreeRoot ${structRoot} 0 R`;
    if (info?.lang) cat += ` /Lang ${textString(info.lang)}`;
    if (info?.title) cat += ' /ViewerPreferences << /DisplayDocTitle true >>';
    // AES-256 (R6) in a 1.7 file: Adobe's extension level 8 declares it (ISO 32000-1 Annex E).
    if (protection?.cipher === 'aes-256') cat += ' /Extensions << /ADBE << /BaseVersion /1.7 /ExtensionLevel 8 >> >>';
    if (archival) {
      const metadata = w.allocate();
      w.writeObject(metadata, metadataStreamParts(this.archivalInfo()));
      cat += ` /Metadata ${metadata} 0 R /OutputIntents [${w.writeGroup(srgbOutputIntent())} 0 R]`;
    }
    if (field) cat += ` /AcroForm << /Fields [${field.widget} 0 R] /SigFlags 3 >>`;
    w.writeObject(catalog, [cat + ' >>']);
    // Last of the body: the signer finds the reserved range from the end of the file.
    if (field && signature) w.writeSignatureObject(field.dictionary, signatureDictionary(signature));
    return w.finish(catalog, infoNum, this.options.documentId);
  }

  /**
   * Fails, naming what, when something drawn cannot be in a PDF/A file: a character no font covers (drawn
   * as .notdef, which PDF/A forbids), a CMYK image, a background page PDF/A does not allow.
   */
  private checkArchival(): void {
    if (this.options.protection)
      throw new PdfArchivalError('ARCHIVAL_PROTECTED', 'A PDF/A document cannot be encrypted: turn protection or archival off.');
    for (const f of this.resources.fonts.values())
      if (f.used.has(0))
        throw new PdfArchivalError(
          'ARCHIVAL_GLYPH_MISSING',
          `Some text is in characters the font ${f.prepared.font.font.familyName || f.prepared.font.key} does not have; PDF/A forbids drawing them as empty boxes. Add a font that covers them.`,
        );
    for (const image of this.resources.images.keys())
      if (image.cmyk)
        throw new PdfArchivalError(
          'ARCHIVAL_IMAGE_CMYK',
          'A CMYK JPEG cannot be in a PDF/A document with an sRGB output intent: export the image in RGB.',
        );
    for (const form of this.resources.forms.keys())
      if (form.archivalProblems.length)
        throw new PdfArchivalError(
          'ARCHIVAL_BACKGROUND_NOT_CONFORMING',
          `The background PDF cannot be part of a PDF/A document. ${form.archivalProblems.join(' ')}`,
        );
  }

  /** The Info values as both the Info dictionary and, for PDF/A, the XMP packet write them. */
  private archivalInfo(): ArchivalInfo {
    const info = this.options.info ?? {};
    const safe = (v: string | undefined) => (v && this.options.archival ? xmlSafe(v) : v);
    return {
      producer: 'Attest',
      title: safe(info.title),
      author: safe(info.author),
      subject: safe(info.subject),
      keywords: safe(info.keywords?.length ? info.keywords.join(', ') : undefined),
      creator: safe(info.creator),
      date: this.options.creationDate,
    };
  }

  private writeInfo(w: PdfWriter): number {
    const info = this.archivalInfo();
    let dict = `<< /Producer ${textString(info.producer)}`;
    const entries: [string, string | undefined][] = [
      ['Title', info.title],
      ['Author', info.author],
      ['Subject', info.subject],
      ['Keywords', info.keywords],
      ['Creator', info.creator],
    ];
    for (const [key, value] of entries) if (value) dict += ` ${name(key)} ${textString(value)}`;
    const date = this.options.creationDate;
    if (date && !Number.isNaN(date.getTime())) {
      const d = literalBytes(pdfDate(date));
      dict += ` /CreationDate ${d} /ModDate ${d}`;
    }
    const n = w.allocate();
    w.writeObject(n, [dict + ' >>']);
    return n;
  }
}

/** The font's objects for this document: the ready subset, with its own ToUnicode only when needed. */
function fontObjects(f: DocumentFont) {
  const subset = f.prepared.subsetFor(f.used);
  let matches = true;
  for (const [gid, text] of f.used) {
    if (subset.unicode.get(gid) !== text && !(gid === 0 && text === '')) {
      matches = false;
      break;
    }
  }
  return matches ? subset.group : subset.withToUnicode(f.used);
}

/** URIs are 7-bit ASCII (PDF 1.7 §12.6.4.7): percent-encode anything else, keep what is already encoded. */
function encodeUri(url: string): string {
  return url.replace(/[^\x21-\x7e]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%EF%BF%BD'; // a lone surrogate: U+FFFD
    }
  });
}
