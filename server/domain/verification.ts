import { isoDay, type Services } from './context';
import { publicBaseUrl } from './public-url';
import { DomainError } from './errors';
import { codeKey } from './codes';
import { sha256Hex } from './hashing';
import { TenantSettings, readSettings } from './settings';
import { issueState } from './withholding';
import { serves } from './scope';
import { issueById, issueForVerification, newestRevisionWithHash } from '../storage/repositories/issues';
import { isTaggedPdf } from './tagging';
import { PDFA_LABEL, archivalConformance } from '../../templates/pdf';
import { countVerification } from '../storage/repositories/stats';
import { withdrawnCode } from '../storage/repositories/learner-data';
import { certificateFacts, checkUploadedSignature, type SignatureFacts, type UploadedSignature } from './signature/verify';
import { checkCredential, currentCredentialCheck, embeddedCredential, type CredentialCheck } from './badge-publishing';

/**
 * Public verification by code: anyone holding a document (or its QR code) can check it. What it shows
 * of the person is the tenant's choice; a locked document says only that it exists — unless it is
 * revoked, which the public learns whatever the lock (a document revoked before payment must not go on
 * looking genuine). Unknown and malformed codes look the same. The code of a document erased with its
 * learner (server/domain/privacy/) answers `withdrawn` and the day it was, nothing else: there is nobody
 * left to name.
 */
export type VerificationStatus = 'valid' | 'revoked' | 'expired' | 'locked' | 'withdrawn' | 'unknown';

export interface Verification {
  status: VerificationStatus;
  code?: string;
  certificate?: string;
  organization?: string;
  learner?: string;
  course?: string;
  issuedOn?: string;
  expiresOn?: string | null;
  revokedOn?: string;
  /** Why it was revoked, when the tenant's settings publish it (verification_shows.revocation_reason). */
  revocationReason?: string;
  revision?: number;
  /** The day the document was withdrawn (its learner's data erased). */
  withdrawnOn?: string;
  /**
   * A re-issue (recertification) superseded this document: the learner's current document for the same
   * certificate, by its code, its issue day (when the tenant shows dates) and its verification page. No
   * other data of it: what the newer one says is on its own page, under its own rules.
   */
  supersededBy?: { code: string; issuedOn?: string; url: string };
  supersededOn?: string;
  /** The document is tagged PDF (server/domain/tagging.ts): a screen reader reads its structure. */
  tagged?: boolean;
  /** Who signed the current revision, when the tenant signs its documents (PAdES). */
  signature?: SignatureFacts;
  /** The document is an archival PDF: what its current file declares of itself (server/domain/archival.ts). */
  archival?: typeof PDFA_LABEL;
  locale: 'fr' | 'en';
}

async function lookup(services: Services, code: string) {
  const key = codeKey(code);
  if (!key) return undefined;
  const row = await issueForVerification(services.storage.db, key);
  // A code of a tenant this process does not serve is a code it does not know.
  return row && serves(services, { id: row.tenant_id }) ? row : undefined;
}

async function withdrawn(services: Services, code: string): Promise<Verification | undefined> {
  const key = codeKey(code);
  const row = key ? await withdrawnCode(services.storage.db, key) : undefined;
  if (!row || !serves(services, { id: row.tenant_id })) return undefined;
  return { status: 'withdrawn', code: row.code, withdrawnOn: row.withdrawn_on, locale: readSettings(TenantSettings, row.settings).locale };
}

/**
 * One more check of the document, for the dashboard: a counter per day, never who looked. Counted in
 * memory and written in batches (repositories/stats.ts); a batch that cannot be written (a full disk)
 * never stops anyone checking a document.
 */
function counted(services: Services, row: { id: string; tenant_id: string }): void {
  countVerification(services.storage.db, { issueId: row.id, tenantId: row.tenant_id, day: isoDay(services.now()) });
}

