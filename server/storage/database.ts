import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema';
import * as initial from './migrations/001-initial';

export type Engine = 'sqlite' | 'postgres';

export interface Storage {
  db: Kysely<Database>;
  engine: Engine;
  /** Where it is, without credentials: for logs and the health endpoint. */
  location: string;
  close(): Promise<void>;
}

/** Migrations in order; each receives the engine because bytes and counters are spelled differently. */
const MIGRATIONS: Record<string, (db: Kysely<unknown>, engine: Engine) => Promise<void>> = {
  '001-initial': initial.up,
};

export class StorageError extends Error {
  constructor(
    readonly code: 'STORAGE_URL_INVALID' | 'STORAGE_UNREACHABLE' | 'STORAGE_MIGRATION_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Opens the database named by `url` (DATABASE_URL): `postgres://…` for PostgreSQL, otherwise a SQLite
 * file path (optionally `sqlite:` prefixed). Migrations run before anything else can use it.
 */
export async function openStorage(url: string): Promise<Storage> {
  const storage = /^postgres(ql)?:\/\//i.test(url) ? openPostgres(url) : openSqlite(url.replace(/^sqlite:(\/\/)?/i, ''));
  try {
    await migrate(storage);
  } catch (e) {
    await storage.close();
    if (e instanceof StorageError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (/ECONNREFUSED|ENOTFOUND|does not exist|authentication/i.test(message)) {
      throw new StorageError('STORAGE_UNREACHABLE', `The database at ${storage.location} cannot be reached: ${message}`);
    }
    throw new StorageError('STORAGE_MIGRATION_FAILED', `The database at ${storage.location} could not be prepared: ${message}`);
  }
  return storage;
}

function openSqlite(path: string): Storage {
  if (!path) throw new StorageError('STORAGE_URL_INVALID', 'DATABASE_URL names no SQLite file.');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  // WAL lets readers go on while one writer commits; NORMAL is durable across process crashes in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, engine: 'sqlite', location: `sqlite:${path}`, close: () => db.destroy() };
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', location: `postgres://${parsed.host}${parsed.pathname}`, close: () => db.destroy() };
}

async function migrate(storage: Storage): Promise<void> {
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, up]): [string, Migration] => [name, { up: (db) => up(db, storage.engine) }]),
      ),
  };
  const { error, results } = await new Migrator({ db: storage.db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new StorageError(
      'STORAGE_MIGRATION_FAILED',
      `Migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
