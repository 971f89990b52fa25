import type { Db } from '../db';
import type { IssueTable } from '../schema';
import type {
  CertificateMailTable,
  IssueEventTable,
  MailMessageTable,
  TenantMailTable,
  WebhookAttemptTable,
  WebhookEndpointTable,
  WebhookSendTable,
} from '../schema-notifications';

/** Notifications out (migration 011): receivers, the outbox of issue events, webhook sends and mail messages. */

export async function insertEndpoint(db: Db, row: WebhookEndpointTable): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

export const endpointsOf = (db: Db, tenantId: string): Promise<WebhookEndpointTable[]> =>
  db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();

export const endpointById = (db: Db, tenantId: string, id: string): Promise<WebhookEndpointTable | undefined> =>
  db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export async function deleteEndpoint(db: Db, tenantId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('webhook_endpoints').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export const issuesByIds = (db: Db, ids: readonly string[]): Promise<IssueTable[]> =>
  ids.length
    ? db
        .selectFrom('issues')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute()
    : Promise.resolve([]);

/** Inserts events; one whose `once_key` is already known is left out. Answers the ids inserted. */
export async function insertEvents(db: Db, rows: readonly IssueEventTable[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const row of rows) {
    const r = await db
      .insertInto('issue_events')
      .values(row)
      .onConflict((oc) => oc.column('once_key').doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) out.add(row.id);
  }
  return out;
}

export const eventById = (db: Db, id: string): Promise<IssueEventTable | undefined> =>
  db.selectFrom('issue_events').selectAll().where('id', '=', id).executeTakeFirst();

export async function tenantSlug(db: Db, tenantId: string): Promise<string | undefined> {
  return (await db.selectFrom('tenants').select('slug').where('id', '=', tenantId).executeTakeFirst())?.slug;
}

/** The code of the issue an event is about, while the issue exists. */
export async function eventIssueCode(db: Db, eventId: string): Promise<string | null> {
  const r = await db
    .selectFrom('issue_events')
    .innerJoin('issues', 'issues.id', 'issue_events.issue_id')
    .select('issues.code')
    .where('issue_events.id', '=', eventId)
    .executeTakeFirst();
  return r?.code ?? null;
}

export async function insertSends(db: Db, rows: readonly WebhookSendTable[]): Promise<void> {
  if (rows.length)
    await db
      .insertInto('webhook_sends')
      .values([...rows])
      .execute();
}

/** Sends whose time has come and that no worker holds, oldest first. */
export const dueSends = (db: Db, now: string, limit: number, tenantIds?: readonly string[]): Promise<WebhookSendTable[]> =>
  db
    .selectFrom('webhook_sends')
    .selectAll()
    .$if(tenantIds !== undefined, (q) => q.where('tenant_id', 'in', tenantIds!.length ? [...tenantIds!] : ['']))
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();

/**
 * Takes a send for one attempt: conditional, so of two workers (or processes) that saw it due, one gets
 * it. Answers the attempt's number, or undefined when another worker took it first.
 */
export async function claimSend(db: Db, id: string, now: string, leaseUntil: string): Promise<number | undefined> {
  const r = await db
    .updateTable('webhook_sends')
    .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .returning('attempts')
    .executeTakeFirst();
  return r?.attempts;
}

/** Records the outcome of the attempt the lease was taken for; false when the lease was lost meanwhile. */
export async function finishSend(
  db: Db,
  id: string,
  lease: string,
  change: Pick<WebhookSendTable, 'status' | 'next_attempt_at' | 'delivered_at'>,
): Promise<boolean> {
  const r = await db
    .updateTable('webhook_sends')
    .set({ ...change, lease_until: null })
    .where('id', '=', id)
    .where('lease_until', '=', lease)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertAttempt(db: Db, row: WebhookAttemptTable): Promise<void> {
  await db.insertInto('webhook_attempts').values(row).execute();
}

export const sendById = (db: Db, tenantId: string, id: string): Promise<WebhookSendTable | undefined> =>
  db.selectFrom('webhook_sends').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const sendsOfEndpoint = (db: Db, endpointId: string, limit: number): Promise<(WebhookSendTable & { code: string | null })[]> =>
  db
    .selectFrom('webhook_sends')
    .innerJoin('issue_events', 'issue_events.id', 'webhook_sends.event_id')
    .leftJoin('issues', 'issues.id', 'issue_events.issue_id')
    .selectAll('webhook_sends')
    .select('issues.code')
    .where('webhook_sends.endpoint_id', '=', endpointId)
    .orderBy('webhook_sends.created_at', 'desc')
    .orderBy('webhook_sends.id')
    .limit(limit)
    .execute();

export const attemptsOf = (db: Db, sendId: string): Promise<WebhookAttemptTable[]> =>
  db.selectFrom('webhook_attempts').selectAll().where('send_id', '=', sendId).orderBy('number').execute();

/** Puts a send that gave up back on the queue, due now, with a fresh retry budget. */
export async function replaySend(db: Db, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('webhook_sends')
    .set((eb) => ({ status: 'pending', next_attempt_at: now, replayed_after: eb.ref('attempts') }))
    .where('id', '=', id)
    .where('status', '!=', 'delivered')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Issues past their expiry date with no expiry event yet (revoked ones are not "expired"). */
export const newlyExpired = (db: Db, today: string, limit: number, tenantIds?: readonly string[]): Promise<IssueTable[]> =>
  db
    .selectFrom('issues')
    .selectAll()
    .$if(tenantIds !== undefined, (q) => q.where('tenant_id', 'in', tenantIds!.length ? [...tenantIds!] : ['']))
    .where('state', '!=', 'revoked')
    // A document a re-issue superseded is not the learner's any more: its expiry is no news (migration 014).
    .where('superseded_by', 'is', null)
    .where('expires_on', 'is not', null)
    .where('expires_on', '<', today)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('issue_events')
            .select('issue_events.id')
            .whereRef('issue_events.issue_id', '=', 'issues.id')
            .where('issue_events.event', '=', 'expired'),
        ),
      ),
    )
    .orderBy('id')
    .limit(limit)
    .execute();

