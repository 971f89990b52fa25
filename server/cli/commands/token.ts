import {
  dryRunOption,
  examples,
  jsonOption,
  oneTenant,
  print,
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
import { CliError, EXIT } from '../output';
import { createToken, listTokens, revokedWith, revokeToken, type TokenInfo } from '../../domain/tokens';
import { checkCapabilities } from '../../domain/roles';
import { commaList, dryLabel } from './shared';

/**
 * `attest token …`: API tokens of a tenant (what an LMS or a script carries). The secret is printed once;
 * only its hash is stored.
 */
export const register: Register = (program, cli) => {
  const token = examples(program.command('token').description('API tokens of a tenant'), [
    'attest token create Moodle --tenant campus-nord --capabilities certificate:view,certificate:apply',
    'attest token list --tenant campus-nord',
    'attest token revoke 0193… --tenant campus-nord',
  ]);

  examples(
    dryRunOption(
      jsonOption(
        tenantOptions(
          token
            .command('create')
            .description('create an API token (its secret is printed once)')
            .argument('<name>', 'what it is for (shown in lists and the audit trail)')
            .requiredOption('--capabilities <list>', 'comma-separated capabilities (see GET /api/v1/capabilities or the README)')
            .option('--expires <date-time>', 'when it stops working (ISO 8601, e.g. 2027-01-31T00:00:00Z); default: until revoked'),
          { single: true },
        ),
      ),
    ),
    [
      'attest token create Moodle --tenant campus-nord --capabilities certificate:view,certificate:apply',
      'attest token create "nightly export" --tenant campus-nord --capabilities issues:manage --expires 2027-01-31T00:00:00Z --json',
      'attest token create Moodle --tenant campus-nord --capabilities certificate:view --dry-run',
    ],
  ).action((name: string, opts: CreateOptions) => cli.run(() => create(cli, name, opts)));

  examples(
    jsonOption(
      tenantOptions(
        token.command('list').description('the tokens of the given tenants (never their secrets), revoked ones included'),
      ).option('--live', 'only tokens neither revoked nor expired'),
    ),
    ['attest token list --tenant campus-nord', 'attest token list --all-tenants --live --json'],
  ).action((opts: TenantOptions & JsonOption & { live?: boolean }) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const now = services.now().toISOString();
        const rows: (TokenInfo & { tenant: string; state: string })[] = [];
        for (const t of await selectTenants(services, opts))
          for (const info of await listTokens(services, systemActor(t))) {
            const state = info.revokedAt ? 'revoked' : info.expiresAt && info.expiresAt <= now ? 'expired' : 'live';
            if (!opts.live || state === 'live') rows.push({ tenant: t.slug, state, ...info });
          }
        print(cli.io, opts.json, rows, () =>
          rows.length
            ? rows
                .map(
                  (r) =>
                    `${r.tenant}\t${r.id}\t${r.name}\t${r.state}\t${r.capabilities.join(',')}${r.expiresAt ? `\tuntil ${r.expiresAt}` : ''}`,
                )
                .join('\n')
            : 'no tokens',
        );
        return EXIT.ok;
      }),
    ),
  );

  examples(
    dryRunOption(
      jsonOption(
        tenantOptions(
          token
            .command('revoke')
            .description('revoke a token at once, with every token made with it')
            .argument('<id>', 'the token id (see "attest token list")'),
          { single: true },
        ),
      ),
    ),
    ['attest token revoke 0193… --tenant campus-nord', 'attest token revoke 0193… --tenant campus-nord --dry-run --json'],
  ).action((id: string, opts: TenantOptions & JsonOption & DryRunOption) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const t = await oneTenant(services, opts);
        const actor = systemActor(t);
        let revoked: string[];
        if (opts.dryRun) {
          const all = await listTokens(services, actor);
          if (!all.some((x) => x.id === id)) throw new CliError(`NOT_FOUND: no token ${id} in ${t.slug}`, EXIT.invalid);
          revoked = revokedWith(
            id,
            all.map((x) => ({ id: x.id, created_by_token: x.createdBy.startsWith('token:') ? x.createdBy.slice('token:'.length) : null })),
          );
        } else revoked = await revokeToken(services, actor, id);
        print(cli.io, opts.json, { tenant: t.slug, revoked, ...(opts.dryRun ? { dryRun: true } : {}) }, () =>
          opts.dryRun
            ? `${dryLabel(true)}would revoke ${revoked.length} token${revoked.length > 1 ? 's' : ''}: ${revoked.join(', ')}`
            : `revoked ${revoked.length} token${revoked.length > 1 ? 's' : ''}: ${revoked.join(', ')}`,
        );
        return EXIT.ok;
      }),
    ),
  );
};

interface CreateOptions extends TenantOptions, JsonOption, DryRunOption {
  capabilities: string;
  expires?: string;
}

function create(cli: Cli, name: string, opts: CreateOptions): Promise<number> {
  if (opts.expires !== undefined && Number.isNaN(Date.parse(opts.expires)))
    throw new CliError(`--expires must be a date and time (ISO 8601), not "${opts.expires}".`, EXIT.usage);
  const capabilities = commaList(opts.capabilities);
  return withServices(opts, async (services) => {
    const t = await oneTenant(services, opts);
    const actor = systemActor(t);
    if (opts.dryRun) {
      const caps = checkCapabilities(actor, capabilities, 'TOKEN_CAPABILITIES_INVALID', 'A token can carry only capabilities that exist.');
      if (opts.expires !== undefined && !(Date.parse(opts.expires) > services.now().getTime()))
        throw new CliError('TOKEN_EXPIRY_INVALID: a token’s expiry is a date and time in the future', EXIT.invalid);
      const planned = { name, capabilities: caps, expiresAt: opts.expires === undefined ? null : new Date(opts.expires).toISOString() };
      print(
        cli.io,
        opts.json,
        { dryRun: true, tenant: t.slug, token: planned },
        () => `${dryLabel(true)}would create token "${name}" in ${t.slug} with ${caps.join(', ')}`,
      );
      return EXIT.ok;
    }
    const { token, info } = await createToken(services, actor, {
      name,
      capabilities,
      ...(opts.expires !== undefined ? { expiresAt: opts.expires } : {}),
    });
    print(
      cli.io,
      opts.json,
      { tenant: t.slug, token: info, secret: token },
      () =>
        `token "${info.name}" (${info.id}) in ${t.slug} with ${info.capabilities.join(', ')}${info.expiresAt ? `, until ${info.expiresAt}` : ''}; secret (shown once):\n${token}`,
    );
    return EXIT.ok;
  });
}
