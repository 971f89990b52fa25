import { actorRef, iso, recordAudit, requireCapability, type Actor, type Services } from '../context';
import { DomainError, invalid, notFound, type Problem } from '../errors';
import { newId, newSecret } from '../ids';
import { inTransaction } from '../../storage/db';
import type { WebhookAttemptTable, WebhookEndpointTable, WebhookSendTable } from '../../storage/schema-notifications';
import {
  attemptsOf,
  deleteEndpoint,
  endpointById,
  endpointsOf,
  eventIssueCode,
  insertEndpoint,
  replaySend,
  sendById,
  sendsOfEndpoint,
} from '../../storage/repositories/notifications';
import { ISSUE_EVENTS, type IssueEvent } from './outbox';
import { receiverUrlProblem, type AddressProblem } from './receivers';

/**
 * The receivers a tenant lists (the LMS, or anything else that wants to hear of its documents): what a
 * manager with tenant:manage configures, sees, and replays. The secret is shown once, when the receiver
 * is made: afterwards only the receiver knows it.
 */
export const MAX_ENDPOINTS = 20;

export interface Endpoint {
  id: string;
  url: string;
  events: IssueEvent[];
  description: string | null;
  createdAt: string;
  createdBy: string;
}

export interface Delivery {
  id: string;
  endpointId: string;
  event: string;
  issueCode: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface Attempt {
  number: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseSnippet: string | null;
}

const endpointView = (row: WebhookEndpointTable): Endpoint => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as IssueEvent[],
  description: row.description,
  createdAt: row.created_at,
  createdBy: row.created_by,
});

export const deliveryView = (row: WebhookSendTable, code: string | null): Delivery => ({
  id: row.id,
  endpointId: row.endpoint_id,
  event: row.event,
  issueCode: code,
  status: row.status as Delivery['status'],
  attempts: row.attempts,
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
  deliveredAt: row.delivered_at,
  createdAt: row.created_at,
});

const attemptView = (row: WebhookAttemptTable): Attempt => ({
  number: row.number,
  startedAt: row.started_at,
  durationMs: row.duration_ms,
  statusCode: row.status_code,
  error: row.error,
  responseSnippet: row.response_snippet,
});

const URL_MESSAGES: Record<AddressProblem, string> = {
  URL_INVALID: 'This is not a URL.',
  URL_SCHEME: 'A receiver is an http:// or https:// address.',
  URL_CREDENTIALS: 'A receiver URL carries no user name or password; receivers check the signature instead.',
  URL_PRIVATE:
    'This address is loopback, private or reserved: the server does not call it unless the installation allows private receivers.',
};

export async function createEndpoint(
  services: Services,
  actor: Actor,
  input: { url: string; events: readonly string[]; description?: string | undefined },
): Promise<{ endpoint: Endpoint; secret: string }> {
  requireCapability(actor, 'tenant:manage');
  const problems: Problem[] = [];
  const urlProblem = receiverUrlProblem(input.url);
  if (urlProblem) problems.push({ path: 'url', code: urlProblem, message: URL_MESSAGES[urlProblem] });
  input.events.forEach((e, i) => {
    if (!(ISSUE_EVENTS as readonly string[]).includes(e))
      problems.push({
        path: `events[${i}]`,
        code: 'EVENT_UNKNOWN',
        message: `Unknown event "${e}"; events are ${ISSUE_EVENTS.join(', ')}.`,
        params: { event: e },
      });
  });
  if (problems.length) throw invalid('RECEIVER_INVALID', 'The receiver cannot be saved; every problem is listed.', problems);
  const db = services.storage.db;
  const at = iso(services.now());
  const row: WebhookEndpointTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    url: input.url,
    events: JSON.stringify([...new Set(input.events)]),
    description: input.description ?? null,
    secret: `whsec_${newSecret()}`,
    created_by: actorRef(actor),
    created_at: at,
  };
  await inTransaction(db, async (trx) => {
    if ((await endpointsOf(trx, actor.tenantId)).length >= MAX_ENDPOINTS)
      throw new DomainError('conflict', 'RECEIVERS_TOO_MANY', `A tenant lists at most ${MAX_ENDPOINTS} receivers.`, {
        details: { max: MAX_ENDPOINTS },
      });
    await insertEndpoint(trx, row);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'webhook-endpoint',
      subjectId: row.id,
      action: 'created',
      actor,
      at,
      details: { url: row.url, events: JSON.parse(row.events) as unknown },
    });
  });
  return { endpoint: endpointView(row), secret: row.secret };
}

export async function listEndpoints(services: Services, actor: Actor): Promise<Endpoint[]> {
  requireCapability(actor, 'tenant:manage');
  return (await endpointsOf(services.storage.db, actor.tenantId)).map(endpointView);
}

export async function removeEndpoint(services: Services, actor: Actor, id: string): Promise<void> {
  requireCapability(actor, 'tenant:manage');
  const db = services.storage.db;
  await inTransaction(db, async (trx) => {
    if (!(await deleteEndpoint(trx, actor.tenantId, id))) throw notFound('The receiver', 'RECEIVER_NOT_FOUND');
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'webhook-endpoint',
      subjectId: id,
      action: 'deleted',
      actor,
      at: iso(services.now()),
    });
  });
}

export async function listDeliveries(services: Services, actor: Actor, endpointId: string, limit = 100): Promise<Delivery[]> {
  requireCapability(actor, 'tenant:manage');
  const db = services.storage.db;
  if (!(await endpointById(db, actor.tenantId, endpointId))) throw notFound('The receiver', 'RECEIVER_NOT_FOUND');
  return (await sendsOfEndpoint(db, endpointId, limit)).map((r) => deliveryView(r, r.code));
}

export async function getDelivery(services: Services, actor: Actor, id: string): Promise<Delivery & { attemptHistory: Attempt[] }> {
  requireCapability(actor, 'tenant:manage');
  const db = services.storage.db;
  const row = await sendById(db, actor.tenantId, id);
  if (!row) throw notFound('The delivery', 'DELIVERY_NOT_FOUND');
  return { ...deliveryView(row, await eventIssueCode(db, row.event_id)), attemptHistory: (await attemptsOf(db, id)).map(attemptView) };
}

/**
 * Sends a delivery again, now: one that gave up (with a fresh retry budget) or one still waiting for its
 * next attempt. Never one a receiver acknowledged with a 2xx: it has it.
 */
export async function replayDelivery(services: Services, actor: Actor, id: string): Promise<Delivery> {
  requireCapability(actor, 'tenant:manage');
  const db = services.storage.db;
  const at = iso(services.now());
  const row = await sendById(db, actor.tenantId, id);
  if (!row) throw notFound('The delivery', 'DELIVERY_NOT_FOUND');
  if (row.status === 'delivered') throw alreadyDelivered();
  if (!(await replaySend(db, id, at))) {
    const now = await sendById(db, actor.tenantId, id);
    if (now?.status === 'delivered') throw alreadyDelivered();
    throw new DomainError('conflict', 'DELIVERY_IN_PROGRESS', 'The delivery is being attempted right now; look again in a moment.');
  }
  await recordAudit(db, { tenantId: actor.tenantId, subjectType: 'webhook-delivery', subjectId: id, action: 'replayed', actor, at });
  const after = await sendById(db, actor.tenantId, id);
  return deliveryView(after ?? row, null);
}

const alreadyDelivered = () =>
  new DomainError('conflict', 'DELIVERY_ALREADY_ACKNOWLEDGED', 'The receiver answered 2xx to this delivery: it is not sent again.');
