import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Notifications out of Attest (issue 15): signed webhooks to the receivers a tenant lists, and mail to
 * learners, teachers and listed addresses.
 *
 * `issue_events` is the outbox: a row per change of an issue, written in the transaction that changes it,
 * and in that same transaction one `webhook_sends` row per subscribed receiver and one `mail_messages` row
 * per recipient. Those two tables are the queue their workers take from (a lease marks the row taken, so
 * two workers, in one process or in several sharing PostgreSQL, never send the same row at once).
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // Kept in clear because it must be: it signs every delivery (like the tenant's shop secret).
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_endpoints_tenant').on('webhook_endpoints').column('tenant_id').execute();

  await db.schema
    .createTable('issue_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    // No reference: the event outlives a deleted issue in what was sent about it.
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    // Events found rather than made (an expiry): the key says it was found already.
    .addColumn('once_key', 'text', (c) => c.unique())
    .execute();
  await db.schema.createIndex('issue_events_issue').on('issue_events').column('issue_id').execute();

  await db.schema
    .createTable('webhook_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('issue_events.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    // 'pending' | 'delivered' | 'failed'
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    // Attempts made before the last replay by hand: the retry budget counts from there.
    .addColumn('replayed_after', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('webhook_sends_once', ['endpoint_id', 'event_id'])
    .execute();
  await sql`CREATE INDEX webhook_sends_due ON webhook_sends (next_attempt_at) WHERE status = 'pending'`.execute(db);
  await db.schema.createIndex('webhook_sends_endpoint').on('webhook_sends').columns(['endpoint_id', 'created_at']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('send_id', 'text', (c) => c.notNull().references('webhook_sends.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('response_snippet', 'text')
    .addPrimaryKeyConstraint('webhook_attempts_pk', ['send_id', 'number'])
    .execute();

  await db.schema
    .createTable('tenant_mail')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('secure', 'integer', (c) => c.notNull())
    .addColumn('username', 'text')
    // Never answered by the API; sealed with the installation key when ATTEST_SECRET_KEY is set.
    .addColumn('password', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Who a certificate's documents are mailed to and in which words (mail/certificate-mail.ts).
  await db.schema
    .createTable('certificate_mail')
    .addColumn('certificate_id', 'text', (c) => c.primaryKey().references('certificates.id').onDelete('cascade'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('issue_id', 'text', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('issue_events.id').onDelete('cascade'))
    // 'learner' (the document) | 'teacher' | 'other' (the notice that it was awarded)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    // 'queued' | 'sent' | 'deferred' | 'failed'
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('replayed_after', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('smtp_response', 'text')
    .addColumn('error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('mail_messages_once', ['event_id', 'kind', 'recipient'])
    .execute();
  await sql`CREATE INDEX mail_messages_due ON mail_messages (next_attempt_at) WHERE status IN ('queued', 'deferred')`.execute(db);
  await db.schema.createIndex('mail_messages_issue').on('mail_messages').columns(['issue_id', 'created_at']).execute();
}
