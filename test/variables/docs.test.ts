import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDeclarations } from '../../variables/declarations';
import { resolveType } from '../../variables/types';
import { catalogue } from '../../variables/catalogue';
import { variablesMarkdown } from '../../variables/docs';
import { pdcertificatePlaceholders } from '../../variables/moodle';
import { schemaEntries } from '../../variables/types';

const file = new URL('../../docs/variables.md', import.meta.url);

describe('docs/variables.md', () => {
  it('is up to date (regenerate with: node --import tsx variables/write-docs.ts)', () => {
    expect(readFileSync(file, 'utf8')).toBe(variablesMarkdown());
  });

  it('has a row for every catalogue path and every placeholder', () => {
    const md = variablesMarkdown();
    for (const { path } of schemaEntries(catalogue)) expect(md, path).toContain(`| \`${path}\` |`);
    for (const p of pdcertificatePlaceholders) expect(md, p.name).toContain(`| \`{{${p.name}}}\``);
  });

  it('keeps every table row the width of its header', () => {
    const lines = variablesMarkdown().split('\n');
    let columns = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      const cells = line.replace(/\\\|/g, '').split('|').length - 2;
      if (columns === 0) columns = cells;
      expect(cells, line).toBe(columns);
    }
  });

  it('shows a declaration example that parses without diagnostics', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(variablesMarkdown())?.[1];
    expect(yaml).toBeDefined();
    const r = parseDeclarations((parse(yaml!) as { variables: unknown }).variables);
    expect(r.diagnostics).toEqual([]);
    expect(resolveType(r.schema, 'trainees[0].email')).toEqual({ kind: 'email' });
    expect(resolveType(r.schema, 'mode')).toEqual({ kind: 'enum', values: ['onsite', 'remote'] });
  });
});
