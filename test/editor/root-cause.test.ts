import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose, type Fix } from '../../editor/monaco/language';
import { LineIndex } from '../../variables/diagnostics';

/**
 * The editor's checks on a whole template (front matter, Liquid read as blanks, markup): an element never
 * closed is one problem, placed on its opening tag, and its quick fix makes the template clean again.
 */
const EXAMPLES = new URL('../../templates/examples/', import.meta.url);
const example = (name: string): string => readFileSync(new URL(`${name}.liquid`, EXAMPLES), 'utf8');

function apply(source: string, fix: Fix): string {
  const lines = new LineIndex(source);
  return source.slice(0, lines.offset(fix.range.start)) + fix.replacement + source.slice(lines.offset(fix.range.end));
}

describe('an unclosed element in a template, as the editor sees it', () => {
  for (const [name, closed] of [
    ['attestation-fr', 'ATTESTATION DE FORMATION</text>'],
    ['transcript-en', '</text>'],
  ] as const) {
    it(`${name}: one problem instead of one per element after it, fixed by its quick fix`, () => {
      const clean = example(name);
      const before = diagnose(clean);
      const broken = clean.replace(closed, closed.slice(0, -'</text>'.length));
      const found = diagnose(broken).filter((d) => !before.some((b) => b.code === d.code && b.message === d.message));
      expect(found.map((d) => d.code)).toEqual(['MARKUP_SYNTAX']);
      const [problem] = found;
      expect(problem!.message).toMatch(/^<text> is never closed/);
      const opening = broken.slice(0, new LineIndex(broken).offset(problem!.range.end));
      expect(opening.slice(opening.lastIndexOf('<'))).toMatch(/^<text [^>]*>$/);
      expect(problem!.fixes).toHaveLength(1);
      expect(diagnose(apply(broken, problem!.fixes![0]!))).toEqual(before);
    });
  }
});
