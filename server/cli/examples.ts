import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { bundledExamples, compileTemplateFile } from '../../templates/files';
import { renderDocument } from '../../templates/render';
import { personas } from '../../variables/personas';
import { previewData } from '../../variables/samples';
import { hasErrors } from '../../variables/diagnostics';
import { CliError, EXIT, printDiagnostics, type IO } from './output';

/** Renders every bundled example with every sample learner: the quickest way to see what Attest makes. */
export async function examplesCommand(opts: { out: string }, io: IO): Promise<number> {
  const outDir = resolve(opts.out);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    throw new CliError(`cannot create "${outDir}": ${(e as Error).message}`, EXIT.io);
  }
  let failed = false;
  for (const file of bundledExamples()) {
    const name = basename(file, '.liquid');
    const compiled = await compileTemplateFile(file);
    if (!compiled.template || hasErrors(compiled.diagnostics)) {
      printDiagnostics(io, compiled.diagnostics, file);
      failed = true;
      continue;
    }
    await mkdir(join(outDir, name), { recursive: true });
    let written = 0;
    const started = performance.now();
    for (const persona of personas) {
      const result = renderDocument(compiled.template, previewData(compiled.template.declared, persona.data), { specimen: false });
      if (!result.pdf) {
        printDiagnostics(io, result.diagnostics, `${file} [${persona.id}]`);
        failed = true;
        continue;
      }
      await writeFile(join(outDir, name, `${persona.id}.pdf`), result.pdf);
      written++;
    }
    io.out(`${name}: ${written} PDFs in ${join(opts.out, name)}/ (${(performance.now() - started).toFixed(0)} ms)\n`);
  }
  io.out(`Open the PDFs in ${outDir} to see each example with each sample learner.\n`);
  return failed ? EXIT.invalid : EXIT.ok;
}
