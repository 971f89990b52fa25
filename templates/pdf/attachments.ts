import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { literalBytes, name, pdfDate, textString } from './syntax';
import type { PdfWriter } from './writer';

/**
 * Files carried inside a document (ISO 32000-2 §7.11.4, §14.13 associated files): an Open Badges credential,
 * the data a certificate was made from. Each is declared in both places readers look — the catalog's
 * EmbeddedFiles name tree (what an attachments panel lists) and its /AF array with the file's relationship
 * to the document (what PDF/A-3 requires of every embedded file) — so the same bytes serve both kinds of file.
 */
export type AttachmentRelationship = 'Source' | 'Data' | 'Alternative' | 'Supplement' | 'Unspecified';

export interface PdfAttachment {
  /** The file name readers show and save under; unique within the document. */
  name: string;
  /** MIME type, e.g. "application/ld+json". */
  mimeType: string;
  bytes: Uint8Array;
  description?: string;
  relationship: AttachmentRelationship;
  /** The file's modification date; absent, the document's creation date (there is no clock in a render). */
  modified?: Date;
}

export type PdfAttachmentCode = 'ATTACHMENT_NAME_INVALID' | 'ATTACHMENT_NAME_DUPLICATE' | 'ATTACHMENT_MIME_INVALID';

export class PdfAttachmentError extends Error {
  constructor(
    readonly code: PdfAttachmentCode,
    message: string,
  ) {
    super(message);
    this.name = 'PdfAttachmentError';
  }
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** Refuses what would make a broken or ambiguous file: empty or path-like names, duplicates, malformed types. */
export function checkAttachments(attachments: readonly PdfAttachment[]): void {
  const seen = new Set<string>();
  for (const a of attachments) {
    if (!a.name || a.name.length > 255 || /[\\/\x00-\x1f]/.test(a.name))
      throw new PdfAttachmentError(
        'ATTACHMENT_NAME_INVALID',
        `An attachment's name must be 1–255 characters without slashes or control characters (${JSON.stringify(a.name)}).`,
      );
    if (seen.has(a.name)) throw new PdfAttachmentError('ATTACHMENT_NAME_DUPLICATE', `Two attachments are named ${JSON.stringify(a.name)}.`);
    seen.add(a.name);
    if (!MIME.test(a.mimeType))
      throw new PdfAttachmentError('ATTACHMENT_MIME_INVALID', `${JSON.stringify(a.mimeType)} is not a MIME type.`);
  }
}

/** The /F entry is a byte string older readers take as a path: the name with anything outside ASCII replaced. */
function asciiName(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '_');
}

/**
 * Writes each attachment (its embedded-file stream and file specification) and returns the catalog entries
 * that declare them: ` /Names << /EmbeddedFiles … >> /AF [...]`, or '' when there are none.
 */
export function writeAttachments(w: PdfWriter, attachments: readonly PdfAttachment[], documentDate: Date | undefined): string {
  if (attachments.length === 0) return '';
  checkAttachments(attachments);
  const specs: { key: string; num: number }[] = [];
  for (const a of attachments) {
    const data = deflateSync(a.bytes);
    const modified = a.modified ?? documentDate;
    const params =
      `/Params << /Size ${a.bytes.length}` +
      (modified && !Number.isNaN(modified.getTime()) ? ` /ModDate ${literalBytes(pdfDate(modified))}` : '') +
      ` /CheckSum <${createHash('md5').update(a.bytes).digest('hex').toUpperCase()}> >>`;
    const fileNum = w.allocate();
    w.writeObject(fileNum, [
      `<< /Type /EmbeddedFile /Subtype ${name(a.mimeType)} ${params} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`,
      data,
      '\nendstream',
    ]);
    const specNum = w.allocate();
    w.writeObject(specNum, [
      `<< /Type /Filespec /F ${literalBytes(asciiName(a.name))} /UF ${textString(a.name)}` +
        ` /EF << /F ${fileNum} 0 R /UF ${fileNum} 0 R >>` +
        (a.description ? ` /Desc ${textString(a.description)}` : '') +
        ` /AFRelationship /${a.relationship} >>`,
    ]);
    specs.push({ key: textString(a.name), num: specNum });
  }
  // A name tree's keys are in byte order of the encoded strings (ISO 32000 §7.9.6).
  const sorted = [...specs].sort((x, y) => Buffer.compare(Buffer.from(x.key, 'latin1'), Buffer.from(y.key, 'latin1')));
  const names = sorted.map((s) => `${s.key} ${s.num} 0 R`).join(' ');
  return ` /Names << /EmbeddedFiles << /Names [${names}] >> >> /AF [${specs.map((s) => `${s.num} 0 R`).join(' ')}]`;
}
