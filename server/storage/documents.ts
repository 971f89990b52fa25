import * as fs from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import { copyFirstRow } from './postgres-copy';
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
 *
 * Bytes already checked are kept in memory (VerifiedBytes, 64 MB unless ATTEST_DOCUMENT_CACHE_MB says
 * otherwise; 0 keeps none) with what identifies the stored copy they were read from: for a file its inode,
 * size, modification and change times (one stat, ≈ 3 µs, instead of opening, reading and hashing it, ≈ 100–
 * 300 µs of CPU on this machine), for a PostgreSQL row its `xmin`, which every UPDATE of the row changes.
 * Any change to the stored copy is therefore seen by the next read, which reads and checks it again. A file
 * changed within its timestamps' granularity of its last write would keep its times, so a file is kept only
 * once it has been left alone for a second. The cache decides nothing about who may have a document: it
 * is asked only after the issue's state, lock and the caller's rights were checked, and it is keyed by
 * content (a SHA-256 names the same bytes forever). Callers do not change the bytes they are given.
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

/** Checked bytes by SHA-256, with the stamp of the stored copy they came from; least recently used go first. */
export class VerifiedBytes {
  private readonly entries = new Map<string, { stamp: string; bytes: Uint8Array }>();
  private size = 0;

  constructor(private readonly budget: number = documentCacheBudget()) {}

  get(sha256: string, stamp: string): Uint8Array | undefined {
    const entry = this.entries.get(sha256);
    if (!entry) return undefined;
    this.entries.delete(sha256);
    if (entry.stamp !== stamp) {
      this.size -= entry.bytes.byteLength;
      return undefined;
    }
    this.entries.set(sha256, entry);
    return entry.bytes;
  }

  set(sha256: string, stamp: string, bytes: Uint8Array): void {
    this.forget(sha256);
    if (bytes.byteLength > this.budget / 4) return;
    this.entries.set(sha256, { stamp, bytes });
    this.size += bytes.byteLength;
    for (const [key, entry] of this.entries) {
      if (this.size <= this.budget) break;
      this.entries.delete(key);
      this.size -= entry.bytes.byteLength;
    }
  }

  /** The stamp of what is kept for this SHA-256, if anything. */
  peek(sha256: string): string | undefined {
    return this.entries.get(sha256)?.stamp;
  }

  forget(sha256: string): void {
    const entry = this.entries.get(sha256);
    if (!entry) return;
    this.entries.delete(sha256);
    this.size -= entry.bytes.byteLength;
  }
}

function documentCacheBudget(): number {
  const mb = Number(process.env.ATTEST_DOCUMENT_CACHE_MB ?? 64);
  return Number.isFinite(mb) && mb >= 0 ? mb * 1024 * 1024 : 64 * 1024 * 1024;
}

/** A file is cached only once its times can tell a later change from its last write (see above). */
const SETTLED_MS = 1000;

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
  const cache = new VerifiedBytes();
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
      const path = pathOf(sha);
      // Synchronous on purpose: for a file in the page cache a stat costs ≈ 3 µs and a read ≈ 30–40 µs on
      // the loop, against ≈ 130–240 µs of CPU for the four thread-pool hops of an asynchronous read
      // (measured on this machine); documents are at most a few hundred KB.
      let bytes: Uint8Array;
      let stamp: string;
      try {
        const info = fs.statSync(path);
        stamp = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
        const known = cache.get(sha, stamp);
        if (known) return known;
        bytes = fs.readFileSync(path);
        if (Date.now() - Math.max(info.mtimeMs, info.ctimeMs) < SETTLED_MS) return checked(sha, bytes);
      } catch (e) {
        // Missing is the caller's to say; a file that cannot be read is an operator's problem, not a 404.
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      cache.set(sha, stamp, checked(sha, bytes));
      return bytes;
    },
    async forget(db, sha256s) {
      for (const sha of await unreferenced(db, sha256s)) {
        cache.forget(sha);
        await rm(pathOf(sha), { force: true });
      }
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
            cache.forget(sha);
            await rm(pathOf(sha), { force: true });
            removed++;
          }
        }
      }
      return { removed };
    },
  };
}

/**
 * `versioned`: the rows carry PostgreSQL's `xmin`, so checked bytes are kept (see above) and a read sends
 * the bytes only when the row changed since they were kept. SQLite's rows (a `:memory:` database) have no
 * such stamp and are read each time.
 */
export function tableDocuments(fullness: Fullness, options: { versioned?: boolean; pool?: pg.Pool } = {}): DocumentFiles {
  const cache = options.versioned ? new VerifiedBytes() : undefined;
  const pool = options.pool;
  /** The row's version and, unless it is still `kept`, its bytes. */
  const versionedRow = async (
    db: Db,
    sha256: string,
    kept: string | undefined,
  ): Promise<{ version: string; pdf: Uint8Array | null } | undefined> => {
    // Outside a transaction the bytes come by binary COPY (postgres-copy.ts), on a connection of the pool's
    // own; inside one, by the transaction's connection, which sees what it has not committed yet.
    if (pool && !db.isTransaction && SHA.test(sha256)) {
      const version = kept !== undefined && /^\d+$/.test(kept) ? kept : '';
      const row = await copyFirstRow(
        pool,
        `select xmin::text, case when xmin::text = '${version}' then null else pdf end from document_bytes where sha256 = '${sha256}'`,
      );
      if (!row) return undefined;
      const [versionBytes, pdf] = row;
      return { version: versionBytes?.toString('utf8') ?? '', pdf: pdf ?? null };
    }
    const { rows } = await sql<{ version: string; pdf: Uint8Array | null }>`
      select xmin::text as version, case when xmin::text = ${kept ?? ''} then null else pdf end as pdf
      from document_bytes where sha256 = ${sha256}`.execute(db);
    return rows[0];
  };
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
      if (!cache) {
        const row = await db.selectFrom('document_bytes').select('pdf').where('sha256', '=', sha256).executeTakeFirst();
        return row ? checked(sha256, new Uint8Array(row.pdf)) : undefined;
      }
      for (let kept = cache.peek(sha256); ; kept = undefined) {
        const row = await versionedRow(db, sha256, kept);
        if (!row) {
          cache.forget(sha256);
          return undefined;
        }
        if (row.pdf === null) {
          const known = cache.get(sha256, row.version);
          if (known) return known;
          continue; // evicted meanwhile: read again, bytes included
        }
        const bytes = checked(sha256, new Uint8Array(row.pdf));
        cache.set(sha256, row.version, bytes);
        return bytes;
      }
    },
    async forget(db, sha256s) {
      const gone = await unreferenced(db, sha256s);
      for (const sha of gone) cache?.forget(sha);
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
