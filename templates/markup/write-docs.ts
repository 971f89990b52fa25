/** Rewrites the generated reference in docs/markup.md: `node --import tsx templates/markup/write-docs.ts`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { updateDocs } from './reference';

export const DOCS_PATH = fileURLToPath(new URL('../../docs/markup.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const before = readFileSync(DOCS_PATH, 'utf8');
  const after = updateDocs(before);
  if (after !== before) writeFileSync(DOCS_PATH, after);
  console.log(after === before ? 'docs/markup.md is up to date' : 'docs/markup.md updated');
}
