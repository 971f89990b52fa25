import { sql } from 'kysely';
import type { Db } from '../db';

/** Counts for the delivery dashboard (server/domain/stats.ts): grouped by day here, by week there. */

/** One more check of a document today; concurrent checks add up (one upsert, no read first). */
export async function countVerification(db: Db, row: { issueId: string; tenantId: string; day: string }): Promise<void> {
  await db
    .insertInto('verification_counts')
    .values({ issue_id: row.issueId, tenant_id: row.tenantId, day: row.day, count: 1 })
    .onConflict((oc) => oc.columns(['issue_id', 'day']).doUpdateSet({ count: sql<number>`verification_counts.count + 1` }))
    .execute();
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
