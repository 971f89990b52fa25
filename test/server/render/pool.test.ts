import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RenderPool } from '../../../server/render/pool';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { EXAMPLES_DIR } from '../../../templates/files';
import { findPersona } from '../../../variables/personas';

const source = readFileSync(join(EXAMPLES_DIR, 'attestation-fr.liquid'), 'utf8');
const assets = {
  'assets/seal.png': readFileSync(join(EXAMPLES_DIR, 'assets', 'seal.png')),
  'assets/signature.png': readFileSync(join(EXAMPLES_DIR, 'assets', 'signature.png')),
};
const learner = findPersona('camille-martin')!.data;
const pools: RenderPool[] = [];
const pool = (options: ConstructorParameters<typeof RenderPool>[0]) => {
  const p = new RenderPool(options);
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('the render pool', () => {
  it('makes the same bytes in a worker as in the process', async () => {
    const answer = await pool({ size: 1 }).render({ templateKey: 'fr-1', template: { source, assets }, data: learner, specimen: false });
    expect(answer.diagnostics).toEqual([]);
    const compiled = await compileTemplate(source, { loadAsset: (f) => assets[f as keyof typeof assets] });
    const local = renderDocument(compiled.template!, learner).pdf!;
    expect(Buffer.from(answer.pdf!).equals(Buffer.from(local))).toBe(true);
  });

  it('serves many documents at once across its workers, each to its caller', async () => {
    const p = pool({ size: 2 });
    const names = Array.from({ length: 24 }, (_, i) => `Learner ${i}`);
    const answers = await Promise.all(
      names.map((fullname) => p.render({ templateKey: 'fr-1', template: { source, assets }, data: { ...learner, learner: { ...(learner.learner as object), fullname } }, specimen: false })),
    );
    for (const [i, a] of answers.entries()) {
      expect(a.diagnostics).toEqual([]);
      expect(Buffer.from(a.pdf!).includes(Buffer.from(`Learner ${i}`))).toBe(false); // text is glyph ids, not bytes
    }
    expect(new Set(answers.map((a) => Buffer.from(a.pdf!).toString('base64'))).size).toBe(names.length);
    expect(p.stats()).toMatchObject({ workers: 2, busy: 0, queued: 0 });
  });

  it('stops a document that takes too long, for real, and keeps serving with a fresh worker', async () => {
    const p = pool({ size: 1, timeoutMs: 400 });
    // Thousands of table rows: legal, bounded, and far slower than the limit given here.
    const heavy = `---\nname: Heavy\n---\n<page><table x="10mm" y="10mm" width="150mm">{% for i in (1..9000) %}<tr><td>Row {{ i }} {{ learner.fullname }}</td></tr>{% endfor %}</table></page>`;
    const started = Date.now();
    const slow = await p.render({ templateKey: 'heavy', template: { source: heavy, assets: {} }, data: learner, specimen: false });
    expect(slow.diagnostics.map((d) => d.code)).toEqual(['RENDER_TIMEOUT']);
    expect(Date.now() - started).toBeLessThan(5_000);
    const next = await p.render({ templateKey: 'tiny', template: { source: `---\nname: Tiny\n---\n<page></page>`, assets: {} }, data: learner, specimen: false });
    expect(next.diagnostics).toEqual([]);
    expect(next.pdf).toBeDefined();
  });

  it('answers with diagnostics for a broken template, and pushes back when its queue is full', async () => {
    const p = pool({ size: 1, maxQueue: 1 });
    const broken = await p.render({ templateKey: 'broken', template: { source: '<page/>', assets: {} }, data: learner, specimen: false });
    expect(broken.diagnostics[0]?.code).toBe('SOURCE_NO_FRONT_MATTER');
    const jobs = Array.from({ length: 4 }, () => p.render({ templateKey: 'fr-1', template: { source, assets }, data: learner, specimen: false }));
    const codes = (await Promise.all(jobs)).map((a) => a.diagnostics[0]?.code ?? 'ok');
    expect(codes).toContain('RENDER_BUSY');
    expect(codes).toContain('ok');
  });

  it('sends a template to a worker once, and again after the worker let it go', async () => {
    const p = pool({ size: 1 });
    const tiny = (n: number) => ({ source: `---\nname: T${n}\n---\n<page><text x="10mm" y="10mm" width="50mm">T${n} {{ learner.fullname }}</text></page>`, assets: {} });
    const first = await p.render({ templateKey: 't0', template: tiny(0), data: learner });
    expect(first.diagnostics).toEqual([]);
    // The worker keeps 32 templates; 40 more push t0 out, and the pool must notice and send it again.
    for (let i = 1; i <= 40; i++) expect((await p.render({ kind: 'compile', templateKey: `t${i}`, template: tiny(i) })).diagnostics).toEqual([]);
    const again = await p.render({ templateKey: 't0', template: tiny(0), data: learner });
    expect(again.diagnostics).toEqual([]);
    expect(Buffer.from(again.pdf!).equals(Buffer.from(first.pdf!))).toBe(true);
  });

  it('compiles without rendering, answering with the template’s problems', async () => {
    const p = pool({ size: 1 });
    const answer = await p.render({ kind: 'compile', templateKey: 'bad', template: { source: `---\nname: Bad\n---\n<page>{{ learner.fulname }}</page>`, assets: {} } });
    expect(answer.pdf).toBeUndefined();
    expect(answer.diagnostics.map((d) => d.code)).toContain('UNKNOWN_PROPERTY');
  });
});
