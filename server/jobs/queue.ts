import type { Services } from '../domain/context';
import type { Db } from '../storage/db';

/**
 * The job queue of runs: chunks of a run's items handed to workers, in this process or any other. A run is
 * either a mass regeneration (regeneration.ts, `kind` 'regenerate') or a bulk issue (bulk-issue.ts,
 * `kind` 'bulk-issue'); both are items frozen when the run starts, cut into chunks of positions, each item
 * finished in its own transaction. One interface, two implementations: on PostgreSQL pg-boss, a real queue in the
 * database that `attest regenerate` and `attest serve` processes on several servers share; on SQLite the
 * run's items table itself, worked by this process.
 *
 * Delivery is at least once (a worker that stops mid-chunk leaves its job to expire and be delivered
 * again); exactly once comes from the items: each is marked done in its issue's own transaction, so a
 * chunk delivered twice finds nothing left to do.
 */
export type RunKind = 'regenerate' | 'bulk-issue';

/** What the queue needs of a run: its id and its kind (a regeneration run's row has no kind: 'regenerate'). */
export interface QueuedRun {
  id: string;
  kind?: RunKind;
}

export interface RegenerationJob {
  /** The queue's id of this job. */
  id: string;
  kind: RunKind;
  runId: string;
  chunk: number;
  /** Deliveries of this job before this one. */
  attempt: number;
  /** The queue will not deliver it again: a failure now is recorded on the chunk's items. */
  last: boolean;
}

export interface JobQueue {
  readonly kind: 'pg-boss' | 'in-process';
  /**
   * Puts chunks of a run on the queue; inside `trx` (the transaction freezing the run) when the queue
   * lives in the database. A chunk already waiting is not put twice, unless `again` (a takeover after a
   * process stopped: its jobs would otherwise wait for their expiry).
   */
  enqueue(run: QueuedRun, chunks: readonly number[], options?: { trx?: Db; again?: boolean }): Promise<void>;
  /** Up to `max` jobs; none when nothing is waiting (the caller polls). */
  take(max: number): Promise<RegenerationJob[]>;
  complete(job: RegenerationJob): Promise<void>;
  fail(job: RegenerationJob, error: Error): Promise<void>;
  /** Jobs of workers that stopped without finishing them become available again (once past their expiry). */
  recover(): Promise<void>;
  close(): Promise<void>;
}

/** Deliveries of one chunk that fail for reasons of the machine before its items are recorded as failed. */
export const MAX_ATTEMPTS = 3;

/** The queue for this storage: pg-boss on PostgreSQL, the items table on SQLite. */
export async function openQueue(services: Services, options: { expireInSeconds?: number } = {}): Promise<JobQueue> {
  if (services.storage.engine === 'postgres') {
    const { PgBossQueue } = await import('./pg-boss');
    return PgBossQueue.open(services, options);
  }
  const { ItemsQueue } = await import('./items-queue');
  return new ItemsQueue(services);
}
