import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './db';

/**
 * A query the busiest routes run for every request (a token, a code, a document's hash), built and
 * compiled to SQL once per database instead of once per call: Kysely's builders freeze and clone an
 * operation tree and its compiler walks it for every query, which cost the public check and the download
 * more than SQLite's own work did (CPU profile under bench/server.ts). The SQL is the same; only the
 * parameters change, put in place of stand-ins at the positions the first compilation found them.
 *
 * `build` must use each argument as a parameter exactly once and nothing else from it (no branching on
 * it): the first compilation checks that every stand-in is found.
 */
export function precompiled<A extends readonly (string | number)[], R>(
  build: (db: Db, ...args: A) => Compilable<R>,
): (db: Db, ...args: A) => Promise<R[]> {
  // Keyed by the dialect's adapter: a database and its transactions share one, and it decides the SQL.
  const compiledFor = new WeakMap<object, { compiled: CompiledQuery<R>; slots: number[] }>();
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let entry = compiledFor.get(adapter);
    if (!entry) {
      const standIns = args.map((_, i) => `\u0000attest-precompiled-${i}\u0000`) as unknown as A;
      const compiled = build(db, ...standIns).compile();
      const slots = compiled.parameters.map((p) => (standIns as readonly unknown[]).indexOf(p));
      for (let i = 0; i < args.length; i++)
        if (slots.filter((s) => s === i).length !== 1)
          throw new Error(`precompiled: argument ${i} is not used exactly once as a parameter`);
      entry = { compiled, slots };
      compiledFor.set(adapter, entry);
    }
    const { compiled, slots } = entry;
    const parameters = compiled.parameters.map((p, i) => (slots[i]! >= 0 ? args[slots[i]!] : p));
    return (await db.executeQuery<R>({ ...compiled, parameters })).rows;
  };
}
