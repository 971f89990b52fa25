import type { Db } from '../../storage/db';
import type { IssueTable } from '../../storage/schema';
import type { IssueEventTable, MailMessageTable } from '../../storage/schema-notifications';
import { certificateMail, insertMessages, learnerMailed } from '../../storage/repositories/notifications';
import { newId } from '../ids';
import { peopleHolding } from '../people';
import { readCertificateMail } from './certificate-mail';

/**
 * The mail an issue's change causes, queued in the change's transaction (webhooks-out/outbox.ts): the
 * document to the learner when it is issued unlocked, or later when it is unlocked (once: not again after
 * a mail that went or is going), and the notice of the award to the teachers and listed addresses when it
 * is issued, locked or not.
 */
export async function queueIssueMail(trx: Db, events: readonly { event: IssueEventTable; issue: IssueTable }[]): Promise<void> {
  for (const { event, issue } of events) {
    if (event.event !== 'issued' && event.event !== 'unlocked') continue;
    if (issue.state === 'revoked') continue;
    const settings = readCertificateMail((await certificateMail(trx, issue.certificate_id))?.settings);
    const rows: MailMessageTable[] = [];
    const row = (kind: 'learner' | 'teacher' | 'other', recipient: string): MailMessageTable => ({
      id: newId(),
      tenant_id: issue.tenant_id,
      issue_id: issue.id,
      event_id: event.id,
      kind,
      recipient,
      status: 'queued',
      attempts: 0,
      replayed_after: 0,
      next_attempt_at: event.at,
      lease_until: null,
      smtp_response: null,
      error: null,
      message_id: null,
      sent_at: null,
      created_at: event.at,
      updated_at: event.at,
    });
    const learner = learnerEmail(issue);
    if (settings.learner !== 'none' && learner && issue.locked === 0 && !(await learnerMailed(trx, issue.id)))
      rows.push(row('learner', learner));
    if (event.event === 'issued') {
      if (settings.teachers) {
        const teachers = await peopleHolding(trx, issue.tenant_id, ['certificate:printed-as-teacher']);
        for (const t of teachers) if (t.email && !t.disabled) rows.push(row('teacher', t.email));
      }
      for (const other of settings.others) rows.push(row('other', other));
    }
    await insertMessages(trx, rows);
  }
}

/** The learner's address as the LMS gave it in the document's data. */
export function learnerEmail(issue: Pick<IssueTable, 'data'>): string | undefined {
  const data = JSON.parse(issue.data) as { learner?: { email?: unknown } };
  const email = data.learner?.email;
  return typeof email === 'string' && /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined;
}
