import {
  createOperatorToken,
  findOperatorToken,
  listOperatorTokens,
  operatorTokenRow,
  revokeOperatorToken,
  type OperatorTokenInfo,
} from '../../domain/operators';
import { databaseOption, dryRunOption, examples, jsonOption, print, withServices, type Register } from '../framework';
import type { DatabaseOptions, DryRunOption, JsonOption } from '../framework';
import { EXIT } from '../output';

/**
 * `attest operator token create|list|revoke`: the credential of the installation's operator, which belongs
 * to no tenant (so no `--tenant` here) and opens only the operator operations of the API (provisioning a
 * tenant and its first administrator: docs/scripts/operator.md). The secret is printed once.
 */
type Options = DatabaseOptions & JsonOption & DryRunOption;

const line = (t: OperatorTokenInfo): string =>
  [
    t.id,
    t.name,
    t.revokedAt ? `revoked ${t.revokedAt}` : t.expiresAt ? `expires ${t.expiresAt}` : 'until revoked',
    `last used ${t.lastUsedAt ?? 'never'}`,
  ].join('\t');

export const register: Register = (program, cli) => {
  const operator = examples(
    program
      .command('operator')
      .description('the installation operator’s credentials: tokens that belong to no tenant and provision tenants over the API'),
    ['attest operator token create hosting-panel --expires 2027-12-31T00:00:00Z', 'attest operator token list --json'],
  );
  const token = examples(operator.command('token').description('operator tokens (atop_…): open only /api/v1/operator/…'), [
    'attest operator token create hosting-panel',
    'attest operator token revoke 0193…',
  ]);

  const create = token
    .command('create')
    .description('create an operator token; its secret is printed once, only its hash is kept')
    .argument('<name>', 'who or what holds it (e.g. "hosting panel")')
    .option('--expires <date-time>', 'when it stops working (ISO 8601, e.g. 2027-01-31T00:00:00Z); default: until revoked');
  databaseOption(jsonOption(dryRunOption(create)));
  examples(create, [
    'attest operator token create "hosting panel"',
    'attest operator token create ci --expires 2027-01-31T00:00:00Z --json',
    'attest operator token create "hosting panel" --dry-run',
  ]);
  create.action(async (name: string, opts: Options & { expires?: string }) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const input = { name, ...(opts.expires !== undefined ? { expiresAt: opts.expires } : {}) };
        if (opts.dryRun) {
          const row = operatorTokenRow(services, input);
          const would = { dryRun: true, name: row.name, expiresAt: row.expires_at };
          print(
            cli.io,
            opts.json,
            would,
            () =>
              `would create operator token "${row.name}" (${row.expires_at ? `expires ${row.expires_at}` : 'until revoked'}); nothing written`,
          );
          return EXIT.ok;
        }
        const made = await createOperatorToken(services, input);
        print(
          cli.io,
          opts.json,
          made,
          () =>
            `operator token "${made.info.name}" created (${made.info.id}); it opens only /api/v1/operator/…\nsecret (shown once, keep it safe):\n${made.token}`,
        );
        return EXIT.ok;
      }),
    ),
  );

  const list = token.command('list').description('list operator tokens, revoked and expired ones too (never their secrets)');
  databaseOption(jsonOption(list));
  examples(list, ['attest operator token list', 'attest operator token list --json']);
  list.action(async (opts: Options) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const tokens = await listOperatorTokens(services);
        print(cli.io, opts.json, tokens, () => (tokens.length ? tokens.map(line).join('\n') : 'no operator token'));
        return EXIT.ok;
      }),
    ),
  );

  const revoke = token
    .command('revoke')
    .description('revoke an operator token at once (revoking a revoked one changes nothing)')
    .argument('<id>', 'the token id (see "attest operator token list")');
  databaseOption(jsonOption(dryRunOption(revoke)));
  examples(revoke, ['attest operator token revoke 7d5c…', 'attest operator token revoke 7d5c… --dry-run --json']);
  revoke.action(async (id: string, opts: Options) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        if (opts.dryRun) {
          const found = await findOperatorToken(services, id);
          print(cli.io, opts.json, { dryRun: true, ...found }, () =>
            found.revokedAt
              ? `operator token ${id} is already revoked (${found.revokedAt}); nothing to do`
              : `would revoke operator token ${id} ("${found.name}"); nothing written`,
          );
          return EXIT.ok;
        }
        const revoked = await revokeOperatorToken(services, id);
        print(cli.io, opts.json, revoked, () => `operator token ${id} ("${revoked.name}") revoked at ${revoked.revokedAt ?? '?'}`);
        return EXIT.ok;
      }),
    ),
  );
};
