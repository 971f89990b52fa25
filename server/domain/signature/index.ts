import type { PdfSignatureField } from '../../../templates/pdf';
import { signedBytes, signedRanges, withSignature } from '../../../templates/pdf';
import { DomainError } from '../errors';
import type { Services } from '../context';
import type { CertificateSettings, Signature, TenantSettings } from '../settings';
import type { Db } from '../../storage/db';
import type { SigningKeyTable } from '../../storage/schema';
import { activeSigningKey, recordDocumentSignature } from '../../storage/repositories/signing-keys';
import { derOf, signDetached, signatureValue, withTimestamp, type Signer } from './cms';
import { signerOf } from './keys';
import { timestampToken } from './tsa';

/**
 * Digital signature of documents (issue 17): which setting applies (the certificate's own, else the
 * tenant's), and signing a rendered PDF. The render worker only reserves room for the signature (the
 * private key never enters a worker that runs templates); the server fills it here, with the tenant's
 * active key, and for B-T asks the timestamp authority — a failure there makes no document at all.
 */
export interface DocumentSigning {
  level: 'B-B' | 'B-T';
  key: SigningKeyTable;
  timestampUrl?: string;
  timestampTimeoutMs: number;
  reason?: string;
  location?: string;
}

/**
 * Room for the CMS: the signer's certificate, plus the signature and attributes (under 1 KB even for
 * RSA-3072); a timestamp token brings its own certificate and signature. Zeros not used are written too,
 * as hex, so the room is kept close to what is needed.
 */
const ROOM = { 'B-B': 2048, 'B-T': 2048 + 12_288 } as const;
const ASSUMED_CERTIFICATE = 4096;

export function signatureSetting(tenant: TenantSettings, certificate: CertificateSettings): Signature | undefined {
  const s = certificate.signature ?? tenant.signature;
  return s && s.enabled ? s : undefined;
}

/** How this certificate's documents are signed now; undefined when they are not. */
export async function documentSigning(
  db: Db,
  tenantId: string,
  tenant: TenantSettings,
  certificate: CertificateSettings,
): Promise<DocumentSigning | undefined> {
  const s = signatureSetting(tenant, certificate);
  if (!s) return undefined;
  const key = await activeSigningKey(db, tenantId);
  if (!key)
    throw new DomainError('conflict', 'SIGNING_KEY_MISSING', 'This document is to be signed and the tenant has no signing key yet.');
  return {
    level: s.level,
    key,
    ...(s.timestamp_url ? { timestampUrl: s.timestamp_url } : {}),
    timestampTimeoutMs: s.timestamp_timeout_ms,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.location ? { location: s.location } : {}),
  };
}

/** What the render reserves: the field, its texts and the signing time. */
export function signatureField(
  signing: Pick<DocumentSigning, 'level' | 'reason' | 'location'> & { key?: Pick<SigningKeyTable, 'certificate'> },
  signedAt: Date,
): PdfSignatureField {
  const certificate = signing.key ? Math.ceil((signing.key.certificate.length * 3) / 4) : ASSUMED_CERTIFICATE;
  return {
    signedAt,
    contentsSize: ROOM[signing.level] + certificate,
    ...(signing.reason ? { reason: signing.reason } : {}),
    ...(signing.location ? { location: signing.location } : {}),
  };
}

/** What a signing changes in the inputs hash: the setting and the key (a rotation makes documents again). */
export const signingInputs = (signing: DocumentSigning | undefined) =>
  signing && {
    level: signing.level,
    key: signing.key.id,
    timestampUrl: signing.timestampUrl,
    reason: signing.reason,
    location: signing.location,
  };

/** Fills the reserved signature of `pdf`: the signed file, and when it was timestamped (B-T). */
export async function signPdf(signing: DocumentSigning, pdf: Uint8Array): Promise<{ pdf: Uint8Array; timestampedAt?: Date }> {
  return signPdfWith(await signerOf(signing.key), signing, pdf);
}

/** The same with a key already at hand (the bench's). */
export async function signPdfWith(
  signer: Signer,
  signing: Pick<DocumentSigning, 'level' | 'timestampUrl' | 'timestampTimeoutMs'>,
  pdf: Uint8Array,
): Promise<{ pdf: Uint8Array; timestampedAt?: Date }> {
  const ranges = signedRanges(pdf);
  const { cms, signedData } = signDetached(signer, signedBytes(ranges));
  if (signing.level === 'B-B') return { pdf: withSignature(ranges, derOf(cms)) };
  const { token, time } = await timestampToken(signatureValue(signedData), {
    url: signing.timestampUrl!,
    timeoutMs: signing.timestampTimeoutMs,
  });
  return { pdf: withSignature(ranges, derOf(withTimestamp(signedData, token))), timestampedAt: time };
}

/** Records which key signed these bytes (by their SHA-256): what the verification page answers. */
export async function recordSigned(
  services: Services,
  tenantId: string,
  sha256: string,
  signing: DocumentSigning,
  signedAt: Date,
  timestampedAt: Date | undefined,
): Promise<void> {
  await recordDocumentSignature(services.storage.db, {
    sha256,
    tenant_id: tenantId,
    key_id: signing.key.id,
    level: signing.level,
    signed_at: signedAt.toISOString(),
    timestamped_at: timestampedAt ? timestampedAt.toISOString() : null,
  });
}
