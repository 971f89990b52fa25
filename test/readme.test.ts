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

  it('would notice a stale section', () => {
    const name = Object.keys(README_SECTIONS)[0]!;
    const tampered = readme.replace(`<!-- generated:${name} -->\n`, `<!-- generated:${name} -->\nstale line\n`);
    expect(updateReadme(tampered)).not.toBe(tampered);
  });
});
