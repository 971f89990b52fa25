import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { compileTemplate } from '../../../templates/compile';
import { trialRenders, type TrialDiagnostic } from '../../../templates/check';
import { readAssetFile } from '../../../templates/files';
import { parseTemplateSource } from '../../../templates/source/front-matter';
import { hasErrors } from '../../../variables/diagnostics';
import { createTemplate, listTemplates, publishTemplate, putAsset } from '../../domain/templates';
import { convertModel, UNMAPPED_CODES, type Conversion, type ImportNote } from '../../migrate/pdcertificate/convert';
import { ModelDatabaseError, readModelsFromDatabase, safeUrl } from '../../migrate/pdcertificate/database';
import { ModelFileError, readModelFile } from '../../migrate/pdcertificate/read';
import type { PdcertificateModel } from '../../migrate/pdcertificate/model';
import {
  dryRunOption,
  examples,
  jsonOption,
  oneTenant,
  print,
  systemActor,
  tenantOptions,
  withServices,
  type Cli,
  type DryRunOption,
  type JsonOption,
  type TenantOptions,
} from '../framework';
import { CliError, EXIT, type IO } from '../output';
import { formatDiagnostic } from '../../../variables/diagnostics';

/**
 * `attest template import --from pdcertificate FILE|--db URL`: each mod_pdcertificate model becomes an Attest
 * template in the tenant (a draft; `--publish` publishes it), its placeholders turned into Liquid over the
 * catalogue (server/migrate/pdcertificate/). `--from attest FILE` imports a plain Attest template file with
 * the assets beside it. Every converted template goes through the checks of `attest check` (compile, then a
 * render with each sample learner) before anything is written, and the report says, for each model, what was
 * converted, what was left as text and why, and the certificate settings that reproduce the instance.
 */
export interface TemplateImportOptions extends TenantOptions, JsonOption, DryRunOption {
  from: 'pdcertificate' | 'attest';
  db?: string;
  prefix?: string;
  instance?: string;
  locale?: 'en' | 'fr';
  publish?: boolean;
}

export interface ImportedTemplate {
  /** The instance id (pdcertificate) or the file (attest). */
  instance: string;
  origin: string;
  name: string;
  outcome: 'created' | 'published' | 'exists' | 'would-create' | 'invalid';
  template?: { id: string; version?: number };
  placeholders: Conversion['placeholders'];
  notes: ImportNote[];
  /** What `attest check` says of the converted source (errors block the import). */
  diagnostics: TrialDiagnostic[];
  /** Certificate settings that reproduce the instance's caption, credit hours and extra data. */
  settings: Conversion['settings'];
  unmapped: number;
  source?: string;
}

export function registerTemplateImport(group: Command, cli: Cli): void {
  const cmd = group
    .command('import')
    .description(
      'import templates: mod_pdcertificate models (a JSON export, a backup, or a live Moodle database) or an Attest template file',
    )
    .argument(
      '[file]',
      'pdcertificate: a JSON export of pdcertificate rows, a backup pdcertificate.xml or an unpacked backup folder; attest: a .liquid file',
    )
    .addOption(new Option('--from <kind>', 'what the input is').choices(['pdcertificate', 'attest']).makeOptionMandatory())
    .option('--db <url>', 'read the pdcertificate table of a live Moodle database (mysql:// or postgres://; read-only)')
    .option('--prefix <prefix>', "Moodle's table prefix", 'mdl_')
    .option('--instance <id>', 'only this pdcertificate instance (its id)')
    .addOption(
      new Option('--locale <locale>', 'language of the templates (dates, and the words the module adds)')
        .choices(['en', 'fr'])
        .default('en'),
    )
    .option('--publish', 'publish each imported template (it must pass every check)');
  tenantOptions(cmd, { single: true });
  jsonOption(cmd);
  dryRunOption(cmd);
  examples(cmd, [
    'attest template import --from pdcertificate pdcertificate.json --tenant campus-nord --dry-run',
    'attest template import --from pdcertificate --db mysql://moodle:secret@db/moodle --prefix mdl_ --tenant campus-nord',
    'attest template import --from pdcertificate --db postgres://moodle@db/moodle --instance 7 --tenant campus-nord --publish --json',
    'attest template import --from pdcertificate backup-folder/ --tenant campus-nord   # an unpacked .mbz',
    'attest template import --from attest my-template.liquid --tenant campus-nord',
  ]);
  cmd.action((file: string | undefined, opts: TemplateImportOptions) => cli.run(() => templateImport(file, opts, cli.io)));
}

