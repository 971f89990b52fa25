import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * A live Moodle database, read and never written: one connection in one read-only transaction for the
 * whole run (REPEATABLE READ on both engines), so every page of a long migration sees the same site, and
 * a statement that would write is refused by the database itself. Tables are named with the site's
 * prefix (`mdl_` by default). Moodle stores its `int` columns as BIGINT: PostgreSQL hands those over as
 * strings, so numbers are read through `num`.
 */
export type SourceEngine = 'mysql' | 'postgres';

export type Row = Record<string, unknown>;

export interface MoodleDb {
  engine: SourceEngine;
  prefix: string;
  /** Where, without credentials: for the report. */
  location: string;
  /** Runs a read; `?` placeholders, `{table}` for a prefixed, quoted table name. */
  all(sqlText: string, params?: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export class SourceError extends Error {
  constructor(
    readonly kind: 'url' | 'unreachable' | 'query',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const PREFIX = /^[a-z0-9_]{0,30}$/i;

/** `mysql://`, `mariadb://`, `postgres://` or `postgresql://`; anything else is a usage error. */
export function sourceEngine(url: string): SourceEngine | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  return undefined;
}

export async function openMoodle(url: string, prefix = 'mdl_'): Promise<MoodleDb> {
  const engine = sourceEngine(url);
  if (!engine) throw new SourceError('url', 'the Moodle database is a mysql://, mariadb:// or postgres:// address');
  if (!PREFIX.test(prefix)) throw new SourceError('url', `the table prefix "${prefix}" is not letters, digits and underscores`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SourceError('url', 'the Moodle database address is not a valid URL');
  }
  const location = `${engine}://${parsed.host}${parsed.pathname}`;
  const table = (name: string) => (engine === 'mysql' ? `\`${prefix}${name}\`` : `"${prefix}${name}"`);
  const expand = (sqlText: string) => {
    const named = sqlText.replace(/\{([a-z_]+)\}/g, (_, name: string) => table(name));
    if (engine === 'mysql') return named;
    let n = 0;
    return named.replace(/\?/g, () => `$${++n}`);
  };
  try {
    if (engine === 'mysql') {
      const conn = await mysql.createConnection({ uri: url.replace(/^mariadb:/i, 'mysql:'), dateStrings: true, supportBigNumbers: true });
      // The session cannot write, and one consistent snapshot serves the whole run.
      await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await conn.query('SET SESSION TRANSACTION READ ONLY');
      await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      return {
        engine,
        prefix,
        location,
        async all(sqlText, params = []) {
          const [rows] = await conn.query(expand(sqlText), [...params] as (string | number | null)[]);
          return rows as Row[];
        },
        async close() {
          await conn.query('ROLLBACK').catch(() => {});
          await conn.end();
        },
      };
    }
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    await client.connect();
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return {
      engine,
      prefix,
      location,
      async all(sqlText, params = []) {
        return (await client.query(expand(sqlText), [...params])).rows as Row[];
      },
      async close() {
        await client.query('ROLLBACK').catch(() => {});
        await client.end();
      },
    };
  } catch (e) {
    throw new SourceError('unreachable', `the Moodle database at ${location} cannot be read: ${(e as Error).message}`, { cause: e });
  }
}

/** A BIGINT or numeric column as a number (PostgreSQL gives strings). */
export const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'bigint' || typeof v === 'string' ? Number(v) : v === null || v === undefined ? 0 : NaN;
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
/** A text column as a string ('' for null). */
export const str = (v: unknown): string =>
  typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '';
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));

/** `IN (?, ?, …)` for a list (never empty: callers skip the query for an empty list). */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Whether a table exists with the prefix (optional core tables: config, grade_letters). */
export async function hasTable(db: MoodleDb, name: string): Promise<boolean> {
  const rows =
    db.engine === 'mysql'
      ? await db.all('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [
          `${db.prefix}${name}`,
        ])
      : await db.all('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?', [
          `${db.prefix}${name}`,
        ]);
  return num(rows[0]?.n) > 0;
}
