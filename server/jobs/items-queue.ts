import type { Services } from '../domain/context';
import type { Db } from '../storage/db';
import { pendingChunks, unfinishedRuns } from '../storage/repositories/regenerations';
import { pendingBulkChunks, runningBulkRuns } from '../storage/repositories/bulk-issues';
import { MAX_ATTEMPTS, type JobQueue, type QueuedRun, type RegenerationJob, type RunKind } from './queue';

/** Where the items queue finds the runs of a kind and their chunks that still hold pending items. */
interface RunSource {
  kind: RunKind;
  running(db: Db): Promise<{ id: string; chunk_size: number }[]>;
  pending(db: Db, runId: string, chunkSize: number, after: number, limit: number): Promise<number[]>;
}

const SOURCES: readonly RunSource[] = [
  { kind: 'regenerate', running: unfinishedRuns, pending: pendingChunks },
  { kind: 'bulk-issue', running: runningBulkRuns, pending: pendingBulkChunks },
];

/**
 * The queue on SQLite: the items tables are the queue. A job is a chunk that still holds pending items; this
 * process hands each to one of its workers at a time (a set of taken chunks), and a chunk that failed is
 * handed out again. SQLite has one writer on one machine: a second process on the same file is safe (each
 * document is still made once) but renders in vain what the first one records first.
 */
export class ItemsQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly taken = new Set<string>();
  private readonly attempts = new Map<string, number>();
  /** Per run (kind and id), the last chunk handed out: the next look starts after it. */
  private readonly cursor = new Map<string, number>();

  constructor(private readonly services: Services) {}

  async enqueue(run: QueuedRun, _chunks: readonly number[], options: { again?: boolean } = {}): Promise<void> {
    // The items are the queue already; a takeover looks at the run from its start again.
    if (options.again) this.cursor.delete(`${run.kind ?? 'regenerate'}:${run.id}`);
  }

  async take(max: number): Promise<RegenerationJob[]> {
    const db = this.services.storage.db;
    const out: RegenerationJob[] = [];
    for (const source of SOURCES) {
      for (const run of await source.running(db)) {
        if (out.length >= max) break;
        const key = `${source.kind}:${run.id}`;
        const after = this.cursor.get(key) ?? -1;
        const chunks = await source.pending(db, run.id, run.chunk_size, after, max - out.length + this.taken.size);
        for (const chunk of chunks) {
          if (out.length >= max) break;
          const id = `${key}:${chunk}`;
          if (this.taken.has(id)) continue;
          this.taken.add(id);
          this.cursor.set(key, chunk);
          const attempt = this.attempts.get(id) ?? 0;
          out.push({ id, kind: source.kind, runId: run.id, chunk, attempt, last: attempt >= MAX_ATTEMPTS - 1 });
        }
      }
    }
    return out;
  }

  async complete(job: RegenerationJob): Promise<void> {
    this.taken.delete(job.id);
    this.attempts.delete(job.id);
  }

  async fail(job: RegenerationJob, _error: Error): Promise<void> {
    this.taken.delete(job.id);
    this.attempts.set(job.id, job.attempt + 1);
    // Handed out again: the next look starts before it.
    const key = `${job.kind}:${job.runId}`;
    this.cursor.set(key, Math.min(this.cursor.get(key) ?? -1, job.chunk - 1));
  }

  async recover(): Promise<void> {
    // Chunks left pending by a process that stopped (or another process on the file): looked at again.
    this.cursor.clear();
  }

  async close(): Promise<void> {}
}
