import { issueByCode } from '../../storage/repositories/issues';
import { messageById, messagesOfIssue, requeueMessage } from '../../storage/repositories/notifications';
import type { MailMessageTable } from '../../storage/schema-notifications';
import { codeKey } from '../codes';
import { iso, recordAudit, requireCapability, type Actor, type Services } from '../context';
import { DomainError, notFound } from '../errors';

/** What a manager sees of each message of a document: to whom, its status, the SMTP server's answer. */
export interface MailMessage {
  id: string;
  kind: 'learner' | 'teacher' | 'other' | 'reminder' | 'manager-reminder';
  recipient: string;
  status: 'queued' | 'sent' | 'deferred' | 'failed';
  attempts: number;
  smtpResponse: string | null;
  error: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const view = (row: MailMessageTable): MailMessage => ({
  id: row.id,
  kind: row.kind as MailMessage['kind'],
  recipient: row.recipient,
  status: row.status as MailMessage['status'],
  attempts: row.attempts,
  smtpResponse: row.smtp_response,
  error: row.error,
  nextAttemptAt: row.status === 'queued' || row.status === 'deferred' ? row.next_attempt_at : null,
  sentAt: row.sent_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function issueMail(services: Services, actor: Actor, code: string): Promise<MailMessage[]> {
  requireCapability(actor, 'issues:manage');
  const db = services.storage.db;
  const key = codeKey(code);
  const issue = key ? await issueByCode(db, actor.tenantId, key) : undefined;
  if (!issue) throw notFound('The document', 'ISSUE_NOT_FOUND');
  return (await messagesOfIssue(db, issue.id)).map(view);
}

/** Sends a message again, now, with a fresh retry budget (a failed one, a deferred one, or one that went). */
export async function resendMessage(services: Services, actor: Actor, id: string): Promise<MailMessage> {
  requireCapability(actor, 'issues:manage');
  const db = services.storage.db;
  const at = iso(services.now());
  const row = await messageById(db, actor.tenantId, id);
  if (!row) throw notFound('The message', 'MAIL_MESSAGE_NOT_FOUND');
  if (!(await requeueMessage(db, id, at)))
    throw new DomainError('conflict', 'MAIL_MESSAGE_IN_PROGRESS', 'The message is being sent right now; look again in a moment.');
  await recordAudit(db, { tenantId: actor.tenantId, subjectType: 'mail-message', subjectId: id, action: 'resent', actor, at });
  const after = await messageById(db, actor.tenantId, id);
  return view(after ?? row);
}
