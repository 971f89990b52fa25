/**
 * `npm run bench` (second part): the server under load, on loopback only. It starts `attest start` as a
 * child process on a fresh SQLite file, publishes the reference certificate through the API, then
 * measures, in several runs after a warm-up, new documents issued per second (each request a new learner,
 * so each one renders and stores a PDF), PDF downloads per second and verifications per second, with
 * latency percentiles. The load generator runs in this process: on a 2-core machine it takes part of a
 * core from the server, so the figures are a floor.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES_DIR } from '../templates/files';
import { recordFigures, type Figure } from './results';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Runs of the issue figure (BENCH_ISSUE_RUNS=0 measures only downloads and checks, of the warm-up's documents). */
const ISSUE_RUNS = Number(process.env.BENCH_ISSUE_RUNS ?? RUNS);
const ISSUES_PER_RUN = Number(process.env.BENCH_ISSUES ?? 1000);
/** Render workers reach their steady speed after about a thousand documents each (JIT, font and shaping caches). */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Requests per run of the download and verification figures. */
const READS_PER_RUN = Number(process.env.BENCH_READS ?? 2000);
/**
 * BENCH_DATABASE=postgres://user@host/ runs the server on a fresh PostgreSQL database made on that server
 * (dropped at the end; PDFs as rows), instead of a fresh SQLite file.
 */
const DATABASE = process.env.BENCH_DATABASE;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
let lastSetCookie = '';

function request(
  base: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: string | Buffer,
  type = 'application/json',
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = type;
    const req = http.request(base + path, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      const cookie = res.headers['set-cookie'];
      if (cookie) lastSetCookie = cookie.join('; ');
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function json(base: string, method: string, path: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await request(base, method, path, token, body === undefined ? undefined : JSON.stringify(body));
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body.toString().slice(0, 300)}`);
  return JSON.parse(r.body.toString()) as Record<string, unknown>;
}

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU milliseconds per request: the server's (all threads) and this load generator's. */
  serverCpu: number;
  benchCpu: number;
}

/**
 * The load generator's own client for the measured requests: HTTP/1.1 over a kept-alive socket, one request
 * at a time, the answer read by its Content-Length. Node's http client cost this process 0.2 ms per check
 * and 0.5–1 ms per 90 KB download (its parser and the copies of the body), CPU taken from the server it
 * shares the two cores with; this one costs a fraction of that. Bodies the bench does not read (downloads,
 * checks) are counted, not kept, and their length is checked against Content-Length.
 */
class LeanConnection {
  private socket: net.Socket | undefined;
  private chunks: Buffer[] = [];
  private head: { status: number; length: number; start: number } | undefined;
  private received = 0;
  private pending: { resolve(a: { status: number; body: Buffer }): void; reject(e: Error): void; keep: boolean } | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  private connect(): net.Socket {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (c: Buffer) => this.data(c));
    const fail = (e?: Error) => {
      if (this.socket === socket) this.socket = undefined;
      const p = this.pending;
      this.pending = undefined;
      p?.reject(e ?? new Error('the server closed the connection'));
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
    return socket;
  }

  request(method: string, path: string, headers: Record<string, string>, body: string | undefined, keep: boolean) {
    this.socket ??= this.connect();
    this.chunks = [];
    this.head = undefined;
    this.received = 0;
    const payload = body === undefined ? undefined : Buffer.from(body);
    let text = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n`;
    for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
    if (payload) text += `Content-Length: ${payload.length}\r\n`;
    text += '\r\n';
    return new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      this.pending = { resolve, reject, keep };
      this.socket!.write(payload ? Buffer.concat([Buffer.from(text), payload]) : text);
    });
  }

  private data(c: Buffer): void {
    if (!this.pending) return;
    if (!this.head) {
      this.chunks.push(c);
      const all = this.chunks.length > 1 ? Buffer.concat(this.chunks) : c;
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      const text = all.subarray(0, end).toString('latin1');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1];
      if (length === undefined) return this.fail(new Error(`an answer without Content-Length: ${text.split('\r\n')[0]}`));
      this.head = { status: Number(text.slice(9, 12)), length: Number(length), start: end + 4 };
      this.chunks = [];
      c = all.subarray(end + 4);
    }
    this.received += c.length;
    if (this.pending.keep) this.chunks.push(c);
    if (this.received < this.head.length) return;
    if (this.received > this.head.length) return this.fail(new Error('more bytes than Content-Length said'));
    const p = this.pending;
    this.pending = undefined;
    p.resolve({ status: this.head.status, body: p.keep ? Buffer.concat(this.chunks) : Buffer.alloc(0) });
  }

  private fail(e: Error): void {
    const p = this.pending;
    this.pending = undefined;
    this.socket?.destroy();
    this.socket = undefined;
    p?.reject(e);
  }

  close(): void {
    this.socket?.destroy();
  }
}

