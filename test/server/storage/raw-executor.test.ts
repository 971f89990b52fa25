import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../../server/storage/database';
import { rawExecutor } from '../../../server/storage/db';
import { scratchDatabase, type ScratchDatabase } from '../../support/storage';

/**
 * What pg-boss is given: a text `BEGIN; …; COMMIT;` that fails half-way must not leave its connection in
 * the pool inside an aborted transaction (the next query would be refused, or wait on its locks).
 */
describe('rawExecutor (postgres)', () => {
  let scratch: ScratchDatabase;
  let storage: Storage;
  beforeAll(async () => {
    scratch = await scratchDatabase('postgres');
    storage = await openStorage(scratch.url);
  });
  afterAll(async () => {
    await storage.close();
    await scratch.drop();
  });

  it('gives back a clean connection after a failing multi-statement text', async () => {
    const raw = rawExecutor(storage.db);
    await raw.executeSql('CREATE TABLE raw_probe (id int primary key)');
    await raw.executeSql('INSERT INTO raw_probe VALUES (1)');
    await expect(raw.executeSql('BEGIN; INSERT INTO raw_probe VALUES (2); INSERT INTO raw_probe VALUES (1); COMMIT;')).rejects.toThrow(
      /duplicate key/,
    );
    // Every connection the pool holds answers, and nothing of the failed text stayed.
    const answers = await Promise.all(Array.from({ length: 12 }, () => raw.executeSql('SELECT count(*)::int AS n FROM raw_probe')));
    for (const a of answers) expect(a.rows).toEqual([{ n: 1 }]);
    for (let i = 0; i < 12; i++) expect((await raw.executeSql('SELECT count(*)::int AS n FROM raw_probe')).rows).toEqual([{ n: 1 }]);
  });
});
