import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Storage is a port: the rules (server/domain) and the HTTP layer (server/http) reach the database only
 * through server/storage's repositories. A query written in either fails here, with where it is.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs)$/.test(e.name))
    .map((e) => {
      const file = join(e.parentPath, e.name);
      return { file: file.slice(ROOT.length), text: readFileSync(file, 'utf8') };
    });
}

const QUERIES: [string, RegExp][] = [
  ['imports kysely', /from\s+['"]kysely['"]|import\(\s*['"]kysely['"]\s*\)/],
  ['builds a query', /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|selectNoFrom)\s*\(/],
  ['writes raw SQL', /\bsql\s*(<[^>]*>)?\s*`/],
  ['opens a transaction itself', /\.transaction\(\s*\)/],
];

function offences(dir: string): string[] {
  return sources(dir).flatMap(({ file, text }) =>
    QUERIES.flatMap(([what, pattern]) =>
      text.split('\n').flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1} ${what}: ${line.trim().slice(0, 100)}`] : [])),
    ),
  );
}

describe('layering', () => {
  it('server/domain holds no SQL: its queries are repositories in server/storage', () => {
    expect(offences('server/domain')).toEqual([]);
  });

  it('server/http holds no SQL either', () => {
    expect(offences('server/http')).toEqual([]);
  });

  it('the scan finds what it looks for (a query in a string is caught)', () => {
    const line = "await db.selectFrom('issues').selectAll().execute(); await sql`select 1`.execute(db); import { sql } from 'kysely';";
    expect(QUERIES.filter(([, p]) => p.test(line)).map(([w]) => w)).toEqual(['imports kysely', 'builds a query', 'writes raw SQL']);
  });
});
