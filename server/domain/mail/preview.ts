import { z } from 'zod';
import type { Language } from '../../../variables/analyzer/index';
import type { Diagnostic } from '../../../variables/diagnostics';
import { findPersona, personas } from '../../../variables/personas';
import { certificateMail, certificateRowOf } from '../../storage/repositories/notifications';
import { requireCapability, type Actor, type Services } from '../context';
import { invalid, notFound, zodProblems } from '../errors';
import { getTenant } from '../tenants';
import {
  DEFAULT_WORDS,
  MAIL_LOCALES,
  readCertificateMail,
  wordsDiagnostics,
  type MailLocale,
  type WordPart,
  type Words,
} from './certificate-mail';
import { MailRenderError, renderWords, type RenderedWords } from './render';

/**
 * What the editor shows while a manager writes a certificate's mail: the analyzer's findings in each part
 * (errors and warnings, in the manager's language) and the message as a sample learner would get it,
 * rendered by the code that sends (render.ts) with a bundled persona's data and the tenant's organisation.
 * Words not given are the saved ones, else the defaults. Nothing is stored, nothing is sent.
 */
export const MailPreviewInput = z
  .object({
    locale: z.enum(MAIL_LOCALES).optional().describe('The language of the message; the tenant’s when absent.'),
    which: z.enum(['document', 'award']).default('document').describe('The learner’s message (document) or the notice of the award.'),
    words: z
      .object({ subject: z.string().max(500), text: z.string().max(20_000), html: z.string().max(100_000).optional() })
      .strict()
      .optional(),
    persona: z.string().max(100).optional().describe('A bundled sample learner (GET /api/v1/personas); the first when absent.'),
    learner: z
      .enum(['none', 'attachment', 'link'])
      .optional()
      .describe('The delivery mode to preview with (mail.link is set in link mode); the saved one when absent.'),
  })
  .strict();
export type MailPreviewInput = z.input<typeof MailPreviewInput>;

export type PartDiagnostic = Diagnostic & { part: WordPart };

export interface MailPreview {
  locale: MailLocale;
  which: 'document' | 'award';
  persona: string;
  words: Words;
  diagnostics: PartDiagnostic[];
  /** Null when a part cannot be rendered (its Liquid does not parse, or fails): the diagnostics say why. */
  rendered: RenderedWords | null;
}

/** The address a preview prints for mail.link: plainly not a real one. */
export const SAMPLE_LINK = 'https://attest.example.org/d/SAMPLE-LINK';

export async function previewCertificateMail(
  services: Services,
  actor: Actor,
  certificateId: string,
  input: unknown,
  language: Language = 'en',
): Promise<MailPreview> {
  requireCapability(actor, 'certificate:view');
  const db = services.storage.db;
  const cert = await certificateRowOf(db, certificateId);
  if (!cert || cert.tenant_id !== actor.tenantId) throw notFound('The certificate', 'CERTIFICATE_NOT_FOUND');
  const parsed = MailPreviewInput.safeParse(input);
  if (!parsed.success) throw invalid('MAIL_SETTINGS_INVALID', 'The preview cannot be made.', zodProblems(parsed.error, '', input));
  const p = parsed.data;
  const persona = p.persona === undefined ? personas[0] : findPersona(p.persona);
  if (!persona) throw invalid('PERSONA_UNKNOWN', `No sample learner "${p.persona}"; known: ${personas.map((x) => x.id).join(', ')}.`);
  const tenant = await getTenant(db, actor.tenantId);
  const settings = readCertificateMail((await certificateMail(db, certificateId))?.settings);
  const locale = p.locale ?? tenant.settings.locale;
  const words: Words = p.words ?? settings.templates[locale]?.[p.which] ?? DEFAULT_WORDS[locale][p.which];
  const diagnostics: PartDiagnostic[] = wordsDiagnostics(words, language).map(({ part, diagnostic }) => ({ ...diagnostic, part }));
  const mode = p.learner ?? settings.learner;
  const data: Record<string, unknown> = {
    ...persona.data,
    organization: { ...tenant.settings.organization },
    ...(p.which === 'document' && mode === 'link' ? { mail: { link: SAMPLE_LINK } } : {}),
  };
  let rendered: RenderedWords | null = null;
  if (!diagnostics.some((d) => d.severity === 'error' && d.code.startsWith('LIQUID_'))) {
    try {
      rendered = renderWords(words, data, locale);
    } catch (e) {
      if (!(e instanceof MailRenderError)) throw e;
      for (const d of e.diagnostics) diagnostics.push({ ...d, part: e.part });
    }
  }
  return { locale, which: p.which, persona: persona.id, words, diagnostics, rendered };
}
