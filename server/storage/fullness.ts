import { channel } from 'node:diagnostics_channel';
import { DomainError } from '../domain/errors';

/**
 * What the storage has to tell an operator, published on a diagnostics channel (storage has no logger;
 * `attest start` subscribes and logs). Never a document's bytes: they carry a learner's name.
 */
export type StorageEvent =
  { event: 'document-corrupt'; sha256: string; found: string; size: number } | { event: 'storage-full'; error: string };
export const STORAGE_EVENTS = 'attest:storage';
const events = channel(STORAGE_EVENTS);
export function publishStorageEvent(e: StorageEvent): void {
  if (events.hasSubscribers) events.publish(e);
}

export type StorageCondition = { full: false } | { full: true; since: string };

/** Out of room: the disk (ENOSPC), the user's quota (EDQUOT), SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100). */
const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);
export const isFull = (e: unknown): boolean => typeof e === 'object' && e !== null && FULL.has(String((e as { code?: unknown }).code));

/**
 * Whether the last attempt to store a document found no room: what /health reports, until a document is
 * stored again. Any write of the database that finds no room turns into STORAGE_FULL (507) here, so the
 * caller is told what is wrong and what to do, whichever statement met the full disk first.
 */
export class Fullness {
  #since: string | undefined;

  condition(): StorageCondition {
    return this.#since ? { full: true, since: this.#since } : { full: false };
  }

  stored(): void {
    this.#since = undefined;
  }

  /** Rethrows `e`, as STORAGE_FULL when it says there is no room left. */
  rethrow(e: unknown): never {
    if (!isFull(e)) throw e;
    this.#since ??= new Date().toISOString();
    publishStorageEvent({ event: 'storage-full', error: e instanceof Error ? e.message : String(e) });
    throw new DomainError(
      'storage-full',
      'STORAGE_FULL',
      'The server has no room left to store the document: nothing was issued. Ask again once the operator has freed space.',
    );
  }

  /** `run`, with a full disk said as STORAGE_FULL. */
  guard<T>(run: () => T): T {
    try {
      return run();
    } catch (e) {
      this.rethrow(e);
    }
  }
}
