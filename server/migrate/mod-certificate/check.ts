import { compileTemplate, type CompiledTemplate } from '../../../templates/compile';
import { trialRenders, type TrialDiagnostic } from '../../../templates/check';
import { hasErrors } from '../../../variables/diagnostics';
import type { MigratedTemplate } from './template';

/**
 * What `attest check` does to a template file, done to a migrated template in memory: compile it with its
 * assets (front matter, Liquid, types, markup vocabulary, fonts, images) and, when that succeeds, render it
 * for every bundled sample learner. A migration imports a template only when this finds no error.
 */
export async function checkMigratedTemplate(
  migrated: MigratedTemplate,
): Promise<{ template?: CompiledTemplate; diagnostics: TrialDiagnostic[] }> {
  const compiled = await compileTemplate(migrated.source, { loadAsset: (file) => migrated.assets[file]?.bytes });
  const diagnostics: TrialDiagnostic[] = [...compiled.diagnostics];
  if (!compiled.template || hasErrors(compiled.diagnostics)) return { diagnostics };
  diagnostics.push(...trialRenders(compiled.template));
  return { template: compiled.template, diagnostics };
}
