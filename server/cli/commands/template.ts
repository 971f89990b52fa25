import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  dryRunOption,
  examples,
  jsonOption,
  oneTenant,
  print,
  progress,
  selectTenants,
  systemActor,
  tenantOptions,
  withServices,
  type Cli,
  type DryRunOption,
  type JsonOption,
  type Register,
  type TenantOptions,
} from '../framework';
import { CliError, EXIT, readJson } from '../output';
import { registerTemplateImport } from './template-import';
import { checkCompiled, checkFiles, printCheckReports, type CheckReport } from '../check';
import { compileTemplate } from '../../../templates/compile';
import { draftPayload, findVersion, listTemplates, versionPayload, type TemplateSummary } from '../../domain/templates';
import type { Services } from '../../domain/context';
import type { Tenant } from '../../domain/tenants';
import { sha256Hex } from '../../domain/hashing';
import { dryLabel } from './shared';

/**
 * `attest template …`: the templates of a tenant, as files. A template on disk is Attest's own format, the
 * one `attest render` and `attest check` read and the bundled examples use: a `.liquid` file (front matter
 * and markup) with its assets beside it, at the paths its front matter names them by. A stored template
 * keeps its assets under exactly those names, so an export writes each asset at its name, relative to the
 * `.liquid` file, and the result renders as it does on the server.
 */
export const register: Register = (program, cli) => {
  const template = examples(program.command('template').description("a tenant's templates as files: list, export, validate"), [
    'attest template list --tenant campus-nord',
    'attest template export "Attestation de formation" --tenant campus-nord --out exported/',
    'attest template validate --tenant campus-nord "Attestation de formation" --version 2',
  ]);

  examples(
    jsonOption(
      tenantOptions(
        template.command('list').description('the templates of the given tenants, their versions and the certificates on each'),
      ),
    ),
    ['attest template list --tenant campus-nord', 'attest template list --all-tenants --json'],
  ).action((opts: TenantOptions & JsonOption) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const rows: (TemplateSummary & { tenant: string })[] = [];
        for (const t of await selectTenants(services, opts))
          for (const s of await listTemplates(services, systemActor(t))) rows.push({ tenant: t.slug, ...s });
        print(cli.io, opts.json, rows, () =>
          rows.length
            ? rows
                .map((r) => {
                  const versions = r.versions.map(
                    (v) => `v${v.number}${v.certificates.length ? ` (${v.certificates.map((c) => c.name).join(', ')})` : ''}`,
                  );
                  return `${r.tenant}\t${r.id}\t${r.name}\t${versions.length ? versions.join(' ') : 'draft only'}`;
                })
                .join('\n')
            : 'no templates',
        );
        return EXIT.ok;
      }),
    ),
  );

  examples(
    dryRunOption(
      jsonOption(
        tenantOptions(
          template
            .command('export')
            .description('write a template (its draft, or a published version) and its assets as files that attest render and check read')
            .argument('<template>', 'the template: its id or its exact name (see "attest template list")')
            .option('--version <n>', 'a published version (default: the draft)')
            .requiredOption(
              '-o, --out <path>',
              'a folder (the file is named after the template) or a FILE.liquid; assets go beside it at the paths the template names them by',
            )
            .option('--force', 'replace files that are already there'),
          { single: true },
        ),
      ),
    ),
    [
      'attest template export "Attestation de formation" --tenant campus-nord --out exported/',
      'attest template export 0193… --tenant campus-nord --version 3 --out attestation-v3.liquid --json',
      'attest template export "Attestation de formation" --tenant campus-nord --out exported/ --dry-run',
      'attest render exported/attestation-de-formation.liquid --persona camille-martin --out preview.pdf',
    ],
  ).action((ref: string, opts: ExportOptions) => cli.run(() => exportTemplate(cli, ref, opts)));

  examples(
    jsonOption(
      tenantOptions(
        template
          .command('validate')
          .description('report every problem in template files, or in stored templates with --tenant (the checks of attest check)')
          .argument('<templates...>', 'template files; with --tenant, stored templates by id or exact name')
          .option('--version <n>', 'with --tenant: check this published version (default: the draft)')
          .option('-d, --data <file>', 'also check this learner data against the template (binding)')
          .option('--no-personas', 'skip rendering with the bundled sample learners'),
        { single: true },
      ),
    ),
    [
      'attest template validate my-template.liquid',
      'attest template validate --tenant campus-nord "Attestation de formation"',
      'attest template validate --tenant campus-nord 0193… --version 2 --data learner.json --json',
    ],
  ).action((refs: string[], opts: ValidateOptions) => cli.run(() => validate(cli, refs, opts)));

  // `attest template import` (from an Attest file or a mod_pdcertificate model) has its own module.
  registerTemplateImport(template, cli);
};

interface ExportOptions extends TenantOptions, JsonOption, DryRunOption {
  version?: string;
  out: string;
  force?: boolean;
}

interface ValidateOptions extends TenantOptions, JsonOption {
  version?: string;
  data?: string;
  personas: boolean;
}

