import { createHash } from 'node:crypto';
import { main } from '../../../server/cli/main';
import { openServices } from '../../../server/services';
import type { Database } from '../../../server/storage/schema';

/** Runs the CLI in-process, as bin/attest.mjs does, and keeps what it printed. */
export async function attest(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

/** Opens the database the CLI wrote (migrated, no render workers) for the test to look. */
export async function withDatabase<T>(url: string, run: (services: Awaited<ReturnType<typeof openServices>>) => Promise<T>): Promise<T> {
  const services = await openServices({ databaseUrl: url, baseUrl: 'http://127.0.0.1', render: { size: 0 } });
  try {
    return await run(services);
  } finally {
    await services.close();
  }
}

const TABLES: readonly (keyof Database)[] = [
  'tenants',
  'people',
  'roles',
  'person_roles',
  'sessions',
  'tokens',
  'blobs',
  'templates',
  'template_versions',
  'certificates',
  'issues',
  'documents',
  'audit',
];

/** Every row of the tables the operator commands write, as one digest: equal digests, nothing written. */
export function snapshot(url: string): Promise<string> {
  return withDatabase(url, async ({ storage }) => {
    const hash = createHash('sha256');
    for (const table of TABLES) {
      const rows = await storage.db.selectFrom(table).selectAll().execute();
      const lines = rows
        .map((r) => JSON.stringify(r, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)))
        .sort();
      hash.update(`${table}\n${lines.join('\n')}\n`);
    }
    return hash.digest('hex');
  });
}
