import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString, PDFHexString, decodePDFRawStream } from '@cantoo/pdf-lib';
import { iso, recordAudit, requireCapability, type Actor, type Services } from './context';
import { DomainError, notFound } from './errors';
import { codeKey } from './codes';
import { serves } from './scope';
import { findTenantBySlug, getTenant, type Tenant } from './tenants';
import { TenantSettings, readSettings } from './settings';
import { badgePng, bakeCredential } from './badge-image';
import { CREDENTIAL_FILE, badgeUrl, credentialUrl, tenantBase } from './badge-credential';
import {
  createDocumentLoader,
  didDocument,
  issuerKeys,
  jwks,
  rotateIssuerKey,
  statusListCredential,
  statusListUrl,
  storedDidResolver,
  storedStatusLists,
  tenantDid,
  verifyCredential,
  type CredentialVerification,
  type JsonObject,
} from './credentials';
import { issueForVerification, revisionCredentials } from '../storage/repositories/issues';
import { withdrawnCode } from '../storage/repositories/learner-data';

/**
 * What the server publishes of its tenants' Open Badges credentials (issue 17), all public: the issuer's
 * did:web document and JWKS (every key, retired ones too, so what they signed keeps verifying), the
 * status lists, and a document's credential as JSON and as a baked PNG, reachable from its code like the
 * verification page. A credential reveals what the document states (the achievement, the issuer, the
 * dates, the grade and credit hours when the certificate includes them, the learner's name when the tenant
 * shows names) and a salted SHA-256 of the learner's email, never the email: someone who already knows the
 * email can check it against the hash, nobody can read it from it. A locked document publishes no
 * credential (the page says only that it exists); a revoked one still does, and its status says revoked.
 */

/** A tenant that publishes credentials (it has a key), by the slug in a did:web path. */
async function publishing(services: Services, slug: string): Promise<{ tenant: Tenant; base: string; did: string }> {
  const tenant = await findTenantBySlug(services.storage.db, slug);
  if (!tenant || !serves(services, tenant)) throw issuerUnknown();
  const base = tenantBase(services, tenant);
  return { tenant, base, did: tenantDid(base, tenant.slug) };
}

const issuerUnknown = () => notFound('The credential issuer', 'ISSUER_NOT_FOUND');

/** The tenant's did:web DID document: its keys as verification methods, the active one first. */
export async function issuerDidDocument(services: Services, slug: string): Promise<JsonObject> {
  const { tenant, did } = await publishing(services, slug);
  const keys = await issuerKeys(services.storage.db, tenant.id);
  // A tenant that never signed anything has no key, and no DID to publish.
  if (!keys.length) throw issuerUnknown();
  return didDocument(did, keys);
}

/** The same keys as a JSON Web Key Set, for verifiers that resolve keys by `kid`. */
export async function issuerJwks(services: Services, slug: string): Promise<JsonObject> {
  const { tenant, did } = await publishing(services, slug);
  const keys = await issuerKeys(services.storage.db, tenant.id);
  if (!keys.length) throw issuerUnknown();
  return jwks(did, keys);
}

/** The signed BitstringStatusListCredential of the tenant's list `list` (signed again only when a bit changed). */
export async function statusListDocument(services: Services, slug: string, list: number): Promise<JsonObject> {
  const { tenant, base, did } = await publishing(services, slug);
  return statusListCredential(services.storage.db, tenant.id, list, {
    url: statusListUrl(base, tenant.slug, list),
    did,
    now: services.now(),
  });
}

/** What the server knows of a code's credential: the issue and its revisions' credentials, newest first. */
async function credentialsOfCode(services: Services, code: string) {
  const db = services.storage.db;
  const key = codeKey(code);
  const row = key ? await issueForVerification(db, key) : undefined;
  if (!row || !serves(services, { id: row.tenant_id })) {
    const gone = key ? await withdrawnCode(db, key) : undefined;
    if (gone && serves(services, { id: gone.tenant_id }))
      throw new DomainError(
        'gone',
        'CREDENTIAL_WITHDRAWN',
        'This document was withdrawn with its holder’s data: it has no credential any more.',
      );
    throw new DomainError('not-found', 'VERIFICATION_CODE_UNKNOWN', 'No document has this code. Check what was typed.');
  }
  return { row, credentials: await revisionCredentials(db, row.id) };
}

/** The current credential of a document, as the text it was signed and embedded as. */
export async function credentialOfCode(services: Services, code: string): Promise<{ json: string; code: string; tenantId: string }> {
  const { row, credentials } = await credentialsOfCode(services, code);
  // The lock keeps unpublished who the document is for; revocation is public whatever the lock.
  if (row.locked && row.state !== 'revoked')
    throw new DomainError('locked', 'CREDENTIAL_LOCKED', 'This document exists; its credential is not published for now.');
  const current = credentials.find((c) => c.revision === row.revision);
  if (!current) throw new DomainError('not-found', 'CREDENTIAL_NOT_ISSUED', 'This document has no Open Badges credential.');
  return { json: current.credential, code: row.code, tenantId: row.tenant_id };
}

