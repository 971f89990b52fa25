import type { Services } from '../domain/context';
import { sendDueMail, type MailOptions } from '../domain/mail/send';
import { emitExpirations, sendDueWebhooks, type SendOptions } from '../domain/webhooks-out/delivery';
import { queueDueReminders } from '../domain/reminders';

/**
 * The notification queue: webhook sends and mail messages are rows due at a time, taken under a lease
 * (see server/storage/migrations/011-notifications.ts). The same on both engines: on PostgreSQL every
 * replica's workers take from the same rows, the conditional claim giving each row to one of them.
 * `runNotificationsOnce` does what is due by the services' clock and returns: tests move the clock and
 * call it, a server calls it in a loop (`startNotificationWorkers`).
 */
export interface NotificationOptions {
  webhooks?: SendOptions;
  mail?: MailOptions;
  /** Only these tenants' work (expiries found, webhooks, mail); every tenant's otherwise. */
  tenantIds?: readonly string[];
}

export interface NotificationRound {
  expired: number;
  /** Expiry reminders queued this round (domain/reminders.ts). */
  reminders: number;
  webhookAttempts: number;
  mailAttempts: number;
}

export async function runNotificationsOnce(services: Services, options: NotificationOptions = {}): Promise<NotificationRound> {
  const only = options.tenantIds ? { tenantIds: options.tenantIds } : {};
  const expired = await emitExpirations(services, 200, options.tenantIds);
  // Queued before the mail is sent: a reminder due now goes in this same round.
  const reminders = await queueDueReminders(services, options.tenantIds);
  const [webhookAttempts, mailAttempts] = await Promise.all([
    sendDueWebhooks(services, { ...options.webhooks, ...only }),
    sendDueMail(services, { ...options.mail, ...only }),
  ]);
  return { expired, reminders, webhookAttempts, mailAttempts };
}

export interface NotificationWorkers {
  stop(): Promise<void>;
}

/** Looks at the queue every `idleMs` (default 5 s) until `stop`, which waits for the round in progress. */
export function startNotificationWorkers(
  services: Services,
  opts: NotificationOptions & { idleMs?: number; log?: (message: string) => void } = {},
): NotificationWorkers {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    // A process with nothing else to do ends: the queue's timer does not keep it alive.
    timer.unref();
  };
  const tick = () => {
    round = runNotificationsOnce(services, opts)
      .then((r) => {
        // Work found: look again at once, there may be more.
        schedule(r.webhookAttempts || r.mailAttempts ? 0 : (opts.idleMs ?? 5000));
      })
      .catch((e: unknown) => {
        opts.log?.(`notifications: ${e instanceof Error ? e.message : String(e)}`);
        schedule(opts.idleMs ?? 5000);
      });
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
