import { sql } from 'kysely';
import type { Db } from '../db';
import { setSlotRevoked } from './credentials';

/**
 * Where a learner is in the database, table by table: the one list the privacy operations read
 * (server/domain/privacy/). Each entry says what its table holds of a learner, how the rows are found
 * (exported as they are, JSON columns parsed) and what erasing does to them. A table added later is one
 * entry here, or one line in NOT_ABOUT_LEARNERS saying why it holds nothing of anyone;
 * test/server/domain/privacy.test.ts fails for a table in neither list.
 *
 * Entries run in this order when erasing, inside one transaction: rows that refer to others go first.
 */

/** How a learner is found: their id in the tenant, and what hangs from it. */
export interface LearnerKeys {
  tenantId: string;
  learnerId: string;
  /** Their issues now, and issues of theirs deleted earlier whose traces remain (audit, events). */
  issueIds: string[];
  /** Codes of their issues now. */
  codes: string[];
  /** People who are this learner when they sign in: linked to the learner id, or the person of `person:<id>`. */
  personIds: string[];
}

export type Fate =
  /** The rows go. */
  | 'deleted'
  /** The rows stay with every personal value replaced (a person's row keeps their id taken). */
  | 'anonymized'
  /** The rows stay: ids only, kept so that erasing holds (say which in `holds`). */
  | 'kept';

type Row = Record<string, unknown>;

export interface LearnerTable {
  table: string;
  /** What it holds of a learner: the archive's README says it, in this words. */
  holds: string;
  fate: Fate;
  /** Columns holding JSON text, parsed in the export. */
  json?: readonly string[];
  /** Columns never exported (secrets, hashes of them). */
  withheld?: readonly string[];
  rows(db: Db, keys: LearnerKeys): Promise<Row[]>;
  /** Inside the erasure's transaction; answers how many rows were deleted or changed. */
  erase(trx: Db, keys: LearnerKeys, at: string): Promise<number>;
}

const none = <T>(list: readonly T[]) => list.length === 0;
const count = (r: { numDeletedRows?: bigint; numUpdatedRows?: bigint }) => Number(r.numDeletedRows ?? r.numUpdatedRows ?? 0);

/** The JSON text a value is written as inside a JSON document (`"Zoë"`): what a LIKE looks for first. */
const jsonString = (value: string) => JSON.stringify(value);
/** LIKE's own characters (and the backslash, PostgreSQL's escape) match any one character: a superset, filtered exactly after. */
const likePattern = (fragment: string) => `%${fragment.replace(/[\\%_]/g, '_')}%`;

/** Whether a JSON text names the learner in one of these fields, at any depth (exact, case-sensitive). */
function mentions(text: string | null, fields: readonly string[], learnerId: string): boolean {
  if (!text) return false;
  const walk = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.some(walk);
    if (typeof v !== 'object' || v === null) return false;
    return Object.entries(v).some(
      ([k, x]) => (fields.includes(k) && (x === learnerId || (Array.isArray(x) && x.includes(learnerId)))) || walk(x),
    );
  };
  try {
    return walk(JSON.parse(text));
  } catch {
    return false;
  }
}

const LEARNER_FIELDS = ['learnerId', 'learner_id', 'learnerIds'] as const;

/**
 * Audit entries about the learner: their issues, the people they are, themself, their learner records
 * (`<certificate id>:<learner id>`), the mail and webhook deliveries of their issues, or naming them in
 * the details.
 */
