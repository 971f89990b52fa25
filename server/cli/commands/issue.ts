import { readFile } from 'node:fs/promises';
import { bulkRunFinished, confirmBulk, dryRunCsv, getBulkRun, type BulkRunView } from '../../domain/bulk-issue';
import { DomainError } from '../../domain/errors';
import { openQueue } from '../../jobs/queue';
import { workQueue } from '../../jobs/workers';
import {
  examples,
  jsonOption,
  oneTenant,
  print,
  systemActor,
  tenantOptions,
  withServices,
  workersFrom,
  type JsonOption,
  type Register,
  type TenantOptions,
} from '../framework';
import { CliError, EXIT, type IO } from '../output';

/**
 * `attest issue --csv FILE`: a bulk issue from the server (server/domain/bulk-issue.ts), as the API
 * does it: a dry run first (what each row would get; nothing issued), then `--confirm RUN --fingerprint
 * F` issues exactly that, working the queue until the run ends (on PostgreSQL other processes share it).
 */
export interface IssueOptions extends TenantOptions, JsonOption {
  certificate?: string;
  csv?: string;
  map?: string[];
  learnerIdColumn?: string;
  delimiter?: string;
  confirm?: string;
  fingerprint?: string;
  workers?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export const register: Register = (program, cli) => {
  const cmd = program
    .command('issue')
    .description('issue to many learners from a CSV file: a dry run first (who would get what, who is refused and why), then --confirm');
  tenantOptions(cmd, { single: true });
  cmd
    .option('--certificate <id>', 'the certificate to issue')
    .option('--csv <file>', 'the learners, one a row (UTF-8; `,` or `;`)')
    .option('--map <column=variable>', 'a column and the variable it fills (learner.firstname, completion.date, …); repeat', collect)
    .option('--learner-id-column <column>', 'the column of the LMS learner id', 'id')
    .option('--delimiter <char>', '`,` or `;` (default: seen in the header line)')
    .option('--confirm <run>', 'issue what this dry run said (its id)')
    .option('--fingerprint <hash>', "the dry run's fingerprint, with --confirm")
    .option('--workers <n>', 'render worker threads (default: one per core)');
  jsonOption(cmd);
  examples(cmd, [
    'attest issue --tenant campus --certificate 3f2a… --csv learners.csv --map Prénom=learner.firstname --map Nom=learner.lastname --map Date=completion.date',
    'attest issue --tenant campus --confirm 0193c1de-… --fingerprint 9b1c…  # issues what the dry run said',
  ]);
  cmd.action((opts: IssueOptions) => cli.run(() => issue(opts, cli.io)));
};

function summary(run: BulkRunView): string {
  const c = run.counts;
  const lines = [
    `run ${run.id} (${run.state}): ${c.wouldIssue} to issue, ${c.already} already issued, ${c.refused} refused, ${c.invalid} with data problems, of ${c.total}`,
  ];
  if (run.state === 'dry-run') lines.push(`confirm with: --confirm ${run.id} --fingerprint ${run.fingerprint}`);
  else {
    const p = run.progress;
    lines.push(`issued ${p.issued} of ${p.toIssue}; failed ${p.failed}; changed since the dry run ${p.already + p.refused + p.invalid}`);
  }
  for (const i of run.items) {
    const why = [
      ...(i.reasons ?? []).map((r) => r.code),
      ...(i.problems ?? []).map((p) => `${p.path} ${p.code}`),
      ...(i.error ? [i.error.code] : []),
    ];
    if (i.expected !== 'issue' || i.status === 'failed' || i.changed)
      lines.push(
        `  row ${i.row ?? i.position + 1} ${i.learnerId}: ${i.status === 'planned' ? i.expected : i.status}${why.length ? ` (${why.join(', ')})` : ''}`,
      );
  }
  return lines.join('\n');
}

function mapping(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new CliError(`--map takes column=variable, not "${pair}"`, EXIT.usage);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

export async function issue(opts: IssueOptions, io: IO): Promise<number> {
  if ((opts.csv === undefined) === (opts.confirm === undefined))
    throw new CliError('give --csv FILE (a dry run) or --confirm RUN', EXIT.usage);
  if (opts.confirm !== undefined && !opts.fingerprint) throw new CliError('--confirm needs the dry run’s --fingerprint', EXIT.usage);
  if (opts.delimiter !== undefined && opts.delimiter !== ',' && opts.delimiter !== ';')
    throw new CliError('--delimiter is `,` or `;`', EXIT.usage);
  const workers = workersFrom(opts.workers);
  let bytes: Buffer | undefined;
  if (opts.csv !== undefined) {
    try {
      bytes = await readFile(opts.csv);
    } catch (e) {
      throw new CliError(`cannot read ${opts.csv}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, EXIT.io);
    }
  }
  return withServices(
    {
      ...(opts.database !== undefined ? { database: opts.database } : {}),
      render: { size: bytes ? 0 : workers, maxQueue: 100_000, timeoutMs: 30_000 },
    },
    async (services) => {
      const actor = systemActor(await oneTenant(services, opts));
      try {
        if (bytes) {
          if (!opts.certificate) throw new CliError('--csv needs --certificate ID', EXIT.usage);
          const run = await dryRunCsv(services, actor, opts.certificate, {
            bytes: new Uint8Array(bytes),
            mapping: mapping(opts.map ?? []),
            learnerIdColumn: opts.learnerIdColumn ?? 'id',
            available: true,
            ...(opts.delimiter === ',' || opts.delimiter === ';' ? { delimiter: opts.delimiter } : {}),
          });
          print(io, opts.json, run, () => summary(run));
          return EXIT.ok;
        }
        const queue = await openQueue(services);
        try {
          const { run } = await confirmBulk(services, actor, opts.confirm!, opts.fingerprint!, (trx, r, chunks) =>
            queue.enqueue({ id: r.id, kind: 'bulk-issue' }, chunks, { trx }),
          );
          await workQueue(services, queue, { concurrency: workers + 1, idleMs: 100, until: () => bulkRunFinished(services, run.id) });
        } finally {
          await queue.close();
        }
        const done = await getBulkRun(services, actor, opts.confirm!);
        print(io, opts.json, done, () => summary(done));
        return done.progress.failed ? EXIT.partial : EXIT.ok;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        const problems = (e.extra.problems ?? []).map((p) => `  ${p.path}: ${p.code} ${p.message}`);
        throw new CliError([`${e.code}: ${e.message}`, ...problems].join('\n'), EXIT.invalid);
      }
    },
  );
}
