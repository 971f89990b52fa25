import { bundledExamples, compileTemplateFile } from '../../templates/files';
import { compileTemplate, type CompiledTemplate } from '../../templates/compile';
import { renderDocument } from '../../templates/render';
import { personas, type Persona } from '../../variables/personas';
import { previewData } from '../../variables/samples';

/**
 * Documents a fresh worker makes before it says it is ready, at most, and the CPU time it may spend on them
 * (the process's, so workers warming side by side share it). With 60 documents and 500 ms a fresh worker's
 * first documents still took about twice as long as later ones: V8 had not optimised the render yet.
 */
export const WARM_UP_DOCUMENTS = 300;
export const WARM_UP_CPU_MS = 2000;

const WARM_UP_EXAMPLE = 'diploma-background.liquid';

/** `full` for the pool's own workers; `light` (one document) for a replacement that has jobs waiting. */
export type WarmUpKind = 'full' | 'light';

/** The kind a worker was started with (RenderPool passes it as workerData). */
export function warmUpKindOf(workerData: unknown): WarmUpKind {
  return (workerData as { warmUp?: unknown } | null)?.warmUp === 'light' ? 'light' : 'full';
}

/**
 * Sample learners whose names the bundled faces draw (Latin, Greek, Cyrillic scripts): the common case. Other scripts bring
 * their fallback faces (tens of MB for CJK), which are prepared on first use instead: a worker starts
 * within its heap limits and in about two seconds of CPU (WARM_UP_CPU_MS).
 */
const BUNDLED_SCRIPTS = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{M}\p{Zs}'’.-]+$/u;
const samples = personas.filter((p) => {
  const name = (p.data.learner as { fullname?: unknown } | undefined)?.fullname;
  return typeof name === 'string' && BUNDLED_SCRIPTS.test(name);
});

/**
 * A fresh render worker's first documents used to take several times as long as later ones: fonts parsed
 * and their base subsets encoded on first use, the QR, date and layout code run cold, and V8 optimising the
 * hot functions only after a few hundred calls. This makes those documents before the worker serves
 * anyone: a bundled example template (a background PDF, an image, a QR code, text boxes that shrink, three
 * faces), for those sample learners, with a new name and code each time so the
 * shaping and QR paths run as they do for real learners rather than hitting caches.
 *
 * What it leaves behind are process caches, which never change a document's bytes (the determinism tests
 * render the same documents after different histories). Failures are ignored: a worker that cannot make
 * these documents still takes jobs, each answering with its own diagnostics.
 */
export async function warmUp(limits: { documents?: number; cpuMs?: number } = {}): Promise<{ documents: number; cpuMs: number }> {
  const maxDocuments = limits.documents ?? WARM_UP_DOCUMENTS;
  const maxCpu = limits.cpuMs ?? WARM_UP_CPU_MS;
  const templates: CompiledTemplate[] = [];
  // The example with the most kinds of element (background page, image, QR code, lines, shrinking text, three
  // faces): the others add fonts to prepare, hence start-up time, more than they add code to warm.
  for (const file of bundledExamples().filter((f) => f.endsWith(WARM_UP_EXAMPLE))) {
    try {
      const { template } = await compileTemplateFile(file);
      if (template) templates.push(template);
    } catch {
      // An example that does not compile is no reason not to start.
    }
  }
  // One document per template first, whatever the budget: that is where fonts are parsed and their
  // subsets encoded, and the background pages read. The budget is for the documents after it.
  let documents = 0;
  for (const template of templates) {
    if (documents >= maxDocuments || !samples[0]) break;
    render(template, samples[0], 0, documents++);
  }
  const started = process.cpuUsage();
  const cpuMs = () => {
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  };
  for (let round = 0; documents < maxDocuments && cpuMs() < maxCpu && templates.length > 0 && samples.length > 0; round++) {
    for (const persona of samples) {
      const template = templates[(round + documents) % templates.length]!;
      render(template, persona, round + 1, documents);
      if (++documents >= maxDocuments || cpuMs() >= maxCpu) break;
    }
  }
  return { documents, cpuMs: cpuMs() };
}

function render(template: CompiledTemplate, persona: Persona, round: number, n: number): void {
  const data = previewData(template.declared, persona.data) as Record<string, Record<string, unknown> | undefined>;
  const learner = data.learner ?? {};
  const certificate = data.certificate ?? {};
  try {
    renderDocument(template, {
      ...data,
      learner: { ...learner, fullname: `${typeof learner.fullname === 'string' ? learner.fullname : 'Camille Martin'} ${round}` },
      certificate: { ...certificate, code: `WARM-${round}-${n}`, verification_url: `https://attest.example.org/v/WARM-${round}-${n}` },
    });
  } catch {
    // See above: warming up is best effort.
  }
}

const SMALL = `---
name: Warm-up
---
<page><text x="10mm" y="10mm" width="80mm">{{ learner.fullname }}</text></page>`;

/** The light warm-up: one small document, so a replacement worker's modules and fonts are loaded. */
export async function warmUpLight(): Promise<void> {
  try {
    const { template } = await compileTemplate(SMALL);
    if (template) renderDocument(template, personas[0]?.data ?? {});
  } catch {
    // Best effort, as above.
  }
}

/** Documents made of a template a worker has just compiled for issuing, at most, and the time they may take. */
export const TEMPLATE_WARM_UP_DOCUMENTS = 60;
export const TEMPLATE_WARM_UP_MS = 300;
/** Templates a worker warms that way; later ones get one document (the code is hot by then). */
export const FULLY_WARMED_TEMPLATES = 3;
let fullyWarmed = 0;

/**
 * A template a worker has just compiled for issuing: what is particular to it (fonts prepared with its
 * static text, its background page, its static paragraphs laid out) is made by its first document. The
 * worker's first few templates also make the code their elements run hot with the next documents (sample
 * learners, a new name and code each, as in the worker's own warm-up): the start-up warm-up is another
 * template, and V8 optimises a function only after many calls, so without them a fresh worker's first
 * fifty documents took 1.6–3× as long as later ones. Later templates find the code hot: one document.
 * Bounded by count and by time (this thread's clock: it only delays the request that brought the
 * template). `light` (a replacement with jobs waiting, or ATTEST_RENDER_WARM_UP=light): one document.
 */
export function warmUpTemplate(
  template: CompiledTemplate,
  kind: WarmUpKind = 'full',
  limits: { documents?: number; ms?: number } = {},
): { documents: number } {
  const full = kind === 'full' && fullyWarmed < FULLY_WARMED_TEMPLATES;
  if (full) fullyWarmed++;
  const maxDocuments = limits.documents ?? (full ? TEMPLATE_WARM_UP_DOCUMENTS : 1);
  const maxMs = limits.ms ?? TEMPLATE_WARM_UP_MS;
  const pool = samples.length ? samples : personas;
  if (!pool[0] || maxDocuments <= 0) return { documents: 0 };
  const started = performance.now();
  let documents = 0;
  do {
    render(template, pool[documents % pool.length]!, Math.floor(documents / pool.length), documents);
    documents++;
  } while (documents < maxDocuments && performance.now() - started < maxMs);
  return { documents };
}
