import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { openServices } from '../services';
import type { RenderPoolOptions } from '../render/pool';
import type { Actor, Services } from '../domain/context';
import { DomainError } from '../domain/errors';
import { findTenantBySlug, listTenants, type Tenant } from '../domain/tenants';
import { StorageError } from '../storage/database';
import { CliError, EXIT, type IO } from './output';
import { checkSelection, SELECTION_STATES, type IssueSelection, type SelectionState } from '../domain/selection';
import { DEFAULT_DATABASE } from './start';

/**
 * What every operator command shares, in one place: how it opens the database, which tenants it acts on
 * (`--tenant`, repeatable, or `--all-tenants`: one installation serves many LMS sites the way one Moodle
 * code base serves virtual hosts), `--json`, `--dry-run`, help with examples, and the progress bar.
 * A command module exports `register(program, cli)` and returns an exit code from its action: nothing
 * calls process.exit, so tests run commands in-process.
 */
export interface Cli {
  io: IO;
  /** Runs a command's work and keeps its exit code as the program's. */
  run(work: () => Promise<number>): Promise<void>;
}

export type Register = (program: Command, cli: Cli) => void;

export const DATABASE_HELP = 'SQLite file or postgres:// URL (default: DATABASE_URL, else data/attest.sqlite)';

export interface DatabaseOptions {
  database?: string;
}
export interface TenantOptions extends DatabaseOptions {
  tenant?: string[];
  allTenants?: boolean;
}
export interface JsonOption {
  json?: boolean;
}
export interface DryRunOption {
  dryRun?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function databaseOption(cmd: Command): Command {
  return cmd.option('--database <url>', DATABASE_HELP);
}

/** `--tenant NAME` (repeatable) and `--all-tenants`, exactly one of the two forms. */
export function tenantOptions(cmd: Command, opts: { single?: boolean } = {}): Command {
  cmd.addOption(new Option('--tenant <slug>', opts.single ? 'the tenant' : 'a tenant to act on (repeat for several)').argParser(collect));
  if (!opts.single) cmd.addOption(new Option('--all-tenants', 'act on every tenant').conflicts('tenant'));
  return databaseOption(cmd);
}

export function jsonOption(cmd: Command): Command {
  return cmd.option('--json', 'print the result as JSON on standard output (progress and messages go to standard error)');
}

export function dryRunOption(cmd: Command): Command {
  return cmd.option('--dry-run', 'say what would be written, and write nothing');
}

/** Help that ends with examples an operator can copy. */
export function examples(cmd: Command, lines: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

export interface OpenOptions extends DatabaseOptions {
  /** Render workers; none unless the command renders. */
  render?: RenderPoolOptions;
}

/**
 * Opens the database (migrated) and, when asked, render workers; turns domain and storage errors into exit
 * codes. Every command goes through it, so `--database` and DATABASE_URL mean the same thing everywhere.
 */
export async function withServices<T>(opts: OpenOptions, work: (services: Services) => Promise<T>): Promise<T> {
  let services: Services & { close(): Promise<void> };
  try {
    services = await openServices({
      databaseUrl: opts.database ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE,
      baseUrl: process.env.ATTEST_BASE_URL ?? 'http://127.0.0.1:3000',
      render: opts.render ?? { size: 0 },
    });
  } catch (e) {
    if (e instanceof StorageError) throw new CliError(e.message, EXIT.io);
    throw e;
  }
  try {
    return await work(services);
  } catch (e) {
    throw asCliError(e);
  } finally {
    await services.close();
  }
}

/** A domain error as the CLI reports it: its stable code first, every listed problem after. */
export function asCliError(e: unknown): unknown {
  if (e instanceof DomainError) {
    const problems = e.extra.problems?.map((p) => `\n  ${p.path}: ${p.message}`).join('') ?? '';
    return new CliError(
      `${e.code}: ${e.message}${problems}`,
      e.kind === 'invalid' || e.kind === 'conflict' || e.kind === 'not-found' || e.kind === 'forbidden' ? EXIT.invalid : EXIT.internal,
    );
  }
  return e;
}

/** The tenants a command acts on; an unknown slug is an error naming it, before anything is done. */
export async function selectTenants(services: Services, opts: TenantOptions): Promise<Tenant[]> {
  if (opts.allTenants) return listTenants(services.storage.db);
  const slugs = [...new Set(opts.tenant ?? [])];
  if (!slugs.length) throw new CliError('say which tenant: --tenant NAME (repeatable) or --all-tenants', EXIT.usage);
  const found: Tenant[] = [];
  const unknown: string[] = [];
  for (const slug of slugs) {
    const t = await findTenantBySlug(services.storage.db, slug);
    if (t) found.push(t);
    else unknown.push(slug);
  }
  if (unknown.length) throw new CliError(`no tenant ${unknown.map((s) => `"${s}"`).join(', ')} (see "attest tenant list")`, EXIT.invalid);
  return found;
}

/** Exactly one tenant: for commands such as `person create` that make one thing in one place. */
export async function oneTenant(services: Services, opts: TenantOptions): Promise<Tenant> {
  const tenants = await selectTenants(services, opts);
  if (tenants.length !== 1) throw new CliError('this command acts on one tenant: give --tenant NAME once', EXIT.usage);
  return tenants[0]!;
}

/** The operator acts in a tenant as its system actor: the same domain functions as the API, every capability. */
export const systemActor = (tenant: Tenant): Actor => ({ kind: 'system', tenantId: tenant.id });

/** `--json` prints the value; otherwise the text form. */
export function print(io: IO, json: boolean | undefined, value: unknown, text: () => string): void {
  if (json) io.out(`${JSON.stringify(value, null, 2)}\n`);
  else {
    const t = text();
    if (t) io.out(t.endsWith('\n') ? t : `${t}\n`);
  }
}

export interface Progress {
  /** Moves the bar by `n` (default 1). */
  tick(n?: number): void;
  /** Sets the total when it is learnt late (a resumed run, a count query). */
  total(n: number): void;
  stop(): void;
}

/**
 * A bar with rate and time left on standard error, when that is a terminal and the output is not JSON;
 * nothing otherwise (a cron job's log stays clean). cli-progress draws it; it only redraws a few times a
 * second, so ticking per document costs nothing.
 */
export function progress(io: IO, label: string, total: number, opts: { json?: boolean } = {}): Progress {
  if (!io.terminal || opts.json) return { tick() {}, total() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
      stream: io.terminal,
      etaBuffer: 200,
      fps: 5,
      hideCursor: false,
      noTTYOutput: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let done = 0;
  bar.start(total, 0, { rate: '0' });
  return {
    tick(n = 1) {
      done += n;
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? (done / seconds).toFixed(1) : '0' });
    },
    total(n) {
      bar.setTotal(n);
    },
    stop() {
      bar.stop();
    },
  };
}

export interface SelectionOptions {
  certificate?: string[];
  templateVersion?: string[];
  learner?: string[];
  issuedFrom?: string;
  issuedTo?: string;
  state?: string[];
}

/** The flags that say which issued documents a bulk command works on (one set for regenerate, export, issues). */
export function selectionOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--certificate <id>', 'only documents of this certificate (repeatable)').argParser(collect))
    .addOption(new Option('--template-version <id>', 'only documents last made with this template version (repeatable)').argParser(collect))
    .addOption(new Option('--learner <id>', "only this learner's documents, by LMS learner id (repeatable)").argParser(collect))
    .option('--issued-from <day>', 'only documents issued on or after this day (YYYY-MM-DD)')
    .option('--issued-to <day>', 'only documents issued on or before this day (YYYY-MM-DD)')
    .addOption(
      new Option('--state <state>', `only documents in this state (repeatable): ${SELECTION_STATES.join(', ')}`).argParser(collect),
    );
}

