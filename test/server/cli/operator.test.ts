import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../server/cli/main';
import { openServices } from '../../../server/services';
import { authenticateOperator } from '../../../server/domain/operators';
import { DomainError } from '../../../server/domain/errors';
import { scratchDatabase, type ScratchDatabase } from '../../support/storage';

/** `attest operator token …`, run in-process as the CLI runs it, on a real SQLite file and on PostgreSQL. */
async function attest(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

async function authenticates(database: string, token: string): Promise<boolean> {
  const services = await openServices({ databaseUrl: database, baseUrl: 'http://127.0.0.1', render: { size: 0 } });
  try {
    await authenticateOperator(services, token);
    return true;
  } catch (e) {
    if (e instanceof DomainError && e.code === 'TOKEN_INVALID') return false;
    throw e;
  } finally {
    await services.close();
  }
}

/** The secret part of `atop_<id>_<secret>` (which may itself hold underscores). */
const secretOf = (token: string): string => token.slice('atop_'.length + 36 + 1);

const scratch: ScratchDatabase[] = [];
afterAll(async () => {
  for (const d of scratch) await d.drop();
});

describe.each(['sqlite', 'postgres'] as const)('attest operator token (%s)', (engine) => {
  let database = '';
  const db = async () => {
    if (!database) {
      const d = await scratchDatabase(engine);
      scratch.push(d);
      database = d.url;
    }
    return database;
  };

  it('creates a token whose secret is printed once and authenticates; the list never shows it', async () => {
    const created = await attest('operator', 'token', 'create', 'hosting panel', '--database', await db());
    expect(created.code, created.err).toBe(0);
    const secret = created.out.trim().split('\n').at(-1)!;
    expect(secret).toMatch(/^atop_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    expect(await authenticates(database, secret)).toBe(true);

    const json = await attest('operator', 'token', 'create', 'ci', '--expires', '2099-01-31T00:00:00Z', '--json', '--database', database);
    expect(json.code, json.err).toBe(0);
    const made = JSON.parse(json.out) as { token: string; info: { id: string; name: string; expiresAt: string } };
    expect(made.info).toMatchObject({ name: 'ci', expiresAt: '2099-01-31T00:00:00.000Z' });

    const listed = await attest('operator', 'token', 'list', '--json', '--database', database);
    expect(listed.code).toBe(0);
    const tokens = JSON.parse(listed.out) as { name: string; revokedAt: string | null }[];
    expect(tokens.map((t) => t.name)).toEqual(['hosting panel', 'ci']);
    expect(listed.out).not.toContain(secretOf(secret));
    expect(listed.out).not.toContain(secretOf(made.token));
    expect(listed.out).not.toContain('secret');
    const text = await attest('operator', 'token', 'list', '--database', database);
    expect(text.out).toContain('hosting panel');
    expect(text.out).toContain('until revoked');
    expect(text.out).not.toContain('atop_');
  });

  it('revokes a token at once; --dry-run writes nothing', async () => {
    const created = await attest('operator', 'token', 'create', 'to revoke', '--json', '--database', await db());
    const { token, info } = JSON.parse(created.out) as { token: string; info: { id: string } };

    const dry = await attest('operator', 'token', 'revoke', info.id, '--dry-run', '--database', database);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('would revoke');
    expect(await authenticates(database, token)).toBe(true);

    const revoked = await attest('operator', 'token', 'revoke', info.id, '--json', '--database', database);
    expect(revoked.code, revoked.err).toBe(0);
    expect((JSON.parse(revoked.out) as { revokedAt: string | null }).revokedAt).toBeTruthy();
    expect(await authenticates(database, token)).toBe(false);
    // Again: nothing changes, and it says so.
    const again = await attest('operator', 'token', 'revoke', info.id, '--dry-run', '--database', database);
    expect(again.out).toContain('already revoked');

    const unknown = await attest('operator', 'token', 'revoke', '00000000-0000-4000-8000-000000000000', '--database', database);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('OPERATOR_TOKEN_NOT_FOUND');
  });

  it('says what it would create with --dry-run, and refuses a past expiry', async () => {
    const before = JSON.parse((await attest('operator', 'token', 'list', '--json', '--database', await db())).out) as unknown[];
    const dry = await attest('operator', 'token', 'create', 'maybe', '--dry-run', '--json', '--database', database);
    expect(dry.code, dry.err).toBe(0);
    expect(JSON.parse(dry.out)).toEqual({ dryRun: true, name: 'maybe', expiresAt: null });
    expect(dry.out).not.toContain('atop_');
    const after = JSON.parse((await attest('operator', 'token', 'list', '--json', '--database', database)).out) as unknown[];
    expect(after).toHaveLength(before.length);

    const past = await attest('operator', 'token', 'create', 'old', '--expires', '2001-01-01T00:00:00Z', '--database', database);
    expect(past.code).toBe(1);
    expect(past.err).toContain('TOKEN_EXPIRY_INVALID');
    expect(past.err).toContain('expires_at');
    const nonsense = await attest('operator', 'token', 'create', 'odd', '--expires', 'tomorrow', '--database', database);
    expect(nonsense.code).toBe(1);
  });
});

describe('attest operator --help', () => {
  it('has examples on every subcommand, and no --tenant', async () => {
    for (const sub of ['create', 'list', 'revoke']) {
      const r = await attest('operator', 'token', sub, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toContain('Examples:');
      expect(r.out).toContain(`attest operator token ${sub}`);
      expect(r.out).toContain('--database');
      expect(r.out).toContain('--json');
      expect(r.out).not.toContain('--tenant');
      if (sub !== 'list') expect(r.out).toContain('--dry-run');
    }
    const usage = await attest('operator', 'token', 'create', '--database', join(mkdtempSync(join(tmpdir(), 'attest-op-')), 'a.sqlite'));
    expect(usage.code).toBe(2);
  });
});
