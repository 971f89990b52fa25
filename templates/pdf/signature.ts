/**
 * A PAdES signature's place in the file (ISO 32000-1 §12.8, ETSI EN 319 142-1): the writer reserves it,
 * whoever holds the key fills it. The document carries an AcroForm with SigFlags 3, one invisible signature
 * field on page 1 and its /Sig dictionary (/Filter /Adobe.PPKLite, /SubFilter /ETSI.CAdES.detached, the
 * signing time as /M — PAdES keeps it out of the CMS), with /ByteRange and /Contents reserved. `signedRanges`
 * then names the bytes a signature covers (all but /Contents) and `withSignature` writes the CMS into the
 * reserved room, so the render never needs the key and signing needs nothing of the renderer.
 */
import { literalBytes, pdfDate, textString } from './syntax';

export interface PdfSignatureField {
  /** The signing time, written as /M. */
  signedAt: Date;
  reason?: string;
  location?: string;
  /** Who signs, as readers show it (the certificate's subject says it too). */
  name?: string;
  /** Bytes reserved for the DER-encoded CMS (written as twice as many hex digits). */
  contentsSize: number;
}

/** Numbers of fixed width, so the real byte range is written in place without moving a byte. */
const RANGE_PLACEHOLDER = '/ByteRange [0 9999999999 9999999999 9999999999]';

export class PdfSignatureError extends Error {
  constructor(
    readonly code: 'PDF_SIGNATURE_NO_PLACEHOLDER' | 'PDF_SIGNATURE_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'PdfSignatureError';
  }
}

/** The signature dictionary's text, split where the unencrypted /Contents goes (ISO 32000-1 §7.6.1). */
export function signatureDictionary(field: PdfSignatureField): { head: string; contents: string; tail: string } {
  let head = '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached';
  head += ` /M ${literalBytes(pdfDate(field.signedAt))}`;
  if (field.name) head += ` /Name ${textString(field.name)}`;
  if (field.reason) head += ` /Reason ${textString(field.reason)}`;
  if (field.location) head += ` /Location ${textString(field.location)}`;
  head += ` ${RANGE_PLACEHOLDER} /Contents `;
  return { head, contents: `<${'0'.repeat(field.contentsSize * 2)}>`, tail: ' >>' };
}

export interface SignedRanges {
  /** Where /Contents' '<' is, and just after its '>': the hole the signature leaves. */
  holeStart: number;
  holeEnd: number;
  /** The file with its real /ByteRange written in: what the signature covers, around the hole. */
  pdf: Uint8Array;
}

/** The byte ranges of the reserved signature, with /ByteRange filled in (a copy of the bytes). */
export function signedRanges(pdf: Uint8Array): SignedRanges {
  const bytes = Buffer.from(pdf);
  const at = bytes.lastIndexOf(RANGE_PLACEHOLDER, undefined, 'latin1');
  if (at < 0) throw new PdfSignatureError('PDF_SIGNATURE_NO_PLACEHOLDER', 'This PDF has no room reserved for a signature.');
  const holeStart = bytes.indexOf('<', at + RANGE_PLACEHOLDER.length, 'latin1');
  const holeEnd = bytes.indexOf('>', holeStart, 'latin1') + 1;
  const range = `/ByteRange [0 ${holeStart} ${holeEnd} ${bytes.length - holeEnd}]`.padEnd(RANGE_PLACEHOLDER.length, ' ');
  bytes.write(range, at, 'latin1');
  return { holeStart, holeEnd, pdf: bytes };
}

/** The bytes a signature over these ranges covers, in order. */
export function signedBytes(r: SignedRanges): Uint8Array[] {
  return [r.pdf.subarray(0, r.holeStart), r.pdf.subarray(r.holeEnd)];
}

/** The signed file: the CMS written as hex into the reserved /Contents (the rest zero-padded). */
export function withSignature(r: SignedRanges, cms: Uint8Array): Uint8Array {
  const room = (r.holeEnd - r.holeStart - 2) / 2;
  if (cms.length > room)
    throw new PdfSignatureError('PDF_SIGNATURE_TOO_LARGE', `The signature has ${cms.length} bytes; ${room} were reserved.`);
  const out = Buffer.from(r.pdf);
  out.write(Buffer.from(cms).toString('hex').toUpperCase(), r.holeStart + 1, 'latin1');
  return out;
}
