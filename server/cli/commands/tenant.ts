import { Option } from 'commander';
import {
  databaseOption,
  dryRunOption,
  examples,
  jsonOption,
  print,
  selectTenants,
  systemActor,
  tenantOptions,
  withServices,
  type Cli,
  type DatabaseOptions,
  type DryRunOption,
  type JsonOption,
  type Register,
  type TenantOptions,
} from '../framework';
import { CliError, EXIT } from '../output';
import {
  createTenant,
  findTenantBySlug,
  listTenants,
  mergeTenantSettings,
  plannedTenant,
  rotateLinkSecret,
  rotateWebhookSecret,
  updateTenantSettings,
  type Tenant,
} from '../../domain/tenants';
import type { TenantSettings } from '../../domain/settings';
import { dryLabel, onOff } from './shared';

/**
 * `attest tenant …`: one tenant per LMS site. The commands call the same domain functions as the API, as
 * the tenant's system actor; settings go through the same schema (and the same merge) as PUT /tenant/settings.
 */
export const register: Register = (program, cli) => {
  const tenant = examples(program.command('tenant').description('tenants: one per LMS site, their settings and keys'), [
    'attest tenant create campus-nord --name "Campus Nord" --locale fr',
    'attest tenant list --json',
    'attest tenant settings --tenant campus-nord --delivery-lock on --public-base-url https://certs.campus-nord.example',
  ]);

  examples(
    dryRunOption(
      jsonOption(
        databaseOption(
          tenant
            .command('create')
            .description('create a tenant with the default roles')
            .argument('<slug>', 'short name, used in addresses (lowercase letters, digits, dashes)')
            .option('--name <name>', 'display name (default: the slug)')
            .addOption(new Option('--locale <locale>', 'language of refusals and the verification page').choices(['fr', 'en']))
            .option('--lock', 'create every new document locked (delivery lock)')
            .option('--no-completion-tracking', 'issue documents without requiring the course to be completed')
            .option('--public-base-url <url>', 'address verification links in documents point to (default: the server’s)'),
        ),
      ),
    ),
    [
      'attest tenant create campus-nord --name "Campus Nord"',
      'attest tenant create shop --locale en --lock --public-base-url https://certs.shop.example',
      'attest tenant create campus-sud --dry-run --json',
    ],
  ).action((slug: string, opts: CreateOptions) => cli.run(() => create(cli, slug, opts)));

  examples(
    jsonOption(tenantOptions(tenant.command('list').description('list the tenants (all, or those given) and their delivery settings'))),
    ['attest tenant list', 'attest tenant list --json', 'attest tenant list --tenant campus-nord --tenant campus-sud'],
  ).action((opts: TenantOptions & JsonOption) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const tenants =
          opts.tenant?.length || opts.allTenants ? await selectTenants(services, opts) : await listTenants(services.storage.db);
        print(cli.io, opts.json, tenants, () =>
          tenants.length
            ? tenants
                .map(
                  (t) =>
                    `${t.slug}\t${t.name}\tlock ${t.settings.delivery_lock ? 'on' : 'off'}\tcompletion ${t.settings.completion_tracking ? 'on' : 'off'}`,
                )
                .join('\n')
            : 'no tenants yet (attest tenant create SLUG)',
        );
        return EXIT.ok;
      }),
    ),
  );

  examples(jsonOption(tenantOptions(tenant.command('show').description('every setting of the given tenants'))), [
    'attest tenant show --tenant campus-nord',
    'attest tenant show --all-tenants --json',
  ]).action((opts: TenantOptions & JsonOption) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const tenants = await selectTenants(services, opts);
        print(cli.io, opts.json, tenants, () => tenants.map(describe).join('\n\n'));
        return EXIT.ok;
      }),
    ),
  );

  examples(
    dryRunOption(
      jsonOption(
        tenantOptions(
          tenant
            .command('settings')
            .description('change settings of the given tenants (without a setting: print them)')
            .addOption(
              new Option('--completion-tracking <on|off>', 'documents need the course to be completed').argParser(
                onOff('--completion-tracking'),
              ),
            )
            .addOption(
              new Option(
                '--delivery-lock <on|off>',
                'every new document is created locked until a manager or the shop unlocks it',
              ).argParser(onOff('--delivery-lock')),
            )
            .addOption(new Option('--locale <locale>', 'language of refusal reasons and of the verification page').choices(['fr', 'en']))
            .option('--public-base-url <url>', 'address verification links point to; "none" to use the server’s own')
            .addOption(
              new Option('--show-learner-name <on|off>', "verification page shows the learner's name").argParser(
                onOff('--show-learner-name'),
              ),
            )
            .addOption(new Option('--show-course <on|off>', 'verification page shows the course').argParser(onOff('--show-course')))
            .addOption(
              new Option('--show-dates <on|off>', 'verification page shows issue and expiry dates').argParser(onOff('--show-dates')),
            )
            .option('--organization-name <name>', 'the organisation printed on documents and named on the verification page')
            .option('--organization-address <text>', 'its address ("none" to remove)')
            .option('--organization-url <url>', 'its web address ("none" to remove)')
            .option('--organization-registration <number>', 'its registration number ("none" to remove)'),
        ),
      ),
    ),
    [
      'attest tenant settings --tenant campus-nord',
      'attest tenant settings --tenant campus-nord --delivery-lock on --locale en',
      'attest tenant settings --all-tenants --show-learner-name off --dry-run',
      'attest tenant settings --tenant a --tenant b --public-base-url none --json',
    ],
  ).action((opts: SettingsOptions) => cli.run(() => settings(cli, opts)));

  const rotations = [
    {
      name: 'rotate-webhook-secret',
      help: 'replace the shop webhook secret at once (printed once; deliveries signed with the old one are refused)',
      example: 'attest tenant rotate-webhook-secret campus-nord',
    },
    {
      name: 'rotate-link-secret',
      help: 'replace the key of download links: every link handed out before stops working',
      example: 'attest tenant rotate-link-secret campus-nord --json',
    },
  ] as const;
  for (const r of rotations) {
    examples(dryRunOption(jsonOption(databaseOption(tenant.command(r.name).description(r.help).argument('<slug>', 'the tenant')))), [
      r.example,
      `attest tenant ${r.name} campus-nord --dry-run`,
    ]).action((slug: string, opts: DatabaseOptions & JsonOption & DryRunOption) => cli.run(() => rotate(cli, r.name, slug, opts)));
  }
};

