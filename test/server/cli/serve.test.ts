import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../../server/cli/start';
import { findTenantBySlug, webhookSecret } from '../../../server/domain/tenants';
import { signWebhook } from '../../../server/domain/webhook';
import { call, list } from '../../support/http';
import { learnerData } from '../../support/storage';
import { attest, withDatabase } from './attest';

process.env.LOG_LEVEL ??= 'warn';

/**
 * `attest serve --tenant`: several processes on one database, each serving some sites. A tenant outside a
 * process's selection is unknown to it: its credentials get 404 TENANT_NOT_SERVED, its sign-ins, webhooks and
 * verification codes the answers of a tenant (or code) that does not exist.
 */
describe('attest serve', () => {
  it('answers a tenant outside its selection as unknown, and serves the ones selected', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'attest-serve-')), 'attest.sqlite');
    const quiet = { out: () => {}, err: () => {} };
    let out = '';
    // A first, unrestricted start makes the demo tenant; one document issued there has a code to verify.
    const first = await startCommand(
      { port: '0', host: '127.0.0.1', database: db, workers: '1' },
      { out: (s) => void (out += s), err: () => {} },
    );
    let code: string;
    const demoToken = /LMS API token\s+(att_\S+)/.exec(out)![1]!;
    const demoPassword = /admin \/ (\S+)/.exec(out)![1]!;
    try {
      const [cert] = list((await call(first.url, 'GET', '/api/v1/certificates', { token: demoToken })).json);
      const issued = await call(first.url, 'POST', `/api/v1/certificates/${String(cert!.id)}/issues`, {
        token: demoToken,
        body: { learner_id: 'L-serve', available: true, data: learnerData() },
      });
      expect(issued.status, issued.text).toBe(201);
      code = String(issued.json.issue?.code);
    } finally {
      await first.close();
    }

    expect((await attest('tenant', 'create', 'campus', '--database', db)).code).toBe(0);
    const made = await attest(
      'token',
      'create',
      'LMS',
      '--tenant',
      'campus',
      '--capabilities',
      'certificate:view',
      '--json',
      '--database',
      db,
    );
    const campusToken = (JSON.parse(made.out) as { secret: string }).secret;
    const demoSecret = await withDatabase(db, async (s) =>
      webhookSecret(s, { kind: 'system', tenantId: (await findTenantBySlug(s.storage.db, 'demo'))!.id }),
    );
    const shop = (base: string, slug: string) => {
      const body = JSON.stringify({ learner_id: 'nobody' });
      const ts = Math.floor(Date.now() / 1000);
      return call(base, 'POST', `/api/v1/webhooks/${slug}/shop`, {
        raw: body,
        headers: {
          'content-type': 'application/json',
          'x-attest-timestamp': String(ts),
          'x-attest-signature': signWebhook(demoSecret, ts, body),
        },
      });
    };

    const campusOnly = await startCommand({ port: '0', host: '127.0.0.1', database: db, workers: '1', tenant: ['campus'] }, quiet);
    try {
      expect(campusOnly.tenants).toEqual(['campus']);
      const base = campusOnly.url;
      expect((await call(base, 'GET', '/api/v1/certificates', { token: campusToken })).status).toBe(200);
      const stranger = await call(base, 'GET', '/api/v1/certificates', { token: demoToken });
      expect([stranger.status, stranger.json.error?.code]).toEqual([404, 'TENANT_NOT_SERVED']);
      const signIn = await call(base, 'POST', '/api/v1/session', { body: { tenant: 'demo', username: 'admin', password: demoPassword } });
      expect([signIn.status, signIn.json.error?.code]).toEqual([401, 'SIGN_IN_FAILED']);
      const verified = await call(base, 'GET', `/api/v1/verify/${code}`);
      expect([verified.status, verified.json.error?.code]).toEqual([404, 'VERIFICATION_CODE_UNKNOWN']);
      // A public route with a stranger's token serves the caller as anonymous.
      expect((await call(base, 'GET', `/api/v1/verify/${code}`, { token: demoToken })).status).toBe(404);
      expect((await call(base, 'GET', `/verify/${code}`)).status).toBe(404);
      // Even rightly signed, the webhook of an unserved tenant is answered as for a tenant that does not exist.
      const hook = await shop(base, 'demo');
      const none = await shop(base, 'nowhere');
      expect([hook.status, hook.json.error?.code]).toEqual([none.status, none.json.error?.code]);
      expect(hook.json.error?.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    } finally {
      await campusOnly.close();
    }

    const demoOnly = await startCommand({ port: '0', host: '127.0.0.1', database: db, workers: '1', tenant: ['demo', 'campus'] }, quiet);
    try {
      expect(demoOnly.tenants).toEqual(['demo', 'campus']);
      const verified = await call(demoOnly.url, 'GET', `/api/v1/verify/${code}`);
      expect([verified.status, verified.json.status]).toEqual([200, 'valid']);
      expect((await call(demoOnly.url, 'GET', '/api/v1/certificates', { token: demoToken })).status).toBe(200);
      expect((await call(demoOnly.url, 'GET', '/api/v1/certificates', { token: campusToken })).status).toBe(200);
      expect((await shop(demoOnly.url, 'demo')).status).toBe(200);
    } finally {
      await demoOnly.close();
    }

    const all = await startCommand({ port: '0', host: '127.0.0.1', database: db, workers: '1', allTenants: true }, quiet);
    try {
      expect(all.tenants).toBe('all');
      expect((await call(all.url, 'GET', `/api/v1/verify/${code}`)).status).toBe(200);
    } finally {
      await all.close();
    }
  }, 90_000);

  it('names an unknown tenant (exit 1) and refuses --tenant with --all-tenants (exit 2), before listening', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'attest-serve-')), 'attest.sqlite');
    const unknown = await attest('serve', '--tenant', 'nowhere', '--port', '0', '--workers', '1', '--database', db);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no tenant "nowhere"');
    expect(unknown.out).not.toContain('listening');
    expect((await attest('serve', '--tenant', 'a', '--all-tenants', '--port', '0', '--database', db)).code).toBe(2);
    // No demo tenant is made for a process told which tenants to serve.
    expect((JSON.parse((await attest('tenant', 'list', '--json', '--database', db)).out) as unknown[]).length).toBe(0);
  });

  it('runs from bin/ with --json: one line saying where and for whom, then stops on SIGTERM', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'attest-serve-')), 'attest.sqlite');
    expect((await attest('tenant', 'create', 'campus', '--database', db)).code).toBe(0);
    const child = spawn(
      'node',
      ['bin/attest.mjs', 'serve', '--tenant', 'campus', '--port', '0', '--workers', '1', '--json', '--database', db],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LOG_LEVEL: 'warn' },
      },
    );
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.resume();
      // Bounded: the line comes once the server listens (tsx compiles the CLI first).
      for (let i = 0; i < 600 && !out.includes('\n') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
      const said = JSON.parse(out.split('\n')[0]!) as { url: string; listening: string; tenants: string[] };
      expect(said.tenants).toEqual(['campus']);
      expect((await call(said.listening, 'GET', '/health')).status).toBe(200);
    } finally {
      // Ended by its own pid, the one this test started; a child that already exited has nothing to stop.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const [status] = (await exited) as [number | null];
        expect(status).toBe(0);
      }
    }
  }, 60_000);
});
