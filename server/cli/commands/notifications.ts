import type { Services } from '../../domain/context';
import { replayDelivery } from '../../domain/webhooks-out/endpoints';
import { resendMessage } from '../../domain/mail/messages';
import { notificationStatus, type NotificationStatus } from '../../domain/notification-status';
import type { Tenant } from '../../domain/tenants';
import { runNotificationsOnce } from '../../jobs/notifications';
import { messageTenant, sendTenant } from '../../storage/repositories/notifications';
import {
  examples,
  jsonOption,
  print,
  selectTenants,
  systemActor,
  tenantOptions,
  withServices,
  type JsonOption,
  type Register,
  type TenantOptions,
} from '../framework';
import { CliError, EXIT } from '../output';

/**
 * `attest notifications …`: the queue of signed webhooks out and mail (server/jobs/notifications.ts) from
 * the command line: a round of what is due (for cron set-ups with no `attest serve` running), the queue's
 * state per tenant, and a delivery replayed or a message sent again by id, as a manager does in the editor.
 */
type RunOptions = TenantOptions & JsonOption & { maxRounds?: string };

export const register: Register = (program, cli) => {
  const group = examples(
    program.command('notifications').description('signed webhooks out and mail: send what is due, see the queue, replay, resend'),
    [
      'attest notifications run --all-tenants            # from cron, when no "attest serve" runs',
      'attest notifications status --tenant campus --json',
      'attest notifications replay --tenant campus --delivery 0193…',
      'attest notifications resend --tenant campus --message 0193…',
    ],
  );

  examples(
    jsonOption(
      tenantOptions(
        group
          .command('run')
          .description('send what is due now (webhooks, mail, expiry events found), round after round until nothing more is due, then stop')
          .option('--max-rounds <n>', 'stop after this many rounds (default 100; a round takes up to 20 of each)'),
      ),
    ),
    ['attest notifications run --all-tenants', 'attest notifications run --tenant campus --json'],
  ).action((opts: RunOptions) => cli.run(() => run(cli, opts)));

  examples(
    jsonOption(tenantOptions(group.command('status').description('per tenant: deliveries and messages by state, the oldest still due'))),
    ['attest notifications status --tenant campus', 'attest notifications status --all-tenants --json'],
  ).action((opts: TenantOptions & JsonOption) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const rows: (NotificationStatus & { tenant: string })[] = [];
        for (const t of await selectTenants(services, opts))
          rows.push({ tenant: t.slug, ...(await notificationStatus(services, systemActor(t))) });
        print(cli.io, opts.json, rows, () =>
          rows
            .map((r) =>
              [
                `${r.tenant}:`,
                `  webhooks (${r.webhooks.receivers} receiver${r.webhooks.receivers === 1 ? '' : 's'}): ${r.webhooks.pending} pending, ${r.webhooks.delivered} delivered, ${r.webhooks.failed} failed${r.webhooks.oldestDue ? `; oldest due ${r.webhooks.oldestDue}` : ''}`,
                `  mail (${r.mail.smtp ? 'SMTP set' : 'no SMTP server set'}): ${r.mail.queued} queued, ${r.mail.deferred} deferred, ${r.mail.sent} sent, ${r.mail.failed} failed${r.mail.oldestDue ? `; oldest due ${r.mail.oldestDue}` : ''}`,
              ].join('\n'),
            )
            .join('\n'),
        );
        return EXIT.ok;
      }),
    ),
  );

  examples(
    jsonOption(
      tenantOptions(
        group
          .command('replay')
          .description('send a webhook delivery again now with a fresh retry budget (refused for one the receiver acknowledged with 2xx)')
          .requiredOption(
            '--delivery <id>',
            'the delivery id (X-Attest-Delivery; see the editor or GET /webhook-receivers/:id/deliveries)',
          ),
      ),
    ),
    ['attest notifications replay --tenant campus --delivery 0193…'],
  ).action((opts: TenantOptions & JsonOption & { delivery: string }) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const tenant = await owner(services, opts, await sendTenant(services.storage.db, opts.delivery), `delivery ${opts.delivery}`);
        const d = await replayDelivery(services, systemActor(tenant), opts.delivery);
        print(
          cli.io,
          opts.json,
          { tenant: tenant.slug, delivery: d },
          () => `${tenant.slug}: delivery ${d.id} (${d.event}) is due again now`,
        );
        return EXIT.ok;
      }),
    ),
  );

  examples(
    jsonOption(
      tenantOptions(
        group
          .command('resend')
          .description('send a mail message again now with a fresh retry budget')
          .requiredOption('--message <id>', 'the message id (see the delivery screen or GET /issues/:code/mail)'),
      ),
    ),
    ['attest notifications resend --tenant campus --message 0193…'],
  ).action((opts: TenantOptions & JsonOption & { message: string }) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const tenant = await owner(services, opts, await messageTenant(services.storage.db, opts.message), `message ${opts.message}`);
        const m = await resendMessage(services, systemActor(tenant), opts.message);
        print(
          cli.io,
          opts.json,
          { tenant: tenant.slug, message: m },
          () => `${tenant.slug}: message ${m.id} to ${m.recipient} is queued again`,
        );
        return EXIT.ok;
      }),
    ),
  );
};

/** The tenant holding a delivery or a message, which must be one of those the command was given. */
async function owner(services: Services, opts: TenantOptions, tenantId: string | undefined, what: string): Promise<Tenant> {
  const tenants = await selectTenants(services, opts);
  const tenant = tenants.find((t) => t.id === tenantId);
  if (!tenant) throw new CliError(`NOT_FOUND: no ${what} in ${tenants.map((t) => t.slug).join(', ') || 'the tenants given'}`, EXIT.invalid);
  return tenant;
}

async function run(cli: Parameters<Register>[1], opts: RunOptions): Promise<number> {
  const maxRounds = opts.maxRounds === undefined ? 100 : Number(opts.maxRounds);
  if (!Number.isInteger(maxRounds) || maxRounds < 1)
    throw new CliError(`--max-rounds is a whole number from 1, not "${opts.maxRounds}"`, EXIT.usage);
  return withServices(opts, async (services) => {
    const tenants = await selectTenants(services, opts);
    const totals = { rounds: 0, expired: 0, webhookAttempts: 0, mailAttempts: 0 };
    for (; totals.rounds < maxRounds;) {
      const r = await runNotificationsOnce(services, { tenantIds: tenants.map((t) => t.id) });
      totals.rounds++;
      totals.expired += r.expired;
      totals.webhookAttempts += r.webhookAttempts;
      totals.mailAttempts += r.mailAttempts;
      if (!r.expired && !r.webhookAttempts && !r.mailAttempts) break;
    }
    const status: (NotificationStatus & { tenant: string })[] = [];
    for (const t of tenants) status.push({ tenant: t.slug, ...(await notificationStatus(services, systemActor(t))) });
    print(cli.io, opts.json, { ...totals, tenants: status }, () =>
      [
        `${totals.webhookAttempts} webhook attempt${totals.webhookAttempts === 1 ? '' : 's'}, ${totals.mailAttempts} mail attempt${totals.mailAttempts === 1 ? '' : 's'}, ${totals.expired} expiry event${totals.expired === 1 ? '' : 's'} in ${totals.rounds} round${totals.rounds === 1 ? '' : 's'}`,
        ...status.map(
          (s) =>
            `${s.tenant}: webhooks ${s.webhooks.pending} pending, ${s.webhooks.failed} failed; mail ${s.mail.queued + s.mail.deferred} waiting, ${s.mail.failed} failed`,
        ),
      ].join('\n'),
    );
    return EXIT.ok;
  });
}
