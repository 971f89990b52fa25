import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MOVABLE_KINDS, moveElement } from '../../editor/preview/move';
import { compileTemplateFile } from '../../templates/files';
import { renderDocument } from '../../templates/render';
import { previewData } from '../../variables/samples';
import { findPersona } from '../../variables/personas';
import type { Range } from '../../variables/diagnostics';

/** The range of a start tag as the renderer reports it: from its `<` (1-based line and column). */
function at(source: string, needle: string): Range {
  const offset = source.indexOf(needle);
  if (offset < 0) throw new Error(`not found: ${needle}`);
  const before = source.slice(0, offset).split('\n');
  const start = { line: before.length, column: before[before.length - 1]!.length + 1 };
  return { start, end: { line: start.line, column: start.column + needle.length } };
}

const SOURCE = `---
name: Move
---
<page>
  <text x="20mm" y="40mm" width="170mm">{{ learner.fullname }}</text>
  <rect x="1.5in" y="72pt" width="10mm" height="10mm" fill="red"/>
  <image x="10%" y = '25 %' width="10mm" height="10mm" src="seal"/>
  <qr x="{{ left }}mm" y="20mm" size="20mm" value="x"/>
  <text y="20mm" width="10mm">no x</text>
  <line x1="10mm" y1="20mm" x2="50mm" y2="20mm"/>
  <text x=12 y="3cm" width="10mm">bare</text>
  <text {% if a %}x="1mm"{% else %}x="2mm"{% endif %} y="3mm" width="10mm">two</text>
  <text x="20mm" y="50mm" width="1mm" {% if wide %}size="20"{% endif %}>liquid tag between attributes</text>
</page>
`;

describe('moveElement', () => {
  it('moves a text by 10 mm right and 5 mm down, keeping millimetres', () => {
    const r = moveElement(SOURCE, at(SOURCE, '<text x="20mm" y="40mm"'), 10, 5);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.source).toContain('<text x="30mm" y="45mm" width="170mm">{{ learner.fullname }}</text>');
    expect(r.changed).toEqual({ x: ['20mm', '30mm'], y: ['40mm', '45mm'] });
    // Nothing else changed.
    expect(r.source.replace('x="30mm" y="45mm"', 'x="20mm" y="40mm"')).toBe(SOURCE);
  });

  it('rounds to a tenth of a millimetre', () => {
    const r = moveElement(SOURCE, at(SOURCE, '<text x="20mm" y="40mm"'), 10.04321, -0.06);
    expect(r.ok && r.changed).toEqual({ x: ['20mm', '30mm'], y: ['40mm', '39.9mm'] });
  });

  it('keeps inches and points in their units', () => {
    const r = moveElement(SOURCE, at(SOURCE, '<rect'), 25.4, 25.4);
    expect(r.ok && r.changed).toEqual({ x: ['1.5in', '2.5in'], y: ['72pt', '144pt'] });
  });

  it('converts percentages with the page size, keeping the spacing and quotes as written', () => {
    const r = moveElement(SOURCE, at(SOURCE, '<image'), 21, 29.7, { width: 210, height: 297 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.source).toContain(`<image x="20%" y = '35 %' width="10mm"`);
    expect(moveElement(SOURCE, at(SOURCE, '<image'), 21, 0)).toMatchObject({ ok: false, reason: 'move.percent' });
  });

  it('treats a bare number as millimetres and keeps it bare; moves cm', () => {
    const r = moveElement(SOURCE, at(SOURCE, '<text x=12'), 3, 10);
    // Unquoted values are not markup (it is XML): the tag cannot be read, so nothing is rewritten.
    expect(r).toMatchObject({ ok: false, reason: 'move.notFound' });
    const quoted = SOURCE.replace('<text x=12', '<text x="12"');
    const q = moveElement(quoted, at(quoted, '<text x="12"'), 3, 10);
    expect(q.ok && q.changed).toEqual({ x: ['12', '15'], y: ['3cm', '4cm'] });
  });

  it('moves both ends of a line', () => {
    const r = moveElement(SOURCE, at(SOURCE, '<line'), 5, 1);
    expect(r.ok && r.source).toContain('<line x1="15mm" y1="21mm" x2="55mm" y2="21mm"/>');
  });

  it('refuses a position computed by Liquid, with the attribute in the reason', () => {
    const r = moveElement(SOURCE, at(SOURCE, '<qr'), 10, 0);
    expect(r).toMatchObject({ ok: false, reason: 'move.liquid', params: { attribute: 'x' } });
    if (!r.ok) expect(r.message).toContain('Liquid');
  });

  it('refuses an attribute given in two Liquid branches', () => {
    expect(moveElement(SOURCE, at(SOURCE, '<text {% if a %}'), 1, 1)).toMatchObject({
      ok: false,
      reason: 'move.liquid',
      params: { attribute: 'x' },
    });
  });

  it('skips a Liquid tag between attributes', () => {
    const r = moveElement(SOURCE, at(SOURCE, '<text x="20mm" y="50mm"'), 1, 1);
    expect(r.ok && r.changed).toEqual({ x: ['20mm', '21mm'], y: ['50mm', '51mm'] });
  });

  it('refuses a missing attribute and a range that is not on a start tag', () => {
    expect(moveElement(SOURCE, at(SOURCE, '<text y="20mm"'), 1, 1)).toMatchObject({
      ok: false,
      reason: 'move.missing',
      params: { attribute: 'x' },
    });
    expect(moveElement(SOURCE, { start: { line: 5, column: 4 }, end: { line: 5, column: 8 } }, 1, 1)).toMatchObject({
      ok: false,
      reason: 'move.notFound',
    });
    expect(moveElement(SOURCE, { start: { line: 99, column: 1 }, end: { line: 99, column: 2 } }, 1, 1)).toMatchObject({
      ok: false,
      reason: 'move.notFound',
    });
  });

  it('moves the element at the range the renderer reports for the learner name in the transcript example', async () => {
    const path = fileURLToPath(new URL('../../templates/examples/transcript-en.liquid', import.meta.url));
    const source = readFileSync(path, 'utf8');
    const compiled = await compileTemplateFile(path);
    expect(compiled.template).toBeDefined();
    const persona = findPersona('oliver-bennett')!;
    const r = renderDocument(compiled.template!, previewData(compiled.template!.declared, persona.data));
    const name = r.boxes.find((b) => b.kind === 'text' && source.split('\n')[b.range!.start.line - 1]!.includes('learner.fullname'))!;
    expect(name).toBeDefined();
    const moved = moveElement(source, name.range!, 10, 0);
    expect(moved.ok && moved.changed).toEqual({ x: ['20mm', '30mm'] });
  });

  it('moves what the element definitions say may move: a link area by x and y, a watermark not at all', () => {
    expect([...MOVABLE_KINDS].sort()).toEqual(['image', 'line', 'link', 'qr', 'rect', 'table', 'text']);
    const source = `<page>\n  <link x="20mm" y="30mm" width="40mm" height="15mm" href="https://example.org"/>\n</page>`;
    const moved = moveElement(source, at(source, '<link'), 5, -10);
    expect(moved.ok && moved.changed).toEqual({ x: ['20mm', '25mm'], y: ['30mm', '20mm'] });
  });
});
