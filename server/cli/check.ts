import { compileTemplateFile } from '../../templates/files';
import { renderDocument } from '../../templates/render';
import { bind } from '../../variables/bind';
import { personas } from '../../variables/personas';
import { previewData } from '../../variables/samples';
import { hasErrors, type Diagnostic } from '../../variables/diagnostics';
import { CliError, EXIT, printDiagnostics, readJson, type IO } from './output';

/**
 * Everything that can be known about a template before a learner asks for it: the static checks, the
 * binding of the given data, and a real render with every bundled sample learner (long names, scripts the
 * fonts may lack), whose layout warnings are tagged with the learner who caused them.
 */
export async function checkCommand(
  templatePaths: string[],
  opts: { data?: string; personas: boolean; json?: boolean },
  io: IO,
): Promise<number> {
  if (templatePaths.length === 0) throw new CliError('name at least one template file', EXIT.usage);
  const data = opts.data ? await readJson(opts.data, 'data file') : undefined;
  const report: { file: string; diagnostics: (Diagnostic & { persona?: string })[] }[] = [];
  for (const file of templatePaths) {
    const diagnostics: (Diagnostic & { persona?: string })[] = [];
    const compiled = await compileTemplateFile(file);
    diagnostics.push(...compiled.diagnostics);
    const template = compiled.template;
    if (template && !hasErrors(compiled.diagnostics)) {
      if (data !== undefined) diagnostics.push(...bind(template.schema, data).diagnostics);
      if (opts.personas) {
        for (const persona of personas) {
          const result = renderDocument(template, previewData(template.declared, persona.data), { specimen: false });
          for (const d of result.diagnostics) diagnostics.push({ ...d, persona: persona.id });
        }
      }
    }
    report.push({ file, diagnostics: dedupe(diagnostics) });
  }
  const failed = report.some((r) => hasErrors(r.diagnostics));
  if (opts.json) io.out(JSON.stringify(report, null, 2) + '\n');
  else {
    for (const r of report) {
      printDiagnostics(io, r.diagnostics, r.file);
      const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = r.diagnostics.filter((d) => d.severity === 'warning').length;
      io.out(`${r.file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
    }
  }
  return failed ? EXIT.invalid : EXIT.ok;
}

/**
 * The same problem reported by several learners is one line naming them; a problem every learner meets is
 * the template's own and names nobody.
 */
function dedupe(diagnostics: (Diagnostic & { persona?: string })[]): (Diagnostic & { persona?: string })[] {
  const groups = new Map<string, { d: Diagnostic & { persona?: string }; who: string[] }>();
  for (const d of diagnostics) {
    const key = `${d.code}|${d.range?.start.line}:${d.range?.start.column}|${d.path ?? ''}|${d.message}`;
    const group = groups.get(key);
    if (group) {
      if (d.persona) group.who.push(d.persona);
    } else groups.set(key, { d, who: d.persona ? [d.persona] : [] });
  }
  return [...groups.values()].map(({ d, who }) => {
    if (who.length === 0 || who.length === personas.length) {
      const { persona: _everyone, ...rest } = d;
      return rest;
    }
    return { ...d, message: `[${who.join(', ')}] ${d.message}` };
  });
}
