/**
 * `npm run bench`: how fast Attest makes certificates on this machine. A benchmark, not a test: it prints
 * medians over several runs (with the spread) because a shared 2-core machine is noisy.
 *
 *   render   the reference certificate (bench/reference.liquid: one landscape page over a background PDF,
 *            two font faces, a QR code, six variables), a different learner each document, one core; with
 *            the CPU time per document (process.cpuUsage: less sensitive to other processes than the clock)
 *   stages   where a document's time goes, by stage and element kind (RenderOptions.timings)
 *   batch    the same, timed per batch of 100 documents
 *   fresh    a fresh render worker (a real pool worker: it warms up before it says it is ready): its
 *            first 50 documents against the same worker's later ones
 *   analyze  the static analysis of a 300-line template
 */
import { readFileSync } from 'node:fs';
import { EXAMPLES_DIR, readAssetFile } from '../templates/files';
import { renderDocument } from '../templates/render';
import { findPersona } from '../variables/personas';
import { analyzeTemplate } from '../variables/analyzer';
import { catalogue } from '../variables/catalogue';
import { LineIndex } from '../variables/diagnostics';
import { parseMarkup } from '../templates/markup';
import { bigDocument } from '../test/templates/markup/large-document';
import { RenderPool } from '../server/render/pool';
import { FIRST, LAST, fmt, median, referenceCertificate, referenceLearner } from './reference';
import { recordFigures, stageShares, type Figure } from './results';