// Mail ---------------------------------------------------------------------------------------------

export const tenantMail = (db: Db, tenantId: string): Promise<TenantMailTable | undefined> =>
  db.selectFrom('tenant_mail').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();

export async function saveTenantMail(db: Db, row: TenantMailTable): Promise<void> {
  const { tenant_id: _id, ...rest } = row;
  await db
    .insertInto('tenant_mail')
    .values(row)
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(rest))
    .execute();
}

export async function insertMessages(db: Db, rows: readonly MailMessageTable[]): Promise<void> {
  for (const row of rows)
    await db
      .insertInto('mail_messages')
      .values(row)
      .onConflict((oc) => oc.columns(['event_id', 'kind', 'recipient']).doNothing())
      .execute();
}

/** Whether the learner's document went (or is going) by mail already: an unlock after a sent mail sends none. */
export async function learnerMailed(db: Db, issueId: string): Promise<boolean> {
  const r = await db
    .selectFrom('mail_messages')
    .select('id')
    .where('issue_id', '=', issueId)
    .where('kind', '=', 'learner')
    .where('status', '!=', 'failed')
    .executeTakeFirst();
  return r !== undefined;
}

export const dueMessages = (db: Db, now: string, limit: number, tenantIds?: readonly string[]): Promise<MailMessageTable[]> =>
  db
    .selectFrom('mail_messages')
    .selectAll()
    .$if(tenantIds !== undefined, (q) => q.where('tenant_id', 'in', tenantIds!.length ? [...tenantIds!] : ['']))
    .where('status', 'in', ['queued', 'deferred'])
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();