function versionNumber(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--version is a version number (1, 2, …), not "${v}"`, EXIT.usage);
  return n;
}

/** A stored template by id or by exact name; a name two templates share must be given as an id. */
async function findTemplate(services: Services, tenant: Tenant, ref: string): Promise<TemplateSummary> {
  const all = await listTemplates(services, systemActor(tenant));
  const byId = all.find((t) => t.id === ref);
  if (byId) return byId;
  const named = all.filter((t) => t.name === ref);
  if (named.length === 1) return named[0]!;
  if (named.length > 1)
    throw new CliError(
      `${named.length} templates of ${tenant.slug} are called "${ref}": give its id (${named.map((t) => t.id).join(', ')})`,
      EXIT.usage,
    );
  throw new CliError(
    `TEMPLATE_NOT_FOUND: no template "${ref}" in ${tenant.slug} (see "attest template list --tenant ${tenant.slug}")`,
    EXIT.invalid,
  );
}

/** The source and asset bytes of the draft or of a published version: what the server renders from. */
async function templateContent(
  services: Services,
  tenant: Tenant,
  template: TemplateSummary,
  version: number | undefined,
): Promise<{ source: string; assets: Record<string, Uint8Array>; label: string }> {
  const actor = systemActor(tenant);
  if (version === undefined) {
    const draft = await draftPayload(services, actor, template.id);
    return { source: draft.source, assets: draft.assets, label: `${tenant.slug}:${template.name} (draft)` };
  }
  const v = await findVersion(services, actor, template.id, version);
  const payload = await versionPayload(services.storage.db, v);
  return { source: payload.source, assets: payload.assets, label: `${tenant.slug}:${template.name} (version ${version})` };
}

/** A file name from a template's name: "Attestation de formation" → "attestation-de-formation.liquid". */
export function templateFileName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${base || 'template'}.liquid`;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function exportTemplate(cli: Cli, ref: string, opts: ExportOptions): Promise<number> {
  const version = versionNumber(opts.version);
  return withServices(opts, async (services) => {
    const tenant = await oneTenant(services, opts);
    const template = await findTemplate(services, tenant, ref);
    const content = await templateContent(services, tenant, template, version);
    const out = resolve(opts.out);
    const file = out.endsWith('.liquid') ? out : join(out, templateFileName(template.name));
    const folder = dirname(file);
    const files: { path: string; bytes: Uint8Array | string; asset?: string }[] = [{ path: file, bytes: content.source }];
    for (const [name, bytes] of Object.entries(content.assets).sort(([a], [b]) => a.localeCompare(b))) {
      const path = resolve(folder, name);
      // Asset names were checked when uploaded (no "..", no absolute path); checked again before writing.
      const rel = relative(folder, path);
      if (rel.startsWith('..') || isAbsolute(rel) || path === file)
        throw new CliError(`the asset "${name}" cannot be written beside the template`, EXIT.invalid);
      files.push({ path, bytes, asset: name });
    }
    if (!opts.force) {
      const there = [];
      for (const f of files) if (await exists(f.path)) there.push(f.path);
      if (there.length) throw new CliError(`already there (pass --force to replace): ${there.join(', ')}`, EXIT.io);
    }
    const report = {
      tenant: tenant.slug,
      template: { id: template.id, name: template.name },
      version: version ?? null,
      file,
      assets: files
        .filter((f) => f.asset !== undefined)
        .map((f) => ({ name: f.asset!, path: f.path, size: f.bytes.length, sha256: sha256Hex(f.bytes as Uint8Array) })),
      ...(opts.dryRun ? { dryRun: true } : {}),
    };
    if (!opts.dryRun) {
      try {
        for (const f of files) {
          await mkdir(dirname(f.path), { recursive: true });
          await writeFile(f.path, f.bytes);
        }
      } catch (e) {
        throw new CliError(`cannot write the export: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.io);
      }
    }
    print(cli.io, opts.json, report, () =>
      [
        `${dryLabel(opts.dryRun)}${opts.dryRun ? 'would write' : 'wrote'} ${content.label} to ${relative(process.cwd(), file) || file}`,
        ...report.assets.map((a) => `  asset ${a.name} (${Math.max(1, Math.round(a.size / 1024))} KB)`),
      ].join('\n'),
    );
    return EXIT.ok;
  });
}

async function validate(cli: Cli, refs: string[], opts: ValidateOptions): Promise<number> {
  const version = versionNumber(opts.version);
  if (!opts.tenant?.length) {
    if (version !== undefined) throw new CliError('--version is for stored templates: give --tenant too', EXIT.usage);
    return printCheckReports(cli.io, await checkFiles(refs, opts), opts.json);
  }
  const data = opts.data ? await readJson(opts.data, 'data file') : undefined;
  const reports = await withServices(opts, async (services) => {
    const tenant = await oneTenant(services, opts);
    const found: CheckReport[] = [];
    // Rendering with every sample learner takes a second or more per template.
    const bar = progress(cli.io, 'validating', refs.length, { json: opts.json });
    try {
      for (const ref of refs) {
        const template = await findTemplate(services, tenant, ref);
        const content = await templateContent(services, tenant, template, version);
        // The stored assets, by the names the front matter uses: the same loader the render workers use.
        const compiled = await compileTemplate(content.source, { loadAsset: (name) => content.assets[name] });
        found.push({ file: content.label, diagnostics: checkCompiled(compiled, { data, personas: opts.personas }) });
        bar.tick();
      }
    } finally {
      bar.stop();
    }
    return found;
  });
  return printCheckReports(cli.io, reports, opts.json);
}
