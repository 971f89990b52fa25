import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_SECTIONS, updateReadme } from '../scripts/readme';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('has its generated indexes up to date (rewrite with: node --import tsx scripts/write-readme.ts)', () => {
    expect(updateReadme(readme)).toBe(readme);
  });

  it('states the two commands, and .ci/run runs the test one', () => {
    expect(readme).toContain('`npm start`');
    expect(readme).toContain('`npm test`');
    expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toMatch(/^npm test$/m);
  });

  it('adds a section new to the code right after the one listed before it', () => {
    const names = Object.keys(README_SECTIONS);
    const last = names[names.length - 1]!;
    const before = names[names.length - 2]!;
    const without = readme.replace(new RegExp(`\\n*<!-- generated:${last} -->[\\s\\S]*<!-- /generated:${last} -->`), '');
    expect(without).not.toContain(`<!-- generated:${last} -->`);
    const written = updateReadme(without);
    expect(written.indexOf(`<!-- generated:${last} -->`)).toBeGreaterThan(written.indexOf(`<!-- /generated:${before} -->`));
    expect(updateReadme(written)).toBe(written);
  });

  it('indexes every error code of the catalogue and every problem code', async () => {
    const { ERROR_CODES, PROBLEM_CODES } = await import('../server/domain/error-codes');
    const index = README_SECTIONS.errors!();
    for (const code of [...Object.keys(ERROR_CODES), ...Object.keys(PROBLEM_CODES)]) expect(index, code).toContain(`| \`${code}\` |`);
    expect(index).toContain('| `ISSUE_NOT_FOUND` | 404 |');
    expect(index).toContain('| `GRADE_TOO_LOW` | in `reasons` |');
  });

  it('would notice a stale section', () => {
    const name = Object.keys(README_SECTIONS)[0]!;
    const tampered = readme.replace(`<!-- generated:${name} -->\n`, `<!-- generated:${name} -->\nstale line\n`);
    expect(updateReadme(tampered)).not.toBe(tampered);
  });
});

describe('the README command examples', () => {
  it('name sample learners and example files that exist', async () => {
    const { findPersona } = await import('../variables/personas');
    const { existsSync } = await import('node:fs');
    for (const [, id] of readme.matchAll(/--persona ([\w-]+)/g)) expect(findPersona(id!), id).toBeDefined();
    for (const [, file] of readme.matchAll(/npx attest \w+ (templates\/examples\/[\w-]+\.liquid)/g))
      expect(existsSync(file!), file).toBe(true);
  });
});

describe('the README template example', () => {
  it('compiles and renders as shown', async () => {
    const { compileTemplate } = await import('../templates/compile');
    const { renderDocument } = await import('../templates/render');
    const { EXAMPLES_DIR, readAssetFile } = await import('../templates/files');
    const { findPersona } = await import('../variables/personas');
    const example = /```liquid\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const compiled = await compileTemplate(example!, { loadAsset: (f) => readAssetFile(EXAMPLES_DIR, f) });
    expect(compiled.diagnostics).toEqual([]);
    const r = renderDocument(compiled.template!, findPersona('camille-martin')!.data);
    expect(r.diagnostics).toEqual([]);
    expect(r.pdf).toBeDefined();
  });
});
