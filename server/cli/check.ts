import { compileTemplateFile } from '../../templates/files';
import type { CompileResult } from '../../templates/compile';
import { trialRenders, type TrialDiagnostic } from '../../templates/check';
import { bind } from '../../variables/bind';
import { hasErrors } from '../../variables/diagnostics';
import { CliError, EXIT, printDiagnostics, readJson, type IO } from './output';

/** One template's findings: `file` names it (a path, or for a stored template the tenant and version). */
export interface CheckReport {
  file: string;
  diagnostics: TrialDiagnostic[];
}

/**
 * Everything that can be known about a template before a learner asks for it: the static checks, the
 * binding of the given data, and a real render with every bundled sample learner (long names, scripts the
 * fonts may lack), whose layout warnings are tagged with the learner who caused them. `attest check` runs it
 * on files, `attest template validate` on files and on stored templates.
 */
export function checkCompiled(compiled: CompileResult, opts: { data?: unknown; personas: boolean }): TrialDiagnostic[] {
  const diagnostics: TrialDiagnostic[] = [...compiled.diagnostics];
  const template = compiled.template;
  if (template && !hasErrors(compiled.diagnostics)) {
    if (opts.data !== undefined) diagnostics.push(...bind(template.schema, opts.data).diagnostics);
    if (opts.personas) diagnostics.push(...trialRenders(template));
  }
  return diagnostics;
}

/** Prints the findings (JSON, or `file:line:column` lines and a count per template) and says whether any is an error. */
export function printCheckReports(io: IO, report: readonly CheckReport[], json: boolean | undefined): number {
  const failed = report.some((r) => hasErrors(r.diagnostics));
  if (json) io.out(JSON.stringify(report, null, 2) + '\n');
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

/** The checks of template files, as `attest check` and `attest template validate FILE` run them. */
export async function checkFiles(templatePaths: readonly string[], opts: { data?: string; personas: boolean }): Promise<CheckReport[]> {
  const data = opts.data ? await readJson(opts.data, 'data file') : undefined;
  const report: CheckReport[] = [];
  for (const file of templatePaths) {
    report.push({ file, diagnostics: checkCompiled(await compileTemplateFile(file), { data, personas: opts.personas }) });
  }
  return report;
}

export async function checkCommand(
  templatePaths: string[],
  opts: { data?: string; personas: boolean; json?: boolean },
  io: IO,
): Promise<number> {
  if (templatePaths.length === 0) throw new CliError('name at least one template file', EXIT.usage);
  return printCheckReports(io, await checkFiles(templatePaths, opts), opts.json);
}
