import type { Db } from '../db';
import { pendingChunksOf } from './chunks';
import type { BulkItemTable, BulkRunTable } from '../schema';

/** Bulk issue runs and their items (server/domain/bulk-issue.ts). */

export async function insertBulkRun(db: Db, row: BulkRunTable): Promise<void> {
  await db.insertInto('bulk_runs').values(row).execute();
}

export async function insertBulkItems(db: Db, rows: readonly BulkItemTable[]): Promise<void> {
  // SQLite allows some thousands of parameters per statement: 11 columns × 80 rows.
  for (let i = 0; i < rows.length; i += 80) {
    await db
      .insertInto('bulk_items')
      .values(rows.slice(i, i + 80))
      .execute();
  }
}

export const bulkRunById = (db: Db, id: string): Promise<BulkRunTable | undefined> =>
  db.selectFrom('bulk_runs').selectAll().where('id', '=', id).executeTakeFirst();

/** Confirmed runs not yet finished, oldest first: what queue workers on SQLite look for. */
export const runningBulkRuns = (db: Db): Promise<BulkRunTable[]> =>
  db.selectFrom('bulk_runs').selectAll().where('state', '=', 'running').orderBy('created_at').execute();

/** Moves a dry run to running; false when another confirm (or none, the run being gone) did first. */
export async function startBulkRun(db: Db, id: string, by: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('bulk_runs')
    .set({ state: 'running', confirmed_by: by, confirmed_at: at })
    .where('id', '=', id)
    .where('state', '=', 'dry-run')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** At confirm: the items to issue become pending; the others are finished as the dry run said, their payloads gone. */
export async function releaseBulkItems(db: Db, runId: string, at: string): Promise<void> {
  await db.updateTable('bulk_items').set({ status: 'pending' }).where('run_id', '=', runId).where('expected', '=', 'issue').execute();
  await db
    .updateTable('bulk_items')
    .set((eb) => ({ status: eb.ref('expected'), payload: null, finished_at: at }))
    .where('run_id', '=', runId)
    .where('status', '=', 'planned')
    .execute();
}

/** The chunks of a bulk run that still hold pending items (see chunks.ts). */
export const pendingBulkChunks = (db: Db, runId: string, chunkSize: number, after = -1, limit = 1_000_000): Promise<number[]> =>
  pendingChunksOf(db, 'bulk_items', runId, chunkSize, after, limit);

/** The pending items of positions [from, to): one chunk. */
export const pendingBulkItems = (db: Db, runId: string, from: number, to: number): Promise<BulkItemTable[]> =>
  db
    .selectFrom('bulk_items')
    .selectAll()
    .where('run_id', '=', runId)
    .where('status', '=', 'pending')
    .where('position', '>=', from)
    .where('position', '<', to)
    .orderBy('position')
    .execute();

/** Records an item's outcome unless it is finished already (another delivery of its chunk); whether this call did. */
export async function finishBulkItem(
  db: Db,
  runId: string,
  position: number,
  set: { status: string; issueCode: string | null; findings: string | null; at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('bulk_items')
    .set({ status: set.status, issue_code: set.issueCode, findings: set.findings, payload: null, finished_at: set.at })
    .where('run_id', '=', runId)
    .where('position', '=', position)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Marks the run complete once nothing is pending; whether this call did. */
export async function completeBulkRun(db: Db, runId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('bulk_runs')
    .set({ state: 'complete', finished_at: at })
    .where('id', '=', runId)
    .where('state', '=', 'running')
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('bulk_items').select('position').where('run_id', '=', runId).where('status', '=', 'pending'))),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function bulkStatusCounts(db: Db, runId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('bulk_items')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('run_id', '=', runId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function bulkExpectedCounts(db: Db, runId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('bulk_items')
    .select(['expected', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('run_id', '=', runId)
    .groupBy('expected')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.expected, Number(r.n)]));
}

/** A run's items in order, without their payloads. */
export const bulkItemsOf = (db: Db, runId: string, offset: number, limit: number) =>
  db
    .selectFrom('bulk_items')
    .select(['position', 'learner_id', 'row_number', 'expected', 'status', 'issue_code', 'findings', 'finished_at'])
    .where('run_id', '=', runId)
    .orderBy('position')
    .offset(offset)
    .limit(limit)
    .execute();

/** Dry runs never confirmed, made before `before`, deleted with their items (and the payloads they hold). */
export async function pruneDryRuns(db: Db, before: string): Promise<number> {
  const r = await db.deleteFrom('bulk_runs').where('state', '=', 'dry-run').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The codes of the documents these learners hold for the certificate, by learner id: a few statements for thousands. */
export async function issuedCodes(
  db: Db,
  tenantId: string,
  certificateId: string,
  learnerIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = [...new Set(learnerIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('issues')
      .select(['learner_id', 'code'])
      .where('tenant_id', '=', tenantId)
      .where('certificate_id', '=', certificateId)
      .where('learner_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.learner_id, r.code);
  }
  return out;
}
