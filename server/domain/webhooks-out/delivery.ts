import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { inTransaction } from '../../storage/db';
import type { WebhookSendTable } from '../../storage/schema-notifications';
import {
  claimSend,
  dueSends,
  endpointById,
  eventById,
  finishSend,
  insertAttempt,
  newlyExpired,
  tenantSlug,
} from '../../storage/repositories/notifications';
import { iso, isoDay, type Services } from '../context';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../webhook-signature';
import { emitIssueEvents, type IssuePayload } from './outbox';
import { guardedLookup, receiverUrlProblem } from './receivers';

/**
 * Sending webhooks: each due send is taken under a lease, posted once, its attempt recorded (status,
 * error, duration, the start of the answer), then marked delivered on a 2xx or put back with a delay that
 * doubles each time, until the attempts run out. The lease and the conditional updates make a send go to
 * one worker at a time, across processes; a 2xx is final. A process that dies between the receiver's 2xx
 * and recording it sends the delivery again when the lease runs out: receivers dedupe by delivery id.
 */
export interface RetryPolicy {
  /** Delay after the first failure; each next one doubles. Default one minute. */
  firstDelayMs: number;
  /** Attempts before giving up (status failed; a manager may replay). Default 10: about 8 hours. */
  maxAttempts: number;
  /** Longest delay between two attempts. Default 4 hours. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 60_000, maxAttempts: 10, maxDelayMs: 4 * 3600_000 };

export interface SendOptions {
  retry?: Partial<RetryPolicy>;
  /** An attempt waits this long for the receiver's answer. Default 10 s. */
  timeoutMs?: number;
  /** How long a taken send stays taken (longer than an attempt). Default 2 minutes. */
  leaseMs?: number;
  /** Sends taken per look. Default 20. */
  batch?: number;
  /** Only these tenants' sends (the operator's `attest notifications run --tenant`); every tenant's otherwise. */
  tenantIds?: readonly string[];
}

export const SNIPPET_BYTES = 500;
/** An answer body is read no further than this: a receiver cannot make us hold a large answer. */
const MAX_READ = 64 * 1024;

export function retryDelay(policy: RetryPolicy, attemptsInBudget: number): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attemptsInBudget - 1));
}

export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  snippet: string | null;
  durationMs: number;
}

/** One POST, with no redirects followed, through the guarded lookup (see receivers.ts). */
export function postOnce(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<AttemptOutcome> {
  const started = performance.now();
  const done = (o: Omit<AttemptOutcome, 'durationMs'>): AttemptOutcome => ({ ...o, durationMs: Math.round(performance.now() - started) });
  return new Promise((resolve) => {
    const problem = receiverUrlProblem(url);
    if (problem) return resolve(done({ statusCode: null, error: `${problem}: refused before connecting.`, snippet: null }));
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    const req = lib.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Attest-Webhooks/1',
        },
        lookup: guardedLookup(),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_READ) chunks.push(c);
          else res.destroy();
        });
        const finish = () =>
          resolve(
            done({
              statusCode: res.statusCode ?? null,
              error: null,
              snippet: Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8') || null,
            }),
          );
        res.on('end', finish);
        res.on('close', finish);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${timeoutMs} ms.`)));
    req.on('error', (e: Error & { code?: string }) =>
      resolve(done({ statusCode: null, error: e.code ? `${e.code}: ${e.message}` : e.message, snippet: null })),
    );
    req.end(body);
  });
}

/** The JSON a receiver gets: the delivery id (the same on every attempt), the event, the issue as the event saw it. */
export function deliveryBody(send: WebhookSendTable, event: { at: string; payload: string }, tenantSlug: string): string {
  return JSON.stringify({
    id: send.id,
    event: send.event,
    occurred_at: event.at,
    tenant: tenantSlug,
    issue: JSON.parse(event.payload) as IssuePayload,
  });
}

/** Sends everything due now (by the services' clock). Answers how many attempts were made. */
export async function sendDueWebhooks(services: Services, options: SendOptions = {}): Promise<number> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const db = services.storage.db;
  const now = services.now();
  const due = await dueSends(db, iso(now), options.batch ?? 20, options.tenantIds);
  let made = 0;
  await Promise.all(
    due.map(async (send) => {
      const lease = iso(new Date(now.getTime() + (options.leaseMs ?? 120_000)));
      const number = await claimSend(db, send.id, iso(now), lease);
      if (number === undefined) return;
      made++;
      const endpoint = await endpointById(db, send.tenant_id, send.endpoint_id);
      const event = await eventById(db, send.event_id);
      const tenant = await tenantSlug(db, send.tenant_id);
      if (!endpoint || !event || !tenant) return;
      const body = deliveryBody(send, event, tenant);
      const ts = Math.floor(services.now().getTime() / 1000);
      const startedAt = iso(services.now());
      const outcome = await postOnce(
        endpoint.url,
        {
          [SIGNATURE_HEADER]: signWebhook(endpoint.secret, ts, body),
          [TIMESTAMP_HEADER]: String(ts),
          [DELIVERY_HEADER]: send.id,
          [EVENT_HEADER]: send.event,
        },
        body,
        options.timeoutMs ?? 10_000,
      );
      const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
      const inBudget = number - send.replayed_after;
      const after = services.now();
      await inTransaction(db, async (trx) => {
        await insertAttempt(trx, {
          send_id: send.id,
          number,
          started_at: startedAt,
          duration_ms: outcome.durationMs,
          status_code: outcome.statusCode,
          error: outcome.error ?? (ok ? null : `The receiver answered ${outcome.statusCode}.`),
          response_snippet: outcome.snippet,
        });
        await finishSend(
          trx,
          send.id,
          lease,
          ok
            ? { status: 'delivered', delivered_at: iso(after), next_attempt_at: send.next_attempt_at }
            : inBudget >= policy.maxAttempts
              ? { status: 'failed', delivered_at: null, next_attempt_at: send.next_attempt_at }
              : { status: 'pending', delivered_at: null, next_attempt_at: iso(new Date(after.getTime() + retryDelay(policy, inBudget))) },
        );
      });
    }),
  );
  return made;
}

/**
 * Expiry is not a change anyone makes: it is found. Each issue past its expiry date gets one 'expired'
 * event; the key makes two workers finding it at once emit it once.
 */
export async function emitExpirations(services: Services, batch = 200, tenantIds?: readonly string[]): Promise<number> {
  const db = services.storage.db;
  const today = isoDay(services.now());
  const rows = await newlyExpired(db, today, batch, tenantIds);
  if (!rows.length) return 0;
  const at = iso(services.now());
  await inTransaction(db, (trx) =>
    emitIssueEvents(
      trx,
      rows.map((r) => ({ issueId: r.id, event: 'expired' as const, at, onceKey: `expired:${r.id}` })),
    ),
  );
  return rows.length;
}
