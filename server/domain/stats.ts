import { iso, isoDay, requireCapability, type Actor, type Services } from './context';
import { invalid, zodProblems } from './errors';
import { StatsRange } from './stats-range';
import { certificatesOf } from '../storage/repositories/certificates';
import { auditActionsPerDay, mostVerified, refusalsBetween, verificationsPerDay } from '../storage/repositories/stats';

/**
 * The delivery dashboard: what happened to a tenant's documents over a range of days, per week (weeks
 * start on Monday, UTC; the first and last are cut to the range). Issued, delivered and locked are counted
 * from the audit trail, so a document deleted since still counts for the week it was issued; verified
 * from the per-day counters of the public verification endpoints (who looked is never stored). Refusals
 * are the ones kept: each learner's last per certificate, so a learner refused five times counts once.
 */
export interface WeekStats {
  /** The Monday of the week (YYYY-MM-DD), or the range's first day for a first week cut short. */
  week: string;
  issued: number;
  delivered: number;
  locked: number;
  verified: number;
}

export interface DeliveryStats {
  from: string;
  to: string;
  weeks: WeekStats[];
  totals: { issued: number; delivered: number; locked: number; verified: number; refused: number };
  refusalsByReason: { code: string; count: number }[];
  /** Certificates by how many learners they refused, most first (at most 10). */
  failingCertificates: { certificateId: string; name: string; refusals: number }[];
  /** Documents by how many times they were checked in the range, most first (at most 50). */
  verifiedDocuments: { code: string; certificateId: string; learnerId: string; verifications: number }[];
}

const DAY_MS = 86_400_000;
const DEFAULT_WEEKS = 12;
const addDays = (day: string, n: number): string => isoDay(new Date(Date.parse(day) + n * DAY_MS));
/** The Monday on or before a day. */
const mondayOf = (day: string): string => addDays(day, -((new Date(Date.parse(day)).getUTCDay() + 6) % 7));

/** The range a request names, its defaults filled: every problem at once (REQUEST_INVALID's problems). */
export function statsRange(services: Services, input: unknown): { from: string; to: string } {
  const parsed = StatsRange.safeParse(input ?? {});
  if (!parsed.success) throw invalid('REQUEST_INVALID', 'The date range is not valid.', zodProblems(parsed.error, 'query'));
  const to = parsed.data.to ?? isoDay(services.now());
  const from = parsed.data.from ?? addDays(mondayOf(to), -7 * (DEFAULT_WEEKS - 1));
  // A default `from` after a given `to` cannot happen; a given `from` after a default `to` (today) can.
  if (from > to)
    throw invalid('REQUEST_INVALID', 'The date range is not valid.', zodProblems(StatsRange.safeParse({ from, to }).error!, 'query'));
  return { from, to };
}

export async function deliveryStats(services: Services, actor: Actor, input: unknown): Promise<DeliveryStats> {
  requireCapability(actor, 'issues:manage');
  const { from, to } = statsRange(services, input);
  const db = services.storage.db;
  const start = `${from}T00:00:00.000Z`;
  const until = iso(new Date(Date.parse(to) + DAY_MS));
  const [actions, verified, refusals, certificates, documents] = await Promise.all([
    auditActionsPerDay(db, actor.tenantId, ['issued', 'delivered', 'locked'], start, until),
    verificationsPerDay(db, actor.tenantId, from, to),
    refusalsBetween(db, actor.tenantId, start, until),
    certificatesOf(db, actor.tenantId),
    mostVerified(db, actor.tenantId, from, to, 50),
  ]);

  const weeks = new Map<string, WeekStats>();
  for (let monday = mondayOf(from); monday <= to; monday = addDays(monday, 7)) {
    const week = monday < from ? from : monday;
    weeks.set(week, { week, issued: 0, delivered: 0, locked: 0, verified: 0 });
  }
  const weekOf = (day: string): WeekStats => {
    const monday = mondayOf(day);
    return weeks.get(monday < from ? from : monday)!;
  };
  for (const a of actions) {
    const w = weekOf(a.day);
    if (a.action === 'issued' || a.action === 'delivered' || a.action === 'locked') w[a.action] += a.count;
  }
  for (const v of verified) weekOf(v.day).verified += v.count;

  const byReason = new Map<string, number>();
  const byCertificate = new Map<string, number>();
  for (const r of refusals) {
    byCertificate.set(r.certificate_id, (byCertificate.get(r.certificate_id) ?? 0) + 1);
    for (const code of reasonCodes(r.reasons)) byReason.set(code, (byReason.get(code) ?? 0) + 1);
  }
  const names = new Map(certificates.map((c) => [c.id, c.name]));
  const list = [...weeks.values()];
  const sum = (k: keyof Omit<WeekStats, 'week'>) => list.reduce((n, w) => n + w[k], 0);
  return {
    from,
    to,
    weeks: list,
    totals: {
      issued: sum('issued'),
      delivered: sum('delivered'),
      locked: sum('locked'),
      verified: sum('verified'),
      refused: refusals.length,
    },
    refusalsByReason: [...byReason]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    failingCertificates: [...byCertificate]
      .map(([certificateId, n]) => ({ certificateId, name: names.get(certificateId) ?? certificateId, refusals: n }))
      .sort((a, b) => b.refusals - a.refusals || a.name.localeCompare(b.name))
      .slice(0, 10),
    verifiedDocuments: documents.map((d) => ({
      code: d.code,
      certificateId: d.certificateId,
      learnerId: d.learnerId,
      verifications: d.count,
    })),
  };
}

/** The codes of a kept refusal's reasons (JSON written by issues.ts); each once per refusal. */
function reasonCodes(json: string): string[] {
  try {
    const reasons = JSON.parse(json) as unknown;
    if (!Array.isArray(reasons)) return [];
    return [
      ...new Set(
        reasons
          .map((r) => (r && typeof r === 'object' ? (r as { code?: unknown }).code : undefined))
          .filter((c): c is string => typeof c === 'string'),
      ),
    ];
  } catch {
    return [];
  }
}
