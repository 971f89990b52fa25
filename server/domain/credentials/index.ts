/**
 * Open Badges 3.0 credentials (issue 17): what a delivered document can carry as a W3C Verifiable
 * Credential 2.0, signed with a Data Integrity proof (eddsa-rdfc-2022) by the tenant's did:web key, with a
 * Bitstring Status List entry so a revocation is visible to any verifier.
 *
 * Plain functions over plain facts and a database handle: no HTTP here. The server side (routes for
 * did.json, JWKS, status lists, credential JSON and baked PNG; wiring into issue/regeneration/revocation)
 * calls these. API notes for it: /work/wt/OB3-API.md.
 *
 * THIS FILE IS THE CONTRACT FIRST: signatures are stable; bodies land module by module.
 */
import type { Db } from '../../storage/db';

/** JSON as credentials are: what JSON-LD processing receives and what is served. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

// ---------------------------------------------------------------------------------------------------------
// Document loader (loader.ts)

/** What jsonld / @digitalbazaar/vc call to dereference a URL. */
export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: JsonObject;
}
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Resolves a DID to its document without the network: undefined when it is not one we know. */
export type DidResolver = (did: string) => Promise<JsonObject | undefined>;

// ---------------------------------------------------------------------------------------------------------
// Issuer keys and did:web (keys.ts, did.ts)

export type IssuerKeyState = 'active' | 'retired';

/** A tenant's Ed25519 signing key as stored: the private half is sealed and never leaves keys.ts. */
export interface IssuerKey {
  id: string;
  tenantId: string;
  /** Multikey, base58btc: 'z6Mk…'. Also the fragment of its verification method id. */
  publicKeyMultibase: string;
  state: IssuerKeyState;
  createdAt: string;
  retiredAt: string | null;
}

/** A did:web DID document (the parts we publish). */
export interface DidDocument extends JsonObject {
  '@context': Json[];
  id: string;
  verificationMethod: JsonObject[];
  assertionMethod: string[];
}

export interface Jwk extends JsonObject {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}
export interface Jwks extends JsonObject {
  keys: Jwk[];
}

// ---------------------------------------------------------------------------------------------------------
// The credential (build.ts)

/** The issuer Profile, from the tenant's `organization` settings; `did` is tenantDid(…). */
export interface IssuerFacts {
  did: string;
  name: string;
  url?: string;
  email?: string;
  description?: string;
  /** An image URL or data: URL (the organisation's logo when it is one). */
  image?: string;
}

/** What the achievement is: from the certificate and its template. */
export interface AchievementFacts {
  /** A stable URL naming the achievement (e.g. the certificate's public address). */
  id: string;
  name: string;
  description: string;
  /** Criteria narrative; the description when the template says none. */
  criteria: string;
  image?: string;
  /** Hours the achievement is worth, when the course says so (Achievement.creditsAvailable). */
  hours?: number;
}

/** The learner: identified by a salted hash of their email, and by their DID when they gave one. */
export interface LearnerFacts {
  email: string;
  /** Per-credential random salt; keep it with the issue so regeneration gives the same hash. */
  salt: string;
  did?: string;
  /** Printed name, when the tenant shows it (IdentityObject is the proof of identity; name is courtesy). */
  name?: string;
}

/** Results the template has (grade, hours spent). */
export interface ResultFacts {
  /** A grade as the LMS gave it ("15.5", "B+", "82 %"), with its scale when known. */
  grade?: { value: string; max?: string; min?: string };
  /** Time spent in hours. */
  hours?: number;
}

export interface StatusEntryFacts {
  /** URL of the BitstringStatusListCredential (served by the server). */
  statusListCredential: string;
  statusListIndex: number;
}

export interface CredentialFacts {
  /** The credential's id: a URL (where its JSON is served) or urn:uuid:…. */
  id: string;
  issuer: IssuerFacts;
  achievement: AchievementFacts;
  learner: LearnerFacts;
  /** ISO 8601 instants (date-time with Z). */
  validFrom: string;
  validUntil?: string;
  /** When the achievement was awarded (defaults to validFrom). */
  awardedDate?: string;
  results?: ResultFacts;
  status?: StatusEntryFacts;
}

/** An unsigned OpenBadgeCredential; SignedCredential has `proof`. */
export type OpenBadgeCredential = JsonObject & {
  '@context': Json[];
  id: string;
  type: string[];
  issuer: JsonObject;
  validFrom: string;
  credentialSubject: JsonObject;
};
export type SignedCredential = OpenBadgeCredential & { proof: JsonObject | JsonObject[] };

// ---------------------------------------------------------------------------------------------------------
// Status lists (status-list.ts)

export interface StatusSlot {
  tenantId: string;
  /** 1, 2, … per tenant. */
  list: number;
  index: number;
}

// ---------------------------------------------------------------------------------------------------------
// Verification (verify.ts)

/** Stable codes: each is registered in server/domain/error-codes.ts. */
export type ProofCode = 'CREDENTIAL_PROOF_VALID' | 'CREDENTIAL_PROOF_INVALID' | 'CREDENTIAL_MALFORMED' | 'CREDENTIAL_ISSUER_UNKNOWN';
export type StatusCode = 'CREDENTIAL_STATUS_ACTIVE' | 'CREDENTIAL_REVOKED' | 'CREDENTIAL_STATUS_NONE' | 'CREDENTIAL_STATUS_UNAVAILABLE';
export type ValidityCode = 'CREDENTIAL_IN_VALIDITY' | 'CREDENTIAL_EXPIRED' | 'CREDENTIAL_NOT_YET_VALID';
export type CredentialVerdict = 'CREDENTIAL_VALID' | Exclude<ProofCode, 'CREDENTIAL_PROOF_VALID'> | 'CREDENTIAL_REVOKED' | 'CREDENTIAL_EXPIRED' | 'CREDENTIAL_NOT_YET_VALID' | 'CREDENTIAL_STATUS_UNAVAILABLE';