/** The command's work, callable without commander (tests); returns the exit code. */
export async function templateImport(file: string | undefined, opts: TemplateImportOptions, io: IO): Promise<number> {
  if (opts.from === 'attest') return importAttestFile(file, opts, io);
  if (opts.from !== 'pdcertificate') throw new CliError('--from is pdcertificate or attest', EXIT.usage);
  if ((file === undefined) === (opts.db === undefined)) throw new CliError('give a model FILE or --db URL (one of the two)', EXIT.usage);
  const instance = opts.instance === undefined ? undefined : Number(opts.instance);
  if (instance !== undefined && (!Number.isInteger(instance) || instance < 1))
    throw new CliError('--instance is a pdcertificate id (a whole number)', EXIT.usage);
  if (!opts.dryRun && !opts.tenant?.length) throw new CliError('say which tenant: --tenant NAME', EXIT.usage);

  let models: PdcertificateModel[];
  try {
    models = opts.db
      ? await readModelsFromDatabase(opts.db, {
          ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}),
          ...(instance !== undefined ? { instance } : {}),
        })
      : await readModelFile(file!);
  } catch (e) {
    if (e instanceof ModelFileError) throw new CliError(e.message, EXIT.io);
    if (e instanceof ModelDatabaseError) throw new CliError(e.message, EXIT.io);
    throw e;
  }
  if (instance !== undefined) models = models.filter((m) => m.id === String(instance));
  if (!models.length)
    throw new CliError(
      instance !== undefined
        ? `no pdcertificate instance ${instance} in ${opts.db ? safeUrl(opts.db) : file}`
        : `no pdcertificate model in ${opts.db ? safeUrl(opts.db) : file}`,
      EXIT.invalid,
    );

  const results: ImportedTemplate[] = [];
  for (const model of models) {
    const conversion = convertModel(model, { locale: opts.locale ?? 'en' });
    const diagnostics = await checkSource(conversion.source);
    results.push({
      instance: conversion.id,
      origin: conversion.origin,
      name: conversion.name,
      outcome: hasErrors(diagnostics) ? 'invalid' : 'would-create',
      placeholders: conversion.placeholders,
      notes: conversion.notes,
      diagnostics,
      settings: conversion.settings,
      unmapped: conversion.notes.filter((n) => UNMAPPED_CODES.has(n.code)).length,
      source: conversion.source,
    });
  }
  if (!opts.dryRun) await store(results, opts);
  return report(io, opts, results);
}

/** The checks `attest check` makes (server/cli/check.ts): compile, then a render with every sample learner. */
export async function checkSource(source: string, folder?: string): Promise<TrialDiagnostic[]> {
  const compiled = await compileTemplate(source, folder ? { loadAsset: (f) => readAssetFile(folder, f) } : {});
  const diagnostics: TrialDiagnostic[] = [...compiled.diagnostics];
  if (compiled.template && !hasErrors(compiled.diagnostics)) diagnostics.push(...trialRenders(compiled.template));
  return diagnostics;
}

async function store(
  results: ImportedTemplate[],
  opts: TemplateImportOptions,
  assets?: { folder: string; files: string[] },
): Promise<void> {
  await withServices(
    { ...(opts.database ? { database: opts.database } : {}), ...(opts.publish ? { render: { size: 1 } } : {}) },
    async (services) => {
      const tenant = await oneTenant(services, opts);
      const actor = systemActor(tenant);
      const existing = new Map((await listTemplates(services, actor)).map((t) => [t.name, t]));
      for (const r of results) {
        if (r.outcome === 'invalid') continue;
        const known = existing.get(r.name);
        if (known) {
          // Importing twice changes nothing: a template of that name is the one made the first time.
          r.outcome = 'exists';
          r.template = { id: known.id };
          continue;
        }
        const created = await createTemplate(services, actor, { name: r.name, source: r.source! });
        for (const f of assets?.files ?? []) {
          const bytes = readAssetFile(assets!.folder, f);
          if (bytes instanceof Uint8Array) await putAsset(services, actor, created.id, f, bytes);
        }
        existing.set(r.name, created);
        r.outcome = 'created';
        r.template = { id: created.id };
        if (opts.publish) {
          const { version } = await publishTemplate(services, actor, created.id);
          r.outcome = 'published';
          r.template.version = version.number;
        }
      }
    },
  );
}