interface CreateOptions extends DatabaseOptions, JsonOption, DryRunOption {
  name?: string;
  locale?: 'fr' | 'en';
  lock?: boolean;
  completionTracking: boolean;
  publicBaseUrl?: string;
}

function create(cli: Cli, slug: string, opts: CreateOptions): Promise<number> {
  return withServices(opts, async (services) => {
    const input = {
      slug,
      name: opts.name ?? slug,
      settings: {
        ...(opts.locale ? { locale: opts.locale } : {}),
        ...(opts.lock ? { delivery_lock: true } : {}),
        ...(opts.completionTracking ? {} : { completion_tracking: false }),
        ...(opts.publicBaseUrl !== undefined ? { public_base_url: opts.publicBaseUrl } : {}),
      },
    };
    if (opts.dryRun) {
      const planned = plannedTenant(input);
      if (await findTenantBySlug(services.storage.db, slug))
        throw new CliError(`TENANT_EXISTS: a tenant "${slug}" already exists`, EXIT.invalid);
      print(
        cli.io,
        opts.json,
        { dryRun: true, tenant: planned },
        () => `${dryLabel(true)}would create tenant ${slug}:\n${describe(planned)}`,
      );
      return EXIT.ok;
    }
    const made = await createTenant(services, input);
    print(cli.io, opts.json, made, () => `tenant ${made.slug} created (${made.id})`);
    return EXIT.ok;
  });
}

interface SettingsOptions extends TenantOptions, JsonOption, DryRunOption {
  completionTracking?: boolean;
  deliveryLock?: boolean;
  locale?: 'fr' | 'en';
  publicBaseUrl?: string;
  showLearnerName?: boolean;
  showCourse?: boolean;
  showDates?: boolean;
  organizationName?: string;
  organizationAddress?: string;
  organizationUrl?: string;
  organizationRegistration?: string;
}

const NONE = 'none';
const orNone = (v: string): string | undefined => (v.trim().toLowerCase() === NONE ? undefined : v);

/**
 * The patch the flags ask for, against a tenant's current settings: nested groups (verification page,
 * organisation) are completed from the current values, since a patch replaces top-level keys whole.
 */
function settingsPatch(current: TenantSettings, opts: SettingsOptions): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (opts.completionTracking !== undefined) patch.completion_tracking = opts.completionTracking;
  if (opts.deliveryLock !== undefined) patch.delivery_lock = opts.deliveryLock;
  if (opts.locale !== undefined) patch.locale = opts.locale;
  if (opts.publicBaseUrl !== undefined) patch.public_base_url = orNone(opts.publicBaseUrl);
  if (opts.showLearnerName !== undefined || opts.showCourse !== undefined || opts.showDates !== undefined) {
    patch.verification_shows = {
      ...current.verification_shows,
      ...(opts.showLearnerName !== undefined ? { learner_name: opts.showLearnerName } : {}),
      ...(opts.showCourse !== undefined ? { course: opts.showCourse } : {}),
      ...(opts.showDates !== undefined ? { dates: opts.showDates } : {}),
    };
  }
  const org: Record<string, string | undefined> = {};
  if (opts.organizationName !== undefined) org.name = opts.organizationName;
  if (opts.organizationAddress !== undefined) org.address = orNone(opts.organizationAddress);
  if (opts.organizationUrl !== undefined) org.url = orNone(opts.organizationUrl);
  if (opts.organizationRegistration !== undefined) org.registration_number = orNone(opts.organizationRegistration);
  if (Object.keys(org).length) {
    const merged: Record<string, string | undefined> = { ...current.organization, ...org };
    // A setting removed ("none") is left out, not stored as null.
    patch.organization = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
  }
  return patch;
}

