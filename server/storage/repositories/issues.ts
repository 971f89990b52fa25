import type { SelectQueryBuilder } from 'kysely';
import type { Db } from '../db';
import type { CertificateTable, Database, DocumentTable, IssueTable } from '../schema';
import { precompiled } from '../precompiled';

/**
 * Issues (a learner's document for a certificate) and the rows of their rendered revisions. The learner's
 * current document: the one no newer document superseded (migration 014).
 */
export const issueFor = (db: Db, tenantId: string, certificateId: string, learnerId: string): Promise<IssueTable | undefined> =>
  db
    .selectFrom('issues')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('certificate_id', '=', certificateId)
    .where('learner_id', '=', learnerId)
    .where('superseded_by', 'is', null)
    .executeTakeFirst();

/**
 * Marks the document superseded by a newer one, unless something superseded it already; whether this call
 * did. In the re-issue's transaction, before the newer one is inserted: on PostgreSQL a concurrent re-issue
 * waits on the row and then finds it superseded, so of two only one makes a new document.
 */
export async function supersedeIssue(db: Db, id: string, newerId: string, at: string): Promise<boolean> {
  const changed = await db
    .updateTable('issues')
    .set({ superseded_by: newerId, superseded_at: at })
    .where('id', '=', id)
    .where('superseded_by', 'is', null)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) > 0;
}

export const issueById = (db: Db, id: string): Promise<IssueTable | undefined> =>
  db.selectFrom('issues').selectAll().where('id', '=', id).executeTakeFirst();

/** The documents of a re-issue chain, oldest first, found from any of them (bounded: a chain is short). */
export async function issueChain(db: Db, row: IssueTable): Promise<IssueTable[]> {
  const older: IssueTable[] = [];
  const newer: IssueTable[] = [];
  const seen = new Set([row.id]);
  for (let r = row; r.supersedes && older.length < 100;) {
    const prev = await issueById(db, r.supersedes);
    if (!prev || seen.has(prev.id)) break;
    seen.add(prev.id);
    older.unshift(prev);
    r = prev;
  }
  for (let r = row; r.superseded_by && newer.length < 100;) {
    const next = await issueById(db, r.superseded_by);
    if (!next || seen.has(next.id)) break;
    seen.add(next.id);
    newer.push(next);
    r = next;
  }
  return [...older, row, ...newer];
}

/** By its verification code, as normalised (codes.ts). */
const issueByCodeQuery = precompiled((db: Db, code: string, tenantId: string) =>
  db.selectFrom('issues').selectAll().where('code', '=', code).where('tenant_id', '=', tenantId),
);
export const issueByCode = async (db: Db, tenantId: string, code: string): Promise<IssueTable | undefined> =>
  (await issueByCodeQuery(db, code, tenantId))[0];

/**
 * What a download reads, in one statement instead of three: the issue (by its normalised code, in the
 * tenant), its certificate's row and the SHA-256 of its current revision (either missing if it is).
 */
const issueForDeliveryQuery = precompiled((db: Db, code: string, tenantId: string) =>
  db
    .selectFrom('issues')
    .leftJoin('certificates', (j) =>
      j.onRef('certificates.id', '=', 'issues.certificate_id').onRef('certificates.tenant_id', '=', 'issues.tenant_id'),
    )
    .leftJoin('documents', (j) => j.onRef('documents.issue_id', '=', 'issues.id').onRef('documents.revision', '=', 'issues.revision'))
    .selectAll('issues')
    .select([
      'certificates.id as certificate_row_id',
      'certificates.tenant_id as certificate_tenant_id',
      'certificates.name as certificate_name',
      'certificates.template_version_id as certificate_template_version_id',
      'certificates.course_id as certificate_course_id',
      'certificates.activity_id as certificate_activity_id',
      'certificates.settings as certificate_settings',
      'certificates.created_at as certificate_created_at',
      'certificates.updated_at as certificate_updated_at',
      'documents.sha256 as revision_sha256',
    ])
    .where('issues.code', '=', code)
    .where('issues.tenant_id', '=', tenantId),
);
export async function issueForDelivery(
  db: Db,
  tenantId: string,
  code: string,
): Promise<{ issue: IssueTable; certificate: CertificateTable | undefined; sha256: string | undefined } | undefined> {
  const r = (await issueForDeliveryQuery(db, code, tenantId))[0];
  if (!r) return undefined;
  const {
    certificate_row_id,
    certificate_tenant_id,
    certificate_name,
    certificate_template_version_id,
    certificate_course_id,
    certificate_activity_id,
    certificate_settings,
    certificate_created_at,
    certificate_updated_at,
    revision_sha256,
    ...issue
  } = r;
  const certificate: CertificateTable | undefined =
    certificate_row_id === null
      ? undefined
      : {
          id: certificate_row_id,
          tenant_id: certificate_tenant_id!,
          name: certificate_name!,
          template_version_id: certificate_template_version_id!,
          course_id: certificate_course_id!,
          activity_id: certificate_activity_id,
          settings: certificate_settings!,
          created_at: certificate_created_at!,
          updated_at: certificate_updated_at!,
        };
  return { issue, certificate, sha256: revision_sha256 ?? undefined };
}

