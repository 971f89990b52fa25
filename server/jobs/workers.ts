import type { Services } from '../domain/context';
import { failChunk, regenerateChunk, TransientRegenerationError, type ChunkOutcome, type RunRow } from '../domain/regeneration';
import { completeRun, runById } from '../storage/repositories/regenerations';
import { bulkIssueChunk, failBulkChunk, TransientBulkError } from '../domain/bulk-issue';
import { openQueue, type JobQueue, type RegenerationJob } from './queue';
import { startNotificationWorkers } from './notifications';

export interface WorkOptions {
  /** Chunks in the making at once: while one is recorded, the next ones render. Default 3. */
  concurrency?: number;
  /** Asked whenever the queue is empty and nothing is in the making: true ends the work. Default: never. */
  until?: () => Promise<boolean>;
  /** Ends the work once the chunks in the making are recorded. */
  signal?: AbortSignal;
  /** Between two looks at an empty queue, in ms. Default 250. */
  idleMs?: number;
  /** Looks at an empty queue between two calls of `recover`. Default 20. */
  recoverEvery?: number;
  onChunk?: (run: RunRow, outcome: ChunkOutcome) => void;
  onError?: (e: unknown, job: RegenerationJob) => void;
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Takes chunks from the queue (regeneration and bulk issue runs alike) and makes them until told to stop: a few at a time, so the render workers
 * always have documents waiting while a chunk's transaction commits. A chunk that fails for reasons of the
 * machine is given back to the queue (delivered again); on its last delivery its items are recorded as
 * failed, so the run still ends.
 */
export async function workQueue(services: Services, queue: JobQueue, options: WorkOptions = {}): Promise<void> {
  const concurrency = Math.max(1, options.concurrency ?? 3);
  const idleMs = options.idleMs ?? 250;
  const recoverEvery = options.recoverEvery ?? 20;
  const runs = new Map<string, RunRow | undefined>();
  const inFlight = new Set<Promise<void>>();
  let idle = 0;

  const runOf = async (id: string): Promise<RunRow | undefined> => {
    const known = runs.get(id);
    if (known && known.state === 'running') return known;
    const row = await runById(services.storage.db, id);
    runs.set(id, row);
    return row;
  };

  const handleBulk = async (job: RegenerationJob): Promise<void> => {
    try {
      await bulkIssueChunk(services, job.runId, job.chunk);
      await queue.complete(job);
    } catch (e) {
      options.onError?.(e, job);
      const error = e instanceof Error ? e : new Error(String(e));
      try {
        if (job.last && !(e instanceof TransientBulkError && options.signal?.aborted)) {
          await failBulkChunk(services, job.runId, job.chunk, error.message);
          await queue.complete(job);
        } else await queue.fail(job, error);
      } catch (again) {
        options.onError?.(again, job);
      }
    }
  };

  const handle = async (job: RegenerationJob): Promise<void> => {
    if (job.kind === 'bulk-issue') return handleBulk(job);
    try {
      const run = await runOf(job.runId);
      // A job of a finished (or deleted) run is a delivery too many: nothing to do.
      if (run && run.state === 'running') {
        const outcome = await regenerateChunk(services, run, job.chunk);
        options.onChunk?.(run, outcome);
      }
      await queue.complete(job);
    } catch (e) {
      options.onError?.(e, job);
      const error = e instanceof Error ? e : new Error(String(e));
      try {
        const run = runs.get(job.runId);
        if (job.last && run && !(e instanceof TransientRegenerationError && options.signal?.aborted)) {
          await failChunk(services, run, job.chunk, error.message);
          await queue.complete(job);
        } else await queue.fail(job, error);
      } catch (again) {
        // The queue or the database is unreachable: the job expires and is delivered again.
        options.onError?.(again, job);
      }
    }
  };

  while (!options.signal?.aborted) {
    if (inFlight.size < concurrency) {
      const jobs = await queue.take(concurrency - inFlight.size);
      for (const job of jobs) {
        const p: Promise<void> = handle(job).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (jobs.length) {
        idle = 0;
        if (inFlight.size < concurrency) continue;
      }
    }
    if (inFlight.size) {
      await Promise.race(inFlight);
      continue;
    }
    if (options.until && (await options.until())) break;
    if (++idle % recoverEvery === 0) await queue.recover();
    await pause(idleMs, options.signal);
  }
  await Promise.all(inFlight);
}

/** Whether the run is finished; marks it complete when its last items were recorded by a process that stopped before saying so. */
export async function runFinished(services: Services, runId: string): Promise<boolean> {
  const db = services.storage.db;
  await completeRun(db, runId, services.now().toISOString());
  return (await runById(db, runId))?.state !== 'running';
}

export interface QueueWorkers {
  stop(): Promise<void>;
}

/**
 * Queue workers for a long-running process (`attest serve`): they take regeneration and bulk issue chunks
 * from the queue the way `attest regenerate` does, with the process's render pool, until `stop` (which waits for the
 * chunks in the making to be recorded). On PostgreSQL every process's workers share the work of every run.
 */
export function startQueueWorkers(
  services: Services,
  opts: { concurrency?: number; idleMs?: number; log?: (message: string) => void } = {},
): QueueWorkers {
  const controller = new AbortController();
  const log = opts.log ?? (() => {});
  // Webhooks and mail go out from the same long-running processes.
  const notifications = startNotificationWorkers(services, { log });
  const working = (async () => {
    const queue = await openQueue(services);
    try {
      await workQueue(services, queue, {
        concurrency: opts.concurrency ?? 1,
        idleMs: opts.idleMs ?? 1000,
        signal: controller.signal,
        onError: (e, job) => log(`${job.kind} chunk ${job.chunk} of run ${job.runId}: ${e instanceof Error ? e.message : String(e)}`),
      });
    } finally {
      await queue.close();
    }
  })().catch((e: unknown) => log(`regeneration workers stopped: ${e instanceof Error ? e.message : String(e)}`));
  return {
    async stop() {
      controller.abort();
      await Promise.all([working, notifications.stop()]);
    },
  };
}
