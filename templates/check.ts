import type { Diagnostic } from '../variables/diagnostics';
import { personas } from '../variables/personas';
import { previewData } from '../variables/samples';
import type { CompiledTemplate } from './compile';
import { renderDocument } from './render';

/** A problem met while rendering for some sample learners, and which ones (absent: all of them). */
export type TrialDiagnostic = Diagnostic & { persona?: string };

/**
 * A real render of the template with every bundled sample learner (long names, scripts the fonts may
 * lack, empty optional fields): what the static checks cannot see, because markup and layout exist only
 * once data has flowed through the Liquid. `attest check` prints it; publishing refuses a template with an
 * error here, so a version that cannot make a document for a plausible learner is never published.
 */
export function trialRenders(template: CompiledTemplate): TrialDiagnostic[] {
  const found: TrialDiagnostic[] = [];
  for (const persona of personas) {
    const result = renderDocument(template, previewData(template.declared, persona.data), { specimen: false });
    for (const d of result.diagnostics) found.push({ ...d, persona: persona.id });
  }
  return dedupe(found);
}

/**
 * The same problem met by several learners is one diagnostic naming them; a problem every learner meets
 * is the template's own and names nobody.
 */
function dedupe(diagnostics: TrialDiagnostic[]): TrialDiagnostic[] {
  const groups = new Map<string, { d: TrialDiagnostic; who: string[] }>();
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
