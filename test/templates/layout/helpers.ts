import { expect } from 'vitest';
import { compileTemplate } from '../../../templates/compile';
import { EXAMPLES_DIR, readAssetFile } from '../../../templates/files';
import { renderDocument, type RenderOptions } from '../../../templates/render';
import { findPersona } from '../../../variables/personas';
import type { DrawnBox } from '../../../templates/layout/context';

const learner = findPersona('camille-martin')!.data;
const MM = 72 / 25.4;

/** A drawn box in millimetres, rounded to a tenth, with the line of the template that drew it. */
export type BoxMm = Omit<DrawnBox, 'range'> & { line: number | undefined };

const tenth = (pt: number) => Math.round((pt / MM) * 10) / 10;

/**
 * Lays out a body (A4 portrait unless the front matter says otherwise, the bundled example assets at
 * hand) and returns where each element was drawn. The body starts on line 4 of the template.
 */
export async function boxes(body: string, options: { front?: string; render?: RenderOptions } = {}): Promise<BoxMm[]> {
  const { template, diagnostics } = await compileTemplate(`---\nname: Boxes\n${options.front ?? ''}---\n${body}`, {
    loadAsset: (f) => readAssetFile(EXAMPLES_DIR, f),
  });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const r = renderDocument(template!, learner, options.render);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.boxes.map((b) => ({
    page: b.page,
    kind: b.kind,
    x: tenth(b.x),
    y: tenth(b.y),
    width: tenth(b.width),
    height: tenth(b.height),
    line: b.range?.start.line,
  }));
}

export const SEAL = 'assets:\n  seal: assets/seal.png\n';
