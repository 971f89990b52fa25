import type { Diagnostic } from '../variables/diagnostics';
import { personas } from '../variables/personas';
import { previewData } from '../variables/samples';
import type { CompiledTemplate } from './compile';
import { MARKUP_CODES, type MarkupDocument } from './markup';
import { prepareMarkup, renderDocument } from './render';

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
    const data = previewData(template.declared, persona.data);
    const result = renderDocument(template, data, { specimen: false });
    for (const d of result.diagnostics) found.push({ ...d, persona: persona.id });
    if (result.pdf) found.push(...archivalTrial(template, data).map((d) => ({ ...d, persona: persona.id })));
    if (result.data) {
      const prepared = prepareMarkup(template, result.data, []);
      if (prepared) for (const d of accessibilityWarnings(prepared.document)) found.push({ ...d, persona: persona.id });
    }
  }
  return dedupe(found);
}

/**
 * What would stop this learner's document being PDF/A-3b (a background with fonts not embedded, a CMYK
 * image, a character no font covers), as a warning: archival is a certificate's setting, so the template
 * is publishable, and the designer learns now what a certificate asking for PDF/A would refuse.
 */
function archivalTrial(template: CompiledTemplate, data: Record<string, unknown>): Diagnostic[] {
  const archival = renderDocument(template, data, { specimen: false, archival: true });
  return archival.diagnostics
    .filter((d) => d.code.startsWith('ARCHIVAL_'))
    .map((d) => ({ ...d, severity: 'warning' as const, message: `As PDF/A (a certificate's archival setting): ${d.message}` }));
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

/**
 * What a tagged document would lack: an informative image without `alt` is a figure a screen reader can
 * only call "image". `alt=""` says the image is decoration (it becomes an artifact) and is not warned about.
 */
export function accessibilityWarnings(document: MarkupDocument): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const page of document.pages)
    for (const el of page.elements) {
      if (el.kind !== 'image' || el.alt !== undefined) continue;
      const d: Diagnostic = {
        stage: 'markup',
        code: MARKUP_CODES.altMissing,
        severity: 'warning',
        message: `The image "${el.src.startsWith('data:') ? 'from the data' : el.src}" has no alt text: say what it shows with alt="…" (a screen reader reads it in a tagged document), or alt="" if it is decoration.`,
      };
      if (el.range) d.range = el.range;
      found.push(d);
    }
  return found;
}
