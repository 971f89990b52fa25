import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../server/domain/sessions';
import { authenticateToken } from '../../../server/domain/tokens';
import { attest, snapshot, withDatabase } from './attest';

/** `attest person …` and `attest token …` on a real SQLite file: JSON that parses, dry runs that write nothing. */
describe('attest person and token', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'attest-cli-people-')), 'attest.sqlite');
  const saved = process.env.ATTEST_PASSWORD;
  afterEach(() => {
    if (saved === undefined) delete process.env.ATTEST_PASSWORD;
    else process.env.ATTEST_PASSWORD = saved;
  });
  beforeAll(async () => {
    for (const slug of ['north', 'south']) expect((await attest('tenant', 'create', slug, '--database', db)).code).toBe(0);
  });

  const signsIn = (tenant: string, username: string, password: string) =>
    withDatabase(db, (s) =>
      signIn(s, { tenant, username, password }).then(
        () => true,
        () => false,
      ),
    );

  it('creates a person with a password shown once (generated) or from ATTEST_PASSWORD, never from argv', async () => {
    delete process.env.ATTEST_PASSWORD;
    const made = await attest('person', 'create', 'claire', '--tenant', 'north', '--roles', 'admin,designer', '--json', '--database', db);
    expect(made.code, made.err).toBe(0);
    const json = JSON.parse(made.out) as { tenant: string; person: { username: string; roles: string[] }; password: string };
    expect(json).toMatchObject({ tenant: 'north', person: { username: 'claire', roles: ['admin', 'designer'] } });
    expect(json.password.length).toBeGreaterThanOrEqual(12);
    expect(await signsIn('north', 'claire', json.password)).toBe(true);

    process.env.ATTEST_PASSWORD = 'a passphrase from the environment';
    const given = await attest('person', 'create', 'marc', '--tenant', 'south', '--name', 'Marc Petit', '--json', '--database', db);
    expect(given.code, given.err).toBe(0);
    expect(JSON.parse(given.out)).not.toHaveProperty('password');
    expect(await signsIn('south', 'marc', 'a passphrase from the environment')).toBe(true);

    process.env.ATTEST_PASSWORD = 'short';
    const before = await snapshot(db);
    const short = await attest('person', 'create', 'zoe', '--tenant', 'south', '--database', db);
    expect([short.code, short.err]).toEqual([2, expect.stringContaining('ATTEST_PASSWORD')]);
    expect((await attest('person', 'create', 'zoe', '--tenant', 'south', '--password', 'x', '--database', db)).code).toBe(2);
    expect(await snapshot(db)).toBe(before);

    const signatory = await attest(
      'person',
      'create',
      'dr-lee',
      '--tenant',
      'south',
      '--roles',
      'signatory',
      '--no-password',
      '--database',
      db,
    );
    expect(signatory.code, signatory.err).toBe(0);
    expect(signatory.out).toContain('no password');
  });

  it('writes nothing on --dry-run, and reports what the real run would refuse', async () => {
    const before = await snapshot(db);
    const dry = await attest(
      'person',
      'create',
      'ines',
      '--tenant',
      'north',
      '--roles',
      'teacher',
      '--dry-run',
      '--json',
      '--database',
      db,
    );
    expect(dry.code, dry.err).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ dryRun: true, tenant: 'north', person: { username: 'ines', roles: ['teacher'] } });
    const exists = await attest('person', 'create', 'claire', '--tenant', 'north', '--dry-run', '--database', db);
    expect([exists.code, exists.err]).toEqual([1, expect.stringContaining('PERSON_EXISTS')]);
    const badRole = await attest('person', 'create', 'ines', '--tenant', 'north', '--roles', 'wizard', '--dry-run', '--database', db);
    expect([badRole.code, badRole.err]).toEqual([1, expect.stringContaining('ROLE_UNKNOWN')]);
    for (const argv of [
      ['person', 'disable', 'claire'],
      ['person', 'enable', 'claire'],
      ['person', 'reset-password', 'claire'],
      ['person', 'delete', 'claire'],
    ]) {
      const r = await attest(...argv, '--tenant', 'north', '--dry-run', '--json', '--database', db);
      expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ tenant: 'north', username: 'claire', dryRun: true });
    }
    const token = await attest(
      'token',
      'create',
      'Moodle',
      '--tenant',
      'north',
      '--capabilities',
      'certificate:view',
      '--dry-run',
      '--json',
      '--database',
      db,
    );
    expect(JSON.parse(token.out)).toMatchObject({ dryRun: true, token: { name: 'Moodle', capabilities: ['certificate:view'] } });
    expect(JSON.parse(token.out)).not.toHaveProperty('secret');
    expect(await snapshot(db)).toBe(before);
  });

  it('lists people of several tenants or all of them, and acts on one tenant at a time', async () => {
    const both = await attest('person', 'list', '--tenant', 'north', '--tenant', 'south', '--json', '--database', db);
    expect((JSON.parse(both.out) as { tenant: string; username: string }[]).map((p) => `${p.tenant}/${p.username}`).sort()).toEqual([
      'north/claire',
      'south/dr-lee',
      'south/marc',
    ]);
    const all = await attest('person', 'list', '--all-tenants', '--json', '--database', db);
    expect(JSON.parse(all.out)).toHaveLength(3);
    const two = await attest('person', 'disable', 'claire', '--tenant', 'north', '--tenant', 'south', '--database', db);
    expect(two.code).toBe(2);
    const unknown = await attest('person', 'list', '--tenant', 'north', '--tenant', 'nowhere', '--database', db);
    expect([unknown.code, unknown.err]).toEqual([1, expect.stringContaining('"nowhere"')]);
  });

  it('deletes a person: they cannot sign in and no longer appear', async () => {
    process.env.ATTEST_PASSWORD = 'temporary long password';
    expect((await attest('person', 'create', 'leaving', '--tenant', 'north', '--database', db)).code).toBe(0);
    const gone = await attest('person', 'delete', 'leaving', '--tenant', 'north', '--database', db);
    expect(gone.code, gone.err).toBe(0);
    expect(await signsIn('north', 'leaving', 'temporary long password')).toBe(false);
    const listed = JSON.parse((await attest('person', 'list', '--tenant', 'north', '--json', '--database', db)).out) as {
      username: string;
    }[];
    expect(listed.map((p) => p.username)).not.toContain('leaving');
    expect((await attest('person', 'delete', 'leaving', '--tenant', 'north', '--database', db)).code).toBe(1);
  });

  it('creates tokens (secret shown once), lists them per tenant, revokes with a dry run first', async () => {
    const made = await attest(
      'token',
      'create',
      'Moodle',
      '--tenant',
      'north',
      '--capabilities',
      'certificate:view, certificate:apply',
      '--json',
      '--database',
      db,
    );
    expect(made.code, made.err).toBe(0);
    const { token, secret } = JSON.parse(made.out) as { token: { id: string }; secret: string };
    expect(await withDatabase(db, (s) => authenticateToken(s, secret).then((a) => a.kind))).toBe('token');
    expect((await attest('token', 'create', 'Shop', '--tenant', 'south', '--capabilities', 'issues:manage', '--database', db)).code).toBe(
      0,
    );

    const listed = JSON.parse((await attest('token', 'list', '--all-tenants', '--json', '--database', db)).out) as {
      tenant: string;
      name: string;
    }[];
    expect(listed.map((t) => `${t.tenant}/${t.name}`).sort()).toEqual(['north/Moodle', 'south/Shop']);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const before = await snapshot(db);
    const dry = await attest('token', 'revoke', token.id, '--tenant', 'north', '--dry-run', '--json', '--database', db);
    expect(JSON.parse(dry.out)).toEqual({ tenant: 'north', revoked: [token.id], dryRun: true });
    expect(await snapshot(db)).toBe(before);
    const elsewhere = await attest('token', 'revoke', token.id, '--tenant', 'south', '--database', db);
    expect(elsewhere.code).toBe(1);
    const revoked = await attest('token', 'revoke', token.id, '--tenant', 'north', '--json', '--database', db);
    expect(JSON.parse(revoked.out)).toEqual({ tenant: 'north', revoked: [token.id] });
    const live = JSON.parse((await attest('token', 'list', '--tenant', 'north', '--live', '--json', '--database', db)).out) as unknown[];
    expect(live).toEqual([]);
  });
});