async function main(): Promise<void> {
  const text = readFileSync(new URL('./reference.liquid', import.meta.url), 'utf8');
  const { template, compileMs } = await referenceCertificate();
  const compiled = { template };
  const base = findPersona('oliver-bennett')!.data as Record<string, Record<string, unknown>>;
  const learner = referenceLearner;

  const one = renderDocument(compiled.template, learner(0));
  if (!one.pdf) {
    console.error(one.diagnostics);
    process.exit(1);
  }
  console.log(
    `reference certificate: ${one.pageCount} page, ${fmt(one.pdf.length / 1024, 1)} KB; compiled once in ${fmt(compileMs, 1)} ms`,
  );

  let i = 1;
  for (let w = 0; w < 200; w++) renderDocument(compiled.template, learner(i++)); // warm caches and the JIT

  const figures: Figure[] = [];
  const runs: number[] = [];
  const cpu: number[] = [];
  const perRun = 300;
  for (let r = 0; r < 7; r++) {
    const start = performance.now();
    const used = process.cpuUsage();
    for (let k = 0; k < perRun; k++) renderDocument(compiled.template, learner(i++));
    const spent = process.cpuUsage(used);
    runs.push((perRun * 1000) / (performance.now() - start));
    cpu.push((spent.user + spent.system) / 1000 / perRun);
  }
  console.log(
    `render   ${fmt(median(runs))} documents/s on one core (median of ${runs.length} runs of ${perRun}; min ${fmt(Math.min(...runs))}, max ${fmt(Math.max(...runs))}) = ${fmt(1000 / median(runs), 2)} ms/document`,
  );
  console.log(
    `         CPU ${fmt(median(cpu), 3)} ms/document (median; min ${fmt(Math.min(...cpu), 3)}, max ${fmt(Math.max(...cpu), 3)}; includes GC and JIT threads)`,
  );

  const timings: Record<string, number> = {};
  const staged = 500;
  for (let k = 0; k < staged; k++) renderDocument(compiled.template, learner(i++), { timings });
  const drawParts = Object.entries(timings).filter(([stage]) => stage.startsWith('draw:'));
  timings['draw (pages, backgrounds)'] = timings.draw! - drawParts.reduce((sum, [, ms]) => sum + ms, 0);
  delete timings.draw;
  const measured = Object.values(timings).reduce((a, b) => a + b, 0);
  figures.push({
    id: 'render.steady',
    label: 'render, one document, steady, one core',
    value: median(runs),
    unit: 'documents/s',
    runs,
    cpuMs: median(cpu),
    cpuUnit: 'document',
    stages: stageShares(timings),
    detail: `${fmt(1000 / median(runs), 2)} ms each`,
  });
  console.log(
    `stages   ${fmt((measured * 1000) / staged)} µs/document measured: ` +
      Object.entries(timings)
        .sort((a, b) => b[1] - a[1])
        .map(([stage, ms]) => `${stage} ${fmt((100 * ms) / measured)} % (${fmt((ms * 1000) / staged)} µs)`)
        .join(', '),
  );

  const batches: number[] = [];
  for (let r = 0; r < 9; r++) {
    const start = performance.now();
    for (let k = 0; k < 100; k++) renderDocument(compiled.template, learner(i++));
    batches.push(performance.now() - start);
  }
  figures.push({ id: 'render.batch100', label: '100 documents one after another', value: median(batches), unit: 'ms', runs: batches });
  console.log(
    `batch    100 documents in ${fmt(median(batches), 1)} ms (median of ${batches.length}; min ${fmt(Math.min(...batches), 1)}, max ${fmt(Math.max(...batches), 1)}) = ${fmt(100_000 / median(batches))} documents/s`,
  );

  // Every learner a new name in another script: no two documents share their extra glyphs.
  const ALPHABETS: Record<string, string> = {
    Latin: 'abcdefghijklmnopqrstuvwxyzéèçàôüñ',
    Cyrillic: 'абвгдежзийклмнопрстуфхцчшщыэюя',
    Greek: 'αβγδεζηθικλμνξοπρστυφχψω',
    Arabic: 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي',
    Devanagari: 'कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह',
  };
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const word = (a: string) => Array.from({ length: 3 + Math.floor(random() * 6) }, () => a[Math.floor(random() * a.length)]).join('');
  const byScript: string[] = [];
  for (const [script, alphabet] of Object.entries(ALPHABETS)) {
    const named = (n: number) => ({
      ...learner(n),
      learner: { ...base.learner, firstname: undefined, lastname: undefined, fullname: `${word(alphabet)} ${word(alphabet)}` },
    });
    for (let k = 0; k < 30; k++) renderDocument(compiled.template, named(i++));
    const start = performance.now();
    for (let k = 0; k < 200; k++) renderDocument(compiled.template, named(i++));
    const rate = 200_000 / (performance.now() - start);
    byScript.push(`${script} ${fmt(rate)}`);
    figures.push({
      id: `render.unique.${script.toLowerCase()}`,
      label: `render, a new ${script} name per document`,
      value: rate,
      unit: 'documents/s',
    });
  }
  console.log(`unique   a new random name per document, documents/s by script: ${byScript.join(', ')}`);

  const fresh = await freshWorker(text);
  if (fresh) figures.push(fresh);

  const body = bigTemplate(300);
  const times: number[] = [];
  let count = 0;
  for (let r = 0; r < 60; r++) {
    const start = performance.now();
    count = analyzeTemplate({ body, bodyStart: { line: 1, column: 1 }, schema: catalogue, locale: 'en' }).length;
    times.push(performance.now() - start);
  }
  figures.push({
    id: 'analyze',
    label: `static analysis of a ${body.split('\n').length}-line template`,
    value: median(times.slice(10)),
    unit: 'ms',
  });
  console.log(
    `analyze  a ${body.split('\n').length}-line template in ${fmt(median(times.slice(10)), 2)} ms (median of ${times.length - 10} after warm-up; ${count} diagnostics)`,
  );

  const markup = bigDocument();
  const lines = new LineIndex(markup);
  const input = { markup, locate: (s: number, e: number) => lines.range(s, e) };
  const parseTimes: number[] = [];
  for (let r = 0; r < 250; r++) {
    const start = performance.now();
    parseMarkup(input);
    parseTimes.push(performance.now() - start);
  }
  console.log(`markup   a 300-element document parsed in ${fmt(median(parseTimes.slice(50)), 2)} ms (median of 200 after warm-up)`);
  figures.push({ id: 'markup', label: 'markup parse of a 300-element document', value: median(parseTimes.slice(50)), unit: 'ms' });
  recordFigures('render', figures);
}

