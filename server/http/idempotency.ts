import { iso, type Services } from '../domain/context';
import { DomainError } from '../domain/errors';
import type { Reply } from './operation';
import type { IdempotencyTable } from '../storage/schema';
import { claimKey, deleteAnswersBefore, forgetAnswerBefore, keepAnswer, keptAnswer, releaseKey } from '../storage/repositories/idempotency';

/**
 * `Idempotency-Key`: the first request with a key runs, later ones with the same key get its answer. A key
 * belongs to the tenant, the caller and the operation of its first request, and to that request's exact
 * content: the same key from another caller, for another operation or with another body is refused — and
 * refused before waiting for a first request still running, so nobody ever receives someone else's answer.
 * Answers are kept for a while (`ttlHours`), then forgotten and pruned.
 */
const WAIT_MS = 15_000;
export const IDEMPOTENCY_TTL_HOURS = 24;

export interface IdempotentRequest {
  tenantId: string;
  /** 'person:<id>' or 'token:<id>'. */
  caller: string;
  operation: string;
  key: string;
  /** SHA-256 of what the request asks (path and body). */
  fingerprint: string;
  ttlHours?: number;
}

interface Running {
  caller: string;
  operation: string;
  fingerprint: string;
  answer: Promise<Reply>;
}

const running = new Map<string, Running>();

const reused = () =>
  new DomainError(
    'invalid',
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was used for a different request (another body, operation or caller); use a new key.',
  );

function sameRequest(a: { caller: string; operation: string; fingerprint: string }, b: IdempotentRequest): boolean {
  return a.caller === b.caller && a.operation === b.operation && a.fingerprint === b.fingerprint;
}

export async function withIdempotency(services: Services, request: IdempotentRequest, run: () => Promise<Reply>): Promise<Reply> {
  const { tenantId, key } = request;
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw new DomainError('invalid', 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key is 1 to 200 visible ASCII characters.');
  const slot = `${tenantId}:${key}`;
  const local = running.get(slot);
  if (local) {
    if (!sameRequest(local, request)) throw reused();
    return local.answer.then(stored);
  }
  const db = services.storage.db;
  const claim = () =>
    claimKey(db, {
      tenant_id: tenantId,
      key,
      caller: request.caller,
      operation: request.operation,
      fingerprint: request.fingerprint,
      status: null,
      response: null,
      created_at: iso(services.now()),
    });
  let claimed = await claim();
  if (!claimed && (await forgetExpired(services, request))) claimed = await claim();
  if (!claimed) return replay(services, request);
  const answer = (async () => {
    try {
      const reply = await run();
      if (reply.bytes || reply.html !== undefined) {
        await releaseKey(db, tenantId, key);
        return reply;
      }
      await keepAnswer(db, tenantId, key, reply.status ?? 200, JSON.stringify(reply.json ?? null));
      return reply;
    } catch (e) {
      // A refusal is an answer too: the same request again gets the same refusal.
      if (e instanceof DomainError && e.kind !== 'busy') {
        await keepAnswer(db, tenantId, key, -1, JSON.stringify({ kind: e.kind, code: e.code, message: e.message, extra: e.extra }));
      } else await releaseKey(db, tenantId, key);
      throw e;
    } finally {
      running.delete(slot);
    }
  })();
  running.set(slot, { caller: request.caller, operation: request.operation, fingerprint: request.fingerprint, answer });
  return answer;
}

const expiredBefore = (services: Services, ttlHours = IDEMPOTENCY_TTL_HOURS): string =>
  iso(new Date(services.now().getTime() - ttlHours * 3600_000));

/** A finished answer older than the time to live is forgotten: the key may serve a new request. */
async function forgetExpired(services: Services, request: IdempotentRequest): Promise<boolean> {
  return forgetAnswerBefore(services.storage.db, request.tenantId, request.key, expiredBefore(services, request.ttlHours));
}

/** Removes every answer older than the time to live; returns how many. */
export async function pruneIdempotency(services: Services, ttlHours = IDEMPOTENCY_TTL_HOURS): Promise<number> {
  return deleteAnswersBefore(services.storage.db, expiredBefore(services, ttlHours));
}

function stored(r: Reply): Reply {
  return { ...r, headers: { ...r.headers, 'Idempotent-Replayed': 'true' } };
}

/** What a later request with a key gets from the row its first request left: plain, so tested without a database. */
export type KeptDecision =
  { kind: 'retry' } | { kind: 'reused' } | { kind: 'refusal'; error: DomainError } | { kind: 'answer'; reply: Reply } | { kind: 'running' };

export function keptDecision(
  row: Pick<IdempotencyTable, 'caller' | 'operation' | 'fingerprint' | 'status' | 'response'> | undefined,
  request: IdempotentRequest,
): KeptDecision {
  if (!row) return { kind: 'retry' };
  // Compared first: a request running elsewhere is waited for only by the same caller with the same request.
  if (!sameRequest(row, request)) return { kind: 'reused' };
  if (row.status === -1 && row.response) {
    const e = JSON.parse(row.response) as { kind: DomainError['kind']; code: string; message: string; extra: DomainError['extra'] };
    return { kind: 'refusal', error: new DomainError(e.kind, e.code, e.message, e.extra) };
  }
  if (row.status !== null)
    return { kind: 'answer', reply: stored({ status: row.status, json: JSON.parse(row.response ?? 'null') as unknown }) };
  return { kind: 'running' };
}

async function replay(services: Services, request: IdempotentRequest): Promise<Reply> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const decision = keptDecision(await keptAnswer(services.storage.db, request.tenantId, request.key), request);
    if (decision.kind === 'retry')
      throw new DomainError('conflict', 'IDEMPOTENCY_RETRY', 'The first request with this Idempotency-Key failed; send it again.');
    if (decision.kind === 'reused') throw reused();
    if (decision.kind === 'refusal') throw decision.error;
    if (decision.kind === 'answer') return decision.reply;
    if (Date.now() > deadline)
      throw new DomainError(
        'conflict',
        'IDEMPOTENCY_IN_PROGRESS',
        'A request with this Idempotency-Key is still running; try again shortly.',
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}
