import { sql, type Kysely } from 'kysely';
import { inTransaction, type Db } from './db';
import type { Engine } from './database';
import type { Database } from './schema';

/**
 * Group commit: the transactions of concurrent requests (new documents whose renders ended together) run
 * one after the other inside a single SQLite transaction, each in its own savepoint. SQLite has one
 * connection and runs one transaction at a time anyway; what is saved is a BEGIN and a COMMIT per document
 * and, above all, the pages they share (the issues' and audit's B-tree leaves and indexes) written once to
 * the WAL instead of once per document.
 *
 * Nothing is weaker than one transaction each: a work that fails is rolled back to its savepoint, alone,
 * and its caller gets its own error; every caller's promise settles only after the COMMIT, so no answer
 * speaks of a row that is not durable yet; and if the group as a whole fails (the COMMIT, or an error after
 * which SQLite rolled back the whole transaction, such as a full disk), each work that had not failed by
 * itself runs again in a transaction of its own, so a neighbour never fails it. A work must therefore
 * touch nothing outside the transaction it is given except what it may do twice.
 *
 * PostgreSQL, where concurrent transactions run on connections of their own, keeps one transaction each.
 */
interface Waiting {
  work: (trx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** More would keep the first of a group waiting for the last one's statements. */
const MOST_IN_GROUP = 32;

const groups = new WeakMap<Kysely<Database>, Waiting[]>();

export function inGroupTransaction<T>(storage: { db: Kysely<Database>; engine: Engine }, work: (trx: Db) => Promise<T>): Promise<T> {
  const { db } = storage;
  if (storage.engine !== 'sqlite') return inTransaction(db, work);
  return new Promise<T>((resolve, reject) => {
    let queue = groups.get(db);
    if (!queue) {
      queue = [];
      groups.set(db, queue);
    }
    queue.push({ work, resolve: (value) => resolve(value as T), reject });
    // The first of a group waits one turn of the event loop for the others (renders answered together).
    if (queue.length === 1) setImmediate(() => void flush(db));
  });
}

async function flush(db: Kysely<Database>): Promise<void> {
  const queue = groups.get(db) ?? [];
  const group = queue.splice(0, MOST_IN_GROUP);
  if (queue.length) setImmediate(() => void flush(db));
  if (!group.length) return;
  if (group.length === 1) {
    const [only] = group;
    return inTransaction(db, only!.work).then(only!.resolve, only!.reject);
  }
  const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
  try {
    await inTransaction(db, async (trx) => {
      for (const waiting of group) {
        await sql`savepoint attest_group`.execute(trx);
        try {
          const value = await waiting.work(trx);
          await sql`release savepoint attest_group`.execute(trx);
          outcomes.push({ ok: true, value });
        } catch (error) {
          // When SQLite has rolled the whole transaction back (a full disk), this throws: the group fails.
          await sql`rollback to savepoint attest_group`.execute(trx);
          await sql`release savepoint attest_group`.execute(trx);
          outcomes.push({ ok: false, error });
        }
      }
    });
  } catch {
    // Nothing of the group was committed: each work that did not fail by itself runs alone.
    for (const [i, waiting] of group.entries()) {
      const outcome = outcomes[i];
      if (outcome && !outcome.ok) waiting.reject(outcome.error);
      else await inTransaction(db, waiting.work).then(waiting.resolve, waiting.reject);
    }
    return;
  }
  for (const [i, waiting] of group.entries()) {
    const outcome = outcomes[i]!;
    if (outcome.ok) waiting.resolve(outcome.value);
    else waiting.reject(outcome.error);
  }
}