async function auditRows(db: Db, k: LearnerKeys) {
  const messages = none(k.issueIds)
    ? []
    : (await db.selectFrom('mail_messages').select('id').where('issue_id', 'in', k.issueIds).execute()).map((r) => r.id);
  const sends = none(k.issueIds) ? [] : (await sendIds(db, k).execute()).map((r) => r.id);
  const subjects: [string, string[]][] = [
    ['issue', k.issueIds],
    ['person', k.personIds],
    ['learner', [k.learnerId]],
    ['mail-message', messages],
    ['webhook-delivery', sends],
  ];
  const rows = await db
    .selectFrom('audit')
    .selectAll()
    .where('tenant_id', '=', k.tenantId)
    .where((eb) =>
      eb.or([
        ...subjects.flatMap(([type, ids]) => (none(ids) ? [] : [eb.and([eb('subject_type', '=', type), eb('subject_id', 'in', ids)])])),
        eb.and([eb('subject_type', '=', 'learner-record'), eb('subject_id', 'like', likePattern(`:${k.learnerId}`).slice(0, -1))]),
        eb('details', 'like', likePattern(jsonString(k.learnerId))),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.filter(
    (r) =>
      subjects.some(([type, ids]) => r.subject_type === type && ids.includes(r.subject_id)) ||
      (r.subject_type === 'learner-record' && r.subject_id.slice(r.subject_id.indexOf(':') + 1) === k.learnerId) ||
      mentions(r.details, LEARNER_FIELDS, k.learnerId),
  );
}

/** Kept answers of idempotent requests that carry one of the learner's codes or their id. */
async function idempotencyRows(db: Db, k: LearnerKeys) {
  const fragments = [...k.codes, jsonString(k.learnerId)];
  const rows = await db
    .selectFrom('idempotency')
    .selectAll()
    .where('tenant_id', '=', k.tenantId)
    .where((eb) => eb.or(fragments.map((f) => eb('response', 'like', likePattern(f)))))
    .execute();
  return rows.filter((r) => k.codes.some((c) => r.response?.includes(c)) || mentions(r.response, LEARNER_FIELDS, k.learnerId));
}

async function runsNaming(db: Db, k: LearnerKeys) {
  const rows = await db
    .selectFrom('regeneration_runs')
    .selectAll()
    .where('tenant_id', '=', k.tenantId)
    .where('selection', 'like', likePattern(jsonString(k.learnerId)))
    .execute();
  return rows.filter((r) => mentions(r.selection, LEARNER_FIELDS, k.learnerId));
}

const eventIds = (db: Db, k: LearnerKeys) => db.selectFrom('issue_events').select('id').where('issue_id', 'in', k.issueIds);
const sendIds = (db: Db, k: LearnerKeys) => db.selectFrom('webhook_sends').select('id').where('event_id', 'in', eventIds(db, k));

export const LEARNER_TABLES: readonly LearnerTable[] = [
  {
    table: 'audit',
    holds:
      'The audit trail of their documents (issued, delivered, locked, regenerated, revoked, deleted: who did it, when, why) and of their account.',
    fate: 'deleted',
    json: ['details'],
    rows: (db, k) => auditRows(db, k),
    erase: async (trx, k) => {
      const ids = (await auditRows(trx, k)).map((r) => r.id);
      for (let i = 0; i < ids.length; i += 500)
        await trx
          .deleteFrom('audit')
          .where('id', 'in', ids.slice(i, i + 500))
          .execute();
      return ids.length;
    },
  },
  {
    table: 'webhook_attempts',
    holds: 'Each attempt to deliver a webhook about their issues: when, how long, the receiver’s status and the start of its answer.',
    fate: 'deleted',
    rows: async (db, k) =>
      none(k.issueIds) ? [] : db.selectFrom('webhook_attempts').selectAll().where('send_id', 'in', sendIds(db, k)).execute(),
    erase: async (trx, k) =>
      none(k.issueIds) ? 0 : count(await trx.deleteFrom('webhook_attempts').where('send_id', 'in', sendIds(trx, k)).executeTakeFirst()),
  },
  {
    table: 'webhook_sends',
    holds: 'Webhook deliveries about their issues, one per receiver and event: status, attempts, when delivered.',
    fate: 'deleted',
    rows: async (db, k) =>
      none(k.issueIds) ? [] : db.selectFrom('webhook_sends').selectAll().where('event_id', 'in', eventIds(db, k)).execute(),
    erase: async (trx, k) =>
      none(k.issueIds) ? 0 : count(await trx.deleteFrom('webhook_sends').where('event_id', 'in', eventIds(trx, k)).executeTakeFirst()),
  },
  {
    table: 'mail_messages',
    holds: 'Mail about their issues: to whom (their address, teachers’, listed ones), status, the SMTP server’s answer.',
    fate: 'deleted',
    rows: async (db, k) =>
      none(k.issueIds)
        ? []
        : db.selectFrom('mail_messages').selectAll().where('issue_id', 'in', k.issueIds).orderBy('created_at').execute(),
    erase: async (trx, k) =>
      none(k.issueIds) ? 0 : count(await trx.deleteFrom('mail_messages').where('issue_id', 'in', k.issueIds).executeTakeFirst()),
  },
  {
    table: 'issue_events',
    holds: 'Changes of their issues as webhooks and mail told them (issued, locked, delivered, …), with the issue as each event saw it.',
    fate: 'deleted',
    json: ['payload'],
    rows: async (db, k) =>
      none(k.issueIds) ? [] : db.selectFrom('issue_events').selectAll().where('issue_id', 'in', k.issueIds).orderBy('at').execute(),
    erase: async (trx, k) =>
      none(k.issueIds) ? 0 : count(await trx.deleteFrom('issue_events').where('issue_id', 'in', k.issueIds).executeTakeFirst()),
  },
  {
    table: 'verification_counts',
    holds: 'How often each of their documents was checked on the public verification page, per day (never by whom).',
    fate: 'deleted',
    rows: async (db, k) =>
      none(k.issueIds) ? [] : db.selectFrom('verification_counts').selectAll().where('issue_id', 'in', k.issueIds).orderBy('day').execute(),
    erase: async (trx, k) =>
      none(k.issueIds) ? 0 : count(await trx.deleteFrom('verification_counts').where('issue_id', 'in', k.issueIds).executeTakeFirst()),
  },
  {
    table: 'issue_reminders',
    holds: 'Which expiry reminders of their documents were sent or skipped, and when (issue ids and days only).',
    fate: 'deleted',
    rows: async (db, k) =>
      none(k.issueIds) ? [] : db.selectFrom('issue_reminders').selectAll().where('issue_id', 'in', k.issueIds).execute(),
    erase: async (trx, k) =>
      none(k.issueIds) ? 0 : count(await trx.deleteFrom('issue_reminders').where('issue_id', 'in', k.issueIds).executeTakeFirst()),
  },
  {
    table: 'bulk_items',
    holds: 'Their place in bulk issues: what the dry run said, the outcome, the problems found, and (until issued) the data sent for them.',
    fate: 'deleted',
    json: ['findings', 'payload'],
    rows: (db, k) =>
      db
        .selectFrom('bulk_items')
        .selectAll()
        .where('learner_id', '=', k.learnerId)
        .where('run_id', 'in', db.selectFrom('bulk_runs').select('id').where('tenant_id', '=', k.tenantId))
        .execute(),
    erase: async (trx, k) =>
      count(
        await trx
          .deleteFrom('bulk_items')
          .where('learner_id', '=', k.learnerId)
          .where('run_id', 'in', trx.selectFrom('bulk_runs').select('id').where('tenant_id', '=', k.tenantId))
          .executeTakeFirst(),
      ),
  },
  {
    table: 'regeneration_items',
    holds: 'Their documents in mass regenerations: the outcome for each, and why one was skipped or failed.',
    fate: 'deleted',
    rows: async (db, k) =>
      none(k.issueIds) ? [] : db.selectFrom('regeneration_items').selectAll().where('issue_id', 'in', k.issueIds).execute(),
    erase: async (trx, k) =>
      none(k.issueIds) ? 0 : count(await trx.deleteFrom('regeneration_items').where('issue_id', 'in', k.issueIds).executeTakeFirst()),
  },
  {
    table: 'regeneration_runs',
    holds: 'Mass regenerations whose selection named them: the selection keeps "(erased)" in their place.',
    fate: 'anonymized',
    json: ['selection'],
    rows: (db, k) => runsNaming(db, k),
    erase: async (trx, k) => {
      let n = 0;
      for (const run of await runsNaming(trx, k)) {
        const selection = JSON.parse(run.selection) as { learnerIds?: string[] };
        selection.learnerIds = selection.learnerIds?.map((id) => (id === k.learnerId ? '(erased)' : id));
        await trx
          .updateTable('regeneration_runs')
          .set({ selection: JSON.stringify(selection) })
          .where('id', '=', run.id)
          .execute();
        n++;
      }
      return n;
    },
  },
  {
    table: 'moodle_imports',
    holds:
      'Which Moodle record each of their imported issues came from (ids only, no personal data): kept after erasure; importing that record again is refused by its withdrawn code.',
    fate: 'kept',
    rows: async (db, k) =>
      none(k.issueIds)
        ? []
        : db
            .selectFrom('moodle_imports')
            .selectAll()
            .where('tenant_id', '=', k.tenantId)
            .where('kind', '=', 'issue')
            .where('attest_id', 'in', k.issueIds)
            .execute(),
    erase: async () => 0,
  },
  {
    table: 'idempotency',
    holds: 'Answers kept for a day to requests repeated with an Idempotency-Key that carry their documents or their id.',
    fate: 'deleted',
    json: ['response'],
    withheld: ['fingerprint'],
    rows: (db, k) => idempotencyRows(db, k),
    erase: async (trx, k) => {
      const rows = await idempotencyRows(trx, k);
      for (const r of rows) await trx.deleteFrom('idempotency').where('tenant_id', '=', r.tenant_id).where('key', '=', r.key).execute();
      return rows.length;
    },
  },
  {
    table: 'refusals',
    holds: 'Their last refused request per certificate, with the reasons.',
    fate: 'deleted',
    json: ['reasons'],
    rows: (db, k) =>
      db.selectFrom('refusals').selectAll().where('tenant_id', '=', k.tenantId).where('learner_id', '=', k.learnerId).execute(),
    erase: async (trx, k) =>
      count(await trx.deleteFrom('refusals').where('tenant_id', '=', k.tenantId).where('learner_id', '=', k.learnerId).executeTakeFirst()),
  },
  {
    table: 'learner_records',
    holds: 'What the LMS (or a manager) said about them per certificate: name, email, course, completion, grade, availability.',
    fate: 'deleted',
    json: ['data'],
    rows: (db, k) =>
      db.selectFrom('learner_records').selectAll().where('tenant_id', '=', k.tenantId).where('learner_id', '=', k.learnerId).execute(),
    erase: async (trx, k) =>
      count(
        await trx
          .deleteFrom('learner_records')
          .where('tenant_id', '=', k.tenantId)
          .where('learner_id', '=', k.learnerId)
          .executeTakeFirst(),
      ),
  },
  {
    table: 'sessions',
    holds: 'Open sign-in sessions of the account they use (hashes only; never exported).',
    fate: 'deleted',
    rows: async () => [],
    erase: async (trx, k) =>
      none(k.personIds) ? 0 : count(await trx.deleteFrom('sessions').where('person_id', 'in', k.personIds).executeTakeFirst()),
  },
  {
    table: 'person_roles',
    holds: 'The roles of the account they use.',
    fate: 'deleted',
    rows: async (db, k) =>
      none(k.personIds)
        ? []
        : db
            .selectFrom('person_roles')
            .innerJoin('roles', 'roles.id', 'person_roles.role_id')
            .select(['person_roles.person_id', 'roles.name as role'])
            .where('person_roles.person_id', 'in', k.personIds)
            .execute(),
    erase: async (trx, k) =>
      none(k.personIds) ? 0 : count(await trx.deleteFrom('person_roles').where('person_id', 'in', k.personIds).executeTakeFirst()),
  },
  {
    table: 'learner_links',
    holds: 'Which Attest account a manager linked to their LMS learner id.',
    fate: 'deleted',
    rows: (db, k) =>
      db.selectFrom('learner_links').selectAll().where('tenant_id', '=', k.tenantId).where('learner_id', '=', k.learnerId).execute(),
    erase: async (trx, k) =>
      count(
        await trx.deleteFrom('learner_links').where('tenant_id', '=', k.tenantId).where('learner_id', '=', k.learnerId).executeTakeFirst(),
      ),
  },
  {
    table: 'people',
    holds:
      'The Attest account they sign in with: username, name, email. Erasing keeps the row (its id is never another’s) with the name, email and password gone.',
    fate: 'anonymized',
    withheld: ['password_hash'],
    rows: async (db, k) =>
      none(k.personIds)
        ? []
        : db.selectFrom('people').selectAll().where('tenant_id', '=', k.tenantId).where('id', 'in', k.personIds).execute(),
    erase: async (trx, k, at) => {
      let n = 0;
      for (const id of k.personIds) {
        const gone = `erased-${id}`;
        n += count(
          await trx
            .updateTable('people')
            .set({ username: gone, display_name: gone, email: null, password_hash: null, disabled_at: at, deleted_at: at })
            .where('tenant_id', '=', k.tenantId)
            .where('id', '=', id)
            .executeTakeFirst(),
        );
      }
      return n;
    },
  },
  {
    table: 'documents',
    holds: 'Every revision of their documents: template version, SHA-256, size, pages (the PDFs are in documents/).',
    fate: 'deleted',
    rows: async (db, k) =>
      none(k.issueIds)
        ? []
        : db.selectFrom('documents').selectAll().where('issue_id', 'in', k.issueIds).orderBy('issue_id').orderBy('revision').execute(),
    erase: async (trx, k) =>
      none(k.issueIds) ? 0 : count(await trx.deleteFrom('documents').where('issue_id', 'in', k.issueIds).executeTakeFirst()),
  },
  {
    table: 'document_bytes',
    holds:
      'The PDFs themselves on PostgreSQL (files beside the database on SQLite): removed through the document store once no document refers to them.',
    fate: 'deleted',
    rows: async () => [],
    erase: async () => 0,
  },
  {
    table: 'issues',
    holds: 'Their issued documents: code, certificate, state, lock, dates, and the data each document was made from.',
    fate: 'deleted',
    json: ['data'],
    rows: (db, k) =>
      db
        .selectFrom('issues')
        .selectAll()
        .where('tenant_id', '=', k.tenantId)
        .where('learner_id', '=', k.learnerId)
        .orderBy('created_at')
        .execute(),
    erase: async (trx, k) =>
      count(await trx.deleteFrom('issues').where('tenant_id', '=', k.tenantId).where('learner_id', '=', k.learnerId).executeTakeFirst()),
  },
  {
    table: 'credential_status_slots',
    holds:
      'The place of each of their documents in the tenant’s credential status list (issue ids and positions, no personal data): kept, so a position is never given to another document; erasing sets the revoked bit, so a credential they still hold says so.',
    fate: 'kept',
    rows: async (db, k) =>
      none(k.issueIds) ? [] : db.selectFrom('credential_status_slots').selectAll().where('issue_id', 'in', k.issueIds).execute(),
    erase: async (trx, k, at) => {
      let changed = 0;
      for (const issueId of k.issueIds) if (await setSlotRevoked(trx, issueId, true, at)) changed++;
      return changed;
    },
  },
  {
    table: 'withdrawn_codes',
    holds: 'After erasure, the codes of their documents, alone: never given again, and verified as "withdrawn".',
    fate: 'kept',
    rows: async () => [],
    erase: async () => 0,
  },
  {
    table: 'moodle_export_cursors',
    holds: 'Where an LMS’s export of issues got to: an issue id as a position, no personal data; kept so the export goes on from there.',
    fate: 'kept',
    rows: async () => [],
    erase: async () => 0,
  },
];

/** Tables that hold nothing of any learner, and why. */
export const NOT_ABOUT_LEARNERS: Readonly<Record<string, string>> = {
  tenants: 'the tenant’s own settings',
  signing_keys: 'the tenant’s signing keys and certificates',
  document_signatures: 'which key signed a PDF, by the SHA-256 of its bytes (no name, no data; the PDF itself goes with its learner)',
  roles: 'role names and capabilities',
  tokens: 'API tokens (hashes)',
  operator_tokens: 'the operator’s tokens',
  blobs: 'template assets (backgrounds, fonts, logos, signatures)',
  templates: 'templates',
  template_versions: 'published templates',
  certificates: 'certificates and their delivery settings',
  webhook_deliveries: 'signatures of the shop’s webhooks already received (against replays)',
  webhook_endpoints: 'webhook receivers of the tenant',
  tenant_mail: 'the tenant’s SMTP settings',
  certificate_mail: 'the words of a certificate’s mail, and fixed addresses to tell',
  bulk_runs: 'bulk issues: who ran them, when, and their counts (the learners are in bulk_items)',
  credential_keys: 'the tenant’s credential signing keys (the private halves sealed)',
  credential_status_lists: 'the tenant’s status lists: their sizes, counts and last signed copy (bits only, of no one by name)',
};

/** What identifies the learner's rows: their issues, earlier issues of theirs still traced, the people they are. */
export async function learnerKeys(db: Db, tenantId: string, learnerId: string): Promise<LearnerKeys> {
  const issues = await db
    .selectFrom('issues')
    .select(['id', 'code'])
    .where('tenant_id', '=', tenantId)
    .where('learner_id', '=', learnerId)
    .orderBy('created_at')
    .execute();
  const issueIds = issues.map((i) => i.id);
  // Issues deleted before: their audit entry named the learner; their events and that entry may remain.
  const deleted = await db
    .selectFrom('audit')
    .select(['subject_id', 'details'])
    .where('tenant_id', '=', tenantId)
    .where('subject_type', '=', 'issue')
    .where('action', '=', 'deleted')
    .where('details', 'like', likePattern(jsonString(learnerId)))
    .execute();
  for (const d of deleted)
    if (mentions(d.details, LEARNER_FIELDS, learnerId) && !issueIds.includes(d.subject_id)) issueIds.push(d.subject_id);
  const personIds = (
    await db.selectFrom('learner_links').select('person_id').where('tenant_id', '=', tenantId).where('learner_id', '=', learnerId).execute()
  ).map((r) => r.person_id);
  if (learnerId.startsWith('person:')) {
    const own = await db
      .selectFrom('people')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', learnerId.slice(7))
      .executeTakeFirst();
    if (own && !personIds.includes(own.id)) personIds.push(own.id);
  }
  return { tenantId, learnerId, issueIds, codes: issues.map((i) => i.code), personIds };
}

/** Whether anything at all is held: keys found, or a row in a table keyed by the learner id alone. */
export async function holdsAnything(db: Db, keys: LearnerKeys): Promise<boolean> {
  if (keys.issueIds.length || keys.personIds.length) return true;
  for (const entry of LEARNER_TABLES) if ((await entry.rows(db, keys)).length) return true;
  return false;
}

export async function insertWithdrawnCodes(trx: Db, rows: { code: string; tenant_id: string; withdrawn_on: string; erasure_id: string }[]) {
  if (rows.length)
    await trx
      .insertInto('withdrawn_codes')
      .values(rows)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
}

export const withdrawnCode = (db: Db, code: string) =>
  db
    .selectFrom('withdrawn_codes')
    .innerJoin('tenants', 'tenants.id', 'withdrawn_codes.tenant_id')
    .select(['withdrawn_codes.code', 'withdrawn_codes.tenant_id', 'withdrawn_codes.withdrawn_on', 'tenants.settings'])
    .where('withdrawn_codes.code', '=', code)
    .executeTakeFirst();

/** SHA-256s of the learner's document revisions: what the document store forgets after the erasure commits. */
export async function revisionHashesOf(db: Db, issueIds: readonly string[]): Promise<string[]> {
  if (!issueIds.length) return [];
  return (
    await db
      .selectFrom('documents')
      .select('sha256')
      .where('issue_id', 'in', [...issueIds])
      .execute()
  ).map((r) => r.sha256);
}

/**
 * After an erasure on SQLite: deleted content is already overwritten (secure_delete, database.ts), and the
 * write-ahead log, which still holds the pages as they were, is written back and emptied. PostgreSQL keeps
 * dead row versions until VACUUM reuses their space; nothing reads them.
 */
export async function compactAfterErasure(db: Db, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
}

/** Every table of the database as the engine lists it (the test that no table is forgotten). */
export async function tableNames(db: Db, engine: 'sqlite' | 'postgres'): Promise<string[]> {
  const rows =
    engine === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
          db,
        );
  return rows.rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_'));
}
