import { Option, type Command } from 'commander';
import { examples, jsonOption, tenantOptions, type JsonOption, type Register } from '../framework';
import { EXIT } from '../output';
import { startCommand, stopOnSignal, type StartOptions } from '../start';

/**
 * `attest serve`: what `attest start` does (migrate, serve the API, the editor and the verification pages),
 * for the tenants given. Several processes can share one database and each serve some sites: a request
 * for a tenant outside a process's selection is answered as for an unknown tenant (see domain/scope.ts).
 * The startup itself is startCommand (start.ts), the one function a server process goes through.
 */
export const register: Register = (program, cli) => {
  examples(
    jsonOption(
      tenantOptions(
        serverOptions(
          program.command('serve').description('serve Attest for the given tenants (default: every tenant, as attest start does)'),
        ),
      ).addHelpText(
        'after',
        '\nWithout --tenant every tenant is served, and a fresh database gets the demo tenant (as attest start).\n' +
          'With --tenant, other tenants are unknown to this process: their tokens and sessions get 404 TENANT_NOT_SERVED,\n' +
          'their sign-ins, webhooks, links and verification codes the answers of an unknown tenant.\n',
      ),
    ),
    [
      'attest serve --all-tenants --port 3000 --base-url https://certs.example.org',
      'attest serve --tenant campus-nord --tenant campus-sud --port 3001 --database postgres://attest@db/attest',
      'attest serve --tenant shop --port 3002 --json',
    ],
  ).action((opts: StartOptions & JsonOption) =>
    cli.run(async () => {
      // With --json, what start says goes to standard error and one JSON line to standard output.
      const io = opts.json ? { out: cli.io.err, err: cli.io.err } : cli.io;
      const running = await startCommand(opts, io);
      if (opts.json) cli.io.out(`${JSON.stringify({ url: running.url, listening: running.listening, tenants: running.tenants })}\n`);
      stopOnSignal(running);
      return EXIT.ok;
    }),
  );
};

/** The options of a server process, shared by `attest start` (main.ts) and `attest serve`. */
export function serverOptions(cmd: Command): Command {
  return cmd
    .option('-p, --port <port>', 'port to listen on', process.env.PORT ?? '3000')
    .option('--host <host>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--base-url <url>', 'public address of this server, for verification links (default: where it listens)')
    .option('--workers <n>', 'render worker threads (default: one per core)')
    .addOption(
      new Option(
        '--trust-proxy <value>',
        'believe X-Forwarded-For from these proxies: true, a hop count, or addresses/subnets such as "loopback" (default: ATTEST_TRUST_PROXY, else no one)',
      ),
    );
}
