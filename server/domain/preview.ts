import { previewData } from '../../variables/samples';
import { findPersona, personas } from '../../variables/personas';
import type { Diagnostic } from '../../variables/diagnostics';
import { requireCapability, type Actor, type Services } from './context';
import { invalid } from './errors';
import { issueDataForPreview } from './issues';
import { draftPayload, findVersion, poolDiagnostics, versionPayload } from './templates';
import { sha256Hex } from './hashing';
import { getTenant } from './tenants';
import type { DrawnBox } from '../../templates/layout/boxes';
import { contractOfText } from '../../templates/source/contract';
import type { Locale } from './error-codes';

/**
 * Previews: any template version (or the draft, or a source being typed) with sample data, a persona,
 * the designer's own JSON or a real issue's data. Always marked SPECIMEN, never stored.
 */
export interface PreviewInput {
  templateId?: string;
  /** A published version number; the draft when absent. */
  version?: number;
  /** A source being edited, not yet saved (the editor's live preview); assets are the template's. */
  source?: string;
  persona?: string;
  data?: Record<string, unknown>;
  /** Preview with a real issue's data: withheld like the document when locked or revoked. */
  issue?: string;
  /** The language of the diagnostics: the caller's interface (English when absent). */
  language?: Locale;
}

export interface Preview {
  pdf?: Uint8Array;
  pageCount: number;
  diagnostics: Diagnostic[];
  boxes: DrawnBox[];
}

export async function previewTemplate(services: Services, actor: Actor, input: PreviewInput): Promise<Preview> {
  requireCapability(actor, 'templates:preview');
  const given = [input.persona !== undefined, input.data !== undefined, input.issue !== undefined].filter(Boolean).length;
  if (given > 1) throw invalid('PREVIEW_DATA_AMBIGUOUS', 'Give at most one of persona, data and issue.');
  let key: string;
  let source: string;
  let assets: Record<string, Uint8Array> = {};
  if (input.templateId !== undefined && input.version !== undefined) {
    const version = await findVersion(services, actor, input.templateId, input.version);
    ({ key, source, assets } = await versionPayload(services.storage.db, version));
  } else if (input.templateId !== undefined) {
    const draft = await draftPayload(services, actor, input.templateId);
    assets = draft.assets;
    source = input.source ?? draft.source;
    key = input.source === undefined ? draft.key : `edit:${sha256Hex(source)}:${draft.key}`;
  } else if (input.source !== undefined) {
    source = input.source;
    key = `edit:${sha256Hex(source)}`;
  } else throw invalid('PREVIEW_TEMPLATE_REQUIRED', 'Name a template (templateId, optionally version) or give a source.');

  let data: Record<string, unknown>;
  if (input.issue !== undefined) data = await issueDataForPreview(services, actor, input.issue);
  else if (input.data !== undefined) data = input.data;
  else {
    const persona = input.persona === undefined ? personas[0] : findPersona(input.persona);
    if (!persona) throw invalid('PERSONA_UNKNOWN', `No sample learner "${input.persona}"; known: ${personas.map((p) => p.id).join(', ')}.`);
    data = persona.data;
  }
  // A specimen says what the document will: the organisation is the tenant's, as on every issued one (a
  // real issue's data already carries the tenant's organisation of its day).
  if (input.issue === undefined)
    data = { ...data, organization: { ...(await getTenant(services.storage.db, actor.tenantId)).settings.organization } };
  data = previewData(contractOfText(source)?.declared ?? {}, data);
  const answer = await services.renderer.render({
    lane: 'preview',
    tenantId: actor.tenantId,
    templateKey: key,
    template: { source, assets },
    data,
    specimen: true,
    ...(input.language ? { language: input.language } : {}),
  });
  const diagnostics = poolDiagnostics(answer);
  return { ...(answer.pdf ? { pdf: answer.pdf } : {}), pageCount: answer.pageCount, diagnostics, boxes: answer.boxes ?? [] };
}
