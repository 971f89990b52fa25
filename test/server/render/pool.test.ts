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
      names.map((fullname) =>
        p.render({
          templateKey: 'fr-1',
          template: { source, assets },
          data: { ...learner, learner: { ...(learner.learner as object), fullname } },
          specimen: false,
        }),
      ),
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
    await p.whenReady();
    expect(p.workersStarted()).toBe(1);
    // Thousands of table rows: legal, bounded, and far slower than the limit given here.
    const heavy = `---\nname: Heavy\n---\n<page><table x="10mm" y="10mm" width="150mm">{% for i in (1..9000) %}<tr><td>Row {{ i }} {{ learner.fullname }}</td></tr>{% endfor %}</table></page>`;
    const slow = await p.render({ templateKey: 'heavy', template: { source: heavy, assets: {} }, data: learner, specimen: false });
    expect(slow.diagnostics.map((d) => d.code)).toEqual(['RENDER_TIMEOUT']);
    // Stopped for real: the worker that ran it was terminated and another started (a clock would say so only on an idle machine).
    expect(p.workersStarted()).toBe(2);
    const next = await p.render({
      templateKey: 'tiny',
      template: { source: `---\nname: Tiny\n---\n<page></page>`, assets: {} },
      data: learner,
      specimen: false,
    });
    expect(next.diagnostics).toEqual([]);
    expect(next.pdf).toBeDefined();
  });

  it('does not count a worker’s start-up against a document’s time limit', async () => {
    // Asked before the worker has loaded anything: loading its code and its first fonts takes longer than
    // this limit on a busy machine, a small document in a started worker takes a tenth of it.
    const p = pool({ size: 1, timeoutMs: 300 });
    const answer = await p.render({
      templateKey: 'tiny',
      template: {
        source: `---\nname: Tiny\n---\n<page><text x="10mm" y="10mm" width="50mm">{{ learner.fullname }}</text></page>`,
        assets: {},
      },
      data: learner,
    });
    expect(answer.diagnostics).toEqual([]);
    expect(answer.pdf).toBeDefined();
  });

  it('answers with diagnostics for a broken template, and pushes back when its queue is full', async () => {
    const p = pool({ size: 1, maxQueue: 1 });
    const broken = await p.render({ templateKey: 'broken', template: { source: '<page/>', assets: {} }, data: learner, specimen: false });
    expect(broken.diagnostics[0]?.code).toBe('SOURCE_NO_FRONT_MATTER');
    const jobs = Array.from({ length: 4 }, () =>
      p.render({ templateKey: 'fr-1', template: { source, assets }, data: learner, specimen: false }),
    );
    const codes = (await Promise.all(jobs)).map((a) => a.diagnostics[0]?.code ?? 'ok');
    expect(codes).toContain('RENDER_BUSY');
    expect(codes).toContain('ok');
  });

  it('sends a template to a worker once, and again after the worker let it go', async () => {
    const p = pool({ size: 1 });
    const tiny = (n: number) => ({
      source: `---\nname: T${n}\n---\n<page><text x="10mm" y="10mm" width="50mm">T${n} {{ learner.fullname }}</text></page>`,
      assets: {},
    });
    const first = await p.render({ templateKey: 't0', template: tiny(0), data: learner });
    expect(first.diagnostics).toEqual([]);
    // The worker keeps 32 templates; 40 more push t0 out, and the pool must notice and send it again.
    for (let i = 1; i <= 40; i++)
      expect((await p.render({ kind: 'compile', templateKey: `t${i}`, template: tiny(i) })).diagnostics).toEqual([]);
    const again = await p.render({ templateKey: 't0', template: tiny(0), data: learner });
    expect(again.diagnostics).toEqual([]);
    expect(Buffer.from(again.pdf!).equals(Buffer.from(first.pdf!))).toBe(true);
  });

  it('compiles without rendering, answering with the template’s problems', async () => {
    const p = pool({ size: 1 });
    const answer = await p.render({
      kind: 'compile',
      templateKey: 'bad',
      template: { source: `---\nname: Bad\n---\n<page>{{ learner.fulname }}</page>`, assets: {} },
    });
    expect(answer.pdf).toBeUndefined();
    expect(answer.diagnostics.map((d) => d.code)).toContain('UNKNOWN_PROPERTY');
  });
});