async function settings(cli: Cli, opts: SettingsOptions): Promise<number> {
  return withServices(opts, async (services) => {
    const tenants = await selectTenants(services, opts);
    const results: { tenant: string; changed: string[]; settings: TenantSettings }[] = [];
    // Every tenant's new settings are checked before any is written: a bad value changes nothing anywhere.
    const planned = tenants.map((t) => {
      const patch = settingsPatch(t.settings, opts);
      return { tenant: t, patch, after: mergeTenantSettings(t.settings, patch) };
    });
    for (const { tenant: t, patch, after } of planned) {
      const changed = Object.keys(patch).filter(
        (k) => JSON.stringify(t.settings[k as keyof TenantSettings]) !== JSON.stringify(after[k as keyof TenantSettings]),
      );
      if (changed.length && !opts.dryRun) await updateTenantSettings(services, systemActor(t), patch);
      results.push({ tenant: t.slug, changed, settings: after });
    }
    const asking = Object.keys(planned[0]?.patch ?? {}).length > 0;
    print(cli.io, opts.json, opts.dryRun ? { dryRun: true, tenants: results } : results, () =>
      results
        .map((r) =>
          !asking
            ? `${r.tenant}\n${settingsText(r.settings)}`
            : r.changed.length
              ? `${dryLabel(opts.dryRun)}${r.tenant}: ${opts.dryRun ? 'would change' : 'changed'} ${r.changed.join(', ')}\n${settingsText(r.settings)}`
              : `${r.tenant}: already so, nothing to change`,
        )
        .join('\n\n'),
    );
    return EXIT.ok;
  });
}

async function rotate(
  cli: Cli,
  which: 'rotate-webhook-secret' | 'rotate-link-secret',
  slug: string,
  opts: DatabaseOptions & JsonOption & DryRunOption,
): Promise<number> {
  return withServices(opts, async (services) => {
    const [t] = await selectTenants(services, { tenant: [slug] });
    const actor = systemActor(t!);
    if (which === 'rotate-webhook-secret') {
      if (opts.dryRun) {
        print(cli.io, opts.json, { dryRun: true, tenant: slug }, () => `${dryLabel(true)}would replace the webhook secret of ${slug}`);
        return EXIT.ok;
      }
      const secret = await rotateWebhookSecret(services, actor);
      print(
        cli.io,
        opts.json,
        { tenant: slug, webhookSecret: secret },
        () =>
          `webhook secret of ${slug} replaced; deliveries signed with the old one are refused from now on. New secret (give it to the shop):\n${secret}`,
      );
      return EXIT.ok;
    }
    if (opts.dryRun) {
      print(cli.io, opts.json, { dryRun: true, tenant: slug }, () => `${dryLabel(true)}would replace the link key of ${slug}`);
      return EXIT.ok;
    }
    const { rotatedAt } = await rotateLinkSecret(services, actor);
    print(
      cli.io,
      opts.json,
      { tenant: slug, rotatedAt },
      () => `link key of ${slug} replaced: every download link handed out before no longer works; learners ask for new ones.`,
    );
    return EXIT.ok;
  });
}

function describe(t: Omit<Tenant, 'id'> & { id?: string }): string {
  return [`${t.slug}  ${t.name}${t.id ? `  (${t.id})` : ''}`, settingsText(t.settings)].join('\n');
}

function settingsText(s: TenantSettings): string {
  const onoff = (b: boolean) => (b ? 'on' : 'off');
  const org = s.organization;
  return [
    `  completion tracking   ${onoff(s.completion_tracking)}`,
    `  delivery lock         ${onoff(s.delivery_lock)}`,
    `  locale                ${s.locale}`,
    `  public base URL       ${s.public_base_url ?? "(the server's own)"}`,
    `  verification page     learner name ${onoff(s.verification_shows.learner_name)}, course ${onoff(s.verification_shows.course)}, dates ${onoff(s.verification_shows.dates)}`,
    `  organization          ${[org.name, org.address, org.url, org.registration_number].filter(Boolean).join(' · ')}${org.logo ? ' (with a logo)' : ''}`,
  ].join('\n');
}
