import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../templates/compile';
import { bundledExamples, EXAMPLES_DIR, readAssetFile } from '../../../templates/files';
import { contractOfText, readContract } from '../../../templates/source/contract';
import { parseTemplateSource } from '../../../templates/source/front-matter';
import { readTemplate } from '../../../editor/monaco/template';
import { catalogue } from '../../../variables/catalogue';

const declaring = `---
name: Session
locale: fr
metadata:
  title: "Attestation — {{ course.fullname }}"
  subject: |
    {{ session.place }}
variables:
  session.place: string
  level:
    type: "enum(beginner|advanced)"
    required: true
  trainees:
    type: list<object>
    fields: { name: string }
  broken: strng
---
<page><text x="0" y="0" width="10mm">{{ session.place }}</text></page>
`;

describe('the data contract', () => {
  it('is the catalogue plus the declarations, with the declarations alone, the locale and the metadata fragments', () => {
    const contract = contractOfText(declaring)!;
    expect(Object.keys(contract.declared).sort()).toEqual(['level', 'session', 'trainees']);
    expect(contract.schema).toEqual({ ...catalogue, ...contract.declared });
    expect(contract.locale).toBe('fr');
    expect(contract.fragments.map((f) => [f.field, f.name, f.public, f.start])).toEqual([
      ['title', 'metadata.title', true, { line: 5, column: 11 }],
      ['subject', 'metadata.subject', true, { line: 7, column: 5 }],
    ]);
    // A declaration problem is placed in the file, as a template diagnostic (no YAML path of its own).
    const problem = contract.diagnostics.find((d) => d.path === 'variables.broken');
    expect(problem).toMatchObject({ stage: 'source', severity: 'error', range: { start: { line: 16 } } });
    expect(problem).not.toHaveProperty('yamlPath');
  });

  it('is undefined for a text whose front matter cannot be read', () => {
    expect(contractOfText('no front matter')).toBeUndefined();
    expect(contractOfText('---\nname: [\n---\n')).toBeUndefined();
  });

  it('is the same for the compiler and the editor, on every bundled example and a template that declares', async () => {
    const texts = [...bundledExamples().map((p) => readFileSync(p, 'utf8')), declaring.replace('  broken: strng\n', '')];
    for (const text of texts) {
      const contract = readContract(parseTemplateSource(text).source!);
      const compiled = await compileTemplate(text, { loadAsset: (f) => readAssetFile(EXAMPLES_DIR, f) });
      expect(compiled.template, compiled.diagnostics.map((d) => d.message).join('\n')).toBeDefined();
      const view = readTemplate(text);
      expect(compiled.template!.schema).toEqual(contract.schema);
      expect(compiled.template!.declared).toEqual(contract.declared);
      expect(view.schema).toEqual(contract.schema);
      expect(view.declared).toEqual(contract.declared);
      expect(view.fragments).toEqual(contract.fragments);
      expect(view.locale).toBe(contract.locale);
    }
  });

  it('gives the compiler and the editor the same declaration problems', async () => {
    const compiled = await compileTemplate(declaring);
    const view = readTemplate(declaring);
    const fromDeclarations = (list: readonly { path?: string }[]) => list.filter((d) => d.path?.startsWith('variables'));
    expect(fromDeclarations(compiled.diagnostics)).toEqual(fromDeclarations(view.sourceDiagnostics));
    expect(fromDeclarations(view.sourceDiagnostics)).toHaveLength(1);
  });
});