/** BENCH_CLIENT=node measures with Node's http client instead (what the figures before 2026-12-01 used). */
const LEAN = process.env.BENCH_CLIENT !== 'node';
/** The lean connections of the measured runs, one per request in flight (see load). */
let connections: LeanConnection[] = [];

/** A measured request from the load's `slot`; `keep` when the bench reads the answer's body. */
function measuredRequest(
  base: string,
  slot: number,
  method: string,
  path: string,
  token: string | undefined,
  body?: string,
  keep = false,
): Promise<{ status: number; body: Buffer }> {
  if (!LEAN) return request(base, method, path, token, body);
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!connections.length) {
    const url = new URL(base);
    connections = Array.from({ length: CONCURRENCY }, () => new LeanConnection(url.hostname, Number(url.port)));
  }
  return connections[slot]!.request(method, path, headers, body, keep);
}

/** Runs `count` calls of `one(i)` with CONCURRENCY in flight; returns per second and latencies (ms). */
async function load(count: number, one: (i: number, slot: number) => Promise<number>): Promise<{ perSecond: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, slot) => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const status = await one(i, slot);
        if (status >= 300) throw new Error(`request ${i} answered ${status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: count / ((performance.now() - started) / 1000), latencies };
}

/** CPU time (user + system, ms) a process has used so far, all its threads included; Linux only. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** A fresh PostgreSQL database on the server `url` names; returns its URL and what drops it. */
async function freshPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const name = `attest_bench_${Date.now().toString(36)}_${process.pid}`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const made = new URL(url);
  made.pathname = `/${name}`;
  return {
    url: made.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function startServer(
  dir: string,
  database: string,
): Promise<{ base: string; token: string; password: string; pid: number | undefined; stop(): Promise<void> }> {
  // BENCH_PROFILE=<dir> writes CPU profiles of the server and its render workers there (open in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, 'bin/attest.mjs', 'start', '--port', '0', '--database', database], {
    env: { ...process.env, LOG_LEVEL: 'warn', ATTEST_VERIFY_PER_MINUTE: '100000000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const found = await new Promise<{ base: string; token: string; password: string }>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const base = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      const token = /LMS API token\s+(att_\S+)/.exec(out)?.[1];
      const password = /administrator\s+admin \/ (\S+)/.exec(out)?.[1];
      if (base && token && password) resolve({ base, token, password });
    });
    child.on('exit', (code) => reject(new Error(`the server stopped (exit ${code}):\n${out}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    ...found,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
  const pgDatabase = DATABASE ? await freshPostgres(DATABASE) : undefined;
  const server = await startServer(dir, pgDatabase?.url ?? join(dir, 'bench.sqlite'));
  try {
    // The demo LMS token cannot publish; an admin token is made through the API with the admin session.
    const { base, token: lms } = server;
    const certificates = (await json(base, 'GET', '/api/v1/certificates', lms)) as unknown as { id: string; name: string }[];
    // The reference certificate of the render bench, published through the API with its background.
    const reference = readFileSync(new URL('./reference.liquid', import.meta.url), 'utf8');
    const admin = await adminToken(base, server.password);
    const template = await json(base, 'POST', '/api/v1/templates', admin, { name: 'Bench reference', source: reference });
    const frame = readFileSync(join(EXAMPLES_DIR, 'assets', 'guilloche-frame.pdf'));
    const put = await request(
      base,
      'PUT',
      `/api/v1/templates/${String(template.id)}/assets/assets/guilloche-frame.pdf`,
      admin,
      frame,
      'application/pdf',
    );
    if (put.status !== 201) throw new Error(`asset upload: ${put.status} ${put.body.toString()}`);
    const published = await json(base, 'POST', `/api/v1/templates/${String(template.id)}/publish`, admin);
    const version = (published.version as { id: string }).id;
    const cert = await json(base, 'POST', '/api/v1/certificates', admin, {
      name: 'Bench',
      template_version_id: version,
      course_id: 'bench',
    });
    console.log(
      `server bench: ${WARM_UP} documents to warm up, then ${RUNS} runs of ${ISSUES_PER_RUN} issues and ${READS_PER_RUN} reads, ${CONCURRENCY} requests in flight, ${pgDatabase ? 'PostgreSQL (PDFs as rows)' : 'SQLite'}, loopback, ${LEAN ? 'lean client' : "Node's http client"} (demo certificates: ${certificates.length})`,
    );

    const run = Date.now().toString(36);
    const issue = (prefix: string) => async (i: number, slot: number) => {
      const body = JSON.stringify({
        learner_id: `${run}-${prefix}-${i}`,
        available: true,
        data: {
          learner: { firstname: `Camille ${i}`, lastname: 'Martin' },
          course: { fullname: 'Sauveteur secouriste du travail' },
          completion: { date: '2026-02-03' },
          grade: { value: 15, max: 20 },
        },
      });
      const a = await measuredRequest(base, slot, 'POST', `/api/v1/certificates/${String(cert.id)}/issues`, lms, body, true);
      if (a.status === 201 && ISSUE_RUNS === 0 && codes.length < 2000)
        codes.push((JSON.parse(a.body.toString()) as { issue: { code: string } }).issue.code);
      return a.status;
    };
    const codes: string[] = [];
    await load(WARM_UP, issue('warm'));

    const issueRuns: Run[] = [];
    for (let r = 0; r < ISSUE_RUNS; r++) {
      const cpu0 = cpuMsOf(server.pid);
      const own0 = process.cpuUsage();
      const res = await load(ISSUES_PER_RUN, async (i, slot) => {
        const body = JSON.stringify({
          learner_id: `${run}-r${r}-${i}`,
          available: true,
          data: {
            learner: { firstname: `Learner ${r}-${i}`, lastname: 'Martin' },
            course: { fullname: 'Sauveteur secouriste du travail' },
            completion: { date: '2026-02-03' },
            grade: { value: 15, max: 20 },
          },
        });
        const a = await measuredRequest(base, slot, 'POST', `/api/v1/certificates/${String(cert.id)}/issues`, lms, body, true);
        if (a.status === 201 && codes.length < 2000) codes.push((JSON.parse(a.body.toString()) as { issue: { code: string } }).issue.code);
        return a.status;
      });
      const own = process.cpuUsage(own0);
      issueRuns.push({
        perSecond: res.perSecond,
        p50: pct(res.latencies, 0.5),
        p99: pct(res.latencies, 0.99),
        serverCpu: (cpuMsOf(server.pid) - cpu0) / ISSUES_PER_RUN,
        benchCpu: (own.user + own.system) / 1000 / ISSUES_PER_RUN,
      });
    }
    const downloads: Run[] = [];
    const verifications: Run[] = [];
    /** One run of `count` requests, with the CPU each cost the server (all its threads) and this process. */
    const measured = async (count: number, one: (i: number, slot: number) => Promise<number>): Promise<Run> => {
      const cpu0 = cpuMsOf(server.pid);
      const own0 = process.cpuUsage();
      const res = await load(count, one);
      const own = process.cpuUsage(own0);
      return {
        perSecond: res.perSecond,
        p50: pct(res.latencies, 0.5),
        p99: pct(res.latencies, 0.99),
        serverCpu: (cpuMsOf(server.pid) - cpu0) / count,
        benchCpu: (own.user + own.system) / 1000 / count,
      };
    };
    for (let r = 0; r < RUNS; r++) {
      downloads.push(
        await measured(
          READS_PER_RUN,
          async (i, slot) => (await measuredRequest(base, slot, 'GET', `/api/v1/issues/${codes[i % codes.length]}/document`, lms)).status,
        ),
      );
      verifications.push(
        await measured(
          READS_PER_RUN,
          async (i, slot) => (await measuredRequest(base, slot, 'GET', `/api/v1/verify/${codes[i % codes.length]}`, undefined)).status,
        ),
      );
    }
    // Each figure with its spread, and where the cores go: a request's CPU in the server (all its threads)
    // and in this load generator, and the rate those costs allow when every core is busy — CPU per request
    // is what to compare between runs on a shared machine, where the rate follows whatever else runs.
    const engine = pgDatabase ? 'postgresql' : 'sqlite';
    const figures: Figure[] = [];
    const show = (what: string, id: string, runs: Run[]) => {
      const serverCpu = median(runs.map((x) => x.serverCpu));
      figures.push({
        id: `server.${engine}.${id}`,
        label: `server, ${what}, ${pgDatabase ? 'PostgreSQL (PDFs as rows)' : 'SQLite'}`,
        value: median(runs.map((x) => x.perSecond)),
        unit: '/s',
        runs: runs.map((x) => x.perSecond),
        p50: median(runs.map((x) => x.p50)),
        p99: median(runs.map((x) => x.p99)),
        cpuMs: serverCpu,
        cpuUnit: 'request in the server',
        detail: `${CONCURRENCY} in flight`,
      });
      const benchCpu = median(runs.map((x) => x.benchCpu));
      console.log(
        `${what.padEnd(24)} median ${fmt(median(runs.map((x) => x.perSecond)))}/s  (runs: ${runs.map((x) => fmt(x.perSecond)).join(', ')})  ` +
          `p50 ${fmt(median(runs.map((x) => x.p50)), 1)} ms, p99 ${fmt(median(runs.map((x) => x.p99)), 1)} ms ` +
          `(runs: ${runs.map((x) => fmt(x.p99, 1)).join(', ')})`,
      );
      console.log(
        `${''.padEnd(24)} CPU per request: server ${fmt(serverCpu, 3)} ms (runs: ${runs.map((x) => fmt(x.serverCpu, 3)).join(', ')}), ` +
          `load generator ${fmt(benchCpu, 3)} ms; ${availableParallelism()} cores allow at most ${fmt((availableParallelism() * 1000) / (serverCpu + benchCpu))}/s`,
      );
    };
    if (issueRuns.length) show('new documents issued', 'issue', issueRuns);
    show('PDF downloads', 'downloads', downloads);
    show('verifications', 'verifications', verifications);
    recordFigures(`server-${engine}`, figures);
  } finally {
    await server.stop();
    agent.destroy();
    for (const c of connections) c.close();
    await pgDatabase?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The demo administrator signs in (its password is printed once at first start) and makes a token. */
async function adminToken(base: string, password: string): Promise<string> {
  const signIn = await request(base, 'POST', '/api/v1/session', undefined, JSON.stringify({ tenant: 'demo', username: 'admin', password }));
  const cookie = /attest_session=[^;]+/.exec(lastSetCookie)?.[0];
  if (signIn.status !== 200 || !cookie) throw new Error(`sign-in: ${signIn.status} ${signIn.body.toString()}`);
  const made = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const req = http.request(
      base + '/api/v1/tokens',
      { method: 'POST', agent, headers: { cookie, 'x-attest-csrf': '1', 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(
      JSON.stringify({
        name: 'bench',
        capabilities: ['templates:edit', 'templates:publish', 'templates:preview', 'certificate:add', 'certificate:view'],
      }),
    );
  });
  if (made.status !== 201) throw new Error(`token: ${made.status} ${made.body.toString()}`);
  return (JSON.parse(made.body.toString()) as { token: string }).token;
}

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
