import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCommand, type ConnectionLimits } from '../../../server/cli/start';
import { call } from '../../support/http';

// The server's request log goes to stderr; the test run's output is for the tests.
process.env.LOG_LEVEL ??= 'warn';

/** `attest start` on a fresh database: migrated, a demo tenant, secrets printed once, a server that answers. */
describe('attest start', () => {
  it('prepares a demo tenant once, prints its secrets once, and serves', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'attest-start-')), 'attest.sqlite');
    let out = '';
    const io = { out: (s: string) => void (out += s), err: (s: string) => void (out += s) };
    const first = await startCommand({ port: '0', host: '127.0.0.1', database, workers: '1' }, io);
    try {
      expect(out).toMatch(/administrator\s+admin \/ \S{12,}/);
      const token = /LMS API token\s+(att_\S+)/.exec(out)?.[1];
      expect(token).toBeDefined();
      expect(out).toContain(`listening on ${first.url}`);
      const health = await call(first.url, 'GET', '/health');
      expect(health.json).toMatchObject({ status: 'ok', database: 'sqlite' });
      const certs = await call(first.url, 'GET', '/api/v1/certificates', { token: token! });
      expect((certs.json as unknown as unknown[]).length).toBe(3);
      const password = /admin \/ (\S+)/.exec(out)![1]!;
      const session = await call(first.url, 'POST', '/api/v1/session', { body: { tenant: 'demo', username: 'admin', password } });
      expect(session.status).toBe(200);
      expect(session.headers.get('set-cookie')).toMatch(/attest_session=.*HttpOnly.*SameSite=Strict/i);
    } finally {
      await first.close();
    }
    out = '';
    // A PDF a stop left unrecorded (staged, never committed): the next start removes it.
    const orphan = join(`${database}.documents`, 'ab', `${'ab'.padEnd(64, '0')}.pdf`);
    mkdirSync(dirname(orphan), { recursive: true });
    writeFileSync(orphan, '%PDF-1.7 a learner’s name');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(orphan, anHourAgo, anHourAgo);
    const second = await startCommand({ port: '0', host: '127.0.0.1', database, workers: '1' }, io);
    for (let i = 0; i < 100 && existsSync(orphan); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(orphan)).toBe(false);
    await second.close();
    expect(out).not.toContain('administrator');
    expect(out).toContain('listening on');
  }, 60_000);

  it('cuts off a client that trickles its headers, and answers in JSON what the HTTP parser refuses', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'attest-start-')), 'attest.sqlite');
    const io = { out: () => {}, err: () => {} };
    // The limits of a real server, scaled down: the test waits under two seconds, not the real ten.
    const limits: Pick<ConnectionLimits, 'headersTimeout' | 'connectionsCheckingInterval'> = {
      headersTimeout: 1_500,
      connectionsCheckingInterval: 500,
    };
    const server = await startCommand({ port: '0', host: '127.0.0.1', database, workers: '1', connectionLimits: limits }, io);
    try {
      const { port } = new URL(server.url);
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      const started = Date.now();
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
      // One more header line now and then, never the blank line that ends them.
      const drip = setInterval(() => socket.write('X-Drip: 1\r\n'), limits.headersTimeout / 10);
      let answer = '';
      socket.on('data', (c: Buffer) => (answer += c.toString()));
      await once(socket, 'close');
      clearInterval(drip);
      const held = Date.now() - started;
      // Held at least the limit (a busy machine only makes it longer), then closed by the headers' limit: 408.
      expect(held).toBeGreaterThanOrEqual(limits.headersTimeout - 500);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toEqual({ error: { code: 'REQUEST_TIMEOUT', message: expect.any(String) } });
      // What the parser refuses gets a JSON error too.
      const raw = async (bytes: string) => {
        const s = connect(Number(port), '127.0.0.1');
        let text = '';
        s.on('data', (c: Buffer) => (text += c.toString()));
        s.on('error', () => {});
        s.end(bytes);
        await once(s, 'close');
        return {
          status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]),
          json: JSON.parse(text.split('\r\n\r\n')[1] ?? 'null') as { error?: { code?: string } } | null,
        };
      };
      const big = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(20_000)}\r\n\r\n`);
      expect([big.status, big.json?.error?.code]).toEqual([431, 'HEADERS_TOO_LARGE']);
      const garbage = await raw('HELLO THERE\r\n\r\n');
      expect([garbage.status, garbage.json?.error?.code]).toEqual([400, 'REQUEST_MALFORMED']);
    } finally {
      await server.close();
    }
  });

  it('says clearly when the database cannot be reached', async () => {
    const io = { out: () => {}, err: () => {} };
    await expect(startCommand({ port: '0', host: '127.0.0.1', database: 'postgres://postgres@127.0.0.1:1/nowhere' }, io)).rejects.toThrow(
      /cannot be reached/,
    );
  });
});
