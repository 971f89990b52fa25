import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type Migration,
  type MigrationProvider,
  type PostgresPool,
  type PostgresPoolClient,
  type SqliteStatement,
} from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema';
import * as initial from './migrations/001-initial';
import * as trustedLearnerData from './migrations/002-trusted-learner-data';
import * as accounts from './migrations/003-accounts';
import * as publicBaseUrl from './migrations/004-public-base-url';
import * as operatorCredentials from './migrations/005-operator-credentials';
import * as moodleImports from './migrations/006-moodle-imports';
import * as regenerationRuns from './migrations/007-regeneration-runs';
import * as issuePaging from './migrations/008-issue-paging';
import * as verificationCounts from './migrations/009-verification-counts';
import * as moodleExportCursors from './migrations/010-moodle-export-cursors';
import * as notifications from './migrations/011-notifications';
import * as bulkIssue from './migrations/012-bulk-issue';
import * as recertification from './migrations/014-recertification';
import * as privacy from './migrations/015-privacy';
import * as signingKeys from './migrations/016-signing-keys';
import * as credentials from './migrations/017-credentials';
import * as credentialRevisions from './migrations/019-credential-revisions';
import { fileDocuments, PRIVATE_FILE, PRIVATE_FOLDER, tableDocuments, type DocumentFiles } from './documents';
import { Fullness } from './fullness';
import { writeVerificationCounts } from './repositories/stats';

export type Engine = 'sqlite' | 'postgres';

export interface Storage {
  db: Kysely<Database>;
  engine: Engine;
  /** The bytes of issued PDFs: files beside a SQLite database, rows in PostgreSQL. */
  documents: DocumentFiles;
  /** Where it is, without credentials: for logs and the health endpoint. */
  location: string;
  /** Whether the last attempt to store a document found no room: what /health reports. */
  fullness: Fullness;
  close(): Promise<void>;
}

/** Migrations in order; each receives the engine because bytes and counters are spelled differently. */
const MIGRATIONS: Record<string, (db: Kysely<unknown>, engine: Engine) => Promise<void>> = {
  '001-initial': initial.up,
  '002-trusted-learner-data': trustedLearnerData.up,
  '003-accounts': accounts.up,
  '004-public-base-url': publicBaseUrl.up,
  '005-operator-credentials': operatorCredentials.up,
  '006-moodle-imports': moodleImports.up,
  '007-regeneration-runs': regenerationRuns.up,
  '008-issue-paging': issuePaging.up,
  '009-verification-counts': verificationCounts.up,
  '010-moodle-export-cursors': moodleExportCursors.up,
  '011-notifications': notifications.up,
  '012-bulk-issue': bulkIssue.up,
  '014-recertification': recertification.up,
  '015-privacy': privacy.up,
  '016-signing-keys': signingKeys.up,
  '017-credentials': credentials.up,
  '019-credential-revisions': credentialRevisions.up,
};

export class StorageError extends Error {
  constructor(
    readonly code: 'STORAGE_URL_INVALID' | 'STORAGE_UNREACHABLE' | 'STORAGE_MIGRATION_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Connection failures (refused, unknown host, no such database, bad credentials), by their codes. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  '3D000',
  '28P01',
  '28000',
]);
function isUnreachable(e: unknown): boolean {
  if (e instanceof AggregateError && e.errors.some(isUnreachable)) return true;
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && UNREACHABLE_CODES.has(code);
}

/** Closes the connection once the checks counted in memory are written (a failed write loses only them). */
async function closeDb(db: Kysely<Database>): Promise<void> {
  await writeVerificationCounts(db).catch(() => {});
  await db.destroy();
}

/**
 * Opens the database named by `url` (DATABASE_URL): `postgres://…` for PostgreSQL, otherwise a SQLite
 * file path (optionally `sqlite:` prefixed). Migrations run before anything else can use it.
 */
export async function openStorage(url: string): Promise<Storage> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  if (scheme && !/^(postgres(ql)?|sqlite)$/i.test(scheme)) {
    // Otherwise `mysql://host/db` would quietly become a SQLite file in a folder named "mysql:".
    throw new StorageError(
      'STORAGE_URL_INVALID',
      `DATABASE_URL names a ${scheme}:// database; Attest stores its data in PostgreSQL (postgres://…) or in a SQLite file (a path).`,
    );
  }
  const storage = /^postgres(ql)?:\/\//i.test(url) ? openPostgres(url) : openSqlite(url.replace(/^sqlite:(\/\/)?/i, ''));
  try {
    await migrate(storage);
  } catch (e) {
    await storage.close();
    // The migrator wraps what went wrong: a connection failure inside it is still a connection failure.
    const cause = e instanceof StorageError && e.code === 'STORAGE_MIGRATION_FAILED' ? e.cause : e;
    const message = cause instanceof Error ? cause.message : String(cause);
    if (isUnreachable(cause)) {
      throw new StorageError('STORAGE_UNREACHABLE', `The database at ${storage.location} cannot be reached: ${message}`, { cause });
    }
    if (e instanceof StorageError) throw e;
    if (/ECONNREFUSED|ENOTFOUND|authentication/i.test(message)) {
      throw new StorageError('STORAGE_UNREACHABLE', `The database at ${storage.location} cannot be reached: ${message}`);
    }
    throw new StorageError('STORAGE_MIGRATION_FAILED', `The database at ${storage.location} could not be prepared: ${message}`);
  }
  return storage;
}

