import { Command, CommanderError } from 'commander';
import { renderCommand } from './render';
import { checkCommand } from './check';
import { examplesCommand } from './examples';
import { schemaCommand } from './schema';
import { CliError, EXIT, type IO } from './output';
import { COMMANDS } from './commands';
import { asCliError, databaseOption, examples, type Cli } from './framework';
import { startCommand, stopOnSignal, type StartOptions } from './start';
import { serverOptions } from './commands/serve';

/**
 * `attest` — one program, one subcommand per operator task. Each subcommand lives in its own module and
 * returns an exit code; nothing here calls process.exit, so tests run commands in-process.
 */
export async function main(argv: string[], io: IO = defaultIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = attestProgram(io, (c) => {
    code = c;
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

/** The whole command tree; `setCode` receives the exit code of the command that ran. Also what the README's script index is made from. */
export function attestProgram(io: IO, setCode: (code: number) => void): Command {
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
      setCode(await renderCommand(template, opts, io));
    });

  program
    .command('check')
    .description('report every problem in a template: front matter, Liquid, types, markup, and layout with each sample learner')
    .argument('[templates...]', 'template files')
    .option('-d, --data <file>', 'also check this data against the template (binding)')
    .option('--no-personas', 'skip rendering with the bundled sample learners')
    .option('--json', 'print diagnostics as JSON')
    .action(async (templates: string[], opts: { data?: string; personas: boolean; json?: boolean }) => {
      setCode(await checkCommand(templates, opts, io));
    });

  program
    .command('schema')
    .description("print the data contract as JSON Schema: the catalogue, or a template's")
    .argument('[template]', 'template file; without it, the built-in catalogue')
    .option('--lms', 'leave out what the server fills (certificate.*): the payload an LMS sends')
    .action(async (template: string | undefined, opts: { lms?: boolean }) => {
      setCode(await schemaCommand(template, opts, io));
    });

  program
    .command('examples')
    .description('render every bundled example with every sample learner')
    .option('-o, --out <dir>', 'output folder', 'out')
    .action(async (opts: { out: string }) => {
      setCode(await examplesCommand(opts, io));
    });

  for (const cmd of program.commands) {
    const lines = BUILTIN_EXAMPLES[cmd.name()];
    if (lines) examples(cmd, lines);
  }

  // `attest serve --all-tenants` under its first name; both go through startCommand.
  examples(
    databaseOption(
      serverOptions(
        program
          .command('start')
          .description('serve Attest: the API, the editor and the verification pages (SQLite in data/ unless DATABASE_URL says otherwise)'),
      ),
    ),
    [
      'attest start',
      'attest start --port 8080 --base-url https://certs.example.org',
      'attest start --database postgres://attest@db/attest',
    ],
  ).action(async (opts: StartOptions) => {
    const running = await startCommand(opts, io);
    stopOnSignal(running);
    setCode(EXIT.ok);
  });

  const cli: Cli = {
    io,
    run: async (work) => {
      setCode(await work());
    },
  };
  for (const register of COMMANDS) register(program, cli);
  return program;
}

/** Help examples of the template commands that need no database. */
const BUILTIN_EXAMPLES: Record<string, readonly string[]> = {
  render: [
    'attest render templates/examples/attestation-fr.liquid --persona camille-martin --out attestation.pdf',
    'attest render my-template.liquid --data learner.json --out learner.pdf --json',
  ],
  check: ['attest check templates/examples/*.liquid', 'attest check my-template.liquid --data learner.json --json'],
  schema: ['attest schema --lms > payload.schema.json', 'attest schema my-template.liquid'],
  examples: ['attest examples --out out/'],
};

const defaultIO: IO = {
  out: (s: string) => void process.stdout.write(s),
  err: (s: string) => void process.stderr.write(s),
  ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
};
