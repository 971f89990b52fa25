import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStorage } from '../../server/storage/database';

/**
 * The PostgreSQL of this machine (127.0.0.1:5432, user postgres, trust auth) as the tests reach it, and the
 * migrated database every test file's own database is copied from. Vitest's global setup loads this
 * module, so it imports nothing of Vitest's.
 */
export const PG_HOST = process.env.ATTEST_TEST_PG_HOST ?? '127.0.0.1';
export const PG_PORT = Number(process.env.ATTEST_TEST_PG_PORT ?? 5432);
export const PG_USER = process.env.ATTEST_TEST_PG_USER ?? 'postgres';
const MAINTENANCE_DB = 'test';

export const pgUrl = (database: string): string => `postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${database}`;

export async function maintenance<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl(MAINTENANCE_DB) });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Where the global setup says which database to copy; unset when it could not make one. */
const TEMPLATE_VARIABLE = 'ATTEST_TEST_PG_TEMPLATE';

/** The migrated database to copy for this run, if there is one. */
export const migratedTemplate = (): string | undefined => process.env[TEMPLATE_VARIABLE];

/**
 * Vitest global setup: runs every migration once, into a database that each test file's migrated database
 * (freshServices) is then a copy of. Migrating took a PostgreSQL database about as long as the rest of a
 * small test file; `CREATE DATABASE … TEMPLATE` copies it in one step, and opening the copy still runs the
 * migrator, which finds every migration applied. Without a reachable PostgreSQL nothing is made and each
 * database migrates itself as before (tests that need PostgreSQL then fail on their own).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const name = `attest_template_${process.pid}_${randomBytes(6).toString('hex')}`;
  try {
    await maintenance((c) => c.query(`CREATE DATABASE ${name}`));
  } catch {
    return async () => {};
  }
  const drop = () => maintenance(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  // A copy needs its template to have no connections: the migration's are closed before any test starts.
  const storage = await openStorage(pgUrl(name));
  await storage.close();
  process.env[TEMPLATE_VARIABLE] = name;
  return async () => {
    delete process.env[TEMPLATE_VARIABLE];
    await drop();
  };
}
