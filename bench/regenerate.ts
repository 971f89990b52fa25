/**
 * `npm run bench` (third part): mass regeneration (`attest regenerate`). It makes a database holding one
 * tenant with the reference certificate (bench/reference.liquid) and N issued documents, each learner with
 * their own name in their record, then times `attest regenerate --tenant bench` run in this process (the
 * CLI's own code: freezing the selection, the render pool on every core, chunks staged and recorded in one
 * transaction each). It prints documents per second, wall time and the CPU one document costs (every
 * thread of the process), on SQLite, then on PostgreSQL when one answers at ATTEST_BENCH_PG (default
 * postgres://postgres@127.0.0.1:5432, a database made and dropped for the run).
 *
 *   ATTEST_BENCH_REGEN=100000 npm run bench   the issue's figure (100,000 documents; default 10,000: fewer measure mostly the workers' start-up)
 *   ATTEST_BENCH_REGEN_PG=…                   documents on PostgreSQL (default: the same number, at most 20,000)
 *   ATTEST_BENCH_REGEN_SINGLE=…               documents made one by one with the API's path first (default 300)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { main } from '../server/cli/main';
import { openServices } from '../server/services';
import { createTenant } from '../server/domain/tenants';
import { createTemplate, putAsset, publishTemplate } from '../server/domain/templates';
import { createCertificate } from '../server/domain/certificates';
import { regenerateIssue, requestDocument } from '../server/domain/issues';
import { newVerificationCode } from '../server/domain/codes';
import { newId } from '../server/domain/ids';
import type { Actor } from '../server/domain/context';
import { EXAMPLES_DIR } from '../templates/files';
import { recordFigures, type Figure } from './results';

const COUNT = Number(process.env.ATTEST_BENCH_REGEN ?? 10_000);
const PG_COUNT = Number(process.env.ATTEST_BENCH_REGEN_PG ?? Math.min(COUNT, 20_000));
const SINGLE = Number(process.env.ATTEST_BENCH_REGEN_SINGLE ?? 300);
const PG_BASE = process.env.ATTEST_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** CPU time (ms) of this process's main thread alone (Linux: its task's utime + stime, USER_HZ = 100); NaN elsewhere. */
const mainThreadCpuMs = () => {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
};

/** A database with the reference certificate and `count` issued documents (one made for real, the rest its copies with their own learners). */
async function seed(url: string, count: number): Promise<{ slug: string; codes: string[] }> {
  const services = await openServices({ databaseUrl: url, baseUrl: 'https://attest.example.org', render: { size: 1 } });
  try {
    const tenant = await createTenant(services, { slug: 'bench', name: 'Bench', settings: { locale: 'fr', completion_tracking: false } });
    const system: Actor = { kind: 'system', tenantId: tenant.id };
    const reference = readFileSync(new URL('./reference.liquid', import.meta.url), 'utf8');
    const template = await createTemplate(services, system, { name: 'Bench reference', source: reference });
    await putAsset(
      services,
      system,
      template.id,
      'assets/guilloche-frame.pdf',
      readFileSync(join(EXAMPLES_DIR, 'assets', 'guilloche-frame.pdf')),
    );
    const { version } = await publishTemplate(services, system, template.id);
    const certificate = await createCertificate(services, system, { name: 'Bench', templateVersionId: version.id, courseId: 'bench' });
    const data = (i: number) => ({
      learner: { firstname: `Camille ${i}`, lastname: 'Martin' },
      course: { fullname: 'Sauveteur secouriste du travail' },
      completion: { date: '2026-02-03' },
      grade: { value: 15, max: 20 },
    });
    const { issue } = await requestDocument(services, system, {
      certificateId: certificate.id,
      learnerId: 'learner-0',
      data: data(0),
      available: true,
    });
    const db = services.storage.db;
    const first = await db.selectFrom('issues').selectAll().where('code', '=', issue.code).executeTakeFirstOrThrow();
    const doc = await db.selectFrom('documents').selectAll().where('issue_id', '=', first.id).executeTakeFirstOrThrow();
    const record = await db.selectFrom('learner_records').selectAll().where('learner_id', '=', 'learner-0').executeTakeFirstOrThrow();
    const codes = [issue.code];
    const BATCH = 400;
    for (let i = 1; i < count; i += BATCH) {
      const n = Math.min(BATCH, count - i);
      const issues = Array.from({ length: n }, (_, k) => {
        const code = newVerificationCode();
        codes.push(code);
        const stored = JSON.parse(first.data) as Record<string, unknown>;
        return {
          ...first,
          id: newId(),
          code,
          learner_id: `learner-${i + k}`,
          data: JSON.stringify({ ...stored, ...data(i + k) }),
          inputs_sha256: null,
        };
      });
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('issues').values(issues).execute();
        await trx
          .insertInto('documents')
          .values(issues.map((r) => ({ ...doc, issue_id: r.id })))
          .execute();
        await trx
          .insertInto('learner_records')
          .values(issues.map((r, k) => ({ ...record, learner_id: r.learner_id, data: JSON.stringify(data(i + k)) })))
          .execute();
      });
    }
    console.log(
      `regenerate  the reference certificate: ${fmt(doc.size / 1024, 1)} KB, rendered in ${fmt(doc.render_ms, 1)} ms when issued`,
    );
    return { slug: tenant.slug, codes };
  } finally {
    await services.close();
  }
}

