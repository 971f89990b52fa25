import { Option } from 'commander';
import { resolve } from 'node:path';
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
} from '../framework';
import { ioError } from './shared';
import { CliError, EXIT } from '../output';
import { exportDocuments, exportTotal, parseSize, type ExportReport } from '../../domain/exports';

/**
 * `attest export`: the delivered documents of a selection as ZIP archives of bounded size, with a
 * manifest in each and an index over all of them (server/domain/exports.ts says what "delivered" means).
 */
interface ExportOptions extends TenantOptions, SelectionOptions, JsonOption, DryRunOption {
  out: string;
  maxArchiveSize: string;
  includeLocked?: boolean;
  includeRevoked?: boolean;
}

export const DEFAULT_MAX_ARCHIVE_SIZE = '500MB';

function summary(r: ExportReport): string {
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const lines = [
    `${r.dryRun ? 'would write' : 'wrote'} ${r.documents} document${r.documents === 1 ? '' : 's'} in ${r.archives.length} archive${r.archives.length === 1 ? '' : 's'} to ${r.out}` +
      ` (${r.selected} selected, ${r.notDelivered} left out: revoked or locked)`,
    ...r.archives.map((a) => `  ${a.name}  ${a.documents} documents  ${mb(a.size)}`),
  ];
  if (!r.dryRun) lines.push(`index: ${r.out}/index.json, ${r.out}/index.csv`);
  return lines.join('\n');
}

export const register: Register = (program, cli) => {
  // command() rather than addCommand(): the subcommand inherits the program's output and exit settings.
  const cmd = program
    .command('export')
    .description('write the delivered documents of a selection as ZIP archives (bounded size, a manifest in each, an index over all)')
    .requiredOption('--out <dir>', 'the folder to write to: new or empty')
    .option('--max-archive-size <size>', 'largest archive, e.g. 500MB, 2GiB, 250000 (bytes)', DEFAULT_MAX_ARCHIVE_SIZE)
    .addOption(new Option('--include-locked', 'also export locked documents (held back from delivery)'))
    .addOption(new Option('--include-revoked', 'also export revoked documents'));
  tenantOptions(cmd);
  selectionOptions(cmd);
  jsonOption(cmd);
  dryRunOption(cmd);
  examples(cmd, [
    'attest export --tenant campus-nord --out /srv/exports/2026-03',
    'attest export --all-tenants --issued-from 2026-01-01 --issued-to 2026-03-31 --out q1 --max-archive-size 2GB',
    'attest export --tenant campus-nord --certificate 5f0c… --include-locked --out held --json',
    'attest export --tenant campus-nord --out /tmp/x --dry-run',
  ]);
  cmd.action((opts: ExportOptions) =>
    cli.run(async () => {
      const maxArchiveBytes = parseSize(opts.maxArchiveSize);
      if (maxArchiveBytes === undefined)
        throw new CliError(`--max-archive-size "${opts.maxArchiveSize}" is not a size (e.g. 500MB, 2GiB, 250000)`, EXIT.usage);
      const selection = selectionFrom(opts);
      const report = await withServices(opts, async (services) => {
        const tenants = await selectTenants(services, opts);
        const scopes = tenants.map((tenant) => ({ tenant, actor: systemActor(tenant) }));
        const bar = progress(cli.io, 'export', await exportTotal(services, scopes, selection), opts);
        try {
          return await exportDocuments(services, {
            scopes,
            selection,
            include: { locked: opts.includeLocked === true, revoked: opts.includeRevoked === true },
            out: resolve(opts.out),
            maxArchiveBytes,
            dryRun: opts.dryRun === true,
            onIssue: () => bar.tick(),
          });
        } catch (e) {
          throw ioError(e);
        } finally {
          bar.stop();
        }
      });
      print(cli.io, opts.json, report, () => summary(report));
      // What went wrong goes to standard error whatever the output form, so a script's log shows it.
      for (const w of report.warnings) cli.io.err(`warning ${w.code}: ${w.message}\n`);
      for (const p of report.problems) cli.io.err(`error ${p.error}: ${p.tenant} ${p.code} (learner ${p.learnerId}): ${p.message}\n`);
      return report.problems.length ? EXIT.partial : EXIT.ok;
    }),
  );
};
