import { writeFile } from 'node:fs/promises';
import { compileTemplateFile } from '../../templates/files';
import { renderDocument } from '../../templates/render';
import { findPersona, personas, type Persona } from '../../variables/personas';
import { previewData } from '../../variables/samples';
import { hasErrors } from '../../variables/diagnostics';
import { CliError, EXIT, printDiagnostics, readJson, type IO } from './output';

export async function renderCommand(
  templatePath: string,
  opts: { data?: string; persona?: string; out: string; specimen?: boolean; json?: boolean },
  io: IO,
): Promise<number> {
  if (opts.data && opts.persona) throw new CliError('give either --data or --persona, not both', EXIT.usage);
  let data: unknown;
  let persona: Persona | undefined;
  if (opts.data) data = await readJson(opts.data, 'data file');
  else if (opts.persona) {
    persona = findPersona(opts.persona);
    if (!persona) throw new CliError(`no sample learner "${opts.persona}"; there are: ${personas.map((p) => p.id).join(', ')}`, EXIT.usage);
  } else throw new CliError('give the learner data with --data FILE.json or a sample learner with --persona ID', EXIT.usage);

  const started = performance.now();
  const compiled = await compileTemplateFile(templatePath);
  if (!compiled.template || hasErrors(compiled.diagnostics)) {
    report(io, opts.json, templatePath, compiled.diagnostics);
    return compiled.diagnostics.some((d) => d.code === 'SOURCE_UNREADABLE') ? EXIT.io : EXIT.invalid;
  }
  if (persona) data = previewData(compiled.template.declared, persona.data);
  const result = renderDocument(compiled.template, data, { specimen: opts.specimen ?? false });
  const diagnostics = [...compiled.diagnostics, ...result.diagnostics];
  if (!result.pdf) {
    report(io, opts.json, templatePath, diagnostics);
    return EXIT.invalid;
  }
  try {
    await writeFile(opts.out, result.pdf);
  } catch (e) {
    throw new CliError(`cannot write "${opts.out}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.io);
  }
  const ms = performance.now() - started;
  if (opts.json) {
    io.out(JSON.stringify({ ok: true, out: opts.out, pages: result.pageCount, bytes: result.pdf.length, diagnostics }, null, 2) + '\n');
  } else {
    printDiagnostics(io, diagnostics, templatePath);
    io.out(
      `wrote ${opts.out} (${result.pageCount} page${result.pageCount === 1 ? '' : 's'}, ${Math.round(result.pdf.length / 1024)} KB) in ${ms.toFixed(0)} ms\n`,
    );
  }
  return EXIT.ok;
}

function report(io: IO, json: boolean | undefined, file: string, diagnostics: Parameters<typeof printDiagnostics>[1]): void {
  if (json) io.out(JSON.stringify({ ok: false, diagnostics }, null, 2) + '\n');
  else printDiagnostics(io, diagnostics, file);
}
