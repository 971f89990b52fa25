import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../../server/storage/database';
import { inGroupTransaction } from '../../../server/storage/group-commit';
import type { Db } from '../../../server/storage/db';
import { requestDocument } from '../../../server/domain/issues';
import { freshServices, learnerData, scratchDatabase, setupTenant, useRenderPool, type ScratchDatabase } from '../../support/storage';

/**
 * Concurrent transactions committed as one (server/storage/group-commit.ts): each work in its savepoint,
 * its caller told only after the COMMIT, a failing work alone rolled back, a failed group retried one by one.
 */
describe('group commit (sqlite)', () => {
  let scratch: ScratchDatabase;
  let storage: Storage;
  beforeAll(async () => {
    scratch = await scratchDatabase('sqlite');
    storage = await openStorage(scratch.url);
    await sql`create table group_probe (id integer primary key, note text)`.execute(storage.db);
  });
  afterAll(async () => {
    await storage.close();
    await scratch.drop();
  });

  const ids = async () => (await sql<{ id: number }>`select id from group_probe order by id`.execute(storage.db)).rows.map((r) => r.id);
  const insert = (trx: Db, id: number) => sql`insert into group_probe (id, note) values (${id}, 'x')`.execute(trx);

  it('commits concurrent works together; one that fails loses only its own writes and gets its own error', async () => {
    const settled = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((id) =>
        inGroupTransaction(storage, async (trx) => {
          await insert(trx, id);
          if (id === 3) throw new Error('work 3 failed');
          return id * 10;
        }),
      ),
    );
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      10,
      20,
      'work 3 failed',
      40,
      50,
    ]);
    expect(await ids()).toEqual([1, 2, 4, 5]);
  });

  it('tells each caller only once its rows are committed', async () => {
    const seen = await Promise.all(
      [6, 7, 8].map((id) => inGroupTransaction(storage, (trx) => insert(trx, id)).then(async () => (await ids()).includes(id))),
    );
    expect(seen).toEqual([true, true, true]);
  });

  it('runs again alone each work of a group that could not commit, so a neighbour never fails it', async () => {
    await sql`delete from group_probe`.execute(storage.db);
    let attempts = 0;
    const settled = await Promise.allSettled([
      inGroupTransaction(storage, (trx) => insert(trx, 1)),
      // Ends the whole transaction under the group (what SQLite does itself on a full disk), then fails.
      inGroupTransaction(storage, async (trx) => {
        attempts++;
        await insert(trx, 2);
        await sql`rollback`.execute(trx);
        throw new Error('the transaction is gone');
      }),
      inGroupTransaction(storage, (trx) => insert(trx, 3)),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await ids()).toEqual([1, 3]);
    expect(attempts).toBe(2);
    // The connection is usable afterwards, in a group and alone.
    await Promise.all([inGroupTransaction(storage, (trx) => insert(trx, 4)), inGroupTransaction(storage, (trx) => insert(trx, 5))]);
    expect(await ids()).toEqual([1, 3, 4, 5]);
  });
});

describe('new documents issued together (sqlite)', () => {
  const pool = useRenderPool(2);

  it('each gets its own code and audit trail; asking twice at once still makes one', async () => {
    const s = await freshServices('sqlite', { pool: pool() });
    const fx = await setupTenant(s);
    const ask = (learnerId: string) =>
      requestDocument(s, fx.lms, { certificateId: fx.certificate.id, learnerId, data: learnerData(), available: true });
    const learners = Array.from({ length: 12 }, (_, i) => `together-${i}`);
    const answers = await Promise.all([...learners, ...learners.slice(0, 4)].map(ask));
    expect(answers.filter((a) => a.created)).toHaveLength(12);
    const codes = new Set(answers.map((a) => a.issue.code));
    expect(codes.size).toBe(12);
    const rows = await s.storage.db.selectFrom('issues').select(['id', 'code']).where('tenant_id', '=', fx.tenant.id).execute();
    expect(new Set(rows.map((r) => r.code))).toEqual(codes);
    const audit = await s.storage.db
      .selectFrom('audit')
      .select(['subject_id', 'action'])
      .where('tenant_id', '=', fx.tenant.id)
      .where('subject_type', '=', 'issue')
      .where('action', '=', 'issued')
      .execute();
    expect(audit).toHaveLength(12);
    const documents = await s.storage.db.selectFrom('documents').select('issue_id').execute();
    for (const r of rows) expect(documents.filter((d) => d.issue_id === r.id)).toHaveLength(1);
  }, 120_000);
});
