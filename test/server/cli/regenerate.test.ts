import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../server/cli/main';
import { requestDocument } from '../../../server/domain/issues';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';

/**
 * `attest regenerate` as operators run it: in-process for its flags and output, and as child processes
 * (bin/attest.mjs) that are killed halfway and run again, on SQLite and on PostgreSQL through pg-boss.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;
const pool = useRenderPool(2);

async function attest(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

interface Child {
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

/** `node bin/attest.mjs …` with small chunks, so a kill lands between many commits. */
function child(args: string[]): Child {
  const p = spawn(process.execPath, ['bin/attest.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, ATTEST_REGENERATE_CHUNK: '10' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  p.stdout.on('data', (c: Buffer) => (out += c.toString()));
  p.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { process: p, exited: new Promise((resolve) => p.on('exit', (code, signal) => resolve({ code, signal, out, err }))) };
}

/** Issues `n` documents, a few at a time. */
async function issueMany(s: TestServices, fx: TenantFixture, n: number, prefix: string): Promise<void> {
  for (let i = 0; i < n; i += 20)
    await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, (_, k) =>
        requestDocument(s, fx.lms, {
          certificateId: fx.certificate.id,
          learnerId: `${prefix}-${i + k}`,
          data: learnerData(),
          available: true,
        }),
      ),
    );
}

