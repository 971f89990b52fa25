import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RenderPool } from '../../../server/render/pool';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { EXAMPLES_DIR } from '../../../templates/files';
import { DrawnBoxSchema, type DrawnBox } from '../../../templates/layout/boxes';
import { findPersona } from '../../../variables/personas';

const source = readFileSync(join(EXAMPLES_DIR, 'attestation-fr.liquid'), 'utf8');
const assets = {
  'assets/seal.png': readFileSync(join(EXAMPLES_DIR, 'assets', 'seal.png')),
  'assets/signature.png': readFileSync(join(EXAMPLES_DIR, 'assets', 'signature.png')),
};
const learner = findPersona('camille-martin')!.data;
const pool = new RenderPool({ size: 1 });
afterAll(() => pool.close());

describe('drawn boxes across the worker boundary', () => {
  it('arrive from a worker as the layout drew them, in the one shape the API answers with', async () => {
    const answer = await pool.render({ templateKey: 'boxes', template: { source, assets }, data: learner, specimen: true });
    expect(answer.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const boxes: DrawnBox[] = answer.boxes!;
    const compiled = await compileTemplate(source, { loadAsset: (f) => assets[f as keyof typeof assets] });
    expect(boxes).toEqual(renderDocument(compiled.template!, learner, { specimen: true }).boxes);
    expect(boxes.some((b) => b.kind === 'text' && b.range)).toBe(true);
    // Strict: a field the layout adds to a box must be added to the schema (and so to the API's answer).
    expect(z.array(DrawnBoxSchema.strict()).parse(boxes)).toEqual(boxes);
  });

  it('are not sent for a document that is not a preview', async () => {
    const answer = await pool.render({ templateKey: 'boxes', template: { source, assets }, data: learner, specimen: false });
    expect(answer.boxes).toBeUndefined();
  });
});