export interface CredentialVerification {
  /** Proof valid, not revoked, within its validity window. */
  valid: boolean;
  /** The one code a page shows: the first thing wrong, else CREDENTIAL_VALID. */
  code: CredentialVerdict;
  proof: { code: ProofCode; verificationMethod?: string; message?: string };
  status: { code: StatusCode; list?: string; index?: number };
  validity: { code: ValidityCode; validFrom?: string; validUntil?: string };
  issuer?: string;
}

export interface VerifyOptions {
  loader: DocumentLoader;
  /** The instant to judge validFrom/validUntil at. */
  now: Date;
  /** The status list credential(s) by URL: given, or looked up (e.g. storedStatusLists). */
  statusList?: (url: string) => Promise<JsonObject | undefined>;
}

const notYet = (what: string): never => {
  throw new Error(`${what}: not yet`);
};

// Loader -------------------------------------------------------------------------------------------------
/** A loader that knows the bundled contexts and what `resolveDid` resolves; every other URL is refused (CREDENTIAL_URL_REFUSED). */
export function createDocumentLoader(_resolveDid?: DidResolver): DocumentLoader {
  return notYet('createDocumentLoader');
}
/** Resolves the did:web DIDs of this installation's tenants from storage (their keys, retired ones too). */
export function storedDidResolver(_db: Db, _serverBaseUrl: string): DidResolver {
  return notYet('storedDidResolver');
}

// DID --------------------------------------------------------------------------------------------------
/** did:web:<host>[%3A<port>][:<path>…]:tenants:<slug> from the tenant's public base URL. */
export function tenantDid(_publicBaseUrl: string, _tenantSlug: string): string {
  return notYet('tenantDid');
}
/** The https URL a did:web resolver fetches the document from (…/tenants/<slug>/did.json). */
export function didDocumentUrl(_did: string): string {
  return notYet('didDocumentUrl');
}
/** `${did}#${publicKeyMultibase}`. */
export function verificationMethodId(_did: string, _key: Pick<IssuerKey, 'publicKeyMultibase'>): string {
  return notYet('verificationMethodId');
}
export function didDocument(_did: string, _keys: readonly IssuerKey[]): DidDocument {
  return notYet('didDocument');
}
export function jwks(_did: string, _keys: readonly IssuerKey[]): Jwks {
  return notYet('jwks');
}

// Keys -------------------------------------------------------------------------------------------------
/** All the tenant's keys, active first then retired newest first. */
export function issuerKeys(_db: Db, _tenantId: string): Promise<IssuerKey[]> {
  return notYet('issuerKeys');
}
/** The tenant's active key, made on first use (needs ATTEST_SECRET_KEY: CREDENTIALS_NEED_SECRET_KEY). */
export function activeIssuerKey(_db: Db, _tenantId: string, _now: Date): Promise<IssuerKey> {
  return notYet('activeIssuerKey');
}
/** A new active key; the previous one is retired (still published, still verifies what it signed). */
export function rotateIssuerKey(_db: Db, _tenantId: string, _now: Date): Promise<{ active: IssuerKey; retired?: IssuerKey }> {
  return notYet('rotateIssuerKey');
}

// Build and sign -----------------------------------------------------------------------------------------
/** 'sha256$' + hex(SHA-256(email + salt)), email trimmed and lower-cased. */
export function identityHash(_email: string, _salt: string): string {
  return notYet('identityHash');
}
/** A fresh salt for a learner's identity hash. */
export function newSalt(): string {
  return notYet('newSalt');
}
export function buildCredential(_facts: CredentialFacts): OpenBadgeCredential {
  return notYet('buildCredential');
}
/** Signs with the tenant's active key (eddsa-rdfc-2022). */
export function signCredential(_db: Db, _tenantId: string, _credential: OpenBadgeCredential, _now: Date): Promise<SignedCredential> {
  return notYet('signCredential');
}

/**
 * The whole issue step: the issue's status slot (allocated once), the credential built from `facts`
 * with that status entry, signed with the tenant's active key. Call it again on regeneration: same slot.
 */
export function issueCredential(
  _db: Db,
  _input: {
    tenantId: string;
    issueId: string;
    facts: Omit<CredentialFacts, 'status'>;
    /** Where list `list` of this tenant is served. */
    statusListUrl: (list: number) => string;
    now: Date;
  },
): Promise<SignedCredential> {
  return notYet('issueCredential');
}

// Status lists -------------------------------------------------------------------------------------------
/** The issue's slot in its tenant's status list, allocated once (same slot for every regeneration). */
export function statusSlot(_db: Db, _tenantId: string, _issueId: string): Promise<StatusSlot> {
  return notYet('statusSlot');
}
/** Sets or clears the revocation bit of the issue's slot (allocating it when it has none). */
export function setRevoked(_db: Db, _tenantId: string, _issueId: string, _revoked: boolean): Promise<StatusSlot> {
  return notYet('setRevoked');
}
/** The signed BitstringStatusListCredential of a tenant's list `list`, with id `url`. */
export function statusListCredential(
  _db: Db,
  _tenantId: string,
  _list: number,
  _options: { url: string; did: string; now: Date },
): Promise<SignedCredential> {
  return notYet('statusListCredential');
}

// Verify -----------------------------------------------------------------------------------------------
export function verifyCredential(_credential: unknown, _options: VerifyOptions): Promise<CredentialVerification> {
  return notYet('verifyCredential');
}
