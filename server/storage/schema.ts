import type { Generated } from 'kysely';
import type {
  CertificateMailTable,
  IssueEventTable,
  MailMessageTable,
  TenantMailTable,
  WebhookAttemptTable,
  WebhookEndpointTable,
  WebhookSendTable,
} from './schema-notifications';

/**
 * The tables, as both engines see them. Times are ISO 8601 text (UTC), booleans 0/1, JSON as text: the
 * same values round-trip through SQLite and PostgreSQL without per-engine conversions in the domain.
 * Storage holds no rules: what may change, when, and who may do it is decided in server/domain.
 */
export interface TenantTable {
  id: string;
  slug: string;
  name: string;
  /** JSON: TenantSettings (server/domain/tenants.ts). */
  settings: string;
  /** Shared secret of the shop's webhook; kept in clear because an HMAC must be recomputed from it. */
  webhook_secret: string;
  /** Key of the tenant's signed download links. */
  link_secret: string;
  created_at: string;
}

export interface PersonTable {
  id: string;
  tenant_id: string;
  username: string;
  display_name: string;
  email: string | null;
  /** scrypt, with its parameters and salt (server/domain/passwords.ts). */
  password_hash: string | null;
  created_at: string;
  /** Set while the person may not sign in; their sessions were ended when it was set. */
  disabled_at: string | null;
  /** Deleted: name, email, password and roles are gone; the row keeps the username taken. */
  deleted_at: string | null;
}

export interface RoleTable {
  id: string;
  tenant_id: string;
  name: string;
  /** JSON array of capability names. */
  capabilities: string;
}

export interface PersonRoleTable {
  person_id: string;
  role_id: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie's value: a leaked table opens no session. */
  id_hash: string;
  person_id: string;
  tenant_id: string;
  expires_at: string;
  created_at: string;
}

export interface TokenTable {
  id: string;
  tenant_id: string;
  name: string;
  /** SHA-256 of the secret part; tokens are long random strings, so a slow hash adds nothing. */
  secret_hash: string;
  /** JSON array: the subset of capabilities this token carries. */
  capabilities: string;
  /** The person who made it, if a person did. */
  created_by: string | null;
  /** The token that made it, if a token did: revoking that one revokes this one. */
  created_by_token: string | null;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  /** After this instant the token opens nothing; null: until revoked. */
  expires_at: string | null;
}

/** Tokens of the installation's operator (a hosting provider): they belong to no tenant and open only the operator operations. */
export interface OperatorTokenTable {
  id: string;
  name: string;
  /** SHA-256 of the secret part, as for tenants' tokens. */
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  /** After this instant the token opens nothing; null: until revoked. */
  expires_at: string | null;
}

export interface BlobTable {
  /** SHA-256 of the bytes: assets are stored once whatever the number of templates using them. */
  sha256: string;
  bytes: Uint8Array;
  size: number;
  media_type: string;
  created_at: string;
}

