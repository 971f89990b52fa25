import type { Services } from '../domain/context';
import type { RunRow } from '../domain/regeneration';
import { pendingChunks, unfinishedRuns } from '../storage/repositories/regenerations';
import { MAX_ATTEMPTS, type JobQueue, type RegenerationJob } from './queue';

/**
 * The queue on SQLite: the items table is the queue. A job is a chunk that still holds pending items; this
 * process hands each to one of its workers at a time (a set of taken chunks), and a chunk that failed is
 * handed out again. SQLite has one writer on one machine: a second process on the same file is safe (each
 * document is still made once) but renders in vain what the first one records first.
 */
export class ItemsQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly taken = new Set<string>();
  private readonly attempts = new Map<string, number>();
  /** Per run, the last chunk handed out: the next look starts after it. */
  private readonly cursor = new Map<string, number>();

  constructor(private readonly services: Services) {}

  async enqueue(run: RunRow, _chunks: readonly number[], options: { again?: boolean } = {}): Promise<void> {
    // The items are the queue already; a takeover looks at the run from its start again.
    if (options.again) this.cursor.delete(run.id);
  }

  async take(max: number): Promise<RegenerationJob[]> {
    const db = this.services.storage.db;
    const out: RegenerationJob[] = [];
    for (const run of await unfinishedRuns(db)) {
      if (out.length >= max) break;
      const after = this.cursor.get(run.id) ?? -1;
      const chunks = await pendingChunks(db, run.id, run.chunk_size, after, max - out.length + this.taken.size);
      for (const chunk of chunks) {
        if (out.length >= max) break;
        const id = `${run.id}:${chunk}`;
        if (this.taken.has(id)) continue;
        this.taken.add(id);
        this.cursor.set(run.id, chunk);
        const attempt = this.attempts.get(id) ?? 0;
        out.push({ id, runId: run.id, chunk, attempt, last: attempt >= MAX_ATTEMPTS - 1 });
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
    this.cursor.set(job.runId, Math.min(this.cursor.get(job.runId) ?? -1, job.chunk - 1));
  }

  async recover(): Promise<void> {
    // Chunks left pending by a process that stopped (or another process on the file): looked at again.
    this.cursor.clear();
  }

  async close(): Promise<void> {}
}