/** Inserts the issue unless its learner already has one for the certificate; whether it was inserted. */
export async function insertIssue(db: Db, row: IssueTable): Promise<boolean> {
  const result = await db
    .insertInto('issues')
    .values(row)
    .onConflict((oc) => oc.columns(['certificate_id', 'learner_id']).where('superseded_by', 'is', null).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Records the first delivery, unless one was recorded already; whether this one was. */
export async function markFirstDelivery(db: Db, id: string, at: string, channel: string): Promise<boolean> {
  const updated = await db
    .updateTable('issues')
    .set({ first_delivered_at: at, first_delivery_channel: channel })
    .where('id', '=', id)
    .where('first_delivered_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** Sets the lock if it is not already so; whether this call changed it. */
export async function setIssueLocked(db: Db, id: string, locked: boolean): Promise<boolean> {
  const changed = await db
    .updateTable('issues')
    .set({ locked: locked ? 1 : 0 })
    .where('id', '=', id)
    .where('locked', '=', locked ? 0 : 1)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) > 0;
}

/** Revokes unless already revoked; whether this call did. */
export async function revokeIssueRow(db: Db, id: string, at: string, reason: string): Promise<boolean> {
  const changed = await db
    .updateTable('issues')
    .set({ state: 'revoked', revoked_at: at, revoked_reason: reason })
    .where('id', '=', id)
    .where('state', '<>', 'revoked')
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) > 0;
}

/** Takes the next revision number; updating the row first serializes concurrent regenerations (row lock). */
export async function bumpRevision(db: Db, id: string): Promise<void> {
  await db
    .updateTable('issues')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function updateIssue(
  db: Db,
  id: string,
  set: Partial<Pick<IssueTable, 'revision' | 'template_version_id' | 'pdf_sha256' | 'rendered_at' | 'data'>>,
): Promise<void> {
  await db.updateTable('issues').set(set).where('id', '=', id).execute();
}

export async function deleteIssueRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('issues').where('id', '=', id).execute();
}

/** Locked documents of a learner, optionally of one course's certificates: their codes. */
export async function lockedCodes(db: Db, tenantId: string, learnerId: string, courseId?: string): Promise<string[]> {
  let q = db
    .selectFrom('issues')
    .innerJoin('certificates', 'certificates.id', 'issues.certificate_id')
    .select('issues.code')
    .where('issues.tenant_id', '=', tenantId)
    .where('issues.learner_id', '=', learnerId)
    .where('issues.locked', '=', 1);
  if (courseId !== undefined) q = q.where('certificates.course_id', '=', courseId);
  return (await q.execute()).map((r) => r.code);
}

export interface IssueQuery {
  /** Expired is issued with an expiry before `today`; issued excludes those. */
  state?: 'issued' | 'revoked' | 'expired';
  today: string;
  locked?: boolean;
  learnerId?: string;
  certificateId?: string;
  from?: string;
  to?: string;
  after?: string;
  limit: number;
}

/** A page of a tenant's issues in code order. */
export function issuesOf(db: Db, tenantId: string, query: IssueQuery): Promise<IssueTable[]> {
  const { today } = query;
  let q = db.selectFrom('issues').selectAll().where('tenant_id', '=', tenantId);
  if (query.state === 'revoked') q = q.where('state', '=', 'revoked');
  if (query.state === 'issued')
    q = q.where('state', '=', 'issued').where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', today)]));
  if (query.state === 'expired') q = q.where('state', '=', 'issued').where('expires_on', '<', today);
  if (query.locked !== undefined) q = q.where('locked', '=', query.locked ? 1 : 0);
  if (query.learnerId !== undefined) q = q.where('learner_id', '=', query.learnerId);
  if (query.certificateId !== undefined) q = q.where('certificate_id', '=', query.certificateId);
  if (query.from !== undefined) q = q.where('issued_on', '>=', query.from);
  if (query.to !== undefined) q = q.where('issued_on', '<=', query.to);
  if (query.after !== undefined) q = q.where('code', '>', query.after);
  return q.orderBy('code').limit(query.limit).execute();
}

/** What the public verification page reads of an issue, its tenant's settings and its certificate's name. */
const issueForVerificationQuery = precompiled((db: Db, code: string) =>
  db
    .selectFrom('issues')
    .innerJoin('tenants', 'tenants.id', 'issues.tenant_id')
    .innerJoin('certificates', 'certificates.id', 'issues.certificate_id')
    // Who signed the current revision, when it is signed (migration 016): one lookup for the page.
    .leftJoin('document_signatures', 'document_signatures.sha256', 'issues.pdf_sha256')
    .leftJoin('signing_keys', 'signing_keys.id', 'document_signatures.key_id')
    .select([
      'issues.id',
      'issues.tenant_id',
      'issues.code',
      'issues.state',
      'issues.locked',
      'issues.issued_on',
      'issues.expires_on',
      'issues.revoked_at',
      'issues.revoked_reason',
      'issues.revision',
      'issues.pdf_sha256',
      'issues.data',
      'issues.superseded_by',
      'issues.superseded_at',
      'tenants.settings',
      'certificates.name as certificate',
      'document_signatures.key_id as signature_key_id',
      'document_signatures.level as signature_level',
      'document_signatures.signed_at as signature_signed_at',
      'document_signatures.timestamped_at as signature_timestamped_at',
      'signing_keys.certificate as signature_certificate',
      'signing_keys.state as signature_key_state',
    ])
    .where('issues.code', '=', code),
);
export const issueForVerification = async (db: Db, code: string) => (await issueForVerificationQuery(db, code))[0];

// Revisions -------------------------------------------------------------------------------------------

export async function insertRevision(db: Db, row: DocumentTable): Promise<void> {
  await db.insertInto('documents').values(row).execute();
}

const revisionHashQuery = precompiled((db: Db, issueId: string, revision: number) =>
  db.selectFrom('documents').select(['sha256']).where('issue_id', '=', issueId).where('revision', '=', revision),
);
export const revisionHash = async (db: Db, issueId: string, revision: number): Promise<string | undefined> =>
  (await revisionHashQuery(db, issueId, revision))[0]?.sha256;

export const revisionHashes = async (db: Db, issueId: string): Promise<string[]> =>
  (await db.selectFrom('documents').select('sha256').where('issue_id', '=', issueId).execute()).map((d) => d.sha256);

/** The newest revision of the issue with these bytes (a regeneration can give the very same). */
export const newestRevisionWithHash = (db: Db, issueId: string, sha256: string): Promise<number | undefined> =>
  db
    .selectFrom('documents')
    .select('revision')
    .where('issue_id', '=', issueId)
    .where('sha256', '=', sha256)
    .orderBy('revision', 'desc')
    .executeTakeFirst()
    .then((r) => r?.revision);

/**
 * Which issued documents bulk work is about (regeneration, export, listing): each list is "any of", the
 * fields together "all of", an empty selection every issue of the tenant. Checked in domain/selection.ts.
 */
export interface IssueSelection {
  certificateIds?: readonly string[];
  templateVersionIds?: readonly string[];
  learnerIds?: readonly string[];
  /** Issue day bounds, inclusive (YYYY-MM-DD). */
  issuedFrom?: string;
  issuedTo?: string;
  states?: readonly SelectionState[];
}

/** `expired` is issued with an expiry before today; `issued` is the rest of what is not revoked. */
export const SELECTION_STATES = ['issued', 'expired', 'revoked', 'locked', 'unlocked'] as const;
export type SelectionState = (typeof SELECTION_STATES)[number];

/** A page of the issues a bulk selection (domain/selection.ts) names, in id order: `after` is the last id of the previous page. */
export function selectedIssues(
  db: Db,
  tenantId: string,
  selection: IssueSelection,
  page: { today: string; after?: string; limit: number },
): Promise<IssueTable[]> {
  let q = whereSelected(db.selectFrom('issues').selectAll(), tenantId, selection, page.today);
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  return q.orderBy('id').limit(page.limit).execute();
}

/** How many issues the selection names: the total a progress bar counts towards. */
export async function countSelectedIssues(db: Db, tenantId: string, selection: IssueSelection, today: string): Promise<number> {
  const row = await whereSelected(
    db.selectFrom('issues').select((eb) => eb.fn.countAll().as('n')),
    tenantId,
    selection,
    today,
  ).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The selection's conditions, one place for the page and the count. */
function whereSelected<O>(
  query: SelectQueryBuilder<Database, 'issues', O>,
  tenantId: string,
  selection: IssueSelection,
  today: string,
): SelectQueryBuilder<Database, 'issues', O> {
  let q = query.where('tenant_id', '=', tenantId);
  if (selection.certificateIds?.length) q = q.where('certificate_id', 'in', [...selection.certificateIds]);
  if (selection.templateVersionIds?.length) q = q.where('template_version_id', 'in', [...selection.templateVersionIds]);
  if (selection.learnerIds?.length) q = q.where('learner_id', 'in', [...selection.learnerIds]);
  if (selection.issuedFrom !== undefined) q = q.where('issued_on', '>=', selection.issuedFrom);
  if (selection.issuedTo !== undefined) q = q.where('issued_on', '<=', selection.issuedTo);
  const states = new Set(selection.states ?? []);
  const lockStates = ['locked', 'unlocked'].filter((s) => states.has(s as SelectionState));
  if (lockStates.length === 1) q = q.where('locked', '=', lockStates[0] === 'locked' ? 1 : 0);
  const lifeStates = ['issued', 'expired', 'revoked'].filter((s) => states.has(s as SelectionState));
  if (lifeStates.length && lifeStates.length < 3)
    q = q.where((eb) =>
      eb.or(
        lifeStates.map((s) =>
          s === 'revoked'
            ? eb('state', '=', 'revoked')
            : s === 'expired'
              ? eb.and([eb('state', '=', 'issued'), eb('expires_on', '<', today)])
              : eb.and([eb('state', '=', 'issued'), eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', today)])]),
        ),
      ),
    );
  return q;
}

/**
 * The issue's next revision, in the caller's transaction: one statement takes the number (the row lock
 * serializes concurrent regenerations) and sets what it was made from. A revoked issue is not changed:
 * then nothing is answered.
 */
export async function reviseIssue(
  db: Db,
  id: string,
  set: Pick<IssueTable, 'template_version_id' | 'pdf_sha256' | 'rendered_at' | 'data'> & { inputs_sha256: string },
): Promise<IssueTable | undefined> {
  return db
    .updateTable('issues')
    .set((eb) => ({ ...set, revision: eb('revision', '+', 1) }))
    .where('id', '=', id)
    .where('state', '<>', 'revoked')
    .returningAll()
    .executeTakeFirst();
}

/** Several revisions in one statement. */
export async function insertRevisions(db: Db, rows: readonly DocumentTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('documents')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

// Credentials (Open Badges 3.0) -------------------------------------------------------------------------

/** Of these issues, those with a credential in some revision: the ones a status list knows. */
export async function issuesWithCredential(db: Db, issueIds: readonly string[]): Promise<string[]> {
  if (!issueIds.length) return [];
  const rows = await db
    .selectFrom('documents')
    .select('issue_id')
    .distinct()
    .where('issue_id', 'in', [...issueIds])
    .where('credential', 'is not', null)
    .execute();
  return rows.map((r) => r.issue_id);
}

/** The credentials of an issue's revisions, newest first. */
export async function revisionCredentials(db: Db, issueId: string): Promise<{ revision: number; credential: string }[]> {
  const rows = await db
    .selectFrom('documents')
    .select(['revision', 'credential'])
    .where('issue_id', '=', issueId)
    .where('credential', 'is not', null)
    .orderBy('revision', 'desc')
    .execute();
  return rows.flatMap((r) =>
    r.credential === null || r.credential === undefined ? [] : [{ revision: r.revision, credential: r.credential }],
  );
}