export function selectionFrom(opts: SelectionOptions): IssueSelection {
  try {
    return checkSelection({
      ...(opts.certificate ? { certificateIds: opts.certificate } : {}),
      ...(opts.templateVersion ? { templateVersionIds: opts.templateVersion } : {}),
      ...(opts.learner ? { learnerIds: opts.learner } : {}),
      ...(opts.issuedFrom !== undefined ? { issuedFrom: opts.issuedFrom } : {}),
      ...(opts.issuedTo !== undefined ? { issuedTo: opts.issuedTo } : {}),
      ...(opts.state ? { states: opts.state as SelectionState[] } : {}),
    });
  } catch (e) {
    throw asCliError(e);
  }
}

/** Render worker threads a command may start: one per core is the default; past this a typo, not a machine. */
export const MAX_WORKERS = 64;

/**
 * `--workers N`, as every command that renders reads it (start, serve, regenerate, migrate): a whole
 * number from 1 to MAX_WORKERS; absent, one per core.
 */
export function workersFrom(value: string | undefined): number {
  if (value === undefined) return Math.max(1, availableParallelism());
  const n = /^\d{1,3}$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS)
    throw new CliError(`--workers is a whole number from 1 to ${MAX_WORKERS}, not "${value}"`, EXIT.usage);
  return n;
}