function openSqlite(path: string): Storage {
  if (!path) throw new StorageError('STORAGE_URL_INVALID', 'DATABASE_URL names no SQLite file.');
  if (path !== ':memory:') makePrivate(path);
  const sqlite = new SqliteDatabase(path);
  // WAL lets readers go on while one writer commits; NORMAL is durable across process crashes in WAL mode.
  // Each issue writes rows in several tables: the default 4 KB pages keep a commit's WAL frames few (64 KB
  // pages made every commit write ~0.5 MB, measured), and a larger checkpoint interval writes the WAL back
  // into the database less often. Issued PDFs are files, not blobs: see documents.ts.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('wal_autocheckpoint = 2000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // What is deleted is overwritten, not just unlinked: an erased learner's name must not stay in free pages
  // (server/domain/privacy/), nor an older version of a row that was updated.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Kysely prepares every query anew; the same few dozen statements run for every request, so they are
  // prepared once (better-sqlite3 statements run synchronously: reusing one is safe).
  // A full disk (SQLITE_FULL) is said as STORAGE_FULL whichever statement meets it.
  const fullness = new Fullness();
  const statements = new Map<string, SqliteStatement>();
  const cached = {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (!statement) {
        const prepared = sqlite.prepare(sql);
        // SQLite rolls a transaction back by itself when a statement finds the disk full; Kysely's ROLLBACK
        // after it would fail ("no transaction is active") and hide why the transaction failed.
        const rollback = /^\s*rollback\s*$/i.test(sql);
        statement = {
          reader: prepared.reader,
          all: (parameters) => fullness.guard(() => prepared.all(parameters)),
          run: (parameters) =>
            rollback && !sqlite.inTransaction ? { changes: 0, lastInsertRowid: 0 } : fullness.guard(() => prepared.run(parameters)),
          iterate: (parameters) => fullness.guard(() => prepared.iterate(parameters)),
        };
        if (statements.size >= 500) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  const documents = path === ':memory:' ? tableDocuments(fullness) : fileDocuments(`${path}.documents`, fullness);
  return { db, engine: 'sqlite', documents, fullness, location: `sqlite:${path}`, close: () => closeDb(db) };
}

/**
 * The database file and the documents folder beside it hold learners' personal data: readable by the
 * server's user only, whatever the umask. SQLite gives its -wal and -shm files the database file's mode,
 * so creating that file first (or tightening it) covers them. Folders made here are private too; a folder
 * that already existed is the operator's and keeps its mode.
 */
function makePrivate(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_FOLDER });
  closeSync(openSync(path, 'a', PRIVATE_FILE));
  chmodSync(path, PRIVATE_FILE);
  for (const beside of [`${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(beside, PRIVATE_FILE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  const documents = `${path}.documents`;
  mkdirSync(documents, { recursive: true, mode: PRIVATE_FOLDER });
  chmodSync(documents, PRIVATE_FOLDER);
}

function openPostgres(url: string): Storage {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StorageError('STORAGE_URL_INVALID', 'DATABASE_URL is not a valid PostgreSQL address.');
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection must not take the process down; the next query reconnects.
  pool.on('error', () => {});
  const fullness = new Fullness();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: fullnessAware(pool, fullness) }) });
  return {
    db,
    engine: 'postgres',
    documents: tableDocuments(fullness, { versioned: true, pool }),
    fullness,
    location: `postgres://${parsed.host}${parsed.pathname}`,
    close: () => closeDb(db),
  };
}

/** The pool as Kysely uses it, with a full disk (disk_full, 53100) said as STORAGE_FULL whichever query meets it. */
function fullnessAware(pool: pg.Pool, fullness: Fullness): PostgresPool {
  // One wrapper per pooled connection: Kysely keeps its own state per client object.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      const known = wrappers.get(client);
      if (known) return known;
      const guarded: PostgresPoolClient = {
        // Streams (a cursor) are answered as they are; only queries answer a promise to watch.
        query: ((...args: Parameters<PostgresPoolClient['query']>) => {
          const answer = (client.query as (...a: unknown[]) => unknown)(...args);
          return answer instanceof Promise ? answer.catch((e: unknown) => fullness.rethrow(e)) : answer;
        }) as PostgresPoolClient['query'],
        release: (destroy) => client.release(destroy),
      };
      wrappers.set(client, guarded);
      return guarded;
    },
    end: () => pool.end(),
  };
}

async function migrate(storage: Storage): Promise<void> {
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, up]): [string, Migration] => [name, { up: (db) => up(db, storage.engine) }]),
      ),
  };
  const { error, results } = await new Migrator({
    db: storage.db,
    provider,
    // A migration missing from a database (written on a branch while later ones landed) runs in its place
    // instead of refusing to start: each migration stands on its own (creates, indexes, rewrites of its rows).
    allowUnorderedMigrations: true,
  }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new StorageError(
      'STORAGE_MIGRATION_FAILED',
      `Migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      { cause: error },
    );
  }
}