/** `count: false` for a check already counted in the same request (the page's PDF form verifies first). */
export async function verifyCode(services: Services, code: string, options: { count?: boolean } = {}): Promise<Verification> {
  const row = await lookup(services, code);
  if (!row) return (await withdrawn(services, code)) ?? { status: 'unknown', locale: 'en' };
  if (options.count !== false) counted(services, row);
  const settings = readSettings(TenantSettings, row.settings);
  const locale = settings.locale;
  const state = issueState({ state: row.state, expiresOn: row.expires_on }, isoDay(services.now()));
  const status: VerificationStatus = state === 'issued' ? 'valid' : state;
  const shows = settings.verification_shows;
  if (row.locked) {
    if (status !== 'revoked') return { status: 'locked', code: row.code, locale };
    // The revocation is public; what the lock keeps unpublished (who, which course) stays so.
    return {
      status,
      code: row.code,
      certificate: row.certificate,
      locale,
      ...(shows.dates && row.revoked_at ? { revokedOn: row.revoked_at.slice(0, 10) } : {}),
    };
  }
  const data = JSON.parse(row.data) as {
    learner?: { fullname?: unknown; firstname?: unknown; lastname?: unknown };
    course?: { fullname?: unknown };
    organization?: { name?: unknown };
  };
  const out: Verification = { status, code: row.code, certificate: row.certificate, locale, revision: row.revision };
  if (typeof data.organization?.name === 'string') out.organization = data.organization.name;
  if (shows.learner_name) {
    const l = data.learner;
    const name = typeof l?.fullname === 'string' ? l.fullname : [l?.firstname, l?.lastname].filter((x) => typeof x === 'string').join(' ');
    if (name) out.learner = name;
  }
  if (shows.course && typeof data.course?.fullname === 'string') out.course = data.course.fullname;
  if (shows.dates) {
    out.issuedOn = row.issued_on;
    out.expiresOn = row.expires_on;
    if (row.revoked_at) out.revokedOn = row.revoked_at.slice(0, 10);
  }
  // Read from the document itself, not from today's settings (a document made before an option was turned on).
  const facts = await fileFacts(services, row.pdf_sha256);
  if (facts?.archival) out.archival = PDFA_LABEL;
  if (facts) out.tagged = facts.tagged;
  if (row.signature_key_id && row.signature_certificate && row.signature_level) {
    out.signature = {
      ...certificateFacts(row.signature_certificate),
      keyId: row.signature_key_id,
      keyState: row.signature_key_state === 'retired' ? 'retired' : 'active',
      level: row.signature_level === 'B-T' ? 'B-T' : 'B-B',
      ...(row.signature_signed_at ? { signedAt: row.signature_signed_at } : {}),
      ...(row.signature_timestamped_at ? { timestampedAt: row.signature_timestamped_at } : {}),
    };
  }
  // Not on a locked document's answer above: a manager's reason may say who the document is about.
  if (status === 'revoked' && shows.revocation_reason && row.revoked_reason) out.revocationReason = row.revoked_reason;
  if (row.superseded_by) {
    const newest = await newestOfChain(services, row.superseded_by);
    if (newest) {
      out.supersededBy = {
        code: newest.code,
        ...(shows.dates ? { issuedOn: newest.issued_on } : {}),
        url: `${publicBaseUrl(settings.public_base_url, services.baseUrl)}/verify/${newest.code}`,
      };
      if (shows.dates && row.superseded_at) out.supersededOn = row.superseded_at.slice(0, 10);
    }
  }
  return out;
}

/** What a file's bytes declare of themselves, by SHA-256: stored files never change under their hash. */
interface FileFacts {
  /** PDF/A-3b (server/domain/archival.ts). */
  archival: boolean;
  /** Tagged PDF (server/domain/tagging.ts). */
  tagged: boolean;
}
const declared = new Map<string, FileFacts>();
const DECLARED_KEEP = 10_000;

/**
 * Whether the current revision's file (`issues.pdf_sha256`) is PDF/A-3b and whether it is tagged, read from the file itself rather than
 * from today's settings: a document made before an option was turned on (or after it was turned off) says
 * what it is.
 */
async function fileFacts(services: Services, sha256: string | null): Promise<FileFacts | undefined> {
  if (!sha256) return undefined;
  let known = declared.get(sha256);
  if (known === undefined) {
    // A missing or changed file is the document download's problem to report, not the verification's.
    const pdf = await services.storage.documents.read(services.storage.db, sha256).catch(() => undefined);
    if (!pdf) return undefined;
    known = { archival: archivalConformance(pdf) !== undefined, tagged: isTaggedPdf(pdf) };
    if (declared.size >= DECLARED_KEEP) declared.delete(declared.keys().next().value!);
    declared.set(sha256, known);
  }
  return known;
}

