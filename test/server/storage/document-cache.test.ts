import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { fileDocuments, VerifiedBytes } from '../../../server/storage/documents';
import { Fullness } from '../../../server/storage/fullness';
import type { Db } from '../../../server/storage/db';

/** Checked bytes kept in memory are served only while the stored copy is the one they were read from. */
describe('the cache of checked document bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-document-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pdf = new Uint8Array(Buffer.from('%PDF-1.7 a learner’s document %%EOF'));
  const sha = createHash('sha256').update(pdf).digest('hex');
  const path = join(dir, sha.slice(0, 2), `${sha}.pdf`);
  const db = undefined as unknown as Db; // reading a file needs no database

  it('re-reads and refuses a settled file changed in place, and forgets a removed one', async () => {
    const files = fileDocuments(dir, new Fullness());
    await files.stage(sha, pdf);
    // Left alone for an hour: its bytes are kept once read.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(path, anHourAgo, anHourAgo);
    expect(Buffer.from((await files.read(db, sha))!).toString()).toBe(Buffer.from(pdf).toString());
    expect(Buffer.from((await files.read(db, sha))!).toString()).toBe(Buffer.from(pdf).toString());

    const damaged = Buffer.from(pdf);
    damaged[3] = damaged[3]! ^ 0x01;
    writeFileSync(path, damaged);
    await expect(files.read(db, sha)).rejects.toMatchObject({ code: 'DOCUMENT_CORRUPT' });
    // Even with its old times put back, the change time says the file was touched.
    utimesSync(path, anHourAgo, anHourAgo);
    await expect(files.read(db, sha)).rejects.toMatchObject({ code: 'DOCUMENT_CORRUPT' });

    rmSync(path);
    expect(await files.read(db, sha)).toBeUndefined();
  });

  it('keeps at most its budget, least recently used first, and nothing larger than a quarter of it', () => {
    const cache = new VerifiedBytes(1000);
    const bytes = (n: number) => new Uint8Array(n);
    cache.set('a', '1', bytes(200));
    cache.set('b', '1', bytes(200));
    cache.set('c', '1', bytes(200));
    expect(cache.get('a', '1')).toBeDefined(); // a is now the most recent
    cache.set('d', '1', bytes(200));
    cache.set('e', '1', bytes(200));
    cache.set('f', '1', bytes(200)); // 1,200 bytes: the least recently used (b) goes
    expect(cache.get('b', '1')).toBeUndefined();
    expect(cache.get('a', '1')).toBeDefined();
    expect(cache.get('a', '2')).toBeUndefined(); // another stamp: another copy, forgotten
    expect(cache.get('a', '1')).toBeUndefined();
    cache.set('big', '1', bytes(300));
    expect(cache.get('big', '1')).toBeUndefined();
  });
});
