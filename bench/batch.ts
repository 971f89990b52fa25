/**
 * `npm run bench` (batch part): one print-ready PDF of a session's 500 learners from a bundled example
 * (templates/examples/diploma-background.liquid: a background PDF page, a PNG seal, three font faces, a QR
 * code per learner), on one core. Prints pages/s (median of several runs, with the spread), the file's
 * size against the sum of the 500 separate documents, and how many font and background objects the batch
 * holds (each should be embedded once). A benchmark, not a test: the machine is shared and noisy.
 *
 *   node --cpu-prof --import tsx bench/batch.ts   profiles it (a .cpuprofile in the working folder)
 */
import { EXAMPLES_DIR, readAssetFile } from '../templates/files';
import { compileTemplate } from '../templates/compile';
import { renderBound } from '../templates/render';
import { renderBatch } from '../templates/render-batch';
import { bind } from '../variables/bind';
import { findPersona } from '../variables/personas';
import type { BoundData } from '../variables/types';
import { readFileSync } from 'node:fs';
import { objectCounts } from '../test/templates/pdf/helpers';
import { join } from 'node:path';
import { recordFigures, stageShares } from './results';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const LEARNERS = 500;
const FIRST = ['Camille', 'Oliver', 'Nguyễn Thị', 'Αλέξανδρος', 'Дмитрий', 'İlkay', 'Zoë', 'François', 'Søren', 'Chloé', 'فاطمة', 'さくら'];
const LAST = [
  'Martin',
  'Bennett',
  'Ánh Tuyết',
  'Παπαδόπουλος',
  'Шостакович',
  'Çağlar',
  'Brontë',
  'Lefèvre',
  'Kierkegaard',
  'Dubois',
  'الزهراء',
  '山田',
];

export function session(base: Record<string, unknown>, n: number, offset = 0): Record<string, unknown>[] {
  const b = base as Record<string, Record<string, unknown>>;
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    return {
      ...b,
      learner: {
        ...b.learner,
        firstname: undefined,
        lastname: undefined,
        fullname: `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]} ${i}`,
      },
      certificate: {
        ...b.certificate,
        code: `BATCH-${String(i).padStart(8, '0')}`,
        verification_url: `https://attest.example.org/v/BATCH-${i}`,
      },
    };
  });
}

async function main(): Promise<void> {
  const text = readFileSync(join(EXAMPLES_DIR, 'diploma-background.liquid'), 'utf8');
  const compiled = await compileTemplate(text, { loadAsset: (file) => readAssetFile(EXAMPLES_DIR, file) });
  if (!compiled.template) throw new Error(JSON.stringify(compiled.diagnostics));
  const template = compiled.template;
  const base = findPersona('oliver-bennett')!.data as Record<string, unknown>;
  const bound = (offset: number): BoundData[] =>
    session(base, LEARNERS, offset).map((d) => {
      const b = bind(template.schema, d);
      if (!b.data) throw new Error(JSON.stringify(b.diagnostics));
      return b.data;
    });

  // Warm caches and the JIT. The first batch of a process also encodes each font's subset for the glyphs
  // the batch used (a new session's names make a new glyph set: a real batch pays this once).
  const coldStart = performance.now();
  renderBatch(template, bound(0), { print: true });
  const coldMs = performance.now() - coldStart;
  renderBatch(template, bound(LEARNERS), { print: true });

  const runs: number[] = [];
  const cpu: number[] = [];
  let last: ReturnType<typeof renderBatch> | undefined;
  const runCount = Number(process.env.BATCH_RUNS ?? 7);
  for (let r = 0; r < runCount; r++) {
    const items = bound(LEARNERS * (r % 2)); // binding is the caller's (the server binds at issue time)
    const start = performance.now();
    const used = process.cpuUsage();
    last = renderBatch(template, items, { print: true });
    const spent = process.cpuUsage(used);
    const ms = performance.now() - start;
    if (!last.pdf) throw new Error(JSON.stringify(last.failures[0]));
    runs.push((last.pageCount * 1000) / ms);
    cpu.push((spent.user + spent.system) / 1000 / last.pageCount);
  }
  const pdf = last!.pdf!;
  console.log(
    `batch    ${LEARNERS} learners of ${'diploma-background'} in one PDF: ${fmt(median(runs))} pages/s on one core ` +
      `(median of ${runs.length}; min ${fmt(Math.min(...runs))}, max ${fmt(Math.max(...runs))}) = ${fmt(1000 / median(runs), 3)} ms/page, ` +
      `CPU ${fmt(median(cpu), 3)} ms/page; goal ≥ 1,000 pages/s`,
  );

  const timings: Record<string, number> = {};
  renderBatch(template, bound(0), { print: true, timings });
  const drawParts = Object.entries(timings).filter(([stage]) => stage.startsWith('draw:'));
  timings['draw (pages, backgrounds)'] = timings.draw! - drawParts.reduce((sum, [, ms]) => sum + ms, 0);
  delete timings.draw;
  const measured = Object.values(timings).reduce((a, b) => a + b, 0);
  console.log(
    `         stages per page: ` +
      Object.entries(timings)
        .sort((a, b) => b[1] - a[1])
        .map(([stage, ms]) => `${stage} ${fmt((ms * 1000) / LEARNERS)} µs (${fmt((100 * ms) / measured)} %)`)
        .join(', '),
  );

  recordFigures('batch', [
    {
      id: 'batch.pages',
      label: `one print-ready PDF of ${LEARNERS} learners (diploma-background), one core`,
      value: median(runs),
      unit: 'pages/s',
      runs,
      cpuMs: median(cpu),
      cpuUnit: 'page',
      stages: stageShares(timings),
    },
  ]);

  let separate = 0;
  const singles = bound(0);
  const singleStart = performance.now();
  const singleUsed = process.cpuUsage();
  for (const data of singles) separate += renderBound(template, data).pdf!.length;
  const singleSpent = process.cpuUsage(singleUsed);
  const singleRate = (singles.length * 1000) / (performance.now() - singleStart);
  const singleCpu = (singleSpent.user + singleSpent.system) / 1000 / singles.length;
  const counts = objectCounts(pdf);
  console.log(
    `         file ${fmt(pdf.length / 1024 / 1024, 2)} MB against ${fmt(separate / 1024 / 1024, 2)} MB for the ${LEARNERS} separate documents ` +
      `(${fmt((100 * pdf.length) / separate, 1)} %); ` +
      `${counts.pages} pages, ${counts.fonts} fonts, ${counts.forms} form XObject (background), ${counts.images} images (seal + its mask), ` +
      `${counts.contentStreams} page content streams`,
  );
  console.log(
    `         the same 500 as separate documents: ${fmt(singleRate)} documents/s, CPU ${fmt(singleCpu, 3)} ms/document ` +
      `(the batch: ${fmt((100 * median(cpu)) / singleCpu)} % of it); the process's first batch ${fmt(coldMs)} ms ` +
      `(JIT, and each font's subset encoded for the batch's glyphs)`,
  );
}

if (process.argv[1]?.endsWith('batch.ts')) await main();
