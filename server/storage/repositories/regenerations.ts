import type { Db } from '../db';
import { pendingChunksOf } from './chunks';
import type { IssueTable, LearnerRecordTable, RegenerationItemTable, RegenerationRunTable } from '../schema';

/** Mass regeneration runs and their items (server/domain/regeneration.ts). */
export type ItemStatus = 'pending' | 'done' | 'skipped' | 'failed';

export async function insertRun(db: Db, row: RegenerationRunTable): Promise<void> {
  await db.insertInto('regeneration_runs').values(row).execute();
}

export const runById = (db: Db, id: string): Promise<RegenerationRunTable | undefined> =>
  db.selectFrom('regeneration_runs').selectAll().where('id', '=', id).executeTakeFirst();

export async function setRunSelected(db: Db, id: string, selected: number): Promise<void> {
  await db.updateTable('regeneration_runs').set({ selected }).where('id', '=', id).execute();
}

/** The tenant's unfinished run of the same command, if any. */
export const openRun = (db: Db, tenantId: string, fingerprint: string): Promise<RegenerationRunTable | undefined> =>
  db
    .selectFrom('regeneration_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('fingerprint', '=', fingerprint)
    .where('state', '=', 'running')
    .executeTakeFirst();

/** Every unfinished run, oldest first: what queue workers on SQLite look for. */
export const unfinishedRuns = (db: Db): Promise<RegenerationRunTable[]> =>
  db.selectFrom('regeneration_runs').selectAll().where('state', '=', 'running').orderBy('created_at').execute();

/** Many items in a few statements (SQLite allows some thousands of parameters per statement). */
export async function insertItems(db: Db, rows: readonly RegenerationItemTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) {
    await db
      .insertInto('regeneration_items')
      .values(rows.slice(i, i + 400))
      .execute();
  }
}

/** The pending items of positions [from, to): one chunk of a run. */
export async function pendingBetween(db: Db, runId: string, from: number, to: number): Promise<string[]> {
  const rows = await db
    .selectFrom('regeneration_items')
    .select('issue_id')
    .where('run_id', '=', runId)
    .where('status', '=', 'pending')
    .where('position', '>=', from)
    .where('position', '<', to)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.issue_id);
}

/** The chunks of a regeneration run that still hold pending items (see chunks.ts). */
export const pendingChunks = (db: Db, runId: string, chunkSize: number, after = -1, limit = 1_000_000): Promise<number[]> =>
  pendingChunksOf(db, 'regeneration_items', runId, chunkSize, after, limit);

/**
 * Marks pending items done, in the caller's transaction (the one that records their issues' new
 * revisions); answers those this call marked. An item another process finished first is not among them:
 * its document is left as that process made it.
 */
export async function claimItems(db: Db, runId: string, issueIds: readonly string[], versionId: string, at: string): Promise<Set<string>> {
  if (!issueIds.length) return new Set();
  const rows = await db
    .updateTable('regeneration_items')
    .set({ status: 'done', template_version_id: versionId, finished_at: at })
    .where('run_id', '=', runId)
    .where('status', '=', 'pending')
    .where('issue_id', 'in', [...issueIds])
    .returning('issue_id')
    .execute();
  return new Set(rows.map((r) => r.issue_id));
}

/** Sets items' outcome; `onlyPending`: unless another process finished them first. */
export async function markItems(
  db: Db,
  runId: string,
  issueIds: readonly string[],
  set: { status: ItemStatus; code: string; message: string; at: string; versionId?: string | null },
  onlyPending: boolean,
): Promise<number> {
  if (!issueIds.length) return 0;
  let q = db
    .updateTable('regeneration_items')
    .set({
      status: set.status,
      error_code: set.code,
      error_message: set.message,
      finished_at: set.at,
      ...(set.versionId !== undefined ? { template_version_id: set.versionId } : {}),
    })
    .where('run_id', '=', runId)
    .where('issue_id', 'in', [...issueIds]);
  if (onlyPending) q = q.where('status', '=', 'pending');
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface ItemCounts {
  pending: number;
  done: number;
  skipped: number;
  failed: number;
}

export async function countItems(db: Db, runId: string): Promise<ItemCounts> {
  const rows = await db
    .selectFrom('regeneration_items')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('run_id', '=', runId)
    .groupBy('status')
    .execute();
  const counts: ItemCounts = { pending: 0, done: 0, skipped: 0, failed: 0 };
  for (const r of rows) if (r.status in counts) counts[r.status as ItemStatus] = Number(r.n);
  return counts;
}

/** Skipped items by their reason code. */
export async function skippedByCode(db: Db, runId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('regeneration_items')
    .select(['error_code', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('run_id', '=', runId)
    .where('status', '=', 'skipped')
    .groupBy('error_code')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.error_code ?? '', Number(r.n)]));
}

/** Marks the run complete once nothing is pending; whether this call did. */
export async function completeRun(db: Db, runId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('regeneration_runs')
    .set({ state: 'complete', finished_at: at })
    .where('id', '=', runId)
    .where('state', '=', 'running')
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('regeneration_items').select('issue_id').where('run_id', '=', runId).where('status', '=', 'pending'))),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Items that were skipped or failed, with what names their documents: the failure report. */
export function reportedItems(db: Db, runId: string) {
  return db
    .selectFrom('regeneration_items')
    .innerJoin('issues', 'issues.id', 'regeneration_items.issue_id')
    .select([
      'issues.code',
      'issues.certificate_id',
      'issues.learner_id',
      'regeneration_items.status',
      'regeneration_items.error_code',
      'regeneration_items.error_message',
      'regeneration_items.template_version_id',
      'regeneration_items.finished_at',
    ])
    .where('regeneration_items.run_id', '=', runId)
    .where('regeneration_items.status', 'in', ['skipped', 'failed'])
    .orderBy('regeneration_items.position')
    .execute();
}

/** Issues by id, in one statement per few hundred. */
export async function issuesByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<IssueTable[]> {
  const out: IssueTable[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('issues')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}

/**
 * The learner records held for these (certificate, learner) pairs, by the (certificate, learner) index: a
 * batch costs a few lookups, never a scan of every record.
 */
export async function recordsFor(
  db: Db,
  tenantId: string,
  pairs: readonly { certificateId: string; learnerId: string }[],
): Promise<LearnerRecordTable[]> {
  const certificates = [...new Set(pairs.map((p) => p.certificateId))];
  const learners = [...new Set(pairs.map((p) => p.learnerId))];
  const wanted = new Set(pairs.map((p) => `${p.certificateId}\u0000${p.learnerId}`));
  const out: LearnerRecordTable[] = [];
  for (let i = 0; i < learners.length; i += 500) {
    const rows = await db
      .selectFrom('learner_records')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('certificate_id', 'in', certificates)
      .where('learner_id', 'in', learners.slice(i, i + 500))
      .execute();
    out.push(...rows.filter((r) => wanted.has(`${r.certificate_id}\u0000${r.learner_id}`)));
  }
  return out;
}
