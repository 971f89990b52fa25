import { iso, type Services } from '../domain/context';
import { DomainError } from '../domain/errors';
import type { Reply } from './operation';

/**
 * `Idempotency-Key`: the first request with a key runs, later ones with the same key get its answer; the
 * same key with a different request is refused. A request still running elsewhere is waited for, bounded.
 */
const WAIT_MS = 15_000;
const running = new Map<string, Promise<Reply>>();

export async function withIdempotency(services: Services, tenantId: string, key: string, fingerprint: string, run: () => Promise<Reply>): Promise<Reply> {
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new DomainError('invalid', 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key is 1 to 200 visible ASCII characters.');
  const local = running.get(`${tenantId}:${key}`);
  if (local) return local.then((r) => stored(r));
  const db = services.storage.db;
  const claim = await db
    .insertInto('idempotency')
    .values({ tenant_id: tenantId, key, fingerprint, status: null, response: null, created_at: iso(services.now()) })
    .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) return replay(services, tenantId, key, fingerprint);
  const p = (async () => {
    try {
      const reply = await run();
      if (reply.bytes || reply.html !== undefined) {
        await db.deleteFrom('idempotency').where('tenant_id', '=', tenantId).where('key', '=', key).execute();
        return reply;
      }
      await db.updateTable('idempotency').set({ status: reply.status ?? 200, response: JSON.stringify(reply.json ?? null) }).where('tenant_id', '=', tenantId).where('key', '=', key).execute();
      return reply;
    } catch (e) {
      // A refusal is an answer too: the same request again gets the same refusal.
      if (e instanceof DomainError && e.kind !== 'busy') {
        await db.updateTable('idempotency').set({ status: -1, response: JSON.stringify({ kind: e.kind, code: e.code, message: e.message, extra: e.extra }) }).where('tenant_id', '=', tenantId).where('key', '=', key).execute();
      } else await db.deleteFrom('idempotency').where('tenant_id', '=', tenantId).where('key', '=', key).execute();
      throw e;
    } finally {
      running.delete(`${tenantId}:${key}`);
    }
  })();
  running.set(`${tenantId}:${key}`, p);
  return p;
}

function stored(r: Reply): Reply {
  return { ...r, headers: { ...r.headers, 'Idempotent-Replayed': 'true' } };
}

async function replay(services: Services, tenantId: string, key: string, fingerprint: string): Promise<Reply> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const row = await services.storage.db.selectFrom('idempotency').selectAll().where('tenant_id', '=', tenantId).where('key', '=', key).executeTakeFirst();
    if (!row) throw new DomainError('conflict', 'IDEMPOTENCY_RETRY', 'The first request with this Idempotency-Key failed; send it again.');
    if (row.fingerprint !== fingerprint) throw new DomainError('invalid', 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request.');
    if (row.status === -1 && row.response) {
      const e = JSON.parse(row.response) as { kind: DomainError['kind']; code: string; message: string; extra: DomainError['extra'] };
      throw new DomainError(e.kind, e.code, e.message, e.extra);
    }
    if (row.status !== null) return stored({ status: row.status, json: JSON.parse(row.response ?? 'null') as unknown });
    if (Date.now() > deadline) throw new DomainError('conflict', 'IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still running; try again shortly.');
    await new Promise((r) => setTimeout(r, 50));
  }
}
