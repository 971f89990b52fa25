import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../../server/storage/database';
import { copyFirstRow, firstTuple } from '../../../server/storage/postgres-copy';
import { scratchDatabase, type ScratchDatabase } from '../../support/storage';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
/** A binary COPY answer as PostgreSQL writes it. */
const copyData = (rows: (Buffer | null)[][], extension = Buffer.alloc(0)) =>
  Buffer.concat([
    SIGNATURE,
    int32(0),
    int32(extension.length),
    extension,
    ...rows.flatMap((row) => [int16(row.length), ...row.flatMap((f) => (f === null ? [int32(-1)] : [int32(f.length), f]))]),
    int16(-1),
  ]);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('binary COPY answers', () => {
  it('gives the first row’s fields as bytes, SQL NULL as null, and nothing for no row', () => {
    const pdf = randomBytes(3000);
    const row = firstTuple(copyData([[Buffer.from('1234'), null, pdf]], Buffer.from('ext')));
    expect(row).toHaveLength(3);
    expect(row![0]!.toString()).toBe('1234');
    expect(row![1]).toBeNull();
    expect(row![2]!.equals(pdf)).toBe(true);
    expect(firstTuple(copyData([]))).toBeUndefined();
  });

  it('refuses what is not that format, or is cut short, instead of answering wrong bytes', () => {
    const good = copyData([[Buffer.from('12'), randomBytes(100)]]);
    expect(() => firstTuple(Buffer.from('not a copy at all, long enough'))).toThrow(/signature/);
    for (const cut of [good.length - 3, good.length - 60, SIGNATURE.length + 9])
      expect(() => firstTuple(good.subarray(0, cut))).toThrow(/COPY/);
  });
});

describe('PDF bytes read from PostgreSQL by binary COPY', () => {
  let scratch: ScratchDatabase;
  let storage: Storage;
  let pool: pg.Pool;
  beforeAll(async () => {
    scratch = await scratchDatabase('postgres', { migrated: true });
    storage = await openStorage(scratch.url);
    pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await storage?.close();
    await scratch?.drop();
  });

  it('reads every byte value back exactly, and answers nothing for a row that is not there', async () => {
    const all = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(200_000)]);
    const sha = sha256(all);
    await storage.documents.record(storage.db, sha, all);
    const read = await storage.documents.read(storage.db, sha);
    expect(Buffer.from(read!).equals(all)).toBe(true);
    expect(await storage.documents.read(storage.db, 'f'.repeat(64))).toBeUndefined();
    const direct = await copyFirstRow(pool, `select pdf, null::text, 'x' from document_bytes where sha256 = '${sha}'`);
    expect(direct![0]!.equals(all)).toBe(true);
    expect(direct![1]).toBeNull();
    expect(direct![2]!.toString()).toBe('x');
  });

  it('inside a transaction reads what the transaction recorded; outside, only once it is committed', async () => {
    const pdf = randomBytes(5000);
    const sha = sha256(pdf);
    let seenOutside: Uint8Array | undefined | 'unread' = 'unread';
    await storage.db.transaction().execute(async (trx) => {
      await storage.documents.record(trx, sha, pdf);
      expect(Buffer.from((await storage.documents.read(trx, sha))!).equals(pdf)).toBe(true);
      seenOutside = await storage.documents.read(storage.db, sha);
    });
    expect(seenOutside).toBeUndefined();
    expect(Buffer.from((await storage.documents.read(storage.db, sha))!).equals(pdf)).toBe(true);
  });

  it('bytes changed in the row after they were read and kept are read again and refused', async () => {
    const pdf = randomBytes(8000);
    const sha = sha256(pdf);
    await storage.documents.record(storage.db, sha, pdf);
    expect(Buffer.from((await storage.documents.read(storage.db, sha))!).equals(pdf)).toBe(true);
    const tampered = Buffer.from(pdf);
    tampered[100] = tampered[100]! ^ 0xff;
    await sql`update document_bytes set pdf = ${tampered} where sha256 = ${sha}`.execute(storage.db);
    await expect(storage.documents.read(storage.db, sha)).rejects.toMatchObject({ code: 'DOCUMENT_CORRUPT' });
  });

  it('a statement PostgreSQL refuses is an error, and the pool goes on serving', async () => {
    await expect(copyFirstRow(pool, 'select no_such_column from document_bytes')).rejects.toThrow(/no_such_column/);
    const row = await copyFirstRow(pool, 'select 1::text');
    expect(row![0]!.toString()).toBe('1');
  });
});
