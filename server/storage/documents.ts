import * as fs from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db';
import { DomainError } from '../domain/errors';
import { publishStorageEvent, type Fullness } from './fullness';

/**
 * Where the bytes of issued PDFs live, by SHA-256. With SQLite they are files beside the database: a
 * 50–250 KB blob costs SQLite 1–3 ms of the event loop per insert (WAL pages and checkpoints, measured),
 * the file system far less and off the loop. With PostgreSQL they are rows, so every replica sees them.
 *
 * A document's bytes are staged before the transaction that records its row and recorded inside it: if
 * the transaction fails, a staged file is left unreferenced (content-addressed, harmless) and the
 * document does not exist. Staged files are on disk (fsynced, with their folder entry) before `stage`
 * returns, so a committed issue never points at bytes a power cut took away.
 *
 * Every read is checked against the SHA-256 it is stored under: a disk, a backup restore or a hand that
 * changed the bytes gets DOCUMENT_CORRUPT, never a document that is not the one issued.
 */
export interface DocumentFiles {
  stage(sha256: string, pdf: Uint8Array): Promise<void>;
  record(trx: Db, sha256: string, pdf: Uint8Array): Promise<void>;
  read(db: Db, sha256: string): Promise<Uint8Array | undefined>;
  /** After an issue is deleted: removes the bytes no remaining document refers to (personal data). */
  forget(db: Db, sha256s: readonly string[]): Promise<void>;
  /**
   * Removes bytes that no document refers to and that were staged before `before`: what a failed
   * transaction, a lost race or a crash between staging and recording left behind. They are PDFs with a
   * learner's name on them, so they do not stay. `before` leaves alone what another process is staging now.
   */
  sweep(db: Db, before: Date, signal?: AbortSignal): Promise<{ removed: number }>;
}

const SHA = /^[0-9a-f]{64}$/;
const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Only the server's user reads and writes its data: documents are a learner's personal data. */
export const PRIVATE_FOLDER = 0o700;
export const PRIVATE_FILE = 0o600;

function corrupt(sha256: string, bytes: Uint8Array): never {
  publishStorageEvent({ event: 'document-corrupt', sha256, found: sha256Of(bytes), size: bytes.length });
  throw new DomainError(
    'corrupt',
    'DOCUMENT_CORRUPT',
    'The stored file of this document is damaged: it is not served. The operator has been told; the request id helps find it.',
  );
}

function checked(sha256: string, bytes: Uint8Array): Uint8Array {
  return sha256Of(bytes) === sha256 ? bytes : corrupt(sha256, bytes);
}

async function unreferenced(db: Db, sha256s: readonly string[]): Promise<string[]> {
  if (!sha256s.length) return [];
  const still = await db
    .selectFrom('documents')
    .select('sha256')
    .where('sha256', 'in', [...sha256s])
    .execute();
  const used = new Set(still.map((r) => r.sha256));
  return [...new Set(sha256s)].filter((s) => !used.has(s));
}

type Done<T> = (e: NodeJS.ErrnoException | null, value: T) => void;

/**
 * The file-system calls staging makes, in their callback form: they run on libuv's threads, off the event
 * loop (a synchronous open stalled it ≈1 ms under load), with less bookkeeping than fs/promises' file
 * handles (measured). Node's `fs` is the one used; tests pass one that writes to /dev/full to meet a real
 * ENOSPC.
 */
export interface StagingFs {
  mkdir(path: string, options: { recursive: true; mode: number }, done: Done<string | undefined>): void;
  open(path: string, flags: string, mode: number, done: Done<number>): void;
  write(fd: number, data: Uint8Array, offset: number, length: number, position: number, done: Done<number>): void;
  fsync(fd: number, done: (e: NodeJS.ErrnoException | null) => void): void;
  close(fd: number, done: (e: NodeJS.ErrnoException | null) => void): void;
  rename(from: string, to: string, done: (e: NodeJS.ErrnoException | null) => void): void;
  unlink(path: string, done: (e: NodeJS.ErrnoException | null) => void): void;
}

const nodeFs: StagingFs = fs;

function promised<T>(run: (done: Done<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => run((e, value) => (e ? reject(e) : resolve(value))));
}
const settled = (run: (done: (e: NodeJS.ErrnoException | null) => void) => void): Promise<void> =>
  promised<void>((done) => run((e) => done(e, undefined)));

