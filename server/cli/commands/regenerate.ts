import { writeFile } from 'node:fs/promises';
import { Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import type { Services } from '../../domain/context';
import {
  findRun,
  previewRegeneration,
  runReport,
  runView,
  startRegeneration,
  type ChunkOutcome,
  type RegenerationRequest,
  type ReportRow,
  type RunRow,
  type RunView,
} from '../../domain/regeneration';
import { getTenant } from '../../domain/tenants';
import { pendingChunks, runById } from '../../storage/repositories/regenerations';
import { openQueue } from '../../jobs/queue';
import { runFinished, workQueue } from '../../jobs/workers';
import {
  dryRunOption,
  examples,
  jsonOption,
  print,
  progress,
  selectionFrom,
  selectionOptions,
  selectTenants,
  systemActor,
  tenantOptions,
  withServices,
  type DryRunOption,
  type JsonOption,
  type Register,
  type SelectionOptions,
  type TenantOptions,
  workersFrom,
} from '../framework';
import { CliError, EXIT, type IO } from '../output';

/**
 * `attest regenerate`: makes issued documents again after a template or their data changed (mass
 * regeneration, server/domain/regeneration.ts). Each selected tenant gets a run, frozen when it starts;
 * the same command run again finds its unfinished run and goes on with it, `--resume RUN` takes one up by
 * its id. On PostgreSQL the work goes through pg-boss, so other `attest regenerate` or `attest serve`
 * processes share it.
 */
export interface RegenerateOptions extends TenantOptions, SelectionOptions, JsonOption, DryRunOption {
  changedOnly?: boolean;
  useVersion?: string;
  workers?: string;
  report?: string;
  resume?: string;
  reason?: string;
}

export const register: Register = (program, cli) => {
  const cmd = program
    .command('regenerate')
    .description(
      'make issued documents again (after a template or their data changed): same codes and issue days, a new revision each, the earlier one still verifying as superseded',
    );
  tenantOptions(cmd);
  selectionOptions(cmd);
  cmd
    .option(
      '--changed-only',
      'only documents whose data changed since their last render (learner record, organisation, certificate, template version)',
    )
    .option('--use-version <id>', "make them with this template version (default: each certificate's current version)")
    .option('--workers <n>', 'render worker threads (default: one per core)')
    .option('--report <file>', 'write the skipped and failed documents there (.csv for CSV, otherwise JSON)')
    .option('--resume <run>', 'take up this unfinished run (its id), also when another process had it')
    .addOption(new Option('--reason <text>', 'why, kept in each document’s audit trail'));
  dryRunOption(cmd);
  jsonOption(cmd);
  examples(cmd, [
    'attest regenerate --tenant campus --certificate 3f2a…  # every document of one certificate, with its current version',
    'attest regenerate --all-tenants --changed-only --report failures.csv',
    'attest regenerate --tenant campus --template-version OLD --use-version NEW --issued-from 2026-01-01',
    'attest regenerate --tenant campus --state issued --dry-run',
    'attest regenerate --resume 0193c1de-…  # after a stop: every document still made once',
  ]);
  cmd.action((opts: RegenerateOptions) => cli.run(() => regenerate(opts, cli.io)));
};

interface Totals {
  selected: number;
  regenerated: number;
  skipped: number;
  failed: number;
}

export async function regenerate(opts: RegenerateOptions, io: IO): Promise<number> {
  const workers = workersFrom(opts.workers);
  const selection = selectionFrom(opts);
  const asked = Object.keys(selection).length > 0 || opts.changedOnly || opts.useVersion !== undefined;
  if (opts.resume && asked)
    throw new CliError('--resume takes up a run as it was started: give no selection, --changed-only or --use-version with it', EXIT.usage);
  const request: RegenerationRequest = {
    selection,
    ...(opts.changedOnly ? { changedOnly: true } : {}),
    ...(opts.useVersion !== undefined ? { templateVersionId: opts.useVersion } : {}),
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
  };
  return withServices(
    {
      ...(opts.database !== undefined ? { database: opts.database } : {}),
      // The command's own pool: every document of a run may wait in it, bounded by the chunks in the making.
      render: { size: opts.dryRun ? 0 : workers, maxQueue: 100_000, timeoutMs: 30_000 },
    },
    async (services) => {
      if (opts.dryRun) return dryRun(services, opts, request, io);
      return work(services, opts, request, workers, io);
    },
  );
}

async function dryRun(services: Services, opts: RegenerateOptions, request: RegenerationRequest, io: IO): Promise<number> {
  if (opts.resume) {
    const run = await runView(services.storage.db, await findRun(services, opts.resume));
    print(
      io,
      opts.json,
      { dryRun: true, run },
      () => `run ${run.id}: ${run.counts.pending} of ${run.selected} documents still to regenerate`,
    );
    return EXIT.ok;
  }
  const tenants = await selectTenants(services, opts);
  const out: { tenant: string; selected: number; toRegenerate: number; skipped: Record<string, number> }[] = [];
  for (const tenant of tenants) out.push({ tenant: tenant.slug, ...(await previewRegeneration(services, systemActor(tenant), request)) });
  print(io, opts.json, { dryRun: true, tenants: out }, () =>
    out
      .map(
        (t) =>
          `${t.tenant}: ${t.toRegenerate} of ${t.selected} selected documents would be regenerated` +
          (Object.keys(t.skipped).length
            ? ` (skipped: ${Object.entries(t.skipped)
                .map(([k, n]) => `${n} ${k}`)
                .join(', ')})`
            : ''),
      )
      .join('\n'),
  );
  return EXIT.ok;
}

async function work(services: Services, opts: RegenerateOptions, request: RegenerationRequest, workers: number, io: IO): Promise<number> {
  const db = services.storage.db;
  const queue = await openQueue(services);
  const stopping = new AbortController();
  const onSignal = () => {
    io.err('attest: stopping once the documents in the making are recorded (the run can be taken up again)\n');
    stopping.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const runs: RunRow[] = [];
    const slugs = new Map<string, string>();
    if (opts.resume) {
      const run = await findRun(services, opts.resume);
      if (opts.tenant?.length || opts.allTenants) {
        const allowed = await selectTenants(services, opts);
        if (!allowed.some((t) => t.id === run.tenant_id)) throw new CliError(`run ${run.id} is not one of the tenants given`, EXIT.invalid);
      }
      slugs.set(run.tenant_id, (await getTenant(db, run.tenant_id)).slug);
      // A takeover: the chunks another process held are put on the queue again at once.
      if (run.state === 'running') await queue.enqueue(run, await pendingChunks(db, run.id, run.chunk_size), { again: true });
      runs.push(run);
    } else {
      for (const tenant of await selectTenants(services, opts)) {
        slugs.set(tenant.id, tenant.slug);
        const { run, created } = await startRegeneration(services, systemActor(tenant), request, (trx, row, chunks) =>
          queue.enqueue(row, chunks, { trx }),
        );
        const row = (await runById(db, run.id))!;
        if (!created) {
          if (!opts.json) io.err(`${tenant.slug}: going on with unfinished run ${run.id} (started ${run.createdAt})\n`);
          // Chunks already waiting are not put twice (pg-boss job ids are the run's and the chunk's).
          await queue.enqueue(row, await pendingChunks(db, row.id, row.chunk_size));
        }
        runs.push(row);
      }
    }

    const views = async () => Promise.all(runs.map(async (r) => runView(db, (await runById(db, r.id)) ?? r)));
    const finished = (v: RunView) => v.counts.done + v.counts.skipped + v.counts.failed;
    const before = await views();
    const total = before.reduce((n, v) => n + v.selected, 0);
    const bar = progress(io, 'regenerating', total, { json: opts.json });
    let shown = before.reduce((n, v) => n + finished(v), 0);
    bar.tick(shown);
    const mine: ChunkOutcome = { regenerated: 0, skipped: 0, failed: 0, alreadyFinished: 0 };
    const ids = new Set(runs.map((r) => r.id));
    const started = performance.now();
    let errors = 0;
    await workQueue(services, queue, {
      concurrency: workers + 2,
      signal: stopping.signal,
      until: async () => {
        for (const r of runs) if (!(await runFinished(services, r.id))) return false;
        return true;
      },
      onChunk: (run, outcome) => {
        if (!ids.has(run.id)) return;
        mine.regenerated += outcome.regenerated;
        mine.skipped += outcome.skipped;
        mine.failed += outcome.failed;
        mine.alreadyFinished += outcome.alreadyFinished;
        const n = outcome.regenerated + outcome.skipped + outcome.failed;
        shown += n;
        bar.tick(n);
      },
      onError: (e, job) => {
        if (errors++ < 5)
          io.err(`attest: chunk ${job.chunk} of run ${job.runId} will be tried again: ${e instanceof Error ? e.message : String(e)}\n`);
      },
    });
    bar.stop();
    const seconds = (performance.now() - started) / 1000;
    const after = await views();
    const totals: Totals = { selected: 0, regenerated: 0, skipped: 0, failed: 0 };
    for (const v of after) {
      totals.selected += v.selected;
      totals.regenerated += v.counts.done;
      totals.skipped += v.counts.skipped;
      totals.failed += v.counts.failed;
    }
    const pending = after.reduce((n, v) => n + v.counts.pending, 0);

    let report: ReportRow[] = [];
    for (const v of after) report = report.concat(await runReport(services, v.id));
    if (opts.report) await writeReport(opts.report, report);

    const summary = {
      runs: after.map((v) => ({ ...v, tenant: slugs.get(v.tenantId) })),
      ...totals,
      pending,
      thisProcess: { regenerated: mine.regenerated, skipped: mine.skipped, failed: mine.failed, alreadyFinished: mine.alreadyFinished },
      seconds: Math.round(seconds * 10) / 10,
      perSecond: seconds > 0 ? Math.round((mine.regenerated / seconds) * 10) / 10 : 0,
      ...(opts.report ? { report: opts.report } : {}),
      failures: report.filter((r) => r.status === 'failed').slice(0, 20),
    };
    print(io, opts.json, summary, () => {
      const lines = after.map(
        (v) =>
          `${slugs.get(v.tenantId)}: run ${v.id} ${v.state}: ${v.selected} selected, ${v.counts.done} regenerated, ${v.counts.skipped} skipped` +
          `${
            Object.keys(v.skipped).length
              ? ` (${Object.entries(v.skipped)
                  .map(([k, n]) => `${n} ${k}`)
                  .join(', ')})`
              : ''
          }, ${v.counts.failed} failed` +
          (v.counts.pending ? `, ${v.counts.pending} still to do` : ''),
      );
      lines.push(
        `${totals.selected} selected, ${totals.regenerated} regenerated, ${totals.skipped} skipped, ${totals.failed} failed; ` +
          `this process made ${mine.regenerated} in ${summary.seconds} s (${summary.perSecond}/s)`,
      );
      for (const f of summary.failures) lines.push(`  failed ${f.code}: ${f.errorCode}: ${f.message}`);
      if (totals.failed > summary.failures.length)
        lines.push(
          `  … ${totals.failed - summary.failures.length} more${opts.report ? ` in ${opts.report}` : ' (--report FILE lists them all)'}`,
        );
      if (opts.report) lines.push(`report: ${opts.report}`);
      if (pending) lines.push(`stopped before the end: "attest regenerate --resume ${after.find((v) => v.counts.pending)!.id}" goes on`);
      return lines.join('\n');
    });
    if (pending) return EXIT.partial;
    return totals.failed ? EXIT.partial : EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await queue.close();
  }
}

const COLUMNS: (keyof ReportRow)[] = [
  'run',
  'code',
  'certificateId',
  'learnerId',
  'status',
  'errorCode',
  'message',
  'templateVersionId',
  'at',
];

async function writeReport(file: string, rows: ReportRow[]): Promise<void> {
  const text = file.toLowerCase().endsWith('.csv')
    ? stringify(rows, { header: true, columns: COLUMNS.map((key) => ({ key, header: key })) })
    : `${JSON.stringify(rows, null, 2)}\n`;
  try {
    await writeFile(file, text, { mode: 0o600 });
  } catch (e) {
    throw new CliError(`cannot write the report "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.io);
  }
}
