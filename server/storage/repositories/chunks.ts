import type { Db } from '../db';

/** The item tables of queued runs: each row is one item at a position of its run, `pending` until done. */
export type RunItemTable = 'regeneration_items' | 'bulk_items';

/**
 * The chunks (position ÷ chunk size) of a run that still hold pending items, after chunk `after`, in
 * order: one indexed look per chunk found, so a long run is not scanned again on every look. Shared by
 * regeneration and bulk issue, whose queue jobs are chunks of their items.
 */
export async function pendingChunksOf(
  db: Db,
  table: RunItemTable,
  runId: string,
  chunkSize: number,
  after = -1,
  limit = 1_000_000,
): Promise<number[]> {
  const out: number[] = [];
  let from = (after + 1) * chunkSize;
  while (out.length < limit) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.min<number | string | null>('position').as('first'))
      .where('run_id', '=', runId)
      .where('status', '=', 'pending')
      .where('position', '>=', from)
      .executeTakeFirst();
    if (row?.first === null || row?.first === undefined) break;
    const chunk = Math.floor(Number(row.first) / chunkSize);
    out.push(chunk);
    from = (chunk + 1) * chunkSize;
  }
  return out;
}
