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
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES_DIR } from '../templates/files';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ISSUES_PER_RUN = Number(process.env.BENCH_ISSUES ?? 1000);
/** Render workers reach their steady speed after about a thousand documents each (JIT, font and shaping caches). */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

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

/** Runs `count` calls of `one(i)` with CONCURRENCY in flight; returns per second and latencies (ms). */
async function load(count: number, one: (i: number) => Promise<number>): Promise<{ perSecond: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const status = await one(i);
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

async function startServer(dir: string): Promise<{ base: string; token: string; password: string; pid: number | undefined; stop(): void }> {
  // BENCH_PROFILE=<dir> writes CPU profiles of the server and its render workers there (open in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, 'bin/attest.mjs', 'start', '--port', '0', '--database', join(dir, 'bench.sqlite')], {
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
  return { ...found, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
  const server = await startServer(dir);
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
      `server bench: ${WARM_UP} documents to warm up, then ${RUNS} runs of ${ISSUES_PER_RUN}, ${CONCURRENCY} requests in flight, SQLite, loopback (demo certificates: ${certificates.length})`,
    );

    const run = Date.now().toString(36);
    const issue = (prefix: string) => async (i: number) => {
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
      return (await request(base, 'POST', `/api/v1/certificates/${String(cert.id)}/issues`, lms, body)).status;
    };
    await load(WARM_UP, issue('warm'));

    const codes: string[] = [];
    const issueRuns: { perSecond: number; p50: number; p99: number; serverCpu: number; benchCpu: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      const cpu0 = cpuMsOf(server.pid);
      const own0 = process.cpuUsage();
      const res = await load(ISSUES_PER_RUN, async (i) => {
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
        const a = await request(base, 'POST', `/api/v1/certificates/${String(cert.id)}/issues`, lms, body);
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
    const downloads: { perSecond: number; p99: number }[] = [];
    const verifications: { perSecond: number; p99: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      const d = await load(
        1000,
        async (i) => (await request(base, 'GET', `/api/v1/issues/${codes[i % codes.length]}/document`, lms)).status,
      );
      downloads.push({ perSecond: d.perSecond, p99: pct(d.latencies, 0.99) });
      const v = await load(2000, async (i) => (await request(base, 'GET', `/api/v1/verify/${codes[i % codes.length]}`, undefined)).status);
      verifications.push({ perSecond: v.perSecond, p99: pct(v.latencies, 0.99) });
    }
    const show = (what: string, runs: { perSecond: number; p99: number; p50?: number }[]) =>
      console.log(
        `${what.padEnd(34)} median ${fmt(median(runs.map((x) => x.perSecond)))}/s  (runs: ${runs.map((x) => fmt(x.perSecond)).join(', ')})  p99 median ${fmt(median(runs.map((x) => x.p99)), 1)} ms` +
          (runs[0]?.p50 !== undefined ? `, p50 ${fmt(median(runs.map((x) => x.p50!)), 1)} ms` : ''),
      );
    show('new documents issued', issueRuns);
    // Where the cores go: a document's CPU in the server (all its threads) and in this load generator, and
    // the rate those costs allow when every core is busy: how far the figure above is from the machine's.
    const serverCpu = median(issueRuns.map((x) => x.serverCpu));
    const benchCpu = median(issueRuns.map((x) => x.benchCpu));
    console.log(
      `${''.padEnd(34)} CPU per document: server ${fmt(serverCpu, 2)} ms, load generator ${fmt(benchCpu, 2)} ms; ` +
        `${availableParallelism()} cores allow at most ${fmt((availableParallelism() * 1000) / (serverCpu + benchCpu))}/s`,
    );
    show('PDF downloads', downloads);
    show('verifications', verifications);
  } finally {
    server.stop();
    agent.destroy();
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
