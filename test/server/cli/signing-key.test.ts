import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase, type ScratchDatabase } from '../../support/storage';
import { attest } from './attest';

/** `attest signing-key …` on SQLite: generate, import a PKCS#12 (password from the environment), list the rotation. */
describe('attest signing-key', () => {
  let scratch: ScratchDatabase;
  const previous = process.env.ATTEST_SECRET_KEY;
  beforeAll(async () => {
    scratch = await scratchDatabase('sqlite');
    process.env.ATTEST_SECRET_KEY = 'installation key for the signing-key command test';
  });
  afterAll(async () => {
    await scratch.drop();
    delete process.env.ATTEST_PKCS12_PASSWORD;
    if (previous === undefined) delete process.env.ATTEST_SECRET_KEY;
    else process.env.ATTEST_SECRET_KEY = previous;
  });

  it('generates, imports and lists the keys, the newest active and the one before retired', async () => {
    const db = scratch.url;
    expect((await attest('tenant', 'create', 'campus-nord', '--database', db)).code).toBe(0);
    const made = await attest(
      'signing-key',
      'generate',
      '--tenant',
      'campus-nord',
      '--algorithm',
      'ecdsa-p256',
      '--json',
      '--database',
      db,
    );
    expect(made.code, made.err).toBe(0);
    const first = (JSON.parse(made.out) as { key: { id: string; state: string } }).key;
    expect(first.state).toBe('active');
    expect((await attest('signing-key', 'generate', '--tenant', 'campus-nord', '--algorithm', 'dsa', '--database', db)).code).not.toBe(0);

    const dir = mkdtempSync(join(tmpdir(), 'attest-cli-p12-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'k.pem',
      '-out',
      'c.pem',
      '-days',
      '30',
      '-subj',
      '/CN=Organisme/O=Organisme',
    );
    run('pkcs12', '-export', '-inkey', 'k.pem', '-in', 'c.pem', '-passout', 'pass:p12-secret', '-out', 'k.p12');
    process.env.ATTEST_PKCS12_PASSWORD = 'wrong';
    const refused = await attest('signing-key', 'import', join(dir, 'k.p12'), '--tenant', 'campus-nord', '--database', db);
    expect(refused.code).not.toBe(0);
    expect(refused.err + refused.out).toContain('PKCS12');
    process.env.ATTEST_PKCS12_PASSWORD = 'p12-secret';
    const imported = await attest('signing-key', 'import', join(dir, 'k.p12'), '--tenant', 'campus-nord', '--json', '--database', db);
    expect(imported.code, imported.err).toBe(0);

    const listed = await attest('signing-key', 'list', '--tenant', 'campus-nord', '--json', '--database', db);
    const keys = JSON.parse(listed.out) as { id: string; state: string; source: string; algorithm: string }[];
    expect(keys.map((k) => [k.state, k.source, k.algorithm])).toEqual([
      ['active', 'imported', 'rsa-2048'],
      ['retired', 'generated', 'ecdsa-p256'],
    ]);
    expect(keys[1]!.id).toBe(first.id);
  });
});
