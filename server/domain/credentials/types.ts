/** The types of credentials/: plain JSON values and plain facts (see index.ts). */

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
  /** 'static': jsonld may keep the processed document across operations (bundled contexts only). */
  tag?: 'static';
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

/** Results the template has. */
export interface ResultFacts {
  /**
   * A grade as the LMS gave it ("15.5", "B+", "82"), with its scale when known; `kind` is the Open Badges
   * ResultType (default: RawScore for a number, LetterGrade otherwise).
   */
  grade?: { value: string; max?: string; min?: string; kind?: 'RawScore' | 'Percent' | 'LetterGrade' | 'GradePointAverage' };
  /** Hours the learner is credited with (AchievementSubject.creditsEarned). */
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

/** A credential as the VC 2.0 data model has it (issuer a URL or an object with one). */
export type VerifiableCredential = JsonObject & {
  '@context': Json[];
  id: string;
  type: string[];
  issuer: string | JsonObject;
  validFrom: string;
  credentialSubject: JsonObject;
};
/** An unsigned OpenBadgeCredential (its issuer is a Profile). */
export type OpenBadgeCredential = VerifiableCredential & { issuer: JsonObject };
/** A credential with its Data Integrity proof: an OpenBadgeCredential, or a BitstringStatusListCredential. */
export type SignedCredential = VerifiableCredential & { proof: JsonObject | JsonObject[] };

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
export type CredentialVerdict =
  | 'CREDENTIAL_VALID'
  | Exclude<ProofCode, 'CREDENTIAL_PROOF_VALID'>
  | 'CREDENTIAL_REVOKED'
  | 'CREDENTIAL_EXPIRED'
  | 'CREDENTIAL_NOT_YET_VALID'
  | 'CREDENTIAL_STATUS_UNAVAILABLE';

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