/**
 * A fresh pool worker's first documents against its later ones, as the server meets them: the worker warms
 * up before it is ready; the first request carries the template (compiled and warmed then, reported
 * apart); then documents one after another, each timed inside the worker (RenderAnswer.ms).
 */
async function freshWorker(source: string): Promise<Figure | undefined> {
  const frame = readAssetFile(EXAMPLES_DIR, 'assets/guilloche-frame.pdf');
  if (!(frame instanceof Uint8Array)) return undefined;
  const started = performance.now();
  const pool = new RenderPool({ size: 1 });
  await pool.whenReady();
  const readyMs = performance.now() - started;
  const base = findPersona('oliver-bennett')!.data as Record<string, Record<string, unknown>>;
  const job = (n: number) => ({
    templateKey: 'bench-reference',
    template: { source, assets: { 'assets/guilloche-frame.pdf': frame } },
    data: {
      ...base,
      learner: { ...base.learner, firstname: undefined, lastname: undefined, fullname: `${FIRST[n % 10]} ${LAST[(n * 3) % 10]} ${n}` },
      certificate: { ...base.certificate, code: `FRESH-${n}`, verification_url: `https://attest.example.org/v/FRESH-${n}` },
    },
  });
  const times: number[] = [];
  for (let n = 0; n < 1051; n++) {
    const answer = await pool.render(job(n));
    if (!answer.pdf) {
      console.log(`fresh    the worker failed: ${answer.diagnostics.map((d) => d.code).join(', ')}`);
      await pool.close();
      return undefined;
    }
    times.push(answer.ms ?? 0);
  }
  await pool.close();
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = times.slice(1, 51);
  const steady = times.slice(751);
  console.log(
    `fresh    a new worker was ready in ${fmt(readyMs)} ms; its first request (compiles and warms the template) ${fmt(times[0]!, 1)} ms; ` +
      `next 50 documents ${fmt(mean(first), 2)} ms mean (median ${fmt(median(first), 2)}), documents 751–1050 ${fmt(mean(steady), 2)} ms mean ` +
      `(median ${fmt(median(steady), 2)}): ${fmt(mean(first) / mean(steady), 2)}× steady by means, ${fmt(median(first) / median(steady), 2)}× by medians (means carry the machine's other load)`,
  );
  return {
    id: 'render.fresh',
    label: 'a fresh render worker, first 50 documents against steady',
    value: median(first) / median(steady),
    unit: '×',
    detail: `by medians; ${fmt(mean(first) / mean(steady), 2)}× by means; ready in ${fmt(readyMs)} ms`,
  };
}

/** A long but ordinary template: text boxes, loops over typed lists, conditions, filters. */
function bigTemplate(lines: number): string {
  const block = [
    '<text x="20mm" y="20mm" width="100mm">{{ learner.fullname | upcase }} — {{ course.fullname }}</text>',
    '{% if grade.passed %}<text x="20mm" y="30mm" width="100mm">{{ grade.percent | default: 0 | percent }}</text>{% endif %}',
    '{% for t in teachers %}<text x="20mm" y="40mm" width="100mm">{{ t.name }} ({{ t.role | default: "" }})</text>{% endfor %}',
    '{% assign d = completion.date | date: "long" | default: "" %}<text x="20mm" y="50mm" width="100mm">{{ d }}</text>',
    '{% for o in outcomes %}{% if o.grade %}<text x="20mm" y="60mm" width="100mm">{{ o.name }}: {{ o.grade }}</text>{% endif %}{% endfor %}',
    '<text x="20mm" y="70mm" width="100mm">{{ certificate.code }} {{ certificate.issued | date: "short" }} {{ organization.name }}</text>',
  ];
  const out = ['<page>'];
  while (out.length < lines - 1) out.push(block[out.length % block.length]!);
  out.push('</page>');
  return out.join('\n');
}

await main();