/** The API's path, one document at a time (eight in flight): one transaction and one staged file per document. */
async function single(url: string, codes: string[]): Promise<void> {
  const services = await openServices({
    databaseUrl: url,
    baseUrl: 'https://attest.example.org',
    render: { size: availableParallelism() },
  });
  try {
    const tenant = await services.storage.db.selectFrom('tenants').select('id').where('slug', '=', 'bench').executeTakeFirstOrThrow();
    const system: Actor = { kind: 'system', tenantId: tenant.id };
    await (services.renderer as unknown as { whenReady(): Promise<void> }).whenReady();
    // Warm-up: the workers' first documents are slower (JIT, fonts).
    for (const code of codes.slice(0, 40)) await regenerateIssue(services, system, code);
    const todo = codes.slice(40, 40 + SINGLE);
    const cpu0 = cpuMs();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < todo.length) await regenerateIssue(services, system, todo[next++]!);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `regenerate  one by one (regenerateIssue, 8 in flight): ${fmt(todo.length / seconds)} documents/s, CPU ${fmt((cpuMs() - cpu0) / todo.length, 2)} ms per document (${todo.length} documents)`,
    );
  } finally {
    await services.close();
  }
}

/**
 * CPU time (ms) each thread of this process used while `sample` ran (Linux), by thread name: threads
 * started and ended meanwhile (the command's render workers) are seen by sampling every half second.
 */
function threadSampler(): { stop(): Map<string, number> } {
  const seen = new Map<string, { name: string; first: number; last: number }>();
  const sample = (initial: boolean) => {
    try {
      for (const tid of readdirSync('/proc/self/task')) {
        try {
          const name = tid === String(process.pid) ? 'main' : readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
          const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
          const known = seen.get(tid);
          if (known) known.last = ms;
          else seen.set(tid, { name, first: initial ? ms : 0, last: ms });
        } catch {
          // A thread that ended meanwhile.
        }
      }
    } catch {
      // Not Linux.
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), 500);
  return {
    stop() {
      clearInterval(timer);
      sample(false);
      const out = new Map<string, number>();
      for (const t of seen.values()) out.set(t.name, (out.get(t.name) ?? 0) + t.last - t.first);
      return out;
    },
  };
}

async function bulk(url: string, slug: string, count: number, engine: string): Promise<Figure> {
  let out = '';
  let err = '';
  const cpu0 = cpuMs();
  const main0 = mainThreadCpuMs();
  const sampler = threadSampler();
  const t0 = performance.now();
  const code = await main(['regenerate', '--tenant', slug, '--database', url, '--json', '--reason', 'bench'], {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuMs() - cpu0;
  // The main thread's CPU (building and binding data, SQL, hashing, staging calls); the rest is the render workers', GC's and libuv's.
  const mainMs = mainThreadCpuMs() - main0;
  const threads = [...sampler.stop()].filter(([, ms]) => ms / count >= 0.01).sort((a, b) => b[1] - a[1]);
  if (code !== 0) throw new Error(`attest regenerate exited ${code}: ${err}`);
  const summary = JSON.parse(out) as { regenerated: number; seconds: number; perSecond: number };
  if (summary.regenerated !== count) throw new Error(`regenerated ${summary.regenerated} of ${count}`);
  console.log(
    `regenerate  attest regenerate, ${engine}, ${fmt(count)} documents, ${availableParallelism()} render workers: ` +
      `${fmt(count / seconds)} documents/s over the whole command (${fmt(seconds, 1)} s, start-up and freezing the selection included; ` +
      `${fmt(summary.perSecond)}/s once started), CPU ${fmt(cpu / count, 2)} ms per document (all threads; main thread ${fmt(mainMs / count, 2)} ms)` +
      (count >= 100_000 ? `; ${seconds < 180 ? 'under' : 'over'} 3 minutes` : ''),
  );
  // By thread name: "main", the render workers, V8's helpers (GC), libuv's (file writes and fsyncs).
  console.log(
    `            CPU per document by thread: ${threads.map(([name, ms]) => `${name === 'node' ? 'render workers with V8 and libuv helpers' : name} ${fmt(ms / count, 2)} ms`).join(', ')}`,
  );
  const rate = count / seconds;
  return {
    id: `regenerate.${engine.startsWith('PostgreSQL') ? 'postgresql' : 'sqlite'}`,
    label: `attest regenerate, ${engine}, ${availableParallelism()} render workers`,
    value: rate,
    unit: 'documents/s',
    cpuMs: cpu / count,
    cpuUnit: 'document',
    detail:
      `${fmt(count)} documents in ${fmt(seconds, 1)} s, start-up included` +
      (count < 100_000 ? `; 100,000 at this rate: ${fmt(100_000 / rate)} s` : ''),
  };
}

async function main_(): Promise<void> {
  // A run that fails records nothing: the part's previous figures stay (bench/results.ts).
  const figures: Figure[] = [];
  await measureAll(figures);
  recordFigures('regenerate', figures);
}

async function measureAll(figures: Figure[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'attest-bench-regen-'));
  try {
    const url = join(dir, 'bench.sqlite');
    const t0 = performance.now();
    const { slug, codes } = await seed(url, Math.max(COUNT, SINGLE + 40));
    console.log(`regenerate  ${fmt(codes.length)} documents issued for the bench in ${fmt((performance.now() - t0) / 1000, 1)} s (SQLite)`);
    if (SINGLE > 0) await single(url, codes);
    figures.push(await bulk(url, slug, codes.length, 'SQLite'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (PG_COUNT <= 0) return;
  const name = `attest_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  try {
    await admin.connect();
  } catch (e) {
    console.log(`regenerate  PostgreSQL: none at ${PG_BASE} (${e instanceof Error ? e.message : String(e)}); skipped`);
    return;
  }
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = `${PG_BASE}/${name}`;
    const { slug, codes } = await seed(url, PG_COUNT);
    figures.push(await bulk(url, slug, codes.length, 'PostgreSQL (pg-boss)'));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

void main_().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
