import { confirmBulk, dryRunBulk, dryRunCsv, getBulkRun } from '../../domain/bulk-issue';
import { DomainError } from '../../domain/errors';
import type { Services } from '../../domain/context';
import type { Db } from '../../storage/db';
import type { BulkRunTable } from '../../storage/schema';
import { openQueue } from '../../jobs/queue';
import { bulkDeclarations } from '../contract/bulk';
import { bindOperations, type Operation } from '../operation';
import { actorOf } from './util';

/**
 * Puts a confirmed run's chunks on the queue, in the transaction that confirms it where the queue lives
 * in the database (pg-boss); on SQLite the items are the queue and nothing is put. The server's queue
 * workers (jobs/workers.ts, started with the server) take them.
 */
async function enqueueBulk(services: Services, trx: Db, run: BulkRunTable, chunks: number[]): Promise<void> {
  if (services.storage.engine !== 'postgres') return;
  const queue = await openQueue(services);
  try {
    await queue.enqueue({ id: run.id, kind: 'bulk-issue' }, chunks, { trx });
  } finally {
    await queue.close();
  }
}

const CSV_ERRORS = [
  'BULK_CSV_TOO_LARGE',
  'BULK_CSV_NOT_UTF8',
  'BULK_CSV_UNREADABLE',
  'BULK_CSV_INVALID',
  'BULK_MAPPING_INVALID',
  'BULK_TOO_MANY_ROWS',
] as const;

export const bulkOperations: Operation[] = bindOperations(bulkDeclarations, {
  dryRunBulkIssue: {
    errors: ['CERTIFICATE_NOT_FOUND', 'VERSION_NOT_FOUND', 'TEMPLATE_HAS_ERRORS', 'BULK_TOO_MANY_ROWS'],
    handler: async ({ services, actor, params, body }) => {
      const run = await dryRunBulk(
        services,
        actorOf(actor),
        params.id,
        body.learners.map((l) => ({
          learnerId: l.learner_id,
          data: l.data,
          available: l.available,
          ...(l.unavailable_reason !== undefined ? { unavailableReason: l.unavailable_reason } : {}),
        })),
      );
      return { status: 201, json: run };
    },
  },
  dryRunBulkIssueCsv: {
    errors: ['CERTIFICATE_NOT_FOUND', 'VERSION_NOT_FOUND', 'TEMPLATE_HAS_ERRORS', 'BULK_CSV_REQUIRED', ...CSV_ERRORS],
    handler: async ({ services, actor, params, body }) => {
      if ((body.csv === undefined) === (body.csv_base64 === undefined)) {
        throw new DomainError('invalid', 'BULK_CSV_REQUIRED', 'Send the file as `csv` (text) or `csv_base64` (its bytes), one of them.');
      }
      const bytes = body.csv !== undefined ? new TextEncoder().encode(body.csv) : new Uint8Array(Buffer.from(body.csv_base64!, 'base64'));
      const run = await dryRunCsv(services, actorOf(actor), params.id, {
        bytes,
        mapping: body.mapping,
        learnerIdColumn: body.learner_id_column,
        ...(body.available_column !== undefined ? { availableColumn: body.available_column } : {}),
        available: body.available,
        ...(body.delimiter !== undefined ? { delimiter: body.delimiter } : {}),
      });
      return { status: 201, json: run };
    },
  },
  confirmBulkIssue: {
    errors: [
      'BULK_RUN_NOT_FOUND',
      'BULK_FINGERPRINT_MISMATCH',
      'BULK_CHANGED',
      'BULK_DRY_RUN_EXPIRED',
      'CERTIFICATE_NOT_FOUND',
      'VERSION_NOT_FOUND',
    ],
    handler: async ({ services, actor, params, body }) => {
      const r = await confirmBulk(services, actorOf(actor), params.id, body.fingerprint, (trx, run, chunks) =>
        enqueueBulk(services, trx, run, chunks),
      );
      return { status: r.created ? 202 : 200, json: r.run };
    },
  },
  getBulkIssue: {
    errors: ['BULK_RUN_NOT_FOUND'],
    handler: async ({ services, actor, params }) => ({ json: await getBulkRun(services, actorOf(actor), params.id) }),
  },
});
