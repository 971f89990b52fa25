import { createHash } from 'node:crypto';
import type { BoundData, BoundValue } from '../../variables/types';
import { parseTemplateSource } from '../../templates/source/front-matter';
import type { Services } from './context';
import type { Certificate } from './certificates';
import { boundAt } from './issue-facts';
import { publicBaseUrl } from './public-url';
import type { CertificateSettings, CredentialSetting, TenantSettings } from './settings';
import type { Tenant } from './tenants';
import type { Version } from './templates';
import { DomainError } from './errors';
import {
  activeIssuerKey,
  buildCredential,
  saltFor,
  setRevoked,
  signCredential,
  statusListUrl,
  statusSlot,
  tenantDid,
  verificationMethodId,
  type CredentialFacts,
  type OpenBadgeCredential,
  type SignedCredential,
} from './credentials';
import type { Db } from '../storage/db';
import type { PdfAttachment } from '../../templates/pdf';
import type { DocumentMaking } from './document-making';
import { certificatesOf } from '../storage/repositories/certificates';
import { issuesWithCredential } from '../storage/repositories/issues';

/**
 * The Open Badges 3.0 credential a document carries (issue 17): which setting applies, what the
 * credential says, and where its parts are served. The credential is about the document's code (its id
 * is the code's credential address), never about the PDF's bytes: it is built and signed before the
 * render, so the PDF can embed it and the stored SHA-256 is of the final bytes.
 *
 * What it says, and where each part comes from:
 * - achievement: the certificate's name; its description is the setting's `description`, else the
 *   certificate's caption, else the template's `metadata.subject` when that is plain text (no Liquid),
 *   else the certificate's name; its criteria the setting's `criteria`, else a sentence written from the
 *   delivery rules the server enforces (completion, minimum grade and time, prerequisites);
 * - issuer: the tenant's organisation (name, url, logo) under the tenant's did:web;
 * - learner: a salted SHA-256 of their email (of the LMS's learner id, as a systemId, when none is known), their DID (`learner.did`) when the LMS sent one, their name
 *   only when the tenant shows names on the verification page;
 * - validFrom / validUntil: the issue day and the end of the expiry day;
 * - results: the grade (`grade.value` out of `grade.max`, else `grade.letter`) and the credit hours the learner
 *   earned (`credit_hours`: theirs, else the certificate's) when the data has them (`results: false` leaves them
 *   out); the achievement offers the certificate's credit hours;
 * - credentialStatus: the issue's slot in the tenant's Bitstring Status List (revocation).
 *
 * Deterministic: the proof's date is the issue day and the salt is derived from the installation key and
 * the issue (credentials/build.ts `saltFor`), so the same inputs give the same credential, and the same PDF.
 */

/** The credential setting a document of this certificate is made with; undefined when none applies. */
export function credentialSetting(tenant: TenantSettings, certificate: CertificateSettings): CredentialSetting | undefined {
  const s = certificate.credential ?? tenant.credential;
  return s && s.enabled ? s : undefined;
}

/** The file name and media type of the credential attached to a PDF. */
export const CREDENTIAL_FILE = 'credential.json';
export const CREDENTIAL_MEDIA = 'application/ld+json';

/** The credential's id: the public address its JSON is served at, beside the code's verification page. */
export const credentialUrl = (base: string, code: string): string => `${base}/verify/${code}/credential.json`;

/** The baked badge's address. */
export const badgeUrl = (base: string, code: string): string => `${base}/verify/${code}/badge.png`;

/** The tenant's public address: where its documents, DID and status lists are. */
export const tenantBase = (services: Pick<Services, 'baseUrl'>, tenant: Pick<Tenant, 'settings'>): string =>
  publicBaseUrl(tenant.settings.public_base_url, services.baseUrl);

