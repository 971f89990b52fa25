import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { Services } from '../domain/context';
import { sha256Hex } from '../domain/hashing';
import { rawExecutor, type Db } from '../storage/db';
import { MAX_ATTEMPTS, type JobQueue, type QueuedRun, type RegenerationJob, type RunKind } from './queue';

/** pg-boss's queue of run chunks (regeneration and bulk issue, told apart by `kind`); its tables are in the `pgboss` schema of Attest's own database. */
export const QUEUE = 'attest-regenerate';

/**
 * A job that has been active this long is taken to belong to a worker that stopped: it is delivered again
 * (`recover`). A chunk takes well under a second to make; a minute leaves room for a slow machine.
 */
const EXPIRE_SECONDS = 60;

interface JobData {
  runId: string;
  chunk: number;
  /** Absent on jobs of regeneration runs (and on those put before bulk issue existed). */
  kind?: RunKind;
}

/** A job id derived from the run and the chunk: a chunk put on the queue twice is one job (pg-boss ignores the second). */
function jobId(runId: string, chunk: number, kind: RunKind): string {
  const h = sha256Hex(kind === 'regenerate' ? `${runId}:${chunk}` : `${kind}:${runId}:${chunk}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Attest's advisory lock (per database) around installing pg-boss's schema and creating the queue. */
const INSTALL_LOCK = 0x4174_7465_7374n; // "Attest"

/**
 * Starts pg-boss and creates the queue unless it exists, one process at a time. Two processes that start on
 * a new database at once otherwise race in pg-boss's own install (a duplicate `pgboss` schema) and in its
 * `create_queue`, which inserts the queue row and then alters the shared job table (a deadlock). The lock is
 * held on a connection of its own; pg-boss works on the pool's others.
 */
async function startOnce(db: Db, boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(${INSTALL_LOCK.toString()}::bigint)`.execute(connection);
    try {
      await boss.start();
      if (!(await boss.getQueue(queue.name))) await boss.createQueue(queue.name, queue);
    } finally {
      await sql`SELECT pg_advisory_unlock(${INSTALL_LOCK.toString()}::bigint)`.execute(connection);
    }
  });
}

/** The queue on PostgreSQL: pg-boss 10, over Attest's own connection pool (its SQL through `rawExecutor`). */
export class PgBossQueue implements JobQueue {
  readonly kind = 'pg-boss' as const;

  private constructor(
    private readonly boss: PgBoss,
    private readonly db: Db,
    private readonly expireInSeconds: number,
  ) {}

  static async open(services: Services, options: { expireInSeconds?: number } = {}): Promise<PgBossQueue> {
    const db = services.storage.db;
    const boss = new PgBoss({
      db: rawExecutor(db),
      schema: 'pgboss',
      // No cron schedules; maintenance (archiving, expiry) runs on the usual interval, across processes.
      schedule: false,
      supervise: true,
      migrate: true,
    });
    // Errors of pg-boss's own background maintenance are not the work's: the next round tries again.
    boss.on('error', () => {});
    const expire = options.expireInSeconds ?? EXPIRE_SECONDS;
    await startOnce(db, boss, {
      name: QUEUE,
      policy: 'standard',
      retryLimit: MAX_ATTEMPTS - 1,
      retryDelay: 1,
      expireInSeconds: expire,
    });
    return new PgBossQueue(boss, db, expire);
  }

  async enqueue(run: QueuedRun, chunks: readonly number[], options: { trx?: Db; again?: boolean } = {}): Promise<void> {
    const executor = rawExecutor(options.trx ?? this.db);
    const kind = run.kind ?? 'regenerate';
    for (let i = 0; i < chunks.length; i += 1000) {
      const jobs: PgBoss.JobInsert<JobData>[] = chunks.slice(i, i + 1000).map((chunk) => ({
        ...(options.again ? {} : { id: jobId(run.id, chunk, kind) }),
        name: QUEUE,
        data: kind === 'regenerate' ? { runId: run.id, chunk } : { runId: run.id, chunk, kind },
        retryLimit: MAX_ATTEMPTS - 1,
        retryDelay: 1,
        expireInSeconds: this.expireInSeconds,
      }));
      await this.boss.insert(jobs, { db: executor });
    }
  }

  async take(max: number): Promise<RegenerationJob[]> {
    const jobs = await this.boss.fetch<JobData>(QUEUE, { batchSize: max, includeMetadata: true });
    return jobs.map((j) => ({
      id: j.id,
      kind: j.data.kind ?? 'regenerate',
      runId: j.data.runId,
      chunk: j.data.chunk,
      attempt: j.retryCount,
      last: j.retryCount >= j.retryLimit,
    }));
  }

  async complete(job: RegenerationJob): Promise<void> {
    await this.boss.complete(QUEUE, job.id);
  }

  async fail(job: RegenerationJob, error: Error): Promise<void> {
    await this.boss.fail(QUEUE, job.id, { message: error.message });
  }

  async recover(): Promise<void> {
    await this.boss.expire();
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, close: false });
  }
}
