import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../server/cli/main';
import { openServices } from '../../../server/services';
import { authenticateToken } from '../../../server/domain/tokens';
import { findTenantBySlug, webhookSecret } from '../../../server/domain/tenants';
import { signIn } from '../../../server/domain/sessions';
import { DomainError } from '../../../server/domain/errors';

/** The operator's account scripts, run as the CLI runs them, on a real SQLite file. */
async function attest(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

async function withServices<T>(database: string, run: (services: Awaited<ReturnType<typeof openServices>>) => Promise<T>): Promise<T> {
  const services = await openServices({ databaseUrl: database, baseUrl: 'http://127.0.0.1', render: { size: 0 } });
  try {
    return await run(services);
  } finally {
    await services.close();
  }
}

const signInFails = (database: string, username: string, password: string) =>
  withServices(database, async (services) => {
    try {
      await signIn(services, { tenant: 'campus', username, password });
      return false;
    } catch (e) {
      return e instanceof DomainError && e.code === 'SIGN_IN_FAILED';
    }
  });

describe('attest tenant rotate-…, person disable/enable/reset-password', () => {
  const database = join(mkdtempSync(join(tmpdir(), 'attest-cli-accounts-')), 'attest.sqlite');
  const saved = process.env.ATTEST_PASSWORD;
  afterEach(() => {
    if (saved === undefined) delete process.env.ATTEST_PASSWORD;
    else process.env.ATTEST_PASSWORD = saved;
  });

  it('rotates the webhook secret (printed once) and the link key, saying what stops working', async () => {
    expect((await attest('tenant', 'create', 'campus', '--database', database)).code).toBe(0);
    const before = await withServices(database, async (s) =>
      webhookSecret(s, { kind: 'system', tenantId: (await findTenantBySlug(s.storage.db, 'campus'))!.id }),
    );
    const rotated = await attest('tenant', 'rotate-webhook-secret', 'campus', '--database', database);
    expect(rotated.code, rotated.err).toBe(0);
    const printed = rotated.out.trim().split('\n').at(-1)!;
    const after = await withServices(database, async (s) =>
      webhookSecret(s, { kind: 'system', tenantId: (await findTenantBySlug(s.storage.db, 'campus'))!.id }),
    );
    expect(after).toBe(printed);
    expect(after).not.toBe(before);
    expect(rotated.out).toContain('refused');
    const link = await attest('tenant', 'rotate-link-secret', 'campus', '--database', database);
    expect(link.code).toBe(0);
    expect(link.out).toContain('no longer works');
    const nowhere = await attest('tenant', 'rotate-link-secret', 'nowhere', '--database', database);
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toContain('no tenant "nowhere"');
  });

  it('disables and enables a person, and resets a password', async () => {
    process.env.ATTEST_PASSWORD = 'the first long password';
    expect((await attest('person', 'create', 'claire', '--tenant', 'campus', '--roles', 'designer', '--database', database)).code).toBe(0);
    expect(await signInFails(database, 'claire', 'the first long password')).toBe(false);
    const off = await attest('person', 'disable', 'claire', '--tenant', 'campus', '--database', database);
    expect(off.code, off.err).toBe(0);
    expect(await signInFails(database, 'claire', 'the first long password')).toBe(true);
    expect((await attest('person', 'enable', 'claire', '--tenant', 'campus', '--database', database)).code).toBe(0);
    expect(await signInFails(database, 'claire', 'the first long password')).toBe(false);

    delete process.env.ATTEST_PASSWORD;
    const reset = await attest('person', 'reset-password', 'claire', '--tenant', 'campus', '--database', database);
    expect(reset.code, reset.err).toBe(0);
    const password = /new password \(shown once\): (\S+)/.exec(reset.out)?.[1];
    expect(password).toBeDefined();
    expect(await signInFails(database, 'claire', 'the first long password')).toBe(true);
    expect(await signInFails(database, 'claire', password!)).toBe(false);

    const unknown = await attest('person', 'disable', 'nobody', '--tenant', 'campus', '--database', database);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('NOT_FOUND');
  });

  it('creates an expiring token and revokes a token with those it made', async () => {
    const made = await attest(
      'token',
      'create',
      'Moodle',
      '--tenant',
      'campus',
      '--capabilities',
      'tenant:manage,certificate:view',
      '--expires',
      '2099-01-31T00:00:00Z',
      '--database',
      database,
    );
    expect(made.code, made.err).toBe(0);
    expect(made.out).toContain('until 2099-01-31T00:00:00.000Z');
    const secret = made.out.trim().split('\n').at(-1)!;
    const id = /\(([0-9a-f-]{36})\)/.exec(made.out)![1]!;
    const bad = await attest(
      'token',
      'create',
      'x',
      '--tenant',
      'campus',
      '--capabilities',
      'certificate:view',
      '--expires',
      'tomorrow',
      '--database',
      database,
    );
    expect(bad.code).toBe(2);
    const revoked = await attest('token', 'revoke', id, '--tenant', 'campus', '--database', database);
    expect(revoked.code, revoked.err).toBe(0);
    expect(revoked.out).toContain(id);
    const refused = await withServices(database, (s) =>
      authenticateToken(s, secret).then(
        () => 'accepted',
        (e: unknown) => (e instanceof DomainError ? e.code : 'other'),
      ),
    );
    expect(refused).toBe('TOKEN_INVALID');
  });
});
