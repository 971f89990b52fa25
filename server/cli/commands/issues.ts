import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { stringify } from 'csv-stringify';
import {
  dryRunOption,
  examples,
  jsonOption,
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
} from '../framework';
import { CliError, EXIT, type IO } from '../output';
import type { Services } from '../../domain/context';
import type { Tenant } from '../../domain/tenants';
import type { IssueSelection } from '../../domain/selection';
import { countSelected, CSV_OPTIONS, selectedRecords, type IssueRecord } from '../../domain/exports';
import { PRIVATE_FILE } from '../../storage/documents';
import { ioError } from './shared';

/**
 * `attest issues list` and `attest issues export --csv`: the issues of a selection, read a page at a time
 * through every tenant given, printed as a table, JSON, or CSV for a spreadsheet.
 */

/** The CSV's columns, in order (docs/scripts/export.md says what each holds). */
export const ISSUE_COLUMNS = [
  'tenant',
  'code',
  'certificate_id',
  'certificate',
  'learner_id',
  'learner_name',
  'state',
  'locked',
  'issued_on',
  'achieved_on',
  'expires_on',
  'revision',
  'template_version',
  'template_version_id',
  'sha256',
  'size',
  'first_delivered_at',
  'revoked_at',
  'revoked_reason',
] as const;

export function csvRecord(r: IssueRecord): Record<(typeof ISSUE_COLUMNS)[number], string | number | null> {
  return {
    tenant: r.tenant,
    code: r.code,
    certificate_id: r.certificateId,
    certificate: r.certificate,
    learner_id: r.learnerId,
    learner_name: r.learnerName,
    state: r.state,
    locked: String(r.locked),
    issued_on: r.issuedOn,
    achieved_on: r.achievedOn,
    expires_on: r.expiresOn,
    revision: r.revision,
    template_version: r.templateVersion,
    template_version_id: r.templateVersionId,
    sha256: r.sha256,
    size: r.size,
    first_delivered_at: r.firstDeliveredAt,
    revoked_at: r.revokedAt,
    revoked_reason: r.revokedReason,
  };
}

interface ListOptions extends TenantOptions, SelectionOptions, JsonOption {
  limit?: string;
}
interface CsvOptions extends TenantOptions, SelectionOptions, DryRunOption {
  csv: string;
}

/** Every record of every tenant, tenant after tenant, each read a page at a time. */
async function* records(services: Services, tenants: readonly Tenant[], selection: IssueSelection): AsyncGenerator<IssueRecord> {
  for (const tenant of tenants) yield* selectedRecords(services, systemActor(tenant), tenant, selection);
}

async function total(services: Services, tenants: readonly Tenant[], selection: IssueSelection): Promise<number> {
  let n = 0;
  for (const t of tenants) n += await countSelected(services, systemActor(t), selection);
  return n;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
/** Text a learner or an LMS wrote, made harmless on a terminal: no escape sequence, no bidirectional override. */
const printable = (s: string): string => s.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ');

function cell(s: string, width: number): string {
  const parts = [...graphemes.segment(printable(s))].map((g) => g.segment);
  const text = parts.length > width ? `${parts.slice(0, width - 1).join('')}…` : parts.join('');
  return text + ' '.repeat(Math.max(0, width - Math.min(parts.length, width)));
}

const TABLE: [string, number, (r: IssueRecord) => string][] = [
  ['CODE', 23, (r) => r.code],
  ['TENANT', 16, (r) => r.tenant],
  ['STATE', 7, (r) => r.state],
  ['LOCKED', 6, (r) => (r.locked ? 'yes' : '')],
  ['ISSUED', 10, (r) => r.issuedOn],
  ['REV', 3, (r) => String(r.revision)],
  ['CERTIFICATE', 28, (r) => r.certificate],
  ['LEARNER ID', 20, (r) => r.learnerId],
];
const row = (values: string[], last: string) => `${values.join('  ')}  ${last}`.trimEnd() + '\n';

async function list(io: IO, opts: ListOptions): Promise<number> {
  const limit = opts.limit === undefined ? Infinity : Number(opts.limit);
  if (!Number.isSafeInteger(limit) && limit !== Infinity) throw new CliError(`--limit "${opts.limit}" is not a whole number`, EXIT.usage);
  if (limit < 1) throw new CliError('--limit is at least 1', EXIT.usage);
  const selection = selectionFrom(opts);
  return withServices(opts, async (services) => {
    const tenants = await selectTenants(services, opts);
    let n = 0;
    // Written as read: 100,000 issues print without being held together.
    if (opts.json) io.out('[');
    else
      io.out(
        row(
          TABLE.map(([h, w]) => cell(h, w)),
          'LEARNER',
        ),
      );
    for await (const r of records(services, tenants, selection)) {
      if (n >= limit) break;
      if (opts.json) io.out(`${n ? ',' : ''}\n  ${JSON.stringify(r)}`);
      else
        io.out(
          row(
            TABLE.map(([, w, get]) => cell(get(r), w)),
            printable(r.learnerName),
          ),
        );
      n++;
    }
    if (opts.json) io.out(n ? '\n]\n' : ']\n');
    else io.err(`${n} issue${n === 1 ? '' : 's'}\n`);
    return EXIT.ok;
  });
}

/** Standard output as a stream: io.out gets whole characters, whatever the chunks. */
function outputStream(io: IO): Writable {
  const decoder = new StringDecoder('utf8');
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      io.out(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      done();
    },
    final(done) {
      const rest = decoder.end();
      if (rest) io.out(rest);
      done();
    },
  });
}