/** The badge image with the document's current credential baked in (Open Badges 3.0 baking, PNG). */
export async function badgeOfCode(services: Services, code: string): Promise<{ png: Uint8Array; code: string }> {
  const credential = await credentialOfCode(services, code);
  const tenant = await getTenant(services.storage.db, credential.tenantId);
  const { colour, logo } = tenant.settings.organization;
  return {
    png: bakeCredential(badgePng({ ...(colour ? { colour } : {}), ...(logo ? { logo } : {}) }), credential.json),
    code: credential.code,
  };
}

/** How to check credentials against what this installation publishes: from storage, never the network. */
export function credentialVerifier(services: Services): (credential: unknown) => Promise<CredentialVerification> {
  const db = services.storage.db;
  const loader = createDocumentLoader(storedDidResolver(db, services.baseUrl));
  const statusList = storedStatusLists(db, services.baseUrl, services.now);
  return (credential) => verifyCredential(credential, { loader, now: services.now(), statusList });
}

export type CredentialMatch = 'current' | 'superseded' | 'none';

/** A credential checked: its proof, status and validity window, and which revision of the code's document it is. */
export interface CredentialCheck {
  verification: CredentialVerification;
  /** current: the credential of the document as it is now; superseded: of an earlier revision (regenerated since); none: not this document's. */
  match: CredentialMatch;
  /** Where the document's current credential and badge are, for a page to link. */
  json?: string;
  badge?: string;
}

const proofValue = (c: unknown): string | undefined => {
  const proof = typeof c === 'object' && c !== null ? (c as { proof?: unknown }).proof : undefined;
  const one: unknown = Array.isArray(proof) ? (proof as unknown[])[0] : proof;
  const v = typeof one === 'object' && one !== null ? (one as { proofValue?: unknown }).proofValue : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * A credential given (uploaded, extracted from a PDF, or the stored one) checked against the code: the
 * proof, status and validity by the credentials core; the match by its signature, compared with those of
 * the document's revisions (each signature is of one credential). A regeneration makes a new one, so an
 * earlier credential says superseded, as an earlier PDF does.
 */
export async function checkCredential(services: Services, code: string, credential: unknown): Promise<CredentialCheck> {
  const { row, credentials } = await credentialsOfCode(services, code);
  const verification = await credentialVerifier(services)(credential);
  const given = proofValue(credential);
  const found = given ? credentials.find((c) => proofValue(JSON.parse(c.credential) as unknown) === given) : undefined;
  const match: CredentialMatch = !found ? 'none' : found.revision === row.revision ? 'current' : 'superseded';
  return { verification, match };
}

/**
 * The document's current credential checked, for the verification page: undefined when it has none (or
 * the lock keeps it unpublished). Links to the JSON and the badge come with it.
 */
export async function currentCredentialCheck(services: Services, code: string): Promise<CredentialCheck | undefined> {
  const { row, credentials } = await credentialsOfCode(services, code);
  if (row.locked && row.state !== 'revoked') return undefined;
  const current = credentials.find((c) => c.revision === row.revision);
  if (!current) return undefined;
  const verification = await credentialVerifier(services)(JSON.parse(current.credential));
  const base = tenantBase(services, { settings: readSettings(TenantSettings, row.settings) });
  return { verification, match: 'current', json: credentialUrl(base, row.code), badge: badgeUrl(base, row.code) };
}

/**
 * The credential a PDF carries as its `credential.json` attachment (the EmbeddedFiles name tree), or
 * undefined when it has none or cannot be read (an encrypted file: its streams are not read here).
 */
export async function embeddedCredential(pdf: Uint8Array): Promise<string | undefined> {
  try {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: false });
    if (doc.isEncrypted) return undefined;
    const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
    const files = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
    const list = files?.lookupMaybe(PDFName.of('Names'), PDFArray);
    if (!list) return undefined;
    for (let i = 0; i + 1 < list.size(); i += 2) {
      const name = list.lookup(i);
      const text = name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : undefined;
      if (text !== CREDENTIAL_FILE) continue;
      const spec = list.lookup(i + 1, PDFDict);
      const stream = spec.lookupMaybe(PDFName.of('EF'), PDFDict)?.lookup(PDFName.of('F'));
      if (!(stream instanceof PDFRawStream)) return undefined;
      return new TextDecoder('utf-8', { fatal: true }).decode(decodePDFRawStream(stream).decode());
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** A new signing key for the tenant; the old one is retired, still published, so what it signed still verifies. */
export async function rotateCredentialKey(services: Services, actor: Actor, why: string | undefined) {
  requireCapability(actor, 'credentials:rotate-key');
  const db = services.storage.db;
  const at = services.now();
  const { active, retired } = await rotateIssuerKey(db, actor.tenantId, at);
  await recordAudit(db, {
    tenantId: actor.tenantId,
    subjectType: 'tenant',
    subjectId: actor.tenantId,
    action: 'credential-key-rotated',
    actor,
    at: iso(at),
    reason: why ?? null,
    details: { active: active.publicKeyMultibase, ...(retired ? { retired: retired.publicKeyMultibase } : {}) },
  });
  const tenant = await getTenant(db, actor.tenantId);
  const did = tenantDid(tenantBase(services, tenant), tenant.slug);
  return { did, active, ...(retired ? { retired } : {}) };
}
