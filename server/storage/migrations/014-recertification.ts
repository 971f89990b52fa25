import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Expiry reminders and recertification (issue 15).
 *
 * The re-issue chain: a learner who retakes a course gets a new document (its own code); the one it
 * replaces keeps verifying and says it was superseded. `supersedes` / `superseded_by` hold the issue ids
 * of the older and newer document, `superseded_at` when it happened. "One document per learner and
 * certificate" becomes "one *current* document" (not superseded): the unique constraint of 001 is
 * replaced by a partial unique index, still what makes concurrent requests converge on one issue; the
 * unique index on `supersedes` makes two concurrent re-issues of one document make one new document.
 * SQLite cannot drop a table constraint, so there the table is rebuilt from its own recorded definition
 * (every column and index other migrations gave it, whatever their order) without that constraint.
 *
 * `issue_reminders`: one row per (issue, reminder offset) that was due, written in the transaction that
 * queues its mail: the primary key is what sends each reminder once, across processes and restarts.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await sql`ALTER TABLE issues ADD COLUMN supersedes text, ADD COLUMN superseded_by text, ADD COLUMN superseded_at text`.execute(db);
    await sql`ALTER TABLE issues DROP CONSTRAINT issues_one_per_learner`.execute(db);
  } else {
    await rebuildSqliteIssues(db);
  }
  await sql`CREATE UNIQUE INDEX issues_one_current_per_learner ON issues (certificate_id, learner_id) WHERE superseded_by IS NULL`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX issues_supersedes ON issues (supersedes) WHERE supersedes IS NOT NULL`.execute(db);

  await db.schema
    .createTable('issue_reminders')
    .addColumn('issue_id', 'text', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('days_before', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    // 'queued' (its mail is in mail_messages, event_id) | 'skipped' (a nearer reminder was due at once)
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('issue_reminders_pk', ['issue_id', 'days_before'])
    .execute();

  // The new capability issues:reissue goes to every tenant's admin and manager roles, as 012 and 015 give
  // theirs (and as Moodle's upgrade gives a new capability to its archetype roles): a role that held every
  // way of issuing would otherwise lack the newest one; a manager takes it away where it is not wanted.
  const roles = await sql<{
    id: string;
    capabilities: string;
  }>`select id, capabilities from roles where name in ('admin', 'manager')`.execute(db);
  for (const role of roles.rows) {
    const caps = JSON.parse(role.capabilities) as string[];
    if (caps.includes('issues:reissue')) continue;
    await sql`update roles set capabilities = ${JSON.stringify([...caps, 'issues:reissue'])} where id = ${role.id}`.execute(db);
  }
}

async function rebuildSqliteIssues(db: Kysely<unknown>): Promise<void> {
  const table = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'issues'`.execute(db);
  const create = table.rows[0]?.sql;
  if (!create) throw new Error('The issues table is missing.');
  const indexes = await sql<{
    sql: string;
  }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'issues' AND sql IS NOT NULL`.execute(db);
  const withoutConstraint = create.replace(/,\s*constraint\s+"?issues_one_per_learner"?\s+unique\s*\([^)]*\)/i, '');
  if (withoutConstraint === create) throw new Error('The issues table has no issues_one_per_learner constraint to replace.');
  const renamed = withoutConstraint.replace(/^CREATE TABLE\s+"?issues"?/i, 'CREATE TABLE "issues_rebuilt"');
  const columns = renamed.replace(/\)\s*$/, ', "supersedes" text, "superseded_by" text, "superseded_at" text)');
  // Rows of other tables refer to issues: with foreign keys on, dropping the old table would delete them.
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN IMMEDIATE`.execute(db);
    try {
      await sql.raw(columns).execute(db);
      const names = await sql<{ name: string }>`SELECT name FROM pragma_table_info('issues')`.execute(db);
      const list = names.rows.map((r) => `"${r.name}"`).join(', ');
      await sql.raw(`INSERT INTO "issues_rebuilt" (${list}) SELECT ${list} FROM "issues"`).execute(db);
      await sql`DROP TABLE issues`.execute(db);
      await sql`ALTER TABLE issues_rebuilt RENAME TO issues`.execute(db);
      for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
      const broken = await sql<{ table: string }>`PRAGMA foreign_key_check`.execute(db);
      if (broken.rows.length) throw new Error(`Rebuilding issues broke ${broken.rows.length} references.`);
      await sql`COMMIT`.execute(db);
    } catch (e) {
      await sql`ROLLBACK`.execute(db);
      throw e;
    }
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}
