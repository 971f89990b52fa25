import { mkdirSync, rename, writeFile } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Where the bytes of issued PDFs live, by SHA-256. With SQLite they are files beside the database: a
 * 50–250 KB blob costs SQLite 1–3 ms of the event loop per insert (WAL pages and checkpoints, measured),
 * the file system far less and off the loop. With PostgreSQL they are rows, so every replica sees them.
 *
 * A document's bytes are staged before the transaction that records its row and recorded inside it: if
 * the transaction fails, a staged file is left unreferenced (content-addressed, harmless) and the
 * document does not exist.
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

async function unreferenced(db: Db, sha256s: readonly string[]): Promise<string[]> {
  if (!sha256s.length) return [];
  const still = await db.selectFrom('documents').select('sha256').where('sha256', 'in', [...sha256s]).execute();
  const used = new Set(still.map((r) => r.sha256));
  return [...new Set(sha256s)].filter((s) => !used.has(s));
}

export function fileDocuments(dir: string): DocumentFiles {
  const pathOf = (sha: string) => {
    if (!SHA.test(sha)) throw new Error('not a SHA-256');
    return join(dir, sha.slice(0, 2), `${sha}.pdf`);
  };
  const made = new Set<string>();
  return {
    async stage(sha, pdf) {
      const path = pathOf(sha);
      const folder = join(dir, sha.slice(0, 2));
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      // Written aside and renamed: a reader never sees half a file, whatever happens meanwhile. The
      // callback API keeps open, write and rename on libuv's threads (a synchronous open stalled the event
      // loop ≈1 ms under load) with less bookkeeping than fs/promises' file handles (measured).
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await new Promise<void>((resolve, reject) =>
        writeFile(tmp, pdf, (e) => (e ? reject(e) : rename(tmp, path, (e2) => (e2 ? reject(e2) : resolve())))),
      );
    },
    async record() {},
    async read(_db, sha) {
      try {
        return new Uint8Array(await readFile(pathOf(sha)));
      } catch {
        return undefined;
      }
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

export function tableDocuments(): DocumentFiles {
  return {
    async stage() {},
    async record(trx, sha256, pdf) {
      await trx.insertInto('document_bytes').values({ sha256, pdf }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
    },
    async read(db, sha256) {
      const row = await db.selectFrom('document_bytes').select('pdf').where('sha256', '=', sha256).executeTakeFirst();
      return row ? new Uint8Array(row.pdf) : undefined;
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
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('documents').select('documents.sha256').whereRef('documents.sha256', '=', 'document_bytes.sha256'))))
        .executeTakeFirst();
      return { removed: Number(result.numDeletedRows) };
    },
  };
}