const text = (v: BoundValue | undefined): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const num = (v: BoundValue | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A DID as the W3C DID syntax has it (method name, then a method-specific id). */
const DID = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;

/** The template's `metadata.subject`, when it is plain text; a Liquid fragment would need the renderer. */
const subjects = new Map<string, string | null>();
function plainSubject(version: Version): string | undefined {
  let s = subjects.get(version.contentHash);
  if (s === undefined) {
    const subject = parseTemplateSource(version.source).source?.frontMatter.metadata.subject;
    s = typeof subject === 'string' && subject.trim() && !/\{[{%]/.test(subject) ? subject.trim() : null;
    if (subjects.size > 500) subjects.delete(subjects.keys().next().value!);
    subjects.set(version.contentHash, s);
  }
  return s ?? undefined;
}

const CRITERIA = {
  fr: {
    complete: (course: string) => `Avoir achevé la formation « ${course} ».`,
    completeAny: 'Avoir achevé la formation.',
    grade: (p: number) => `Obtenir une note d’au moins ${p.toLocaleString('fr')} %.`,
    time: (h: string) => `Y avoir consacré au moins ${h}.`,
    requires: (names: string) => `Détenir déjà : ${names}.`,
    issued: (org: string) => `Délivré par ${org} selon ses règles de délivrance.`,
  },
  en: {
    complete: (course: string) => `Complete the course “${course}”.`,
    completeAny: 'Complete the course.',
    grade: (p: number) => `Obtain a grade of at least ${p.toLocaleString('en')} %.`,
    time: (h: string) => `Spend at least ${h} in it.`,
    requires: (names: string) => `Already hold: ${names}.`,
    issued: (org: string) => `Issued by ${org} under its delivery rules.`,
  },
} as const;

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!h) return `${m} min`;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/**
 * What earns the achievement, in the tenant's language, from the rules the server itself applies: a
 * criteria narrative that is true of every document it issues.
 */
export function criteriaNarrative(
  locale: 'fr' | 'en',
  tenant: TenantSettings,
  settings: CertificateSettings,
  facts: { course?: string; organization: string; requires?: readonly string[] },
): string {
  const t = CRITERIA[locale];
  const parts: string[] = [];
  if (tenant.completion_tracking) parts.push(facts.course ? t.complete(facts.course) : t.completeAny);
  if (settings.min_grade_percent !== undefined) parts.push(t.grade(settings.min_grade_percent));
  if (settings.min_time_spent_minutes !== undefined) parts.push(t.time(duration(settings.min_time_spent_minutes)));
  if (facts.requires?.length) parts.push(t.requires(facts.requires.join(', ')));
  if (!parts.length) parts.push(t.issued(facts.organization));
  return parts.join(' ');
}

/** The logo the issuer profile shows: only a data:image URL of modest size (it travels in every credential). */
const ISSUER_IMAGE_LIMIT = 64 * 1024;

/** A certificate id as the achievement's id: stable, and not an address pretending to be resolvable. */
const achievementId = (certificateId: string): string =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(certificateId)
    ? `urn:uuid:${certificateId.toLowerCase()}`
    : `urn:attest:certificate:${encodeURIComponent(certificateId)}`;

export interface CredentialIssue {
  id: string;
  /** The LMS's learner id: hashed as the learner's identity when no email is known. */
  learnerId: string;
  code: string;
  issuedOn: string;
  expiresOn: string | null;
}

export interface CredentialSources {
  tenant: Tenant;
  certificate: Certificate;
  version: Version;
  setting: CredentialSetting;
  /** Names of the certificates this one requires, in its order (criteria). */
  requires?: readonly string[];
}

/**
 * A learner the LMS sent no email for is identified by a salted hash of the LMS's learner id, said to be
 * one (Open Badges `identityType` systemId) rather than an email address: every document can carry a
 * credential, and nothing in it passes for what it is not.
 */
function asSystemId(credential: OpenBadgeCredential): void {
  const ids = credential.credentialSubject.identifier;
  for (const id of Array.isArray(ids) ? ids : []) if (id && typeof id === 'object' && !Array.isArray(id)) id.identityType = 'systemId';
}

/** The facts of the credential, from the document's bound data: everything but its status entry. */
export function credentialFacts(
  services: Pick<Services, 'baseUrl'>,
  sources: CredentialSources,
  bound: BoundData,
  issue: CredentialIssue,
): Omit<CredentialFacts, 'status'> {
  const { tenant, certificate, version, setting } = sources;
  const base = tenantBase(services, tenant);
  const org = tenant.settings.organization;
  const course = text(boundAt(bound, 'course', 'fullname'));
  const email = text(boundAt(bound, 'learner', 'email'));
  const did = text(boundAt(bound, 'learner', 'did'));
  const hours = num(boundAt(bound, 'credit_hours'));
  const name = tenant.settings.verification_shows.learner_name ? text(boundAt(bound, 'learner', 'fullname')) : undefined;
  const results: NonNullable<CredentialFacts['results']> = {};
  if (setting.results) {
    const grade = num(boundAt(bound, 'grade', 'value'));
    const letter = text(boundAt(bound, 'grade', 'letter'));
    const max = num(boundAt(bound, 'grade', 'max'));
    if (grade !== undefined) results.grade = { value: String(grade), ...(max !== undefined ? { max: String(max) } : {}) };
    else if (letter) results.grade = { value: letter };
    if (hours !== undefined) results.hours = hours;
  }
  return {
    id: credentialUrl(base, issue.code),
    issuer: {
      did: tenantDid(base, tenant.slug),
      name: org.name,
      ...(org.url ? { url: org.url } : {}),
      ...(org.logo && /^data:image\//.test(org.logo) && org.logo.length <= ISSUER_IMAGE_LIMIT ? { image: org.logo } : {}),
    },
    achievement: {
      id: achievementId(certificate.id),
      name: certificate.name,
      description:
        setting.description ??
        certificate.settings.caption ??
        plainSubject(version) ??
        text(boundAt(bound, 'course', 'summary')) ??
        certificate.name,
      criteria:
        setting.criteria ??
        criteriaNarrative(tenant.settings.locale, tenant.settings, certificate.settings, {
          ...(course ? { course } : {}),
          organization: org.name,
          ...(sources.requires ? { requires: sources.requires } : {}),
        }),
      ...(certificate.settings.credit_hours !== undefined ? { hours: certificate.settings.credit_hours } : {}),
    },
    learner: {
      // Without an email, the LMS's learner id is hashed instead (identified as a systemId, see pendingCredential).
      email: email ?? issue.learnerId,
      salt: saltFor(issue.id),
      ...(did && DID.test(did) ? { did } : {}),
      ...(name ? { name } : {}),
    },
    validFrom: `${issue.issuedOn}T00:00:00Z`,
    ...(issue.expiresOn ? { validUntil: `${issue.expiresOn}T23:59:59Z` } : {}),
    ...(Object.keys(results).length ? { results } : {}),
  };
}

/**
 * A credential ready to be signed: built with its status entry, and what it will be signed with. Its
 * `inputs` is what the credential adds to the document's inputsHash when it is embedded: the unsigned
 * credential, the key and the proof's date determine the signed one (Ed25519 is deterministic).
 */
export interface PendingCredential {
  unsigned: OpenBadgeCredential;
  tenantId: string;
  /** The proof's `created`: the issue day. */
  created: Date;
  embed: boolean;
  verificationMethod: string;
  inputs: string;
}

export async function pendingCredential(
  services: Services,
  db: Db,
  sources: CredentialSources,
  bound: BoundData,
  issue: CredentialIssue,
): Promise<PendingCredential> {
  const facts = credentialFacts(services, sources, bound, issue);
  const base = tenantBase(services, sources.tenant);
  // The key first: without the installation key nothing is allocated for a credential that cannot be signed.
  const key = await activeIssuerKey(db, sources.tenant.id, services.now());
  const slot = await statusSlot(db, sources.tenant.id, issue.id);
  const unsigned = buildCredential({
    ...facts,
    status: { statusListCredential: statusListUrl(base, sources.tenant.slug, slot.list), statusListIndex: slot.index },
  });
  if (!text(boundAt(bound, 'learner', 'email'))) asSystemId(unsigned);
  const verificationMethod = verificationMethodId(facts.issuer.did, key);
  const created = new Date(`${issue.issuedOn}T00:00:00Z`);
  const inputs = createHash('sha256')
    .update(JSON.stringify([unsigned, verificationMethod, created.toISOString()]))
    .digest('hex');
  return { unsigned, tenantId: sources.tenant.id, created, embed: sources.setting.embed_in_pdf, verificationMethod, inputs };
}

/** The signed credential and its JSON: the one text stored, served, attached to the PDF and baked into the PNG. */
export interface MadeCredential {
  credential: SignedCredential;
  json: string;
}

export async function signPending(db: Db, pending: PendingCredential): Promise<MadeCredential> {
  const credential = await signCredential(db, pending.tenantId, pending.unsigned, pending.created);
  return { credential, json: JSON.stringify(credential) };
}

/** Why a document has no credential though its setting asks for one: a warning in the answer and the audit. */
export interface CredentialWarning {
  code: string;
  message: string;
  path: string;
}

/**
 * The making of a document with its credential, when the certificate's setting gives one (`making.credential`):
 * the credential is built for this document (its status slot, the active key) and carried, unsigned, in
 * `making.pendingCredential`, which is what enters inputsHash. Nothing changes when the setting is off.
 */
export async function withCredential(
  services: Services,
  making: DocumentMaking,
  sources: Omit<CredentialSources, 'setting' | 'requires'>,
  bound: BoundData,
  issue: CredentialIssue,
): Promise<{ making: DocumentMaking; warnings: CredentialWarning[] }> {
  const setting = making.credential;
  if (!setting) return { making, warnings: [] };
  const db = services.storage.db;
  const requires = await requiredNames(db, sources.tenant.id, sources.certificate);
  const pending = await pendingCredential(services, db, { ...sources, setting, ...(requires.length ? { requires } : {}) }, bound, issue);
  return { making: { ...making, pendingCredential: pending }, warnings: [] };
}

/**
 * The credential signed, and the making the render gets: with the credential attached as `credential.json`
 * when the setting embeds it. Its relationship to the document is /Alternative: the credential is a
 * machine-verifiable representation of what the document attests (ISO 32000-2 §14.13: "an alternative
 * representation of content"), as a Factur-X invoice's XML is of its invoice; /Data would say the page was
 * drawn from it, and it was not (both are made from the same data). PDF/A-3 takes any of the values.
 */
export async function signedMaking(db: Db, making: DocumentMaking): Promise<{ rendering: DocumentMaking; credentialJson?: string }> {
  const pending = making.pendingCredential;
  if (!pending) return { rendering: making };
  const { json } = await signPending(db, pending);
  if (!pending.embed) return { rendering: making, credentialJson: json };
  const attachment: PdfAttachment = {
    name: CREDENTIAL_FILE,
    mimeType: CREDENTIAL_MEDIA,
    bytes: new TextEncoder().encode(json),
    description: 'Open Badges 3.0 credential (W3C Verifiable Credential 2.0) of this document',
    relationship: 'Alternative',
  };
  return { rendering: { ...making, attachments: [...(making.attachments ?? []), attachment] }, credentialJson: json };
}

/** The names of the certificates this one requires, for the criteria; read only when it requires some. */
async function requiredNames(db: Db, tenantId: string, certificate: Certificate): Promise<string[]> {
  const ids = certificate.settings.requires ?? [];
  if (!ids.length) return [];
  const names = new Map((await certificatesOf(db, tenantId)).map((c) => [c.id, c.name]));
  return ids.map((id) => names.get(id) ?? id);
}

/**
 * Sets the revocation bit of these issues' status slots, in the caller's transaction: a revoked document,
 * and one deleted or withdrawn with its learner, must stop verifying wherever its credential went. Only
 * issues that ever had a credential are touched: a tenant without credentials never meets a status list.
 */
export async function revokeCredentials(trx: Db, tenantId: string, issueIds: readonly string[]): Promise<void> {
  for (const id of await issuesWithCredential(trx, issueIds)) await setRevoked(trx, tenantId, id, true);
}

/**
 * Settings as they may be stored: a credential asked for while the installation has no key is refused when
 * it is set (`code`: the settings' own invalid code), not at the first document, which it would stop.
 */
export function checkCredentialSetting<T extends { credential?: CredentialSetting | undefined }>(settings: T, code: string, path = ''): T {
  if (!settings.credential?.enabled || process.env.ATTEST_SECRET_KEY) return settings;
  throw new DomainError('invalid', code, 'Open Badges credentials need the installation key.', {
    problems: [
      {
        path: path ? `${path}.credential` : 'credential',
        code: 'CREDENTIAL_NEEDS_SECRET_KEY',
        message: 'Open Badges credentials need the installation key (ATTEST_SECRET_KEY) to seal the signing keys.',
      },
    ],
  });
}
