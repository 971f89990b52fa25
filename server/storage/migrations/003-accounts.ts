import type { Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * People and tokens get a life (disabled, deleted, expiring, made by whom), idempotent answers remember
 * who asked for what, and what is pruned by age has an index to be found by.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('people').addColumn('disabled_at', 'text').execute();
  // A deleted person keeps the row (and so the username): a new person with that username would otherwise
  // become the learner of the deleted one's documents.
  await db.schema.alterTable('people').addColumn('deleted_at', 'text').execute();

  await db.schema.alterTable('tokens').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('tokens').addColumn('created_by_token', 'text').execute();
  await db.schema.createIndex('tokens_created_by_token').on('tokens').column('created_by_token').execute();

  // Who asked and which operation: a key is bound to them, and another caller's answer is never replayed.
  await db.schema
    .alterTable('idempotency')
    .addColumn('caller', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('idempotency')
    .addColumn('operation', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('idempotency_created').on('idempotency').column('created_at').execute();

  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('sessions_person').on('sessions').column('person_id').execute();
  await db.schema.createIndex('webhook_deliveries_received').on('webhook_deliveries').column('received_at').execute();
}
