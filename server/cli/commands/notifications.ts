import type { Services } from '../../domain/context';
import { DomainError } from '../../domain/errors';
import { resendMessage } from '../../domain/mail/messages';
import { notificationStatus, type NotificationStatus } from '../../domain/notification-status';
import type { Tenant } from '../../domain/tenants';
import { getDelivery, replayDelivery } from '../../domain/webhooks-out/endpoints';
import { runNotificationsOnce } from '../../jobs/notifications';
import { messageById, messageTenant, sendTenant } from '../../storage/repositories/notifications';
import {
  dryRunOption,
  examples,
  jsonOption,
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
import { dryLabel } from './shared';

/**
 * `attest notifications …`: the queue of signed webhooks out and mail (server/jobs/notifications.ts) from
 * the command line: rounds of what is due (for cron set-ups with no `attest serve` running), the queue's
 * state per tenant, and a delivery replayed or a message sent again by id, as a manager does in the editor.
 * The same domain functions as the API, so the checks (a 2xx delivery is not replayed) and the audit trail
 * are the same.
 */
type Options = TenantOptions & JsonOption & DryRunOption;
type RunOptions = Options & { maxRounds?: string };
type ReplayOptions = Options & { delivery: string };
type ResendOptions = Options & { message: string };
type Row = NotificationStatus & { tenant: string };

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

  const run = group
    .command('run')
    .description('send what is due now (webhooks, mail, expiry events found), round after round until nothing more is due')
    .option('--max-rounds <n>', 'stop after this many rounds (default 100; a round takes up to 20 of each)');
  examples(dryRunOption(jsonOption(tenantOptions(run))), [
    'attest notifications run --all-tenants',
    'attest notifications run --tenant campus --json',
    'attest notifications run --tenant campus --dry-run',
  ]).action((opts: RunOptions) => cli.run(() => runRounds(cli, opts)));

  const status = group.command('status').description('per tenant: deliveries and messages by state, the oldest still due');
  examples(jsonOption(tenantOptions(status)), [
    'attest notifications status --tenant campus',
    'attest notifications status --all-tenants --json',
  ]).action((opts: TenantOptions & JsonOption) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const rows = await statusOf(services, await selectTenants(services, opts));
        print(cli.io, opts.json, rows, () => rows.map(statusText).join('\n'));
        return EXIT.ok;
      }),
    ),
  );

  const replay = group
    .command('replay')
    .description('send a webhook delivery again now with a fresh retry budget (refused for one the receiver acknowledged with 2xx)')
    .requiredOption('--delivery <id>', 'the delivery id (X-Attest-Delivery; in the editor, or GET /webhook-receivers/:id/deliveries)');
  examples(dryRunOption(jsonOption(tenantOptions(replay))), [
    'attest notifications replay --tenant campus --delivery 0193…',
    'attest notifications replay --all-tenants --delivery 0193… --dry-run',
  ]).action((opts: ReplayOptions) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const tenant = await owner(services, opts, await sendTenant(services.storage.db, opts.delivery), `delivery ${opts.delivery}`);
        const actor = systemActor(tenant);
        if (opts.dryRun) {
          const d = await getDelivery(services, actor, opts.delivery);
          if (d.status === 'delivered')
            throw new DomainError(
              'conflict',
              'DELIVERY_ALREADY_ACKNOWLEDGED',
              'The receiver answered 2xx to this delivery: it is not sent again.',
            );
          print(
            cli.io,
            opts.json,
            { tenant: tenant.slug, delivery: d, dryRun: true },
            () => `${dryLabel(true)}${tenant.slug}: delivery ${d.id} (${d.event}, ${d.status}) would be due again now`,
          );
          return EXIT.ok;
        }
        const d = await replayDelivery(services, actor, opts.delivery);
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

  const resend = group
    .command('resend')
    .description('send a mail message again now with a fresh retry budget')
    .requiredOption('--message <id>', 'the message id (on the delivery screen, or GET /issues/:code/mail)');
  examples(dryRunOption(jsonOption(tenantOptions(resend))), [
    'attest notifications resend --tenant campus --message 0193…',
    'attest notifications resend --tenant campus --message 0193… --dry-run',
  ]).action((opts: ResendOptions) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const tenant = await owner(services, opts, await messageTenant(services.storage.db, opts.message), `message ${opts.message}`);
        if (opts.dryRun) {
          const row = await messageById(services.storage.db, tenant.id, opts.message);
          if (!row) throw new CliError(`NOT_FOUND: no message ${opts.message}`, EXIT.invalid);
          print(
            cli.io,
            opts.json,
            { tenant: tenant.slug, message: { id: row.id, recipient: row.recipient, status: row.status }, dryRun: true },
            () => `${dryLabel(true)}${tenant.slug}: message ${row.id} to ${row.recipient} (${row.status}) would be queued again`,
          );
          return EXIT.ok;
        }
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

async function statusOf(services: Services, tenants: readonly Tenant[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const t of tenants) rows.push({ tenant: t.slug, ...(await notificationStatus(services, systemActor(t))) });
  return rows;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function statusText(r: Row): string {
  const w = r.webhooks;
  const m = r.mail;
  return [
    `${r.tenant}:`,
    `  webhooks (${plural(w.receivers, 'receiver')}): ${w.pending} pending, ${w.delivered} delivered, ${w.failed} failed${w.oldestDue ? `; oldest due ${w.oldestDue}` : ''}`,
    `  mail (${m.smtp ? 'SMTP set' : 'no SMTP server set'}): ${m.queued} queued, ${m.deferred} deferred, ${m.sent} sent, ${m.failed} failed${m.oldestDue ? `; oldest due ${m.oldestDue}` : ''}`,
  ].join('\n');
}

async function runRounds(cli: Cli, opts: RunOptions): Promise<number> {
  const maxRounds = opts.maxRounds === undefined ? 100 : Number(opts.maxRounds);
  if (!Number.isInteger(maxRounds) || maxRounds < 1)
    throw new CliError(`--max-rounds is a whole number from 1, not "${opts.maxRounds}"`, EXIT.usage);
  return withServices(opts, async (services) => {
    const tenants = await selectTenants(services, opts);
    if (opts.dryRun) {
      const rows = await statusOf(services, tenants);
      print(cli.io, opts.json, { dryRun: true, tenants: rows }, () => rows.map((r) => `${dryLabel(true)}${statusText(r)}`).join('\n'));
      return EXIT.ok;
    }
    const totals = { rounds: 0, expired: 0, webhookAttempts: 0, mailAttempts: 0 };
    while (totals.rounds < maxRounds) {
      const r = await runNotificationsOnce(services, { tenantIds: tenants.map((t) => t.id) });
      totals.rounds++;
      totals.expired += r.expired;
      totals.webhookAttempts += r.webhookAttempts;
      totals.mailAttempts += r.mailAttempts;
      if (!r.expired && !r.webhookAttempts && !r.mailAttempts) break;
    }
    const rows = await statusOf(services, tenants);
    print(cli.io, opts.json, { ...totals, tenants: rows }, () =>
      [
        `${plural(totals.webhookAttempts, 'webhook attempt')}, ${plural(totals.mailAttempts, 'mail attempt')}, ${plural(totals.expired, 'expiry event')} in ${plural(totals.rounds, 'round')}`,
        ...rows.map(statusText),
      ].join('\n'),
    );
    return EXIT.ok;
  });
}
