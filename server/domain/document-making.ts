import type { PdfAttachment, PdfProtection } from '../../templates/pdf';
import { canonicalJson, sha256Hex } from './hashing';
import { documentProtection } from './protection';
import type { CertificateSettings, TenantSettings } from './settings';

/**
 * How a certificate's documents are made beyond the template and the data (issue 17): protection, and the
 * options that join it — each decided from the certificate's own settings, else the tenant's default, in its
 * own module. This is where they meet, so issuing, importing and regenerating make a document the same way,
 * and `fingerprint` is what of them a regeneration compares.
 */
export interface DocumentMaking {
  protection?: PdfProtection;
  /** Files embedded in the document (templates/pdf/attachments.ts). */
  attachments?: PdfAttachment[];
}

export function documentMaking(tenantId: string, tenant: TenantSettings, certificate: CertificateSettings): DocumentMaking {
  const protection = documentProtection(tenantId, tenant, certificate);
  return { ...(protection ? { protection } : {}) };
}

/**
 * What of the making changes a document's bytes, as values for `inputsHash` (secrets hashed, never kept);
 * an option that is absent adds nothing, so documents made before an option existed keep their hash.
 */
export function makingFingerprint(making: DocumentMaking): Record<string, unknown> {
  const { protection, attachments } = making;
  return {
    protection: protection
      ? sha256Hex(canonicalJson({ ...protection, secret: Buffer.from(protection.secret).toString('base64') }))
      : undefined,
    attachments: attachments?.length
      ? attachments.map((a) => ({ ...a, bytes: sha256Hex(a.bytes), modified: a.modified?.toISOString() }))
      : undefined,
  };
}

/** The render job's share of the making (what crosses to the render worker). */
export function renderMaking(making: DocumentMaking): Pick<DocumentMaking, 'protection' | 'attachments'> {
  return {
    ...(making.protection ? { protection: making.protection } : {}),
    ...(making.attachments?.length ? { attachments: making.attachments } : {}),
  };
}
