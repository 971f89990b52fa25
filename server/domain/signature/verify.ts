import type { Db } from '../../storage/db';
import { signingKeyByFingerprint } from '../../storage/repositories/signing-keys';
import { readSignature, sha256 } from './cms';
import { nameAttribute, nameText, parseCertificate } from './certificates';

/**
 * What the verification page says of a document's signature: who signed (from the key's certificate),
 * with which key, at which level, when. For an uploaded PDF, also whether its signature is intact — the
 * CMS checked over the file's /ByteRange — and made with one of the tenant's keys, current or retired.
 */
export interface SignatureFacts {
  signer: string;
  organization?: string;
  subject: string;
  keyId: string;
  /** retired: a later key has replaced it; what it signed still verifies. */
  keyState: 'active' | 'retired';
  level: 'B-B' | 'B-T';
  signedAt?: string;
  timestampedAt?: string;
}

export interface UploadedSignature {
  /** The file has a signature at all. */
  signed: boolean;
  /** Its CMS verifies over the signed byte ranges, which cover the whole file but the signature itself. */
  intact: boolean;
  /** The certificate is one of the tenant's signing keys (active or retired). */
  tenantKey: boolean;
  signer?: SignatureFacts;
}

export function certificateFacts(certificateBase64: string): { signer: string; organization?: string; subject: string } {
  const cert = parseCertificate(Buffer.from(certificateBase64, 'base64'));
  const cn = nameAttribute(cert.subject, 'CN');
  const o = nameAttribute(cert.subject, 'O');
  const subject = nameText(cert.subject);
  return { signer: cn ?? subject, ...(o ? { organization: o } : {}), subject };
}

/** The last signature of a PDF: its byte ranges and CMS, or undefined when it has none we can read. */
export function lastSignature(pdf: Uint8Array): { ranges: Uint8Array[]; cms: Uint8Array; whole: boolean } | undefined {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const at = text.lastIndexOf('/ByteRange');
  if (at < 0) return undefined;
  const m = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at, at + 100));
  if (!m) return undefined;
  const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
  if (a !== 0 || b > c || c + d > pdf.length || text[b] !== '<' || text[c - 1] !== '>') return undefined;
  const hex = text.slice(b + 1, c - 1).replace(/(00)+$/, '');
  const cms = Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex');
  return { ranges: [pdf.subarray(0, b), pdf.subarray(c, c + d)], cms, whole: c + d === pdf.length };
}

export async function checkUploadedSignature(db: Db, tenantId: string, pdf: Uint8Array): Promise<UploadedSignature> {
  const found = lastSignature(pdf);
  if (!found) return { signed: false, intact: false, tenantKey: false };
  let read;
  try {
    read = await readSignature(found.cms, found.ranges);
  } catch {
    return { signed: true, intact: false, tenantKey: false };
  }
  const key = read.certificate ? await signingKeyByFingerprint(db, tenantId, sha256(read.certificate).toString('hex')) : undefined;
  const out: UploadedSignature = { signed: true, intact: read.intact && found.whole, tenantKey: !!key };
  if (key) {
    out.signer = {
      ...certificateFacts(key.certificate),
      keyId: key.id,
      keyState: key.state,
      level: read.timestampedAt ? 'B-T' : 'B-B',
      ...(read.timestampedAt ? { timestampedAt: read.timestampedAt.toISOString() } : {}),
    };
  }
  return out;
}
