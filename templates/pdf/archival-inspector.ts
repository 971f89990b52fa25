import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  decodePDFRawStream,
  type PDFDocument,
  type PDFObject,
} from '@cantoo/pdf-lib';

/**
 * What an uploaded PDF page brings that ISO 19005-2/3 (PDF/A-2, -3) forbids in a document with an sRGB
 * output intent, looked for while the page is copied (imported-page.ts): fonts whose program is not
 * embedded (the standard 14 among them), device CMYK colour (operators or colour spaces) with no
 * DefaultCMYK, transfer functions and halftones in graphics states, blend modes outside the standard
 * ones, interpolated images, PostScript and reference XObjects, OPI, LZW or crypt filters, data in external
 * files. Actions, JavaScript and annotations
 * are never copied at all, so they are not looked for. Each problem is one sentence for the designer.
 */
export class ArchivalInspector {
  private readonly found = new Set<string>();
  private cmyk = false;
  private defaultCmyk = false;
  private readonly seen = new Set<PDFDict>();

  constructor(private readonly doc: PDFDocument) {}

  problems(): string[] {
    const out = [...this.found];
    if (this.cmyk && !this.defaultCmyk)
      out.push('It paints in device CMYK colour, which a PDF/A document with an sRGB output intent cannot hold: export it in RGB.');
    return out;
  }

  private lookup(obj: PDFObject | undefined): PDFObject | undefined {
    return obj instanceof PDFRef ? this.doc.context.lookup(obj) : obj;
  }

  /** Every dictionary copied (stream dictionaries included). */
  dict(d: PDFDict): void {
    if (this.seen.has(d)) return;
    this.seen.add(d);
    const type = d.get(TYPE);
    const subtype = d.get(SUBTYPE);
    if (subtype instanceof PDFName && FONT_PROGRAMS.has(subtype.asString()) && (type === FONT || d.has(BASE_FONT))) this.font(d, subtype);
    if (subtype === IMAGE) {
      if (d.get(INTERPOLATE) === PDFBool.True) this.found.add('It has an image marked for interpolation, which PDF/A forbids.');
      if (d.has(ALTERNATES)) this.found.add('It has an image with alternates, which PDF/A forbids.');
    }
    if (subtype === PS || d.get(SUBTYPE2) === PS) this.found.add('It holds PostScript code, which PDF/A forbids.');
    if (subtype === FORM && d.has(REF)) this.found.add('It refers to a page of another file (a reference XObject), which PDF/A forbids.');
    if (d.has(OPI)) this.found.add('It has OPI comments, which PDF/A forbids.');
    if (type === EXT_G_STATE || d.has(TR) || d.has(BM) || d.has(HTP)) this.graphicsState(d);
    for (const [key, value] of d.entries()) {
      if (key === DEFAULT_CMYK) this.defaultCmyk = true;
      if (key === COLOR_SPACE || key === CS_KEY) this.colourSpace(value);
    }
  }

  private font(d: PDFDict, subtype: PDFName): void {
    if (subtype.asString() === '/Type3' || subtype.asString() === '/Type0') return;
    const descriptor = this.lookup(d.get(FONT_DESCRIPTOR));
    const name = this.lookup(d.get(BASE_FONT));
    const label = name instanceof PDFName ? name.decodeText().replace(/^[A-Z]{6}\+/, '') : 'a font';
    const embedded =
      descriptor instanceof PDFDict && (descriptor.has(FONT_FILE) || descriptor.has(FONT_FILE2) || descriptor.has(FONT_FILE3));
    if (!embedded)
      this.found.add(`It uses the font ${label} without embedding it, which PDF/A forbids: export it with fonts embedded (or outlined).`);
  }

  private graphicsState(d: PDFDict): void {
    if (d.has(TR)) this.found.add('It sets a transfer function, which PDF/A forbids.');
    const tr2 = d.get(TR2);
    if (tr2 !== undefined && tr2 !== DEFAULT) this.found.add('It sets a transfer function, which PDF/A forbids.');
    if (d.has(HTP)) this.found.add('It sets a halftone phase, which PDF/A forbids.');
    const bm = this.lookup(d.get(BM));
    const modes = bm instanceof PDFArray ? bm.asArray() : bm ? [bm] : [];
    for (const m of modes)
      if (!(m instanceof PDFName) || !BLEND_MODES.has(m.asString().slice(1)))
        this.found.add('It uses a blend mode PDF/A does not know; flatten its transparency.');
  }

  private colourSpace(value: PDFObject): void {
    const v = this.lookup(value);
    if (v === DEVICE_CMYK) this.cmyk = true;
    else if (v instanceof PDFArray) for (const item of v.asArray()) this.colourSpace(item);
    else if (v instanceof PDFDict)
      for (const [key, item] of v.entries()) {
        if (key === DEFAULT_CMYK) this.defaultCmyk = true;
        this.colourSpace(item);
      }
  }