/** `fullness` is the storage's: a full disk met here or by the database shows in one place. */
export function fileDocuments(dir: string, fullness: Fullness, io: StagingFs = nodeFs): DocumentFiles {
  const pathOf = (sha: string) => {
    if (!SHA.test(sha)) throw new Error('not a SHA-256');
    return join(dir, sha.slice(0, 2), `${sha}.pdf`);
  };
  const made = new Set<string>();
  /** A rename or a new entry is durable once its folder is fsynced, not when the call returns. */
  const syncFolder = async (folder: string) => {
    const fd = await promised<number>((done) => io.open(folder, 'r', 0, done));
    try {
      await settled((done) => io.fsync(fd, done));
    } finally {
      await settled((done) => io.close(fd, done));
    }
  };
  const write = async (fd: number, pdf: Uint8Array) => {
    for (let at = 0; at < pdf.length;) at += await promised<number>((done) => io.write(fd, pdf, at, pdf.length - at, at, done));
  };
  return {
    async stage(sha, pdf) {
      const path = pathOf(sha);
      const folder = dirname(path);
      // Written aside, fsynced and renamed: a reader never sees half a file, whatever happens meanwhile.
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      let fd: number | undefined;
      try {
        if (!made.has(folder)) {
          const first = await promised<string | undefined>((done) => io.mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER }, done));
          // New folders are entries of their parents: those are made durable too.
          if (first !== undefined) for (let f = folder; f.length >= first.length; f = dirname(f)) await syncFolder(dirname(f));
          made.add(folder);
        }
        fd = await promised<number>((done) => io.open(tmp, 'wx', PRIVATE_FILE, done));
        await write(fd, pdf);
        await settled((done) => io.fsync(fd!, done));
        const opened = fd;
        fd = undefined;
        await settled((done) => io.close(opened, done));
        await settled((done) => io.rename(tmp, path, done));
        await syncFolder(folder);
        fullness.stored();
      } catch (e) {
        const opened = fd;
        if (opened !== undefined) await settled((done) => io.close(opened, done)).catch(() => {});
        // Nothing half-written stays: a failed write leaves no file beside the documents.
        await settled((done) => io.unlink(tmp, done)).catch(() => {});
        fullness.rethrow(e);
      }
    },
    async record() {},
    async read(_db, sha) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(pathOf(sha)));
      } catch (e) {
        // Missing is the caller's to say; a file that cannot be read is an operator's problem, not a 404.
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      return checked(sha, bytes);
    },
    async forget(db, sha256s) {
      for (const sha of await unreferenced(db, sha256s)) await rm(pathOf(sha), { force: true });
    },
    async sweep(db, before, signal) {
      let removed = 0;
      let folders: string[];
      try {
        folders = (await readdir(dir)).filter((f) => /^[0-9a-f]{2}$/.test(f));
      } catch {
        return { removed };
      }
      for (const folder of folders) {
        if (signal?.aborted) break;
        const old: string[] = [];
        for (const name of await readdir(join(dir, folder)).catch(() => [] as string[])) {
          const path = join(dir, folder, name);
          const info = await stat(path).catch(() => undefined);
          if (!info?.isFile() || info.mtime >= before) continue;
          // Half-written files of a process that stopped mid-write.
          if (name.endsWith('.tmp')) {
            await rm(path, { force: true });
            removed++;
          } else if (name.endsWith('.pdf') && SHA.test(name.slice(0, -4))) old.push(name.slice(0, -4));
        }
        for (let i = 0; i < old.length; i += 500) {
          for (const sha of await unreferenced(db, old.slice(i, i + 500))) {
            await rm(pathOf(sha), { force: true });
            removed++;
          }
        }
      }
      return { removed };
    },
  };
}

export function tableDocuments(fullness: Fullness): DocumentFiles {
  return {
    async stage() {},
    async record(trx, sha256, pdf) {
      // A full disk here is already STORAGE_FULL: the driver says so for every statement (database.ts).
      await trx
        .insertInto('document_bytes')
        .values({ sha256, pdf })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
      fullness.stored();
    },
    async read(db, sha256) {
      const row = await db.selectFrom('document_bytes').select('pdf').where('sha256', '=', sha256).executeTakeFirst();
      return row ? checked(sha256, new Uint8Array(row.pdf)) : undefined;
    },
    async forget(db, sha256s) {
      const gone = await unreferenced(db, sha256s);
      if (gone.length) await db.deleteFrom('document_bytes').where('sha256', 'in', gone).execute();
    },
    // Bytes are recorded in their document's transaction: only a stop between deleting an issue and
    // forgetting its bytes leaves a row behind. Rows being recorded now are not visible here yet.
    async sweep(db) {
      const result = await db
        .deleteFrom('document_bytes')
        .where((eb) =>
          eb.not(
            eb.exists(eb.selectFrom('documents').select('documents.sha256').whereRef('documents.sha256', '=', 'document_bytes.sha256')),
          ),
        )
        .executeTakeFirst();
      return { removed: Number(result.numDeletedRows) };
    },
  };
}
