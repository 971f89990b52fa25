import type { Db } from '../../storage/db';
import type { IssueTable } from '../../storage/schema';
import type { IssueEventTable } from '../../storage/schema-notifications';
import { endpointsOf, insertEvents, insertSends, issuesByIds } from '../../storage/repositories/notifications';
import { recordAudit, type AuditInput } from '../context';
import { newId } from '../ids';
import { queueIssueMail } from '../mail/queue';
import { ISSUE_EVENTS, type IssueEvent } from '../settings';

/**
 * The one place an issue's change becomes a notification. Every change the domain records of an issue
 * goes through `recordIssueChange`, in the transaction that makes it: the audit entry, an `issue_events`
 * row (the outbox) for the changes receivers hear of, and the work they cause (a webhook send per
 * subscribed receiver, the mail of the document or the award). A change that rolls back notifies nobody;
 * one that commits cannot be forgotten by a process that stops just after.
 */
export { ISSUE_EVENTS, type IssueEvent };
const isIssueEvent = (action: string): action is IssueEvent => (ISSUE_EVENTS as readonly string[]).includes(action);

/** What a receiver is told of the issue: its state when the event happened, never its learner data. */
export interface IssuePayload {
  code: string;
  certificate_id: string;
  learner_id: string;
  state: string;
  locked: boolean;
  revision: number;
  issued_on: string;
  expires_on: string | null;
  /** A re-issue (recertification): the code of the older document this one superseded. Absent otherwise. */
  supersedes?: string;
}

export function issuePayload(row: IssueTable, supersedesCode?: string): IssuePayload {
  return {
    code: row.code,
    certificate_id: row.certificate_id,
    learner_id: row.learner_id,
    state: row.state,
    locked: row.locked === 1,
    revision: row.revision,
    issued_on: row.issued_on,
    expires_on: row.expires_on,
    ...(supersedesCode ? { supersedes: supersedesCode } : {}),
  };
}

export async function recordIssueChange(trx: Db, entries: AuditInput | AuditInput[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  await recordAudit(trx, list);
  await emitIssueEvents(
    trx,
    list.flatMap((e) => (e.subjectType === 'issue' && isIssueEvent(e.action) ? [{ issueId: e.subjectId, event: e.action, at: e.at }] : [])),
  );
}

export interface EventInput {
  issueId: string;
  event: IssueEvent;
  at: string;
  /** Set for events found rather than made (an expiry): the same key is emitted once. */
  onceKey?: string;
}

/** Writes the events and their work in the caller's transaction. The issue rows are read as they are now, inside it. */
export async function emitIssueEvents(trx: Db, inputs: readonly EventInput[]): Promise<void> {
  if (!inputs.length) return;
  const issues = new Map((await issuesByIds(trx, [...new Set(inputs.map((i) => i.issueId))])).map((r) => [r.id, r]));
  const olderIds = [...new Set([...issues.values()].flatMap((r) => (r.supersedes ? [r.supersedes] : [])))];
  const olderCodes = new Map(olderIds.length ? (await issuesByIds(trx, olderIds)).map((r) => [r.id, r.code]) : []);
  const rows: { event: IssueEventTable; issue: IssueTable }[] = [];
  for (const input of inputs) {
    const issue = issues.get(input.issueId);
    if (!issue) continue;
    rows.push({
      issue,
      event: {
        id: newId(),
        tenant_id: issue.tenant_id,
        issue_id: issue.id,
        event: input.event,
        at: input.at,
        payload: JSON.stringify(issuePayload(issue, issue.supersedes ? olderCodes.get(issue.supersedes) : undefined)),
        once_key: input.onceKey ?? null,
      },
    });
  }
  const made = await insertEvents(
    trx,
    rows.map((r) => r.event),
  );
  const fresh = rows.filter((r) => made.has(r.event.id));
  const endpoints = new Map<string, Awaited<ReturnType<typeof endpointsOf>>>();
  for (const { event } of fresh) {
    if (!endpoints.has(event.tenant_id)) endpoints.set(event.tenant_id, await endpointsOf(trx, event.tenant_id));
    const subscribed = (endpoints.get(event.tenant_id) ?? []).filter((e) => (JSON.parse(e.events) as string[]).includes(event.event));
    await insertSends(
      trx,
      subscribed.map((e) => ({
        id: newId(),
        tenant_id: event.tenant_id,
        endpoint_id: e.id,
        event_id: event.id,
        event: event.event,
        status: 'pending',
        attempts: 0,
        replayed_after: 0,
        next_attempt_at: event.at,
        lease_until: null,
        delivered_at: null,
        created_at: event.at,
      })),
    );
  }
  await queueIssueMail(trx, fresh);
}