async function exportCsv(io: IO, opts: CsvOptions): Promise<number> {
  const selection = selectionFrom(opts);
  const toStdout = opts.csv === '-';
  return withServices(opts, async (services) => {
    const tenants = await selectTenants(services, opts);
    const count = await total(services, tenants, selection);
    if (opts.dryRun) {
      io.err(`would write ${count} row${count === 1 ? '' : 's'} to ${toStdout ? 'standard output' : opts.csv}\n`);
      return EXIT.ok;
    }
    const partial = `${opts.csv}.partial`;
    const csv = stringify({ ...CSV_OPTIONS, header: true, columns: [...ISSUE_COLUMNS], bom: true });
    const done = pipeline(csv, toStdout ? outputStream(io) : createWriteStream(partial, { flags: 'w', mode: PRIVATE_FILE }));
    done.catch(() => {});
    const bar = progress(io, 'issues', count);
    let n = 0;
    try {
      for await (const r of records(services, tenants, selection)) {
        if (!csv.write(csvRecord(r))) await Promise.race([once(csv, 'drain'), done]);
        bar.tick();
        n++;
      }
      csv.end();
      await done;
      if (!toStdout) await rename(partial, opts.csv);
    } catch (e) {
      csv.destroy();
      if (!toStdout) await rm(partial, { force: true });
      throw ioError(e);
    } finally {
      bar.stop();
    }
    io.err(`${n} row${n === 1 ? '' : 's'} written to ${toStdout ? 'standard output' : opts.csv}\n`);
    return EXIT.ok;
  });
}

export const register: Register = (program, cli) => {
  // command() rather than addCommand(): subcommands inherit the program's output and exit settings.
  const issues = examples(program.command('issues').description('issued documents: list them, export them as CSV'), [
    'attest issues list --tenant campus-nord --state locked',
    'attest issues export --all-tenants --issued-from 2026-01-01 --csv issues.csv',
  ]);

  const listCmd = issues
    .command('list')
    .description('list the issues of a selection (every page): a table, or --json')
    .option('--limit <n>', 'stop after this many issues');
  tenantOptions(listCmd);
  selectionOptions(listCmd);
  jsonOption(listCmd);
  examples(listCmd, [
    'attest issues list --tenant campus-nord',
    'attest issues list --all-tenants --state revoked --json',
    'attest issues list --tenant campus-nord --learner 42 --issued-from 2026-01-01',
  ]);
  listCmd.action((opts: ListOptions) => cli.run(() => list(cli.io, opts)));

  const exportCmd = issues
    .command('export')
    .description('write the issues of a selection as CSV (UTF-8, formulas neutralised), streamed')
    .requiredOption('--csv <file>', 'the CSV file to write, or - for standard output');
  tenantOptions(exportCmd);
  selectionOptions(exportCmd);
  dryRunOption(exportCmd);
  examples(exportCmd, [
    'attest issues export --tenant campus-nord --csv issues.csv',
    'attest issues export --all-tenants --state expired --csv - | gzip > expired.csv.gz',
    'attest issues export --tenant campus-nord --certificate 5f0c… --csv sst.csv --dry-run',
  ]);
  exportCmd.action((opts: CsvOptions) => cli.run(() => exportCsv(cli.io, opts)));
};