/** The newest document of a chain, from the one that superseded the document checked (a chain is short). */
async function newestOfChain(services: Services, id: string): Promise<{ code: string; issued_on: string } | undefined> {
  let current = await issueById(services.storage.db, id);
  for (let hops = 0; current?.superseded_by && hops < 100; hops++) {
    const next = await issueById(services.storage.db, current.superseded_by);
    if (!next) break;
    current = next;
  }
  return current;
}

/** Who the verification page speaks for: the tenant's organisation as its settings say today. */
export interface Brand {
  name: string;
  /** A data:image URL; a template asset's name has no address of its own on the public page, so none. */
  logo?: string;
  /** #rrggbb */
  colour?: string;
}

export interface VerificationPageFacts {
  verification: Verification;
  /** Unknown codes have no tenant, so no brand. */
  brand?: Brand;
  /** The address printed in the document for this code (what a profile links back to). */
  verificationUrl?: string;
  /** The document's Open Badges credential, checked (proof, status, validity window), when it has one. */
  credential?: CredentialCheck;
}

/** verifyCode plus what only the page shows: the tenant's brand and the document's own verification address. */
export async function verifyCodeForPage(services: Services, code: string): Promise<VerificationPageFacts> {
  const verification = await verifyCode(services, code);
  const row = verification.status === 'unknown' ? undefined : await lookup(services, code);
  if (!row) return { verification };
  const settings = readSettings(TenantSettings, row.settings);
  const { name, logo, colour } = settings.organization;
  const brand: Brand = { name, ...(logo?.startsWith('data:image/') ? { logo } : {}), ...(colour ? { colour } : {}) };
  const published = verification.status !== 'locked' && verification.status !== 'withdrawn';
  const credential = published ? await currentCredentialCheck(services, code) : undefined;
  return {
    verification,
    brand,
    verificationUrl: `${publicBaseUrl(settings.public_base_url, services.baseUrl)}/verify/${row.code}`,
    ...(credential ? { credential } : {}),
  };
}

/** What answers a code no document has, on the routes that answer with data rather than a page. */
export function unknownCode(): DomainError {
  return new DomainError('not-found', 'VERIFICATION_CODE_UNKNOWN', 'No document has this code. Check what was typed.');
}

/** verifyCode for the JSON routes: an unknown code is a 404 with its own code, not a 200 that says so. */
export async function verifyKnownCode(services: Services, code: string, options: { count?: boolean } = {}): Promise<Verification> {
  const verification = await verifyCode(services, code, options);
  if (verification.status === 'unknown') throw unknownCode();
  return verification;
}

export type DocumentMatch = 'current' | 'superseded' | 'none';

/**
 * Whether an uploaded PDF is the document issued under this code: the current revision, an older one, or
 * not. It compares SHA-256s with the recorded ones: the stored bytes are not read, so a copy still checks
 * even when the server's own file is damaged.
 */
export async function checkUploadedDocument(
  services: Services,
  code: string,
  pdf: Uint8Array,
  options: { count?: boolean } = {},
): Promise<{ verification: Verification; match: DocumentMatch; signature?: UploadedSignature; credential?: CredentialCheck }> {
  const verification = await verifyKnownCode(services, code, options);
  const row = await lookup(services, code);
  if (!row || verification.status === 'locked') return { verification, match: 'none' };
  const hash = sha256Hex(pdf);
  // A regeneration can give the very same bytes (same template, same data): the newest revision decides.
  const revision = await newestRevisionWithHash(services.storage.db, row.id, hash);
  const match: DocumentMatch = revision === undefined ? 'none' : revision === row.revision ? 'current' : 'superseded';
  // The signature is checked on its own: it says who signed, and that nothing was changed since.
  const signature = await checkUploadedSignature(services.storage.db, row.tenant_id, pdf);
  // The credential the file carries is checked on its own too: a file whose bytes changed may still carry a
  // genuine one, and a genuine file's says whether its holder's status still stands.
  const embedded = await embeddedCredential(pdf);
  const credential = embedded === undefined ? undefined : await checkCredential(services, code, parseOrText(embedded));
  return { verification, match, ...(signature.signed ? { signature } : {}), ...(credential ? { credential } : {}) };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
