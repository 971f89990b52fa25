import { inTransaction } from '../storage/db';
import type { IssueTable } from '../storage/schema';
import type { MailMessageTable } from '../storage/schema-notifications';
import { insertEvents, insertMessages } from '../storage/repositories/notifications';
import { certificatesWithReminders, insertReminder, issuesDueForReminder } from '../storage/repositories/reminders';
import { iso, isoDay, type Services } from './context';
import { newId } from './ids';
import { learnerEmail } from './mail/queue';
import { CertificateSettings } from './settings';
import { issuePayload } from './webhooks-out/outbox';

/**
 * Expiry reminders (issue 15). A certificate says when its learners are told that a document expires
 * (`reminders: [{ days_before: 30 }, { days_before: 7 }]`) and whether their managers are told too
 * (`remind_managers`: the addresses the LMS sends as `learner.managers[].email`). Each round of the
 * notification queue (jobs/notifications.ts) finds, by the services' clock, the documents a reminder fell
 * due for and queues its mail: a message of kind `reminder` to the learner and `manager-reminder` to each
 * manager, sent, retried and shown like every other message (mail/send.ts), in the certificate's words
 * (`reminder`, `manager_reminder`) or the defaults.
 *
 * Once each: a row per (issue, offset) in `issue_reminders`, written in the transaction that queues the
 * mail, its primary key deciding between two processes (or a round after a restart). Only the learner's
 * current document is reminded: a revoked one, one superseded by a re-issue (renewed) or one already
 * expired gets none, and a reminder queued before that happened is dropped when it would be sent. When
 * several reminders fall due at once (a document issued 5 days before it expires, a server that was
 * stopped), only the nearest is sent; the others are recorded as skipped.
 */
export async function queueDueReminders(services: Services, tenantIds?: readonly string[], batch = 200): Promise<number> {
  const db = services.storage.db;
  const now = services.now();
  const today = isoDay(now);
  let queued = 0;
  for (const cert of await certificatesWithReminders(db)) {
    // The operator's `attest notifications run --tenant`: only those tenants' reminders.
    if (tenantIds && !tenantIds.includes(cert.tenant_id)) continue;
    const parsed = CertificateSettings.safeParse(JSON.parse(cert.settings));
    if (!parsed.success || !parsed.data.reminders?.length) continue;
    const settings = parsed.data;
    const offsets = [...new Set(settings.reminders!.map((r) => r.days_before))].sort((a, b) => a - b);
    // Each offset's candidates: documents expiring within it that have no row for it yet.
    const due = new Map<string, IssueTable>();
    for (const d of offsets)
      for (const row of await issuesDueForReminder(db, cert.id, today, addDays(today, d), d, batch)) due.set(row.id, row);
    for (const issue of due.values()) {
      const left = daysBetween(today, issue.expires_on!);
      const dueOffsets = offsets.filter((d) => left <= d);
      if (!dueOffsets.length) continue;
      const nearest = dueOffsets[0]!;
      const at = iso(now);
      const made = await inTransaction(db, async (trx) => {
        const event = {
          id: newId(),
          tenant_id: issue.tenant_id,
          issue_id: issue.id,
          event: 'reminder',
          at,
          payload: JSON.stringify({ ...issuePayload(issue), days_before: nearest }),
          once_key: `reminder:${issue.id}:${nearest}`,
        };
        let mine = false;
        for (const d of dueOffsets) {
          const inserted = await insertReminder(trx, {
            issue_id: issue.id,
            days_before: d,
            tenant_id: issue.tenant_id,
            outcome: d === nearest ? 'queued' : 'skipped',
            event_id: d === nearest ? event.id : null,
            at,
          });
          if (d === nearest) mine = inserted;
        }
        // Another process (or an earlier round) recorded it: its mail is queued there.
        if (!mine) return false;
        if (!(await insertEvents(trx, [event])).has(event.id)) return false;
        const recipients: { kind: 'reminder' | 'manager-reminder'; to: string }[] = [];
        const learner = learnerEmail(issue);
        if (learner) recipients.push({ kind: 'reminder', to: learner });
        if (settings.remind_managers)
          for (const m of managerEmails(issue)) if (m !== learner) recipients.push({ kind: 'manager-reminder', to: m });
        await insertMessages(
          trx,
          recipients.map(({ kind, to }) => messageRow(issue, event.id, kind, to, at)),
        );
        return true;
      });
      if (made) queued++;
    }
  }
  return queued;
}

function messageRow(issue: IssueTable, eventId: string, kind: string, recipient: string, at: string): MailMessageTable {
  return {
    id: newId(),
    tenant_id: issue.tenant_id,
    issue_id: issue.id,
    event_id: eventId,
    kind,
    recipient,
    status: 'queued',
    attempts: 0,
    replayed_after: 0,
    next_attempt_at: at,
    lease_until: null,
    smtp_response: null,
    error: null,
    message_id: null,
    sent_at: null,
    created_at: at,
    updated_at: at,
  };
}

/** The managers' addresses the LMS gave in the document's data (`learner.managers[].email`), each once. */
export function managerEmails(issue: Pick<IssueTable, 'data'>): string[] {
  const data = JSON.parse(issue.data) as { learner?: { managers?: unknown } };
  const managers = data.learner?.managers;
  if (!Array.isArray(managers)) return [];
  const out = new Set<string>();
  for (const m of managers.slice(0, 20)) {
    const email = typeof m === 'object' && m !== null ? (m as { email?: unknown }).email : undefined;
    if (typeof email === 'string' && /^[^\s@]+@[^\s@]+$/.test(email)) out.add(email.toLowerCase());
  }
  return [...out];
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
