import { compileTemplateFile } from '../../templates/files';
import { trialRenders, type TrialDiagnostic } from '../../templates/check';
import { bind } from '../../variables/bind';
import { hasErrors } from '../../variables/diagnostics';
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
  const report: { file: string; diagnostics: TrialDiagnostic[] }[] = [];
  for (const file of templatePaths) {
    const diagnostics: TrialDiagnostic[] = [];
    const compiled = await compileTemplateFile(file);
    diagnostics.push(...compiled.diagnostics);
    const template = compiled.template;
    if (template && !hasErrors(compiled.diagnostics)) {
      if (data !== undefined) diagnostics.push(...bind(template.schema, data).diagnostics);
      if (opts.personas) diagnostics.push(...trialRenders(template));
    }
    report.push({ file, diagnostics });
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