function report(io: IO, opts: TemplateImportOptions, results: ImportedTemplate[]): number {
  const invalid = results.some((r) => r.outcome === 'invalid');
  const unmapped = results.reduce((n, r) => n + r.unmapped, 0);
  const value = {
    dryRun: Boolean(opts.dryRun),
    templates: results.map((r) => (opts.dryRun ? r : (({ source: _source, ...rest }) => rest)(r))),
    unmapped,
  };
  print(io, opts.json, value, () => {
    const lines: string[] = [];
    for (const r of results) {
      if (opts.dryRun) lines.push(`# ${r.origin}: "${r.name}"`, r.source ?? '');
      const what =
        r.outcome === 'created'
          ? `created template ${r.template!.id} (draft)`
          : r.outcome === 'published'
            ? `created template ${r.template!.id}, published as version ${r.template!.version}`
            : r.outcome === 'exists'
              ? `a template of this name exists (${r.template!.id}): left as it is`
              : r.outcome === 'invalid'
                ? 'NOT imported: the converted template has errors'
                : 'would be created (dry run: nothing written)';
      lines.push(`${r.origin} "${r.name}": ${what}`);
      lines.push(`  ${r.placeholders.length} placeholder${r.placeholders.length === 1 ? '' : 's'} converted, ${r.unmapped} left as text`);
      for (const n of r.notes) {
        const where = n.section ? `${n.section}${n.line ? `:${n.line}:${n.column}` : ''} ` : '';
        lines.push(`  ${where}${n.severity} ${n.code}${n.text ? ` ${n.text}` : ''}: ${n.message}`);
      }
      for (const d of r.diagnostics) lines.push(`  ${formatDiagnostic(d, 'converted template')}`);
      const s = r.settings;
      if (s.caption !== undefined || s.credit_hours !== undefined || s.extra)
        lines.push(`  certificate settings to keep the instance's values: ${JSON.stringify(s)}`);
    }
    lines.push(
      `${results.length} model${results.length === 1 ? '' : 's'}, ${unmapped} placeholder${unmapped === 1 ? '' : 's'} left as text`,
    );
    return lines.join('\n');
  });
  return invalid ? EXIT.invalid : unmapped > 0 ? EXIT.partial : EXIT.ok;
}

/** `--from attest FILE`: a template file as `attest check` reads it, with the assets its front matter names. */
async function importAttestFile(file: string | undefined, opts: TemplateImportOptions, io: IO): Promise<number> {
  if (!file) throw new CliError('--from attest takes a template FILE', EXIT.usage);
  if (opts.db) throw new CliError('--db goes with --from pdcertificate', EXIT.usage);
  if (!opts.dryRun && !opts.tenant?.length) throw new CliError('say which tenant: --tenant NAME', EXIT.usage);
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read the template "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.io);
  }
  const folder = dirname(resolve(file));
  const parsed = parseTemplateSource(source);
  const name = parsed.source?.frontMatter.name ?? file;
  const files = assetFiles(parsed.source?.frontMatter.assets);
  const diagnostics = await checkSource(source, folder);
  const result: ImportedTemplate = {
    instance: file,
    origin: file,
    name,
    outcome: hasErrors(diagnostics) ? 'invalid' : 'would-create',
    placeholders: [],
    notes: [],
    diagnostics,
    settings: {},
    unmapped: 0,
    source,
  };
  if (!opts.dryRun) await store([result], opts, { folder, files });
  return report(io, opts, [result]);
}

function assetFiles(assets: unknown): string[] {
  if (!assets || typeof assets !== 'object') return [];
  return Object.values(assets as Record<string, unknown>).flatMap((v) =>
    typeof v === 'string'
      ? [v]
      : v && typeof v === 'object' && typeof (v as { path?: unknown }).path === 'string'
        ? [(v as { path: string }).path]
        : [],
  );
}
