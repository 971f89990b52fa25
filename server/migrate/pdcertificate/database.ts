import mysql from 'mysql2/promise';
import pg from 'pg';
import { modelFromRow, type PdcertificateModel } from './model';

/**
 * `--db URL`: the `pdcertificate` rows of a live Moodle database (MariaDB/MySQL with mysql2, PostgreSQL with
 * pg), read in one read-only transaction that is rolled back: the import never writes to Moodle. When the
 * file tables are readable, it also says which instances have border, watermark, seal or signature images.
 */
export class ModelDatabaseError extends Error {}

export interface ReadOptions {
  /** Moodle's table prefix (`$CFG->prefix`), `mdl_` by default. */
  prefix?: string;
  /** One instance (`pdcertificate.id`); all of them otherwise. */
  instance?: number;
}

const IMAGE_AREAS = ['printborders', 'printwmark', 'printseal', 'printsignature'];

interface Reader {
  query(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function readModelsFromDatabase(url: string, options: ReadOptions = {}): Promise<PdcertificateModel[]> {
  const prefix = options.prefix ?? 'mdl_';
  if (!/^[A-Za-z0-9_]{0,40}$/.test(prefix))
    throw new ModelDatabaseError(`the table prefix "${prefix}" is not letters, digits and underscores`);
  const reader = await open(url);
  try {
    const where = options.instance !== undefined ? ' WHERE id = ?' : '';
    const params = options.instance !== undefined ? [options.instance] : [];
    let rows: Record<string, unknown>[];
    try {
      rows = await reader.query(`SELECT * FROM ${prefix}pdcertificate${where} ORDER BY id`, params);
    } catch (e) {
      throw new ModelDatabaseError(`cannot read ${prefix}pdcertificate: ${(e as Error).message}`);
    }
    const images = await imagesOf(reader, prefix);
    const host = safeUrl(url);
    return rows.map((row) => {
      const model = modelFromRow(row, `${host} ${prefix}pdcertificate#${String(row.id)}`);
      if (images) model.images = images.get(String(row.id)) ?? [];
      return model;
    });
  } finally {
    await reader.close();
  }
}

/** Instance id → image file areas in use, or undefined when the file tables cannot be read. */
async function imagesOf(reader: Reader, prefix: string): Promise<Map<string, string[]> | undefined> {
  try {
    const rows = await reader.query(
      `SELECT DISTINCT cm.instance AS id, f.filearea AS area FROM ${prefix}files f
         JOIN ${prefix}context ctx ON ctx.id = f.contextid AND ctx.contextlevel = 70
         JOIN ${prefix}course_modules cm ON cm.id = ctx.instanceid
         JOIN ${prefix}modules m ON m.id = cm.module AND m.name = 'pdcertificate'
        WHERE f.component = 'mod_pdcertificate' AND f.filename <> '.' AND f.filearea IN (${IMAGE_AREAS.map(() => '?').join(', ')})`,
      IMAGE_AREAS,
    );
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(String(r.id), [...(map.get(String(r.id)) ?? []), String(r.area)].sort());
    return map;
  } catch {
    // A database with only the module's tables (or no rights on the file tables): images are not known.
    return undefined;
  }
}

async function open(url: string): Promise<Reader> {
  const scheme = /^([a-z]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  try {
    if (scheme === 'mysql' || scheme === 'mariadb') {
      const connection = await mysql.createConnection({
        uri: url.replace(/^mariadb:/i, 'mysql:'),
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: true,
      });
      await connection.query('START TRANSACTION READ ONLY');
      return {
        async query(sql, params) {
          const [rows] = await connection.query(sql, params);
          return rows as Record<string, unknown>[];
        },
        async close() {
          await connection.query('ROLLBACK').catch(() => undefined);
          await connection.end();
        },
      };
    }
    if (scheme === 'postgres' || scheme === 'postgresql') {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('BEGIN READ ONLY');
      let n = 0;
      return {
        async query(sql, params) {
          n = 0;
          const result = await client.query(
            sql.replace(/\?/g, () => `$${++n}`),
            params,
          );
          return result.rows as Record<string, unknown>[];
        },
        async close() {
          await client.query('ROLLBACK').catch(() => undefined);
          await client.end();
        },
      };
    }
  } catch (e) {
    throw new ModelDatabaseError(`cannot connect to ${safeUrl(url)}: ${(e as Error).message}`);
  }
  throw new ModelDatabaseError(`--db takes a mysql://, mariadb:// or postgres:// address, not "${safeUrl(url)}"`);
}

/** The address without its password, for messages and the report. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
