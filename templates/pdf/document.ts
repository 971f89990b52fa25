import { deflateSync } from 'node:zlib';
import { ContentStream, type ContentBuilder, type PageResources } from './content';
import type { ImportedPage } from './imported-page';
import type { PreparedFont } from './prepared-font';
import type { PreparedImage } from './prepared-image';
import { literalBytes, name, num, pdfDate, textString } from './syntax';
import { PdfEncryptor, type PdfProtection } from './encryption';
import { writeAttachments, type PdfAttachment } from './attachments';
import { PdfWriter, fileId } from './writer';

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
  /** Files carried in the document, each with its relationship to it (templates/pdf/attachments.ts). */
  attachments?: readonly PdfAttachment[];
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
  addLink(rect: LinkRect, url: string): void;
  /**
   * Runs `draw` and returns what it put on this page: its operators and the resources they name, to
   * `replay` on another page of the same document (a batch draws an element that is the same for every
   * learner once). Undefined when `draw` added a link (annotations are not replayed).
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
  readonly links: { rect: LinkRect; url: string }[] = [];
  /** Resource names this page's content uses, by dictionary, in first-use order. */
  readonly uses: Uses = { Font: new Set<string>(), XObject: new Set<string>(), ExtGState: new Set<string>() };
  /** While `capture` runs: the names the drawing uses, already used on the page or not. */
  private recording: Uses | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
    document: Resources,
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
  }

  addLink(rect: LinkRect, url: string): void {
    this.links.push({ rect, url });
  }

  capture(draw: () => void): PageDrawing | undefined {
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

  constructor(private readonly options: PdfDocumentOptions) {}

  addPage(width: number, height: number): PdfPage {
    const page = new Page(width, height, this.resources);
    this.pages.push(page);
    return page;
  }

  save(): Uint8Array {
    const w = new PdfWriter();
    const protection = this.options.protection;
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

    const kids: number[] = [];
    // Pages whose drawing is the same (a batch's static pages, repeated pages) share one content stream.
    const contents = new Map<string, number>();
    for (const page of this.pages) {
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
          w.writeObject(n, [
            `<< /Type /Annot /Subtype /Link /Rect [${num(x)} ${num(y)} ${num(x + width)} ${num(y + height)}]` +
              ` /Border [0 0 0] /A << /S /URI /URI ${literalBytes(encodeUri(link.url))} >> >>`,
          ]);
          linkNums.push(n);
        }
        annots = ` /Annots [${linkNums.map((n) => `${n} 0 R`).join(' ')}]`;
      }
      const box = `[0 0 ${num(page.width)} ${num(page.height)}]`;
      w.writeObject(pageNum, [
        `<< /Type /Page /Parent ${pagesNum} 0 R /MediaBox ${box}` +
          (this.options.print ? ` /CropBox ${box} /TrimBox ${box}` : '') +
          ` /Resources ${resources} /Contents ${contentNum} 0 R${annots} >>`,
      ]);
    }
    w.writeObject(pagesNum, [`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`]);

    const declared = writeAttachments(w, this.options.attachments ?? [], this.options.creationDate);
    const info = this.options.info;
    let cat = `<< /Type /Catalog /Pages ${pagesNum} 0 R${declared}`;
    if (info?.lang) cat += ` /Lang ${textString(info.lang)}`;
    if (info?.title) cat += ' /ViewerPreferences << /DisplayDocTitle true >>';
    // AES-256 (R6) in a 1.7 file: Adobe's extension level 8 declares it (ISO 32000-1 Annex E).
    if (protection?.cipher === 'aes-256') cat += ' /Extensions << /ADBE << /BaseVersion /1.7 /ExtensionLevel 8 >> >>';
    w.writeObject(catalog, [cat + ' >>']);
    return w.finish(catalog, infoNum, this.options.documentId);
  }

  private writeInfo(w: PdfWriter): number {
    const info = this.options.info ?? {};
    let dict = '<< /Producer (Attest)';
    const entries: [string, string | undefined][] = [
      ['Title', info.title],
      ['Author', info.author],
      ['Subject', info.subject],
      ['Keywords', info.keywords?.length ? info.keywords.join(', ') : undefined],
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