const doneItems = async (s: TestServices) =>
  Number(
    (
      await s.storage.db
        .selectFrom('regeneration_items')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('status', '=', 'done')
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Every document of the tenant made again exactly once: revision 2, two revisions stored, one 'regenerated' entry. */
async function eachOnce(s: TestServices, fx: TenantFixture, n: number): Promise<void> {
  const issues = await s.storage.db.selectFrom('issues').select(['id', 'revision']).where('tenant_id', '=', fx.tenant.id).execute();
  expect(issues).toHaveLength(n);
  expect(issues.filter((i) => i.revision !== 2)).toEqual([]);
  const revisions = await s.storage.db
    .selectFrom('documents')
    .select(['issue_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('issue_id')
    .execute();
  expect(revisions.filter((r) => Number(r.n) !== 2)).toEqual([]);
  const audit = await s.storage.db
    .selectFrom('audit')
    .select(['subject_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('tenant_id', '=', fx.tenant.id)
    .where('action', '=', 'regenerated')
    .groupBy('subject_id')
    .execute();
  expect(audit).toHaveLength(n);
  expect(audit.filter((a) => Number(a.n) !== 1)).toEqual([]);
  // The CLI does not know the server's public address: the documents keep the one they were printed with.
  const one = await s.storage.db.selectFrom('issues').select('data').where('tenant_id', '=', fx.tenant.id).executeTakeFirstOrThrow();
  expect((JSON.parse(one.data) as { certificate: { verification_url: string } }).certificate.verification_url).toMatch(
    /^https:\/\/attest\.test\/verify\//,
  );
  const runs = await s.storage.db.selectFrom('regeneration_runs').select(['state']).where('tenant_id', '=', fx.tenant.id).execute();
  expect(runs.map((r) => r.state)).toEqual(['complete']);
}

/** Waits (a bounded poll) until at least `atLeast` items are done, then kills the process. */
async function killOnceSomeDone(s: TestServices, c: Child, atLeast: number): Promise<number> {
  for (let i = 0; i < 3000; i++) {
    if ((await doneItems(s)) >= atLeast) break;
    if (c.process.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  c.process.kill('SIGKILL');
  const { signal } = await c.exited;
  expect(signal).toBe('SIGKILL');
  return doneItems(s);
}

describe('attest regenerate (in-process, SQLite)', () => {
  let s: TestServices;
  let fx: TenantFixture;
  const dir = mkdtempSync(join(tmpdir(), 'attest-cli-regenerate-'));

  beforeAll(async () => {
    s = await freshServices('sqlite', { pool: pool() });
    // The tenant's own verification address: the CLI's server address (another) is then not printed.
    fx = await setupTenant(s, { settings: { public_base_url: 'https://verify.example.org' } });
    await issueMany(s, fx, 6, 'inproc');
  });

  it('has help with examples', async () => {
    const help = await attest('regenerate', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Examples:');
    for (const flag of [
      '--changed-only',
      '--use-version',
      '--workers',
      '--report',
      '--resume',
      '--dry-run',
      '--json',
      '--certificate',
      '--all-tenants',
    ])
      expect(help.out).toContain(flag);
  });

  it('counts what it would do with --dry-run, and writes nothing', async () => {
    const r = await attest(
      'regenerate',
      '--tenant',
      fx.tenant.slug,
      '--database',
      s.url,
      '--dry-run',
      '--json',
      '--learner',
      'inproc-1',
      '--learner',
      'inproc-2',
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ dryRun: true, tenants: [{ tenant: fx.tenant.slug, selected: 2, toRegenerate: 2, skipped: {} }] });
    expect(await s.storage.db.selectFrom('regeneration_runs').selectAll().execute()).toEqual([]);
    const changed = await attest('regenerate', '--tenant', fx.tenant.slug, '--database', s.url, '--dry-run', '--changed-only');
    expect(changed.out).toContain('0 of 6 selected documents would be regenerated (skipped: 6 UNCHANGED)');
  });

  it('regenerates, reports a failing document in a CSV report and exits 4', async () => {
    await s.storage.db
      .updateTable('learner_records')
      .set({ data: JSON.stringify({ ...learnerData(), learner: 42 }) })
      .where('learner_id', '=', 'inproc-3')
      .execute();
    const report = join(dir, 'failures.csv');
    const r = await attest(
      'regenerate',
      '--tenant',
      fx.tenant.slug,
      '--database',
      s.url,
      '--workers',
      '1',
      '--json',
      '--report',
      report,
      '--reason',
      'logo',
    );
    expect(r.code, r.err).toBe(4);
    const summary = JSON.parse(r.out) as {
      selected: number;
      regenerated: number;
      failed: number;
      skipped: number;
      perSecond: number;
      runs: { state: string }[];
    };
    expect(summary).toMatchObject({ selected: 6, regenerated: 5, failed: 1, skipped: 0 });
    expect(summary.runs[0]!.state).toBe('complete');
    const rows = parse<Record<string, string>>(readFileSync(report, 'utf8'), { columns: true });
    expect(rows).toEqual([expect.objectContaining({ learnerId: 'inproc-3', status: 'failed', errorCode: 'DATA_INVALID' })]);
    // The same command again: a new run (the last one is complete); --changed-only leaves the five made just now.
    const again = await attest('regenerate', '--tenant', fx.tenant.slug, '--database', s.url, '--workers', '1', '--changed-only');
    expect(again.code).toBe(4);
    expect(again.out).toContain('6 selected, 0 regenerated, 5 skipped (5 UNCHANGED), 1 failed');
  });

  it('says what is wrong with the command line', async () => {
    expect((await attest('regenerate', '--database', s.url)).code).toBe(2);
    expect((await attest('regenerate', '--tenant', fx.tenant.slug, '--database', s.url, '--workers', '0')).code).toBe(2);
    expect((await attest('regenerate', '--resume', 'x', '--learner', 'y', '--database', s.url)).code).toBe(2);
    const unknown = await attest('regenerate', '--resume', 'no-such-run', '--database', s.url);
    expect([unknown.code, unknown.err]).toEqual([1, expect.stringContaining('REGENERATION_RUN_NOT_FOUND')]);
    const version = await attest('regenerate', '--tenant', fx.tenant.slug, '--database', s.url, '--use-version', 'nope');
    expect([version.code, version.err]).toEqual([1, expect.stringContaining('VERSION_NOT_FOUND')]);
  });
});

describe.each(ENGINES)('attest regenerate killed halfway and run again (%s)', (engine) => {
  const N = 240;
  let s: TestServices;
  let fx: TenantFixture;

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s);
    await issueMany(s, fx, N, 'kill');
  }, 120_000);

  it('makes every selected document exactly once', async () => {
    const args = ['regenerate', '--tenant', fx.tenant.slug, '--database', s.url, '--workers', '1', '--json'];
    const first = child(args);
    const done = await killOnceSomeDone(s, first, 30);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(N);
    const run = await s.storage.db.selectFrom('regeneration_runs').select(['id', 'state']).executeTakeFirstOrThrow();
    expect(run.state).toBe('running');
    // SQLite: the same command finds its unfinished run; PostgreSQL: --resume takes it over from the dead process.
    const second = child(engine === 'sqlite' ? args : ['regenerate', '--resume', run.id, '--database', s.url, '--workers', '1', '--json']);
    const end = await second.exited;
    expect(end.code, end.err).toBe(0);
    const summary = JSON.parse(end.out) as { regenerated: number; thisProcess: { regenerated: number }; runs: { id: string }[] };
    expect(summary.runs.map((r) => r.id)).toEqual([run.id]);
    expect(summary.regenerated).toBe(N);
    expect(summary.thisProcess.regenerated).toBe(N - done);
    await eachOnce(s, fx, N);
  }, 180_000);
});

describe('attest regenerate on two processes at once (postgres, pg-boss)', () => {
  const N = 200;
  let s: TestServices;
  let fx: TenantFixture;

  beforeAll(async () => {
    s = await freshServices('postgres', { pool: pool() });
    fx = await setupTenant(s);
    await issueMany(s, fx, N, 'two');
  }, 120_000);

  it('share one run: no document is made twice', async () => {
    const args = ['regenerate', '--tenant', fx.tenant.slug, '--database', s.url, '--workers', '1', '--json'];
    const [a, b] = [child(args), child(args)];
    // Bounded: two processes that do not end within this are stopped and the test says what they printed.
    const stuck = setTimeout(() => [a, b].forEach((c) => c.process.kill('SIGKILL')), 120_000);
    const [ea, eb] = await Promise.all([a.exited, b.exited]).finally(() => clearTimeout(stuck));
    expect(ea.code, ea.err).toBe(0);
    expect(eb.code, eb.err).toBe(0);
    const [sa, sb] = [ea, eb].map((e) => JSON.parse(e.out) as { runs: { id: string }[]; thisProcess: { regenerated: number } });
    expect(sa!.runs[0]!.id).toBe(sb!.runs[0]!.id);
    expect(sa!.thisProcess.regenerated + sb!.thisProcess.regenerated).toBe(N);
    await eachOnce(s, fx, N);
  }, 180_000);
});
