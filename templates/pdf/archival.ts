import { deflateSync } from 'node:zlib';
import { DiagnosticError } from '../../variables/diagnostics';
import { GroupBuilder, ObjectGroup, streamParts } from './objects';
import { SRGB_PROFILE_DESCRIPTION, srgbIccProfile } from './icc';

/**
 * PDF/A-3b (ISO 19005-3, level B: the visual appearance is preserved): what an archival document carries
 * beyond an ordinary one — the XMP packet declaring the part and conformance with the same values as the
 * Info dictionary, and an sRGB output intent — and what it must not carry. The writer's own objects
 * already meet the rest (every font an embedded Type0 subset with its CIDToGIDMap, a binary header
 * comment, a file /ID, no JavaScript, URI links only); what an uploaded image, background page or an
 * uncovered character could bring that breaks the standard is refused with a PdfArchivalError, never
 * written under a claim that is not true.
 */
export const PDFA_PART = 3;
export const PDFA_CONFORMANCE = 'B';
export const PDFA_LABEL = 'PDF/A-3b';

/** Stable codes for a document that cannot be written as PDF/A; never reworded once shipped. */
export type PdfArchivalCode =
  'ARCHIVAL_PROTECTED' | 'ARCHIVAL_GLYPH_MISSING' | 'ARCHIVAL_IMAGE_CMYK' | 'ARCHIVAL_BACKGROUND_NOT_CONFORMING';

/** The document asked for PDF/A and something in it cannot be so; the message is written for the designer. */
export class PdfArchivalError extends DiagnosticError {
  constructor(code: PdfArchivalCode, message: string) {
    super([{ stage: 'draw', code, severity: 'error', message }]);
    this.name = 'PdfArchivalError';
  }
}

/** The document information, as the Info dictionary and the XMP packet both state it. */
export interface ArchivalInfo {
  title?: string | undefined;
  author?: string | undefined;
  subject?: string | undefined;
  keywords?: string | undefined;
  creator?: string | undefined;
  producer: string;
  /** The issue date: CreateDate, ModifyDate and MetadataDate (there is no clock in a render). */
  date?: Date | undefined;
}

/**
 * Text as XML 1.0 can carry it: characters XML forbids (C0 controls but tab and line feeds, lone
 * surrogates, U+FFFE/U+FFFF) become U+FFFD. Applied to the Info values too, so both say the same.
 */
export function xmlSafe(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** xmp:DateTime (ISO 8601, UTC) of the same instant the Info dictionary writes as D:YYYYMMDDHHmmSSZ. */
export function xmpDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The XMP packet (UTF-8, uncompressed): pdfaid part 3 conformance B, and each Info entry in the property
 * ISO 19005 pairs it with (Title → dc:title, Author → dc:creator, Subject → dc:description, Keywords →
 * pdf:Keywords, Creator → xmp:CreatorTool, Producer → pdf:Producer, the dates → xmp:CreateDate and
 * xmp:ModifyDate). Same input, same bytes.
 */
export function xmpPacket(info: ArchivalInfo): Uint8Array {
  const e = (s: string) => escapeXml(xmlSafe(s));
  const alt = (s: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${e(s)}</rdf:li></rdf:Alt>`;
  const lines = [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
    `<pdfaid:part>${PDFA_PART}</pdfaid:part>`,
    `<pdfaid:conformance>${PDFA_CONFORMANCE}</pdfaid:conformance>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<dc:format>application/pdf</dc:format>',
  ];
  if (info.title) lines.push(`<dc:title>${alt(info.title)}</dc:title>`);
  if (info.author) lines.push(`<dc:creator><rdf:Seq><rdf:li>${e(info.author)}</rdf:li></rdf:Seq></dc:creator>`);
  if (info.subject) lines.push(`<dc:description>${alt(info.subject)}</dc:description>`);
  lines.push('</rdf:Description>', '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">');
  lines.push(`<pdf:Producer>${e(info.producer)}</pdf:Producer>`);
  if (info.keywords) lines.push(`<pdf:Keywords>${e(info.keywords)}</pdf:Keywords>`);
  lines.push('</rdf:Description>', '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">');
  if (info.creator) lines.push(`<xmp:CreatorTool>${e(info.creator)}</xmp:CreatorTool>`);
  if (info.date && !Number.isNaN(info.date.getTime())) {
    const d = xmpDate(info.date);
    lines.push(
      `<xmp:CreateDate>${d}</xmp:CreateDate>`,
      `<xmp:ModifyDate>${d}</xmp:ModifyDate>`,
      `<xmp:MetadataDate>${d}</xmp:MetadataDate>`,
    );
  }
  lines.push('</rdf:Description>', '</rdf:RDF>', '</x:xmpmeta>', '<?xpacket end="r"?>');
  return Buffer.from(lines.join('\n'), 'utf8');
}

/** The catalog's /Metadata stream: never compressed, so any tool (and `archivalConformance`) reads it as it is. */
export function metadataStreamParts(info: ArchivalInfo) {
  return streamParts([' /Type /Metadata /Subtype /XML'], xmpPacket(info));
}

let intent: ObjectGroup | undefined;

/** The output intent (object 0) and its sRGB profile: the same ready group for every document. */
export function srgbOutputIntent(): ObjectGroup {
  if (intent) return intent;
  const b = new GroupBuilder();
  const self = b.reserve();
  const profile = b.add(streamParts([' /N 3 /Alternate /DeviceRGB /Filter /FlateDecode'], deflateSync(srgbIccProfile())));
  b.set(self, [
    `<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (${SRGB_PROFILE_DESCRIPTION})` +
      ` /Info (${SRGB_PROFILE_DESCRIPTION}) /RegistryName (http://www.color.org) /DestOutputProfile `,
    profile,
    ' >>',
  ]);
  intent = b.build();
  return intent;
}

/**
 * What a PDF says of itself: 'PDF/A-3b' when its XMP identifies part 3, conformance B, and it is not
 * encrypted (an encrypted file is never PDF/A, whatever it claims). Reads the bytes as our writer leaves
 * them (uncompressed metadata), element or attribute form; undefined otherwise.
 */
export function archivalConformance(pdf: Uint8Array): typeof PDFA_LABEL | undefined {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const start = text.indexOf('<x:xmpmeta');
  if (start < 0) return undefined;
  const end = text.indexOf('</x:xmpmeta>', start);
  const xmp = text.slice(start, end < 0 ? undefined : end);
  const field = (key: string) =>
    new RegExp(`pdfaid:${key}>\\s*([^<\\s]+)\\s*<`).exec(xmp)?.[1] ?? new RegExp(`pdfaid:${key}\\s*=\\s*["']([^"']+)["']`).exec(xmp)?.[1];
  if (field('part') !== String(PDFA_PART) || field('conformance')?.toUpperCase() !== PDFA_CONFORMANCE) return undefined;
  const trailer = text.slice(text.lastIndexOf('trailer'));
  if (/\/Encrypt\b/.test(trailer)) return undefined;
  return PDFA_LABEL;
}
