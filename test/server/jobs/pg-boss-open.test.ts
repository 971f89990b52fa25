import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueue, type JobQueue } from '../../../server/jobs/queue';
import { QUEUE } from '../../../server/jobs/pg-boss';
import { openStorage, type Storage } from '../../../server/storage/database';
import { rawExecutor } from '../../../server/storage/db';
import { scratchDatabase, type ScratchDatabase } from '../../support/storage';

/**
 * Operators start two `attest regenerate` (or a server and a regenerate) on a new database at once. pg-boss's
 * `create_queue` of two processes may deadlock; the queue must still open in every one of them.
 */
describe('the pg-boss queue opened by several processes at once (postgres)', () => {
  const PROCESSES = 4;
  let scratch: ScratchDatabase;
  const storages: Storage[] = [];
  const queues: JobQueue[] = [];

  beforeAll(async () => {
    scratch = await scratchDatabase('postgres');
    // The first storage migrates Attest's tables; the others open the migrated database, each with its own pool.
    storages.push(await openStorage(scratch.url));
    for (let i = 1; i < PROCESSES; i++) storages.push(await openStorage(scratch.url));
  });
  afterAll(async () => {
    for (const q of queues) await q.close();
    for (const s of storages) await s.close();
    await scratch.drop();
  });

  it('opens in each, and the queue exists once', async () => {
    const services = storages.map((storage) => ({
      storage,
      renderer: { render: () => Promise.reject(new Error('not used')) } as never,
      now: () => new Date(),
      baseUrl: 'https://attest.test',
    }));
    const results = await Promise.allSettled(services.map((s) => openQueue(s)));
    for (const r of results) if (r.status === 'fulfilled') queues.push(r.value);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'open'))).toEqual(Array(PROCESSES).fill('open'));
    const rows = await rawExecutor(storages[0]!.db).executeSql('SELECT name FROM pgboss.queue WHERE name = $1', [QUEUE]);
    expect(rows.rows).toHaveLength(1);
  });
});