  /** Every stream copied: forms, patterns and glyph procedures have content of their own to look at. */
  stream(s: PDFStream): void {
    const d = s.dict;
    const filter = this.lookup(d.get(FILTER));
    const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
    if (filters.some((f) => f === LZW || f === CRYPT))
      this.found.add('It compresses data with LZW or a crypt filter, which PDF/A forbids: export it again (PDF 1.5 or later).');
    if (d.has(F_KEY) || d.has(FFILTER)) this.found.add('It draws data kept in another file, which PDF/A forbids.');
    if (!(d.get(SUBTYPE) === FORM || d.has(PATTERN_TYPE) || d.has(RESOURCES_KEY))) return;
    try {
      const raw = s instanceof PDFRawStream ? s : PDFRawStream.of(d, s.getContents());
      const bytes = decodePDFRawStream(raw).getBytes(MAX_INSPECTED + 1);
      this.content(new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAX_INSPECTED)));
    } catch {
      // A stream that does not decode draws nothing the viewer could show either; the copy keeps it as it is.
    }
  }

  /** A content stream: CMYK operators (k, K) or the DeviceCMYK colour space named in it. */
  content(bytes: Uint8Array): void {
    if (this.cmyk) return;
    const ops = withoutStrings(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
    if (/(?:^|[\s\])>])(?:k|K)(?=[\s/[(<]|$)/.test(ops) || /\/DeviceCMYK\b/.test(ops)) this.cmyk = true;
  }
}

/** A content stream with its strings and inline image data blanked, so only operators and operands remain. */
function withoutStrings(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '(') {
      let depth = 1;
      for (i++; i < s.length && depth > 0; i++) {
        if (s[i] === '\\') i++;
        else if (s[i] === '(') depth++;
        else if (s[i] === ')') depth--;
      }
      i--;
      out += ' ';
    } else if (c === '<' && s[i + 1] !== '<') {
      const end = s.indexOf('>', i);
      i = end < 0 ? s.length : end;
      out += ' ';
    } else if (c === 'I' && s[i + 1] === 'D' && /\s/.test(s[i + 2] ?? '') && /(^|\s)$/.test(s[i - 1] ?? ' ')) {
      const end = s.slice(i + 3).search(/\sEI(?=\s|$)/);
      i = end < 0 ? s.length : i + 3 + end + 3;
      out += ' ';
    } else if (c === '%') {
      const end = s.slice(i).search(/[\r\n]/);
      i = end < 0 ? s.length : i + end;
      out += ' ';
    } else out += c;
  }
  return out;
}

/** Larger content is inspected up to here: a background's drawing is far smaller. */
const MAX_INSPECTED = 20_000_000;

const n = (s: string) => PDFName.of(s);
const TYPE = n('Type');
const SUBTYPE = n('Subtype');
const SUBTYPE2 = n('Subtype2');
const FONT = n('Font');
const BASE_FONT = n('BaseFont');
const FONT_DESCRIPTOR = n('FontDescriptor');
const FONT_FILE = n('FontFile');
const FONT_FILE2 = n('FontFile2');
const FONT_FILE3 = n('FontFile3');
const IMAGE = n('Image');
const FORM = n('Form');
const PS = n('PS');
const REF = n('Ref');
const OPI = n('OPI');
const INTERPOLATE = n('Interpolate');
const ALTERNATES = n('Alternates');
const EXT_G_STATE = n('ExtGState');
const TR = n('TR');
const TR2 = n('TR2');
const HTP = n('HTP');
const BM = n('BM');
const DEFAULT = n('Default');
const COLOR_SPACE = n('ColorSpace');
const CS_KEY = n('CS');
const DEFAULT_CMYK = n('DefaultCMYK');
const DEVICE_CMYK = n('DeviceCMYK');
const PATTERN_TYPE = n('PatternType');
const FILTER = n('Filter');
const LZW = n('LZWDecode');
const CRYPT = n('Crypt');
const F_KEY = n('F');
const FFILTER = n('FFilter');
const RESOURCES_KEY = n('Resources');
const FONT_PROGRAMS = new Set(['/Type1', '/MMType1', '/TrueType', '/Type3', '/Type0', '/CIDFontType0', '/CIDFontType2']);
const BLEND_MODES = new Set([
  'Normal',
  'Compatible',
  'Multiply',
  'Screen',
  'Overlay',
  'Darken',
  'Lighten',
  'ColorDodge',
  'ColorBurn',
  'HardLight',
  'SoftLight',
  'Difference',
  'Exclusion',
  'Hue',
  'Saturation',
  'Color',
  'Luminosity',
]);
