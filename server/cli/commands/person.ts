import type { Command } from 'commander';
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
import {
  USERNAME,
  checkPassword,
  createPerson,
  deletePerson,
  findPerson,
  listPeople,
  resetPassword,
  updatePerson,
  type Person,
} from '../../domain/people';
import { checkRoles } from '../../domain/roles';
import { DomainError } from '../../domain/errors';
import { rolesOf } from '../../storage/repositories/roles';
import type { Services } from '../../domain/context';
import type { Tenant } from '../../domain/tenants';
import { commaList, dryLabel, newPassword } from './shared';

/**
 * `attest person …`: the people of a tenant. A password is never taken from the command line (other users
 * of the machine can read it there): it comes from ATTEST_PASSWORD, or is made and printed once.
 */
export const register: Register = (program, cli) => {
  const person = examples(program.command('person').description('people of a tenant: who signs in, with which roles'), [
    'ATTEST_PASSWORD=… attest person create claire --tenant campus-nord --roles admin',
    'attest person list --tenant campus-nord --json',
    'attest person disable claire --tenant campus-nord',
  ]);

  const one = (cmd: Command) => dryRunOption(jsonOption(tenantOptions(cmd, { single: true })));

  examples(
    one(
      person
        .command('create')
        .description('add a person (password from ATTEST_PASSWORD, or made and printed once)')
        .argument('<username>')
        .option('--name <display name>', 'name shown and printed (default: the username)')
        .option('--email <address>', 'their email address')
        .option('--roles <list>', 'comma-separated roles (admin, manager, designer, teacher, signatory, learner, lms)', '')
        .option('--no-password', 'no password: someone who never signs in (a signatory printed on documents)'),
    ),
    [
      'attest person create claire --tenant campus-nord --roles admin',
      'ATTEST_PASSWORD="a long passphrase" attest person create marc --tenant campus-nord --name "Marc Petit" --roles designer,teacher',
      'attest person create dr-lee --tenant campus-nord --roles signatory --no-password --json',
      'attest person create claire --tenant campus-nord --roles admin --dry-run',
    ],
  ).action((username: string, opts: CreateOptions) => cli.run(() => create(cli, username, opts)));

  examples(jsonOption(tenantOptions(person.command('list').description('the people of the given tenants, with their roles'))), [
    'attest person list --tenant campus-nord',
    'attest person list --all-tenants --json',
  ]).action((opts: TenantOptions & JsonOption) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const rows: (Person & { tenant: string })[] = [];
        for (const t of await selectTenants(services, opts))
          for (const p of await listPeople(services, systemActor(t))) rows.push({ tenant: t.slug, ...p });
        print(cli.io, opts.json, rows, () =>
          rows.length
            ? rows
                .map(
                  (p) =>
                    `${p.tenant}\t${p.username}\t${p.displayName}\t${p.roles.join(',') || '(no role)'}${p.disabled ? '\tdisabled' : ''}`,
                )
                .join('\n')
            : 'nobody yet',
        );
        return EXIT.ok;
      }),
    ),
  );

  for (const [name, disabled, help] of [
    ['disable', true, 'stop a person signing in; their sessions end at once'],
    ['enable', false, 'let a disabled person sign in again'],
  ] as const) {
    examples(one(person.command(name).description(help).argument('<username>')), [
      `attest person ${name} claire --tenant campus-nord`,
      `attest person ${name} claire --tenant campus-nord --dry-run --json`,
    ]).action((username: string, opts: OneOptions) =>
      cli.run(() =>
        onPerson(cli, username, opts, `${name}d`, async (services, t, p) => {
          if (opts.dryRun) return `${dryLabel(true)}would ${name} ${username} in ${t.slug}${disabled ? '; their sessions would end' : ''}.`;
          await updatePerson(services, systemActor(t), p.id, { disabled });
          return disabled ? `${username} disabled in ${t.slug}; their sessions ended.` : `${username} enabled in ${t.slug}.`;
        }),
      ),
    );
  }

  examples(
    one(
      person
        .command('reset-password')
        .description('give a person a new password (from ATTEST_PASSWORD, or made and printed once); their sessions end')
        .argument('<username>'),
    ),
    [
      'attest person reset-password claire --tenant campus-nord',
      'ATTEST_PASSWORD="…" attest person reset-password claire --tenant campus-nord',
    ],
  ).action((username: string, opts: OneOptions) =>
    cli.run(async () => {
      const { password, shown } = newPassword();
      checkOrUsage(password);
      return onPerson(
        cli,
        username,
        opts,
        'password-reset',
        async (services, t, p) => {
          if (opts.dryRun) return `${dryLabel(true)}would replace the password of ${username} in ${t.slug} and end their sessions`;
          await resetPassword(services, systemActor(t), p.id, password);
          return `password of ${username} in ${t.slug} replaced; their sessions ended${shown ? `; new password (shown once): ${password}` : ''}`;
        },
        shown && !opts.dryRun ? { password } : {},
      );
    }),
  );

  examples(
    one(
      person.command('delete').description('delete a person: name, email, password and roles go, sessions end; their username stays taken'),
    ).argument('<username>'),
    ['attest person delete claire --tenant campus-nord', 'attest person delete claire --tenant campus-nord --dry-run'],
  ).action((username: string, opts: OneOptions) =>
    cli.run(() =>
      onPerson(cli, username, opts, 'deleted', async (services, t, p) => {
        if (opts.dryRun) return `${dryLabel(true)}would delete ${username} from ${t.slug}`;
        await deletePerson(services, systemActor(t), p.id);
        return `${username} deleted from ${t.slug}; the username stays taken so nobody later becomes the learner of their documents.`;
      }),
    ),
  );
};

