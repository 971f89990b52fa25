import type { PdfAttachment, PdfProtection, PdfSignatureField } from '../../templates/pdf';
import { canonicalJson, sha256Hex } from './hashing';
import { documentArchival } from './archival';
import { documentProtection } from './protection';
import { documentTagging } from './tagging';
import type { CertificateSettings, CredentialSetting, TenantSettings } from './settings';
import type { Db } from '../storage/db';
import { documentSigning, signatureField, signingInputs, type DocumentSigning } from './signature';
import { credentialSetting, type PendingCredential } from './badge-credential';

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
  /** Written as PDF/A-3b (server/domain/archival.ts). */
  archival?: boolean;
  /** Carries a structure tree for assistive technology (server/domain/tagging.ts). */
  tagged?: boolean;
  /** Signed with the tenant's active key (server/domain/signature): in this process, after the render. */
  signing?: DocumentSigning;
  /** The Open Badges credential setting that applies (badge-credential.ts); the credential itself is per document. */
  credential?: CredentialSetting;
  /**
   * The document's credential, built for it before the render (badge-credential.ts `withCredential`) and
   * signed just before it (`signedMaking` attaches it): its inputs count when the PDF embeds it.
   */
  pendingCredential?: PendingCredential;
}

export async function documentMaking(
  db: Db,
  tenantId: string,
  tenant: TenantSettings,
  certificate: CertificateSettings,
): Promise<DocumentMaking> {
  const protection = documentProtection(tenantId, tenant, certificate);
  const archival = documentArchival(tenant, certificate);
  const tagged = documentTagging(tenant, certificate);
  const signing = await documentSigning(db, tenantId, tenant, certificate);
  const credential = credentialSetting(tenant, certificate);
  return {
    ...(protection ? { protection } : {}),
    ...(archival ? { archival } : {}),
    ...(tagged ? { tagged } : {}),
    ...(signing ? { signing } : {}),
    ...(credential ? { credential } : {}),
  };
}

/**
 * What of the making changes a document's bytes, as values for `inputsHash` (secrets hashed, never kept);
 * an option that is absent adds nothing, so documents made before an option existed keep their hash.
 */
export function makingFingerprint(making: DocumentMaking): Record<string, unknown> {
  const { protection, attachments, archival, tagged, signing, pendingCredential } = making;
  return {
    archival: archival ? 'PDF/A-3b' : undefined,
    tagged: tagged ? true : undefined,
    // The unsigned credential, the key and the proof's date decide the signed one (Ed25519 is deterministic):
    // counted only when the PDF embeds it, since a credential served beside the PDF does not change its bytes.
    credential: pendingCredential?.embed ? pendingCredential.inputs : undefined,
    protection: protection
      ? sha256Hex(canonicalJson({ ...protection, secret: Buffer.from(protection.secret).toString('base64') }))
      : undefined,
    attachments: attachments?.length
      ? attachments.map((a) => ({ ...a, bytes: sha256Hex(a.bytes), modified: a.modified?.toISOString() }))
      : undefined,
    // The setting and the key: a rotated key signs the document again.
    signature: signingInputs(signing),
  };
}

/**
 * The render job's share of the making (what crosses to the render worker): a signature's reserved room
 * and time, never its key.
 */
export function renderMaking(
  making: DocumentMaking,
  signedAt: Date,
): Pick<DocumentMaking, 'protection' | 'attachments' | 'archival' | 'tagged'> & { signature?: PdfSignatureField } {
  return {
    ...(making.archival ? { archival: true } : {}),
    ...(making.tagged ? { tagged: true } : {}),
    ...(making.protection ? { protection: making.protection } : {}),
    ...(making.attachments?.length ? { attachments: making.attachments } : {}),
    ...(making.signing ? { signature: signatureField(making.signing, signedAt) } : {}),
  };
}