export interface TemplateTable {
  id: string;
  tenant_id: string;
  name: string;
  /** The draft being edited; versions are immutable copies of it. */
  draft_source: string;
  /** JSON object: asset file name → blob sha256, for the draft. */
  draft_assets: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface TemplateVersionTable {
  id: string;
  tenant_id: string;
  template_id: string;
  number: number;
  source: string;
  /** JSON object: asset file name → blob sha256, frozen at publication. */
  assets: string;
  /** SHA-256 of source and assets: the key a render worker caches a compiled version by. */
  content_hash: string;
  published_at: string;
  published_by: string;
}

export interface CertificateTable {
  id: string;
  tenant_id: string;
  name: string;
  template_version_id: string;
  /** The LMS course and activity the certificate belongs to. */
  course_id: string;
  activity_id: string | null;
  /** JSON: CertificateSettings (server/domain/certificates.ts). */
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface IssueTable {
  id: string;
  tenant_id: string;
  certificate_id: string;
  learner_id: string;
  /** Public verification code; unique across tenants because the verification page is global. */
  code: string;
  /** 'issued' | 'revoked'. Expired and locked are read from their own columns. */
  state: string;
  locked: number;
  /** Day the document was issued (YYYY-MM-DD, UTC); kept through regeneration. */
  issued_on: string;
  /** Achievement date: the completion date the LMS or a manager gave (YYYY-MM-DD), null when none. */
  achieved_on: string | null;
  expires_on: string | null;
  /** JSON: the data the document was made from, as sent (before binding). */
  data: string;
  template_version_id: string;
  /** Current document revision (1 at issue, +1 per regeneration). */
  revision: number;
  pdf_sha256: string;
  created_at: string;
  rendered_at: string;
  first_delivered_at: string | null;
  first_delivery_channel: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
  /**
   * SHA-256 of what the current revision was made from (server/domain/regeneration.ts, "changed-only");
   * absent for documents made before it was kept, or imported: those count as changed.
   */
  inputs_sha256?: string | null;
  /** The re-issue chain (migration 014): the id of the document this one replaced, when it was a re-issue. */
  supersedes?: string | null;
  /** The id of the newer document that replaced this one; null while it is the learner's current document. */
  superseded_by?: string | null;
  superseded_at?: string | null;
}

/** One row per (issue, reminder offset) that fell due (migration 014): what sends each reminder once. */
export interface IssueReminderTable {
  issue_id: string;
  days_before: number;
  tenant_id: string;
  /** 'queued' | 'skipped' (a nearer reminder was due at the same time: only that one is sent). */
  outcome: string;
  event_id: string | null;
  at: string;
}

export interface DocumentTable {
  issue_id: string;
  revision: number;
  template_version_id: string;
  /** The bytes are in the document store (server/storage/documents.ts), by this hash. */
  sha256: string;
  size: number;
  page_count: number;
  render_ms: number;
  created_at: string;
  /** What this revision was made from, as IssueTable.inputs_sha256. */
  inputs_sha256?: string | null;
  /** The revision's signed Open Badges credential (JSON), when its certificate gives one. */
  credential?: string | null;
}

export interface DocumentBytesTable {
  sha256: string;
  pdf: Uint8Array;
}

export interface AuditTable {
  id: Generated<number>;
  tenant_id: string;
  /** What the entry is about: 'issue', 'template', 'certificate', 'tenant', 'token', 'person'. */
  subject_type: string;
  subject_id: string;
  action: string;
  /** 'person:<id>', 'token:<id>', 'webhook:shop', 'system'. */
  actor: string;
  reason: string | null;
  /** JSON with what changed. */
  details: string | null;
  at: string;
}

export interface RefusalTable {
  tenant_id: string;
  certificate_id: string;
  learner_id: string;
  /** JSON array of reasons (code + message in the tenant's language). */
  reasons: string;
  at: string;
}

export interface IdempotencyTable {
  tenant_id: string;
  key: string;
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  fingerprint: string;
  /** Who sent it ('person:<id>', 'token:<id>') and the operation id: the key is theirs, for that. */
  caller: string;
  operation: string;
  status: number | null;
  response: string | null;
  created_at: string;
}

export interface WebhookDeliveryTable {
  tenant_id: string;
  signature: string;
  received_at: string;
}

/**
 * What a trusted source (an LMS token, a manager) said about a learner for a certificate: the one record a
 * learner's own request may ask to have evaluated. Replaced whole by each new supply.
 */
export interface LearnerRecordTable {
  tenant_id: string;
  certificate_id: string;
  learner_id: string;
  /** JSON: learner, course, completion, grade, … as supplied (organization removed: it is the tenant's). */
  data: string;
  /** The LMS's access and visibility rules, as it reported them: 0/1. */
  available: number;
  unavailable_reason: string | null;
  /** Actor reference of who supplied it ('token:<id>', 'person:<id>'). */
  supplied_by: string;
  supplied_at: string;
}

/** The LMS learner id a manager linked to a person; without one a person acts as learner `person:<id>`. */
export interface LearnerLinkTable {
  person_id: string;
  tenant_id: string;
  learner_id: string;
  linked_by: string;
  linked_at: string;
}

/** What an import from a Moodle site made from each of its records (migration 006). */
export interface MoodleImportTable {
  tenant_id: string;
  /** The Moodle site's `siteidentifier` (its config table), else its database address and table prefix. */
  site: string;
  /** 'template' or 'certificate' (by mod_certificate instance id), 'issue' (by certificate_issues id). */
  kind: string;
  moodle_id: string;
  attest_id: string;
  imported_at: string;
}

/** One tenant's mass regeneration: a selection frozen into items when it started (server/domain/regeneration.ts). */
export interface RegenerationRunTable {
  id: string;
  tenant_id: string;
  /** SHA-256 of what was asked: the same command finds its unfinished run. */
  fingerprint: string;
  /** JSON: IssueSelection. */
  selection: string;
  changed_only: number;
  /** The version to make documents with; null: each certificate's current one. */
  template_version_id: string | null;
  reason: string | null;
  /** 'running' | 'complete'. */
  state: string;
  /** Items per job: chunk k holds positions [k × chunk_size, (k + 1) × chunk_size). */
  chunk_size: number;
  selected: number;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}

export interface RegenerationItemTable {
  run_id: string;
  issue_id: string;
  /** 0, 1, … in issue id order: chunks are ranges of it. */
  position: number;
  /** 'pending' | 'done' | 'skipped' | 'failed'; 'done' is set in the transaction of the issue's new revision. */
  status: string;
  /** The version the document was (to be) made with. */
  template_version_id: string | null;
  /** Why it was skipped or failed: a stable code and its message. */
  error_code: string | null;
  error_message: string | null;
  finished_at: string | null;
}

/** A bulk issue: a dry run of a list of learners, then its confirmed issue in the queue (server/domain/bulk-issue.ts). */
export interface BulkRunTable {
  id: string;
  tenant_id: string;
  certificate_id: string;
  /** 'learners' | 'csv'. */
  source: string;
  /** 'dry-run' | 'running' | 'complete'. */
  state: string;
  /** JSON: the SHA-256 of what the dry run judged by (certificate, template version, tenant settings). */
  fingerprint: string;
  /** Items per job: chunk k holds positions [k × chunk_size, (k + 1) × chunk_size). */
  chunk_size: number;
  total: number;
  created_by: string;
  created_at: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  finished_at: string | null;
}

export interface BulkItemTable {
  run_id: string;
  position: number;
  learner_id: string;
  /** The CSV row (the header is row 1); null for a JSON list. */
  row_number: number | null;
  /** What the dry run said: 'issue' | 'already' | 'refused' | 'invalid'. */
  expected: string;
  /** 'planned' → 'pending' → 'issued' | 'already' | 'refused' | 'invalid' | 'failed'. */
  status: string;
  issue_code: string | null;
  /** JSON: { reasons?, problems?, warnings?, error? }. */
  findings: string | null;
  /** JSON: what was sent for the learner; kept only while the item is to be issued. */
  payload: string | null;
  finished_at: string | null;
}

/** Checks of a document on the public verification endpoints, per day: how many, never who (migration 009). */
export interface VerificationCountTable {
  issue_id: string;
  tenant_id: string;
  /** YYYY-MM-DD, UTC. */
  day: string;
  count: number;
}

/** Codes of documents erased with their learner (migration 015): never given again, verified as withdrawn. */
export interface WithdrawnCodeTable {
  code: string;
  tenant_id: string;
  /** YYYY-MM-DD, UTC. */
  withdrawn_on: string;
  /** The anonymous audit entry's subject id ('erasure', server/domain/privacy/erase.ts). */
  erasure_id: string;
}

/** A tenant's signing key (migration 016): the private key only sealed with the installation key. */
export interface SigningKeyTable {
  id: string;
  tenant_id: string;
  algorithm: string;
  /** 'generated' (self-signed here) or 'imported' (PKCS#12). */
  source: string;
  /** The certificate's subject, as readers show it. */
  subject: string;
  /** DER, base64. */
  certificate: string;
  /** SHA-256 of the certificate's DER, hex: how a signed PDF names its key. */
  fingerprint: string;
  /** PKCS#8 DER sealed (server/domain/sealing.ts, purpose 'signing key'). */
  private_key: string;
  not_after: string;
  state: 'active' | 'retired';
  created_at: string;
  retired_at: string | null;
}

/** A tenant's Ed25519 credential signing key (migration 017): the private half sealed with ATTEST_SECRET_KEY. */
export interface CredentialKeyTable {
  id: string;
  tenant_id: string;
  /** Multikey 'z6Mk…': published in the tenant's did:web document and JWKS. */
  public_key_multibase: string;
  /** `sealed:` + AES-256-GCM of the secret Multikey (server/domain/protection.ts). */
  secret_key_sealed: string;
  /** 'active' (signs; one per tenant) | 'retired' (published, verifies what it signed). */
  state: string;
  created_at: string;
  retired_at: string | null;
}

/** Which key signed a stored PDF, at which level, when. */
export interface DocumentSignatureTable {
  sha256: string;
  tenant_id: string;
  key_id: string;
  level: string;
  signed_at: string;
  timestamped_at: string | null;
}

/** One Bitstring Status List of a tenant (migration 017): its bits are the slots' `revoked`. */
export interface CredentialStatusListTable {
  tenant_id: string;
  /** 1, 2, … */
  list: number;
  /** Bits in the list (131,072: the 16 KB the specification asks as a minimum). */
  size: number;
  /** Slots given out. */
  used: number;
  /** +1 whenever a bit changes: the signed list is signed again only then. */
  revision: number;
  /** JSON: the signed BitstringStatusListCredential for `signed_revision`, by key `signed_key_id`. */
  signed: string | null;
  signed_revision: number | null;
  signed_key_id: string | null;
  created_at: string;
}

/** An issue's place in its tenant's status lists, given once and kept for good (migration 017). */
export interface CredentialStatusSlotTable {
  issue_id: string;
  tenant_id: string;
  list: number;
  position: number;
  revoked: number;
  updated_at: string;
}

export interface Database {
  tenants: TenantTable;
  people: PersonTable;
  roles: RoleTable;
  person_roles: PersonRoleTable;
  sessions: SessionTable;
  tokens: TokenTable;
  operator_tokens: OperatorTokenTable;
  blobs: BlobTable;
  templates: TemplateTable;
  template_versions: TemplateVersionTable;
  certificates: CertificateTable;
  issues: IssueTable;
  documents: DocumentTable;
  document_bytes: DocumentBytesTable;
  audit: AuditTable;
  refusals: RefusalTable;
  idempotency: IdempotencyTable;
  webhook_deliveries: WebhookDeliveryTable;
  learner_records: LearnerRecordTable;
  learner_links: LearnerLinkTable;
  moodle_imports: MoodleImportTable;
  regeneration_runs: RegenerationRunTable;
  regeneration_items: RegenerationItemTable;
  verification_counts: VerificationCountTable;
  bulk_runs: BulkRunTable;
  bulk_items: BulkItemTable;
  webhook_endpoints: WebhookEndpointTable;
  issue_events: IssueEventTable;
  webhook_sends: WebhookSendTable;
  webhook_attempts: WebhookAttemptTable;
  tenant_mail: TenantMailTable;
  mail_messages: MailMessageTable;
  certificate_mail: CertificateMailTable;
  withdrawn_codes: WithdrawnCodeTable;
  issue_reminders: IssueReminderTable;
  signing_keys: SigningKeyTable;
  document_signatures: DocumentSignatureTable;
  credential_keys: CredentialKeyTable;
  credential_status_lists: CredentialStatusListTable;
  credential_status_slots: CredentialStatusSlotTable;
}
