/**
 * The README's generated sections, so the indexes it shows cannot drift from the code: each section is
 * written between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. Write them with
 * `node --import tsx scripts/write-readme.ts`; test/readme.test.ts fails when they are stale.
 */
import { catalogueTable, placeholderTable } from '../variables/docs';
import { capabilityIndex, errorIndex, webServiceIndex } from '../server/http/indexes';
import { elementIndex } from '../templates/markup/reference';
import { scriptIndex } from '../server/cli/script-index';
import { speedSection } from '../bench/speed-section';

const demote = (markdown: string) => markdown.replace(/^## /gm, '### ');

export const README_SECTIONS: Readonly<Record<string, () => string>> = {
  elements: elementIndex,
  catalogue: () => demote(catalogueTable()),
  placeholders: () => demote(placeholderTable()),
  capabilities: capabilityIndex,
  webservices: webServiceIndex,
  scripts: scriptIndex,
  errors: errorIndex,
  speed: () => speedSection(),
};

export function updateReadme(text: string): string {
  let out = text;
  let previous: string | undefined;
  for (const [name, make] of Object.entries(README_SECTIONS)) {
    const begin = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    // A section new to the code goes right after the one listed before it, so writing the README is all
    // it takes to add one (the drift test fails until then).
    const after = previous && `<!-- /generated:${previous} -->`;
    if (!out.includes(begin) && after && out.includes(after)) {
      const k = out.indexOf(after) + after.length;
      out = `${out.slice(0, k)}\n\n${begin}\n${end}${out.slice(k)}`;
    }
    previous = name;
    const i = out.indexOf(begin);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README.md has no ${begin} … ${end} section`);
    out = `${out.slice(0, i + begin.length)}\n${make().trim()}\n${out.slice(j)}`;
  }
  return out;
}
