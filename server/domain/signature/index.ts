import type { PdfSignatureField } from '../../../templates/pdf';
import { signedBytes, signedRanges, withSignature } from '../../../templates/pdf';
import { DomainError } from '../errors';
import type { Services } from '../context';
import type { CertificateSettings, Signature, TenantSettings } from '../settings';
import type { Db } from '../../storage/db';
import type { SigningKeyTable } from '../../storage/schema';
import { activeSigningKey, recordDocumentSignature } from '../../storage/repositories/signing-keys';
import { derOf, signDetached, signatureValue, withTimestamp } from './cms';
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

/** Room for the CMS: certificate, signature and attributes; a timestamp token adds its own certificate. */
const CONTENTS_SIZE = { 'B-B': 8192, 'B-T': 20_480 } as const;

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
export function signatureField(signing: DocumentSigning, signedAt: Date): PdfSignatureField {
  return {
    signedAt,
    contentsSize: CONTENTS_SIZE[signing.level],
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
  const ranges = signedRanges(pdf);
  const signer = await signerOf(signing.key);
  const { cms, signedData } = await signDetached(signer, signedBytes(ranges));
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
