import { Command, CommanderError } from 'commander';
import { renderCommand } from './render';
import { checkCommand } from './check';
import { examplesCommand } from './examples';
import { schemaCommand } from './schema';
import { CliError, EXIT, type IO } from './output';
import { COMMANDS } from './commands';
import { asCliError, type Cli } from './framework';
import { startCommand, type StartOptions } from './start';
import {
  personCreate,
  personResetPassword,
  personSetDisabled,
  tenantCreate,
  tenantList,
  tenantRotateLinkSecret,
  tenantRotateWebhookSecret,
  tokenCreate,
  tokenRevoke,
} from './tenants';

/**
 * `attest` — one program, one subcommand per operator task. Each subcommand lives in its own module and
 * returns an exit code; nothing here calls process.exit, so tests run commands in-process.
 */
export async function main(argv: string[], io: IO = defaultIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('attest')
    .description('Attest: training certificates from typed Liquid templates')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run "attest --help" for the commands)');

  program
    .command('render')
    .description('render a template with data into a PDF')
    .argument('<template>', 'template file (.liquid with front matter)')
    .option('-d, --data <file>', 'learner data as JSON (what an LMS sends)')
    .option('-p, --persona <id>', 'use a bundled sample learner instead of --data (see "attest check --personas")')
    .requiredOption('-o, --out <file>', 'where to write the PDF')
    .option('--specimen', 'mark every page SPECIMEN (previews)')
    .option('--json', 'print the result and diagnostics as JSON')
    .action(async (template: string, opts: { data?: string; persona?: string; out: string; specimen?: boolean; json?: boolean }) => {
      code = await renderCommand(template, opts, io);
    });

  program
    .command('check')
    .description('report every problem in a template: front matter, Liquid, types, markup, and layout with each sample learner')
    .argument('[templates...]', 'template files')
    .option('-d, --data <file>', 'also check this data against the template (binding)')
    .option('--no-personas', 'skip rendering with the bundled sample learners')
    .option('--json', 'print diagnostics as JSON')
    .action(async (templates: string[], opts: { data?: string; personas: boolean; json?: boolean }) => {
      code = await checkCommand(templates, opts, io);
    });

  program
    .command('schema')
    .description("print the data contract as JSON Schema: the catalogue, or a template's")
    .argument('[template]', 'template file; without it, the built-in catalogue')
    .option('--lms', 'leave out what the server fills (certificate.*): the payload an LMS sends')
    .action(async (template: string | undefined, opts: { lms?: boolean }) => {
      code = await schemaCommand(template, opts, io);
    });

  program
    .command('examples')
    .description('render every bundled example with every sample learner')
    .option('-o, --out <dir>', 'output folder', 'out')
    .action(async (opts: { out: string }) => {
      code = await examplesCommand(opts, io);
    });

  program
    .command('start')
    .description('serve Attest: the API, the editor and the verification pages (SQLite in data/ unless DATABASE_URL says otherwise)')
    .option('-p, --port <port>', 'port to listen on', process.env.PORT ?? '3000')
    .option('--host <host>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--database <url>', 'SQLite file or postgres:// URL (default: DATABASE_URL, else data/attest.sqlite)')
    .option('--base-url <url>', 'public address of this server, for verification links (default: where it listens)')
    .option('--workers <n>', 'render worker threads (default: one per core)')
    .option(
      '--trust-proxy <value>',
      'believe X-Forwarded-For from these proxies: true, a hop count, or addresses/subnets such as "loopback" (default: ATTEST_TRUST_PROXY, else no one)',
    )
    .action(async (opts: StartOptions) => {
      const running = await startCommand(opts, io);
      stopOnSignal(running);
      code = EXIT.ok;
    });

  const cli: Cli = {
    io,
    run: async (work) => {
      code = await work();
    },
  };
  for (const register of COMMANDS) register(program, cli);

  const database = '--database <url>';
  const databaseHelp = 'SQLite file or postgres:// URL (default: DATABASE_URL, else data/attest.sqlite)';
  const tenant = program.command('tenant').description('tenants: one per LMS site');
  tenant
    .command('create')
    .description('create a tenant with the default roles')
    .argument('<slug>', 'short name, used in addresses (lowercase letters, digits, dashes)')
    .option('--name <name>', 'display name')
    .option('--locale <fr|en>', 'language of refusals and the verification page')
    .option('--lock', 'create every new document locked (delivery lock)')
    .option(database, databaseHelp)
    .action(async (slug: string, opts: { name?: string; locale?: string; lock?: boolean; database?: string }) => {
      code = await tenantCreate(slug, opts, io);
    });
  tenant
    .command('list')
    .description('list the tenants and their delivery settings')
    .option('--json', 'as JSON')
    .option(database, databaseHelp)
    .action(async (opts: { json?: boolean; database?: string }) => {
      code = await tenantList(opts, io);
    });
  tenant
    .command('rotate-webhook-secret')
    .description('replace the shop webhook secret at once (printed once; deliveries signed with the old one are refused)')
    .argument('<slug>', 'the tenant')
    .option(database, databaseHelp)
    .action(async (slug: string, opts: { database?: string }) => {
      code = await tenantRotateWebhookSecret(slug, opts, io);
    });
  tenant
    .command('rotate-link-secret')
    .description('replace the key of download links: every link handed out before stops working')
    .argument('<slug>', 'the tenant')
    .option(database, databaseHelp)
    .action(async (slug: string, opts: { database?: string }) => {
      code = await tenantRotateLinkSecret(slug, opts, io);
    });
  const person = program.command('person').description('people of a tenant');
  for (const [name, disabled, help] of [
    ['disable', true, 'stop a person signing in; their sessions end at once'],
    ['enable', false, 'let a disabled person sign in again'],
  ] as const) {
    person
      .command(name)
      .description(help)
      .argument('<username>')
      .requiredOption('--tenant <slug>', 'the tenant')
      .option(database, databaseHelp)
      .action(async (username: string, opts: { tenant: string; database?: string }) => {
        code = await personSetDisabled(username, disabled, opts, io);
      });
  }
  person
    .command('reset-password')
    .description('give a person a new password (from ATTEST_PASSWORD, or made and printed once); their sessions end')
    .argument('<username>')
    .requiredOption('--tenant <slug>', 'the tenant')
    .option(database, databaseHelp)
    .action(async (username: string, opts: { tenant: string; database?: string }) => {
      code = await personResetPassword(username, opts, io);
    });
  person
    .command('create')
    .description('add a person (password from ATTEST_PASSWORD, or made and printed once)')
    .argument('<username>')
    .requiredOption('--tenant <slug>', 'the tenant')
    .option('--name <display name>', 'name shown and printed')
    .option('--roles <list>', 'comma-separated roles (admin, manager, designer, teacher, signatory, learner, lms)', '')
    .option(database, databaseHelp)
    .action(async (username: string, opts: { tenant: string; name?: string; roles: string; database?: string }) => {
      code = await personCreate(username, opts, io);
    });
  const token = program.command('token').description('API tokens of a tenant');
  token
    .command('create')
    .description('create an API token (its secret is printed once)')
    .argument('<name>')
    .requiredOption('--tenant <slug>', 'the tenant')
    .requiredOption('--capabilities <list>', 'comma-separated capabilities (see the README)')
    .option('--expires <date-time>', 'when it stops working (ISO 8601, e.g. 2027-01-31T00:00:00Z); default: until revoked')
    .option(database, databaseHelp)
    .action(async (name: string, opts: { tenant: string; capabilities: string; expires?: string; database?: string }) => {
      code = await tokenCreate(name, opts, io);
    });
  token
    .command('revoke')
    .description('revoke a token at once, with every token made with it')
    .argument('<id>', 'the token id (see GET /api/v1/tokens)')
    .requiredOption('--tenant <slug>', 'the tenant')
    .option(database, databaseHelp)
    .action(async (id: string, opts: { tenant: string; database?: string }) => {
      code = await tokenRevoke(id, opts, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (caught) {
    const e = asCliError(caught);
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliError) {
      io.err(`attest: ${e.message}\n`);
      return e.exitCode;
    }
    io.err(`attest: unexpected failure: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.internal;
  }
  return code;
}

function stopOnSignal(running: { close(): Promise<void> }): void {
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const defaultIO: IO = {
  out: (s: string) => void process.stdout.write(s),
  err: (s: string) => void process.stderr.write(s),
  ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
};