describe('what a render may cost the server', () => {
  const tiny = (n: string) => ({
    source: `---\nname: T${n}\n---\n<page><text x="10mm" y="10mm" width="50mm">{{ learner.fullname }} ${n}</text></page>`,
    assets: {},
  });
  // Legal and bounded (it ends with LAYOUT_TOO_MANY_PAGES), but 150,000 table rows take seconds and
  // hundreds of MB: far beyond any limit a test sets, so it runs until stopped. The rows are written 50 to
  // an iteration so Liquid's part is quick and the time goes to layout.
  const heavy = {
    source: `---\nname: Heavy\n---\n<page><table x="10mm" y="10mm" width="150mm">{% for i in (1..3000) %}${'<tr><td>Row</td></tr>'.repeat(50)}{% endfor %}</table></page>`,
    assets: {},
  };

  /**
   * Both workers started and their fonts loaded, documents and specimens made, so a quick job is quick (a
   * cold first compile is not).
   */
  const warm = async (p: RenderPool) => {
    await p.whenReady();
    for (const specimen of [false, true]) {
      const answers = await Promise.all(
        ['w1', 'w2'].map((k) =>
          p.render({ templateKey: k, template: tiny(k), data: learner, specimen, lane: specimen ? 'preview' : 'issue' }),
        ),
      );
      expect(answers.map((a) => a.diagnostics)).toEqual([[], []]);
    }
  };

  it('a worker that runs out of memory dies alone: its job is answered with RENDER_WORKER_DIED, a fresh worker serves the next', async () => {
    const p = pool({ size: 1, timeoutMs: 60_000, resourceLimits: { maxOldGenerationSizeMb: 64 } });
    const died = await p.render({ templateKey: 'heavy', template: heavy, data: learner });
    expect(died.diagnostics.map((d) => d.code)).toEqual(['RENDER_WORKER_DIED']);
    expect(died.diagnostics[0]!.message).toContain('ran out of memory');
    const after = await p.render({ templateKey: 'small', template: tiny('a'), data: learner });
    expect(after.diagnostics).toEqual([]);
    expect(p.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0 });
  });

  it('workers that cannot start answer the waiting jobs with RENDER_WORKER_DIED instead of leaving them waiting', async () => {
    const p = pool({ size: 1, resourceLimits: { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 } });
    const answer = await p.render({ templateKey: 'small', template: tiny('b'), data: learner });
    expect(answer.diagnostics.map((d) => d.code)).toEqual(['RENDER_WORKER_DIED']);
  });

  it('gives previews a shorter time limit than issues', async () => {
    const p = pool({ size: 1, timeoutMs: 60_000, preview: { timeoutMs: 300 } });
    const preview = await p.render({
      lane: 'preview',
      tenantId: 'A',
      templateKey: 'heavy',
      template: heavy,
      data: learner,
      specimen: true,
    });
    expect(preview.diagnostics.map((d) => d.code)).toEqual(['RENDER_TIMEOUT']);
    // The message names the limit that stopped it: the preview lane's, not the issue lane's minute.
    expect(preview.diagnostics[0]!.message).toContain('300 ms');
  });

  it('lets one tenant fill at most half of the queue, so another tenant still gets in', async () => {
    const p = pool({ size: 1, timeoutMs: 1_500, maxQueue: 4, warmUp: 'full' });
    await warm(p);
    const job = (tenantId: string, key: string, template: typeof heavy) =>
      p.render({ tenantId, templateKey: key, template, data: learner });
    const running = job('A', 'heavy', heavy);
    const waiting = [job('A', 'q1', tiny('q1')), job('A', 'q2', tiny('q2'))];
    const refused = await job('A', 'q3', tiny('q3'));
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['RENDER_BUSY']);
    const other = job('B', 'b', tiny('b'));
    expect((await running).diagnostics.map((d) => d.code)).toEqual(['RENDER_TIMEOUT']);
    for (const a of [...(await Promise.all(waiting)), await other]) expect(a.diagnostics).toEqual([]);
  });

  it('keeps a tenant to its share of the workers while another tenant waits', async () => {
    const p = pool({ size: 2, preview: { timeoutMs: 1_500, workers: 2 }, warmUp: 'full' });
    await warm(p);
    const order: string[] = [];
    const job = (name: string, tenantId: string, template: typeof heavy) =>
      p.render({ lane: 'preview', tenantId, templateKey: name, template, data: learner, specimen: true }).then((a) => {
        order.push(name);
        return a;
      });
    // A takes both workers (nobody else is waiting); when its quick job ends, the worker goes to B's
    // waiting job, not to A's next one (first come, first served would give it A3, and B would wait).
    const a1 = job('A1', 'A', tiny('a1'));
    const a2 = job('A2', 'A', heavy);
    const a3 = job('A3', 'A', heavy);
    const b1 = job('B1', 'B', tiny('b1'));
    expect((await b1).diagnostics).toEqual([]);
    expect((await Promise.all([a1, a2, a3])).map((a) => a.diagnostics.map((d) => d.code).join())).toEqual([
      '',
      'RENDER_TIMEOUT',
      'RENDER_TIMEOUT',
    ]);
    expect(order.indexOf('B1')).toBeLessThan(order.indexOf('A2'));
    expect(order.indexOf('B1')).toBeLessThan(order.indexOf('A3'));
  });
});
