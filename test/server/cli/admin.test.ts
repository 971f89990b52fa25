import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../server/cli/main';
import { openServices } from '../../../server/services';
import { authenticateToken } from '../../../server/domain/tokens';
import { signIn } from '../../../server/domain/sessions';

/** The operator's scripts, run as the CLI runs them, on a real SQLite file. */
async function attest(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

describe('attest tenant, person and token', () => {
  const database = join(mkdtempSync(join(tmpdir(), 'attest-cli-')), 'attest.sqlite');

  it('creates a tenant, a person who can sign in and a token that authenticates', async () => {
    expect((await attest('tenant', 'create', 'campus-nord', '--name', 'Campus Nord', '--lock', '--database', database)).code).toBe(0);
    const dup = await attest('tenant', 'create', 'campus-nord', '--database', database);
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('TENANT_EXISTS');
    const listed = await attest('tenant', 'list', '--json', '--database', database);
    expect(JSON.parse(listed.out)).toEqual([
      expect.objectContaining({ slug: 'campus-nord', name: 'Campus Nord', settings: expect.objectContaining({ delivery_lock: true }) }),
    ]);

    const person = await attest('person', 'create', 'claire', '--tenant', 'campus-nord', '--roles', 'admin', '--database', database);
    expect(person.code).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(person.out)?.[1];
    expect(password).toBeDefined();
    const token = await attest(
      'token',
      'create',
      'Moodle',
      '--tenant',
      'campus-nord',
      '--capabilities',
      'certificate:view,certificate:apply',
      '--database',
      database,
    );
    expect(token.code).toBe(0);
    const secret = token.out.trim().split('\n').at(-1)!;

    const services = await openServices({ databaseUrl: database, baseUrl: 'http://127.0.0.1', render: { size: 0 } });
    try {
      const session = await signIn(services, { tenant: 'campus-nord', username: 'claire', password: password! });
      expect(session.actor.kind).toBe('person');
      const actor = await authenticateToken(services, secret);
      expect(actor.kind === 'token' && [...actor.capabilities].sort()).toEqual(['certificate:apply', 'certificate:view']);
    } finally {
      await services.close();
    }
  });

  it('refuses unknown tenants, roles and capabilities with the problem named', async () => {
    const noTenant = await attest('person', 'create', 'x', '--tenant', 'nowhere', '--database', database);
    expect(noTenant.code).toBe(1);
    expect(noTenant.err).toContain('no tenant "nowhere"');
    const badRole = await attest('person', 'create', 'y', '--tenant', 'campus-nord', '--roles', 'wizard', '--database', database);
    expect(badRole.err).toContain('ROLE_UNKNOWN');
    const badCap = await attest('token', 'create', 't', '--tenant', 'campus-nord', '--capabilities', 'fly', '--database', database);
    expect(badCap.code).toBe(1);
    expect(badCap.err).toContain('capabilities[0]');
    expect((await attest('token', 'create', 't', '--database', database)).code).toBe(2);
  });
});