type OneOptions = TenantOptions & JsonOption & DryRunOption;

interface CreateOptions extends OneOptions {
  name?: string;
  email?: string;
  roles: string;
  password: boolean;
}

/** A password refused before anything is opened: the rule is the domain's (checkPassword), said as a usage error. */
function checkOrUsage(password: string): void {
  try {
    checkPassword(password, 'ATTEST_PASSWORD');
  } catch (e) {
    if (e instanceof DomainError) throw new CliError(`ATTEST_PASSWORD: ${e.message}`, EXIT.usage);
    throw e;
  }
}

function create(cli: Cli, username: string, opts: CreateOptions): Promise<number> {
  const secret = opts.password ? newPassword() : undefined;
  if (secret) checkOrUsage(secret.password);
  const roles = commaList(opts.roles);
  return withServices(opts, async (services) => {
    const t = await oneTenant(services, opts);
    const actor = systemActor(t);
    const input = {
      username,
      displayName: opts.name ?? username,
      roles,
      ...(opts.email !== undefined ? { email: opts.email } : {}),
      ...(secret ? { password: secret.password } : {}),
    };
    if (opts.dryRun) {
      // What createPerson would refuse, checked without writing: the name, the roles, a person already there.
      if (!USERNAME.test(username)) throw new CliError(`USERNAME_INVALID: "${username}" is not a username`, EXIT.invalid);
      checkRoles(actor, roles, await rolesOf(services.storage.db, t.id));
      const existing = await findPerson(services, actor, username).then(
        () => true,
        () => false,
      );
      if (existing) throw new CliError(`PERSON_EXISTS: someone is already called "${username}" in ${t.slug}`, EXIT.invalid);
      const planned = { username, displayName: input.displayName, email: input.email ?? null, roles, disabled: false };
      print(
        cli.io,
        opts.json,
        { dryRun: true, tenant: t.slug, person: planned },
        () => `${dryLabel(true)}would create ${username} in ${t.slug} with roles ${roles.join(', ') || '(none)'}`,
      );
      return EXIT.ok;
    }
    const made = await createPerson(services, actor, input);
    const shown = secret?.shown ? secret.password : undefined;
    print(
      cli.io,
      opts.json,
      { tenant: t.slug, person: made, ...(shown ? { password: shown } : {}) },
      () =>
        `${made.username} created in ${t.slug} with roles ${roles.join(', ') || '(none)'}${shown ? `; password (shown once): ${shown}` : secret ? '' : '; no password (cannot sign in)'}`,
    );
    return EXIT.ok;
  });
}

/** Finds the person (PERSON_NOT_FOUND, exit 1, when absent), runs the change and reports it. */
function onPerson(
  cli: Cli,
  username: string,
  opts: OneOptions,
  action: string,
  change: (services: Services, tenant: Tenant, person: Person) => Promise<string>,
  extra: Record<string, unknown> = {},
): Promise<number> {
  return withServices(opts, async (services) => {
    const t = await oneTenant(services, opts);
    const p = await findPerson(services, systemActor(t), username);
    const text = await change(services, t, p);
    print(cli.io, opts.json, { tenant: t.slug, username, action, ...(opts.dryRun ? { dryRun: true } : {}), ...extra }, () => text);
    return EXIT.ok;
  });
}
