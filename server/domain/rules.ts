import type { Reason } from './errors';
import { reason } from './reasons';
import type { CertificateSettings, TenantSettings } from './settings';

/**
 * The delivery rules of DESIGN.md, in their order: completion (when the tenant tracks it), availability
 * (as the LMS reports it), then the certificate's own rules. Pure: the facts come in, the reasons go out,
 * every failing rule listed so an admin sees at once all that stands between a learner and the document.
 */
export interface DeliveryFacts {
  /** From `completion.completed` as bound (true when a completion date is given). */
  completed: boolean | null;
  /** The LMS's access and visibility rules, decided outside Attest. */
  available: boolean;
  unavailableReason?: string;
  /** `grade.percent` as bound (derived from value and max). */
  gradePercent: number | null;
  /** `course.timespent` in seconds. */
  timeSpentSeconds: number | null;
  /** The day the request is made, YYYY-MM-DD in UTC. */
  today: string;
  /**
   * Each certificate the certificate requires (settings.requires, in its order), its name as it is now,
   * and whether this learner holds it: an issued document of it, not revoked, not expired and not locked
   * (gathered by the caller: `prerequisiteFacts` in issues.ts). Empty when it requires none.
   */
  prerequisites: readonly PrerequisiteFact[];
}

export interface PrerequisiteFact {
  certificateId: string;
  name: string;
  held: boolean;
}

export function evaluateDeliveryRules(tenant: TenantSettings, certificate: CertificateSettings, facts: DeliveryFacts): Reason[] {
  const l = tenant.locale;
  const reasons: Reason[] = [];
  if (tenant.completion_tracking && facts.completed !== true) reasons.push(reason(l, 'COURSE_NOT_COMPLETED'));
  if (!facts.available) reasons.push(reason(l, 'NOT_AVAILABLE', ...(facts.unavailableReason ? [facts.unavailableReason] : [])));
  if (certificate.min_grade_percent !== undefined) {
    if (facts.gradePercent === null) reasons.push(reason(l, 'GRADE_MISSING'));
    else if (facts.gradePercent < certificate.min_grade_percent) {
      reasons.push(reason(l, 'GRADE_TOO_LOW', formatNumber(facts.gradePercent, l), formatNumber(certificate.min_grade_percent, l)));
    }
  }
  if (certificate.min_time_spent_minutes !== undefined) {
    if (facts.timeSpentSeconds === null) reasons.push(reason(l, 'TIME_SPENT_MISSING'));
    else if (facts.timeSpentSeconds < certificate.min_time_spent_minutes * 60) {
      reasons.push(
        reason(
          l,
          'TIME_SPENT_TOO_SHORT',
          formatNumber(Math.floor(facts.timeSpentSeconds / 60), l),
          formatNumber(certificate.min_time_spent_minutes, l),
        ),
      );
    }
  }
  if (certificate.window_start && facts.today < certificate.window_start)
    reasons.push(reason(l, 'WINDOW_NOT_OPEN', formatDate(certificate.window_start, l)));
  if (certificate.window_end && facts.today > certificate.window_end)
    reasons.push(reason(l, 'WINDOW_CLOSED', formatDate(certificate.window_end, l)));
  const missing = missingPrerequisites(certificate, facts.prerequisites);
  if (missing.length) {
    const mode = certificate.requires_mode ?? 'all';
    // The names travel as the reason's values: the HTTP edge can say them again in the caller's language.
    reasons.push(reason(l, 'PREREQUISITE_MISSING', mode, ...missing.map((m) => m.name)));
  }
  return reasons;
}

/**
 * The required certificates that stand in the way: in `all` mode each one not held; in `any` mode all of
 * them when none is held, none otherwise. A requirement the facts do not cover counts as not held.
 */
export function missingPrerequisites(certificate: CertificateSettings, facts: readonly PrerequisiteFact[]): PrerequisiteFact[] {
  const required = certificate.requires ?? [];
  if (!required.length) return [];
  const byId = new Map(facts.map((f) => [f.certificateId, f]));
  const each = required.map((id) => byId.get(id) ?? { certificateId: id, name: id, held: false });
  const notHeld = each.filter((f) => !f.held);
  if ((certificate.requires_mode ?? 'all') === 'any') return notHeld.length === each.length ? notHeld : [];
  return notHeld;
}

/**
 * The expiry of a document whose validity runs from `from` (YYYY-MM-DD: the achievement date, else the
 * issue date), when the certificate has a validity.
 */
export function expiryDate(from: string, certificate: CertificateSettings): string | null {
  if (certificate.validity_days === undefined) return null;
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + certificate.validity_days);
  return d.toISOString().slice(0, 10);
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function formatNumber(n: number, locale: string): string {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })));
  return f.format(n);
}

function formatDate(isoDate: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}
