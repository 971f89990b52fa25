import { sql } from 'kysely';
import type { Db } from '../db';

/** Counts for the delivery dashboard (server/domain/stats.ts): grouped by day here, by week there. */

/**
 * Checks of documents are counted in memory and written in batches: the public check is the busiest
 * anonymous route, and one upsert per check cost it a quarter of its rate on SQLite. A batch is written
 * when it holds MAX_PENDING counters, a second after its first check, before every read of the counts,
 * and when the storage closes; a process killed in between loses at most that second's counts (they are
 * statistics, never a delivery fact).
 */
const MAX_PENDING = 500;
const FLUSH_AFTER_MS = 1000;

interface PendingCount {
  issueId: string;
  tenantId: string;
  day: string;
  count: number;
}

interface Tally {
  pending: Map<string, PendingCount>;
  timer: ReturnType<typeof setTimeout> | undefined;
  writing: Promise<void>;
}

const tallies = new WeakMap<Db, Tally>();

function tallyOf(db: Db): Tally {
  let tally = tallies.get(db);
  if (!tally) tallies.set(db, (tally = { pending: new Map(), timer: undefined, writing: Promise.resolve() }));
  return tally;
}

/** One more check of a document today; concurrent checks add up (counted here, written in the next batch). */
export function countVerification(db: Db, row: { issueId: string; tenantId: string; day: string }): void {
  const tally = tallyOf(db);
  const key = `${row.issueId} ${row.day}`;
  const counter = tally.pending.get(key);
  if (counter) counter.count++;
  else tally.pending.set(key, { ...row, count: 1 });
  if (tally.pending.size >= MAX_PENDING) void writeVerificationCounts(db).catch(() => {});
  else if (!tally.timer) {
    tally.timer = setTimeout(() => void writeVerificationCounts(db).catch(() => {}), FLUSH_AFTER_MS);
    tally.timer.unref();
  }
}

/** Writes the counted checks (each counter added to its row in one transaction); the reads below call it first. */
export function writeVerificationCounts(db: Db): Promise<void> {
  const tally = tallyOf(db);
  if (tally.timer) clearTimeout(tally.timer);
  tally.timer = undefined;
  const batch = [...tally.pending.values()];
  tally.pending = new Map();
  // After the batch before it, so a read that follows waits for every check counted until then.
  const written = tally.writing.then(async () => {
    if (!batch.length) return;
    await db.transaction().execute(async (tx) => {
      for (const c of batch)
        await tx
          .insertInto('verification_counts')
          .values({ issue_id: c.issueId, tenant_id: c.tenantId, day: c.day, count: c.count })
          .onConflict((oc) => oc.columns(['issue_id', 'day']).doUpdateSet({ count: sql<number>`verification_counts.count + ${c.count}` }))
          .execute();
    });
  });
  tally.writing = written.catch(() => {});
  return written;
}

/** Issue audit entries of these actions per day, from `from` (inclusive) to `until` (exclusive), ISO instants. */
export async function auditActionsPerDay(
  db: Db,
  tenantId: string,
  actions: readonly string[],
  from: string,
  until: string,
): Promise<{ day: string; action: string; count: number }[]> {
  const day = sql<string>`substr(at, 1, 10)`;
  const rows = await db
    .selectFrom('audit')
    .select([day.as('day'), 'action', (eb) => eb.fn.countAll<number | string>().as('count')])
    .where('tenant_id', '=', tenantId)
    .where('subject_type', '=', 'issue')
    .where('action', 'in', [...actions])
    .where('at', '>=', from)
    .where('at', '<', until)
    .groupBy([day, 'action'])
    .execute();
  return rows.map((r) => ({ day: r.day, action: r.action, count: Number(r.count) }));
}

/** Verification checks per day, days `from` to `to` inclusive (YYYY-MM-DD). */
export async function verificationsPerDay(db: Db, tenantId: string, from: string, to: string): Promise<{ day: string; count: number }[]> {
  await writeVerificationCounts(db);
  const rows = await db
    .selectFrom('verification_counts')
    .select(['day', (eb) => eb.fn.sum<number | string>('count').as('count')])
    .where('tenant_id', '=', tenantId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .groupBy('day')
    .execute();
  return rows.map((r) => ({ day: r.day, count: Number(r.count) }));
}

/** The documents checked most in the range, with how many checks. */
export async function mostVerified(
  db: Db,
  tenantId: string,
  from: string,
  to: string,
  limit: number,
): Promise<{ code: string; certificateId: string; learnerId: string; count: number }[]> {
  await writeVerificationCounts(db);
  const total = sql<number | string>`sum(verification_counts.count)`;
  const rows = await db
    .selectFrom('verification_counts')
    .innerJoin('issues', 'issues.id', 'verification_counts.issue_id')
    .select(['issues.code', 'issues.certificate_id', 'issues.learner_id', total.as('count')])
    .where('verification_counts.tenant_id', '=', tenantId)
    .where('verification_counts.day', '>=', from)
    .where('verification_counts.day', '<=', to)
    .groupBy(['issues.code', 'issues.certificate_id', 'issues.learner_id'])
    .orderBy(total, 'desc')
    .orderBy('issues.code')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ code: r.code, certificateId: r.certificate_id, learnerId: r.learner_id, count: Number(r.count) }));
}

/** Every verification check of these documents, all time: the delivery list's column. */
export async function verificationTotals(db: Db, issueIds: readonly string[]): Promise<Map<string, number>> {
  if (!issueIds.length) return new Map();
  await writeVerificationCounts(db);
  const rows = await db
    .selectFrom('verification_counts')
    .select(['issue_id', (eb) => eb.fn.sum<number | string>('count').as('count')])
    .where('issue_id', 'in', [...issueIds])
    .groupBy('issue_id')
    .execute();
  return new Map(rows.map((r) => [r.issue_id, Number(r.count)]));
}

/** The refusals kept (each learner's last, per certificate) made in the range: their certificate and reasons (JSON). */
export function refusalsBetween(
  db: Db,
  tenantId: string,
  from: string,
  until: string,
): Promise<{ certificate_id: string; reasons: string }[]> {
  return db
    .selectFrom('refusals')
    .select(['certificate_id', 'reasons'])
    .where('tenant_id', '=', tenantId)
    .where('at', '>=', from)
    .where('at', '<', until)
    .execute();
}
