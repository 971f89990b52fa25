import { endpointsOf, mailQueueCounts, tenantMail, webhookQueueCounts, type QueueCounts } from '../storage/repositories/notifications';
import { requireCapability, type Actor, type Services } from './context';

/**
 * The notification queue of a tenant at a glance, for an operator (`attest notifications status`): webhook
 * deliveries and mail messages by state, the earliest one still due, and whether there is anywhere to send
 * them (receivers listed, an SMTP server set).
 */
export interface NotificationStatus {
  webhooks: { receivers: number; pending: number; delivered: number; failed: number; oldestDue: string | null };
  mail: { smtp: boolean; queued: number; deferred: number; sent: number; failed: number; oldestDue: string | null };
}

const n = (c: QueueCounts, status: string): number => c.byStatus[status] ?? 0;

export async function notificationStatus(services: Services, actor: Actor): Promise<NotificationStatus> {
  requireCapability(actor, 'tenant:manage');
  const db = services.storage.db;
  const [w, m, receivers, smtp] = await Promise.all([
    webhookQueueCounts(db, actor.tenantId),
    mailQueueCounts(db, actor.tenantId),
    endpointsOf(db, actor.tenantId),
    tenantMail(db, actor.tenantId),
  ]);
  return {
    webhooks: {
      receivers: receivers.length,
      pending: n(w, 'pending'),
      delivered: n(w, 'delivered'),
      failed: n(w, 'failed'),
      oldestDue: w.oldestDue,
    },
    mail: {
      smtp: smtp !== undefined,
      queued: n(m, 'queued'),
      deferred: n(m, 'deferred'),
      sent: n(m, 'sent'),
      failed: n(m, 'failed'),
      oldestDue: m.oldestDue,
    },
  };
}
