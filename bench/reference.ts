import { readFileSync } from 'node:fs';
import { EXAMPLES_DIR, readAssetFile } from '../templates/files';
import { compileTemplate, type CompiledTemplate } from '../templates/compile';
import { findPersona } from '../variables/personas';

/**
 * The reference certificate the render figures are measured on (bench/reference.liquid: one landscape page
 * over a background PDF, two faces, a QR code, six variables) and its learners: a different name and code
 * for each document, so the shaping and QR paths run as they do for real learners.
 */
export async function referenceCertificate(): Promise<{ template: CompiledTemplate; compileMs: number }> {
  const text = readFileSync(new URL('./reference.liquid', import.meta.url), 'utf8');
  const t0 = performance.now();
  // The reference uses the bundled examples' frame, so its assets resolve in templates/examples/.
  const compiled = await compileTemplate(text, { loadAsset: (file) => readAssetFile(EXAMPLES_DIR, file) });
  if (!compiled.template) throw new Error(`the reference certificate does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  return { template: compiled.template, compileMs: performance.now() - t0 };
}

export const FIRST = ['Camille', 'Oliver', 'Nguyễn Thị', 'Αλέξανδρος', 'Дмитрий', 'İlkay', 'Zoë', 'François', 'Søren', 'Chloé'];
export const LAST = [
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
];

/** Learner `i` of the reference: a sample learner with a name and a code of its own. */
export function referenceLearner(i: number): Record<string, Record<string, unknown>> {
  const base = findPersona('oliver-bennett')!.data as Record<string, Record<string, unknown>>;
  return {
    ...base,
    learner: { ...base.learner, firstname: undefined, lastname: undefined, fullname: `${FIRST[i % 10]} ${LAST[(i * 7) % 10]} ${i}` },
    certificate: {
      ...base.certificate,
      code: `BENCH-${String(i).padStart(8, '0')}`,
      verification_url: `https://attest.example.org/v/BENCH-${i}`,
    },
  };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