export async function claimMessage(db: Db, id: string, now: string, leaseUntil: string): Promise<number | undefined> {
  const r = await db
    .updateTable('mail_messages')
    .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'deferred'])
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .returning('attempts')
    .executeTakeFirst();
  return r?.attempts;
}

export async function finishMessage(
  db: Db,
  id: string,
  lease: string,
  change: Partial<
    Pick<MailMessageTable, 'status' | 'next_attempt_at' | 'smtp_response' | 'error' | 'message_id' | 'sent_at' | 'updated_at'>
  >,
): Promise<boolean> {
  const r = await db
    .updateTable('mail_messages')
    .set({ ...change, lease_until: null })
    .where('id', '=', id)
    .where('lease_until', '=', lease)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export const messageById = (db: Db, tenantId: string, id: string): Promise<MailMessageTable | undefined> =>
  db.selectFrom('mail_messages').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const messagesOfIssue = (db: Db, issueId: string): Promise<MailMessageTable[]> =>
  db
    .selectFrom('mail_messages')
    .selectAll()
    .where('issue_id', '=', issueId)
    .orderBy('created_at')
    .orderBy('kind')
    .orderBy('recipient')
    .execute();

/** Queues a message again (a resend by hand): due now, with a fresh retry budget; not while a worker holds it. */
export async function requeueMessage(db: Db, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('mail_messages')
    .set((eb) => ({ status: 'queued', next_attempt_at: now, replayed_after: eb.ref('attempts'), updated_at: now }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export const certificateMail = (db: Db, certificateId: string): Promise<CertificateMailTable | undefined> =>
  db.selectFrom('certificate_mail').selectAll().where('certificate_id', '=', certificateId).executeTakeFirst();

export async function saveCertificateMail(db: Db, row: CertificateMailTable): Promise<void> {
  await db
    .insertInto('certificate_mail')
    .values(row)
    .onConflict((oc) => oc.column('certificate_id').doUpdateSet({ settings: row.settings, updated_at: row.updated_at }))
    .execute();
}

export const certificateRowOf = (db: Db, id: string): Promise<{ id: string; tenant_id: string; name: string } | undefined> =>
  db.selectFrom('certificates').select(['id', 'tenant_id', 'name']).where('id', '=', id).executeTakeFirst();

// The queue at a glance (attest notifications status) ---------------------------------------------

export interface QueueCounts {
  /** Rows by status. */
  byStatus: Record<string, number>;
  /** The earliest next attempt of a row still to send (pending webhooks; queued or deferred mail), or null. */
  oldestDue: string | null;
}

export async function webhookQueueCounts(db: Db, tenantId: string): Promise<QueueCounts> {
  const rows = await db
    .selectFrom('webhook_sends')
    .select(['status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('tenant_id', '=', tenantId)
    .groupBy('status')
    .execute();
  const due = await db
    .selectFrom('webhook_sends')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return {
    byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
    oldestDue: (due?.at as string | null | undefined) ?? null,
  };
}

export async function mailQueueCounts(db: Db, tenantId: string): Promise<QueueCounts> {
  const rows = await db
    .selectFrom('mail_messages')
    .select(['status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('tenant_id', '=', tenantId)
    .groupBy('status')
    .execute();
  const due = await db
    .selectFrom('mail_messages')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('tenant_id', '=', tenantId)
    .where('status', 'in', ['queued', 'deferred'])
    .executeTakeFirst();
  return {
    byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
    oldestDue: (due?.at as string | null | undefined) ?? null,
  };
}

/** The tenant a delivery or a message belongs to, for the operator who names it by id alone. */
export async function sendTenant(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('webhook_sends').select('tenant_id').where('id', '=', id).executeTakeFirst())?.tenant_id;
}
export async function messageTenant(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('mail_messages').select('tenant_id').where('id', '=', id).executeTakeFirst())?.tenant_id;
}
