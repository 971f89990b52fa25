import { Option, type Command } from 'commander';
import {
  dryRunOption,
  examples,
  jsonOption,
  oneTenant,
  print,
  progress,
  systemActor,
  tenantOptions,
  withServices,
  type Cli,
  type DryRunOption,
  type JsonOption,
  type Register,
  type TenantOptions,
  workersFrom,
} from '../framework';
import { CliError, EXIT } from '../output';
import { openMoodle, SourceError, sourceEngine, type MoodleDb } from '../../migrate/moodle/source';
import { migrateModCertificate, type MigrationReport } from '../../migrate/mod-certificate/migrate';

/**
 * `attest migrate mod-certificate`: brings a Moodle site's mod_certificate over (docs/scripts/migrate.md).
 * Exit codes: 0 everything mapped, 4 something was not (the report says what and why), 2 a wrong command
 * line, 3 a database that cannot be reached.
 */
interface ModCertificateOptions extends TenantOptions, JsonOption, DryRunOption {
  from: string;
  prefix: string;
  moodledata?: string;
  moodleCode?: string;
  workers?: string;
  maxIssues?: string;
}

const positive = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new CliError(`${flag} takes a whole number of at least 1`, EXIT.usage);
  return Number(value);
};

export const register: Register = (program: Command, cli: Cli) => {
  const migrate = examples(program.command('migrate').description('bring certificates and their issues over from another system'), [
    'attest migrate mod-certificate --from mysql://moodle@db/moodle --tenant campus-nord --dry-run',
  ]);
  const cmd = migrate
    .command('mod-certificate')
    .description(
      "import a Moodle site's mod_certificate: each instance becomes a template and a certificate, each issue an issued document with its code and date (the Moodle database is only read)",
    )
    .requiredOption('--from <url>', 'the Moodle database: mysql://user:pass@host/db, mariadb://… or postgres://…')
    .option('--prefix <prefix>', "Moodle's table prefix", 'mdl_')
    .option('--moodledata <dir>', 'the moodledata folder: images uploaded through the plugin (mod/certificate/pix/…)')
    .option('--moodle-code <dir>', "the Moodle code folder: the plugin's own images (mod/certificate/pix/…)")
    .option('--workers <n>', 'render workers (default: one per core)')
    .addOption(new Option('--max-issues <n>', 'import at most this many issues in this run; running again goes on'));
  tenantOptions(cmd, { single: true });
  jsonOption(cmd);
  dryRunOption(cmd);
  examples(cmd, [
    'attest migrate mod-certificate --from mysql://moodle:secret@127.0.0.1/moodle --moodledata /var/moodledata --moodle-code /var/www/moodle --tenant campus --dry-run',
    'attest migrate mod-certificate --from postgres://moodle@db/moodle --prefix mdl_ --moodledata /var/moodledata --tenant campus --json > report.json',
    'attest migrate mod-certificate --from mysql://moodle@db/moodle --tenant campus --max-issues 10000   # a batch; run again to go on',
  ]);
  cmd.action((opts: ModCertificateOptions) =>
    cli.run(async () => {
      if (!sourceEngine(opts.from))
        throw new CliError('--from is a mysql://, mariadb:// or postgres:// address of the Moodle database', EXIT.usage);
      const maxIssues = positive(opts.maxIssues, '--max-issues');
      const workers = workersFrom(opts.workers);
      let moodle: MoodleDb;
      try {
        moodle = await openMoodle(opts.from, opts.prefix);
      } catch (e) {
        if (e instanceof SourceError) throw new CliError(e.message, e.kind === 'url' ? EXIT.usage : EXIT.io);
        throw e;
      }
      // Ctrl-C stops between two issues: what was imported stays, the report is printed, a new run goes on.
      const interrupt = new AbortController();
      const onSignal = () => interrupt.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const report = await withServices({ ...opts, render: { size: opts.dryRun ? 0 : workers } }, async (services) => {
          const tenant = await oneTenant(services, opts);
          return migrateModCertificate(services, {
            moodle,
            tenant,
            actor: systemActor(tenant),
            ...(opts.moodledata ? { moodledata: opts.moodledata } : {}),
            ...(opts.moodleCode ? { moodleCode: opts.moodleCode } : {}),
            dryRun: opts.dryRun ?? false,
            concurrency: workers,
            ...(maxIssues !== undefined ? { maxIssues } : {}),
            signal: interrupt.signal,
            progress: (total) => progress(cli.io, 'issues', total, { json: opts.json }),
          });
        });
        print(cli.io, opts.json, report, () => reportText(report));
        return report.unmapped.length ? EXIT.partial : EXIT.ok;
      } catch (e) {
        if (e instanceof SourceError) throw new CliError(e.message, EXIT.io);
        throw e;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await moodle.close();
      }
    }),
  );
};

/** The report as an operator reads it: counts first, then each thing not mapped with why. */
export function reportText(r: MigrationReport): string {
  const lines: string[] = [];
  lines.push(`${r.dryRun ? 'dry run: ' : ''}mod_certificate from ${r.source.location} (site ${r.source.site}) into tenant ${r.tenant}`);
  const i = r.instances;
  lines.push(
    `certificates: ${i.total} in Moodle, ${i.imported} imported, ${i.alreadyImported} already imported, ${i.notImported} not imported${
      r.dryRun ? `, ${i.total - i.alreadyImported - i.notImported} would be imported` : ''
    }`,
  );
  const s = r.issues;
  lines.push(
    `issues: ${s.total} in Moodle, ${s.imported} imported, ${s.alreadyImported} already imported, ${s.notImported} not imported${
      s.pending ? `, ${s.pending} ${r.dryRun ? 'would be imported' : 'left for the next run'}` : ''
    }${s.newCode ? ` (${s.newCode} with a new code)` : ''}`,
  );
  for (const c of r.certificates)
    lines.push(
      `  certificate ${c.instanceId} "${c.name}" (course ${c.courseId}): ${c.status}${c.certificateId ? ` → ${c.certificateId}` : ''}`,
    );
  if (r.stoppedEarly) lines.push('stopped before the end: run the same command again to go on');
  if (r.unmapped.length) {
    lines.push(`not mapped (${r.unmapped.length}):`);
    for (const u of r.unmapped) {
      const what =
        u.count !== undefined
          ? `${u.count} issue(s) of certificate ${u.moodleId}`
          : `${u.kind} ${u.moodleId}${u.field ? ` ${u.field}` : ''}`;
      lines.push(`  ${what}: ${u.reason}: ${u.message}`);
    }
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
