import { z } from 'zod';
import { analyzeTemplate, type Language } from '../../../variables/analyzer/index';
import type { Diagnostic } from '../../../variables/diagnostics';
import { catalogue } from '../../../variables/catalogue';
import type { Schema } from '../../../variables/types';
import { inTransaction } from '../../storage/db';
import { certificateMail, certificateRowOf, saveCertificateMail } from '../../storage/repositories/notifications';
import { iso, recordAudit, requireCapability, type Actor, type Services } from '../context';
import { invalid, notFound, zodProblems, type Problem } from '../errors';

/**
 * Per certificate: whether the learner gets the document by mail (attached, or as a signed link), whether
 * the teachers (people printed as teachers) and listed addresses are told it was awarded, and the words
 * of both messages per language. Subject, text and HTML are Liquid over the catalogue's typed variables
 * plus `mail.link` (the signed link, in link mode), checked by the template analyzer when saved and bound
 * like a document's data when sent.
 */
export const MAIL_LOCALES = ['fr', 'en'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

const Words = z
  .object({
    subject: z.string().min(1).max(500),
    text: z.string().min(1).max(20_000),
    html: z.string().max(100_000).optional(),
  })
  .strict();
export type Words = z.infer<typeof Words>;

const Messages = z
  .object({
    document: Words.optional(),
    award: Words.optional(),
    /** The expiry reminder to the learner, and to their managers (reminders.ts). */
    reminder: Words.optional(),
    manager_reminder: Words.optional(),
  })
  .strict();

/** The messages a certificate has words for. */
export type MessageKind = 'document' | 'award' | 'reminder' | 'manager_reminder';

export const CertificateMail = z
  .object({
    learner: z
      .enum(['none', 'attachment', 'link'])
      .default('none')
      .describe('Mail the document to the learner: attached, as a signed link, or not.'),
    teachers: z.boolean().default(false).describe('Tell the people printed as teachers that a document was awarded ("email teachers").'),
    others: z.array(z.email().max(300)).max(20).default([]).describe('Other addresses told that a document was awarded ("email others").'),
    templates: z.partialRecord(z.enum(MAIL_LOCALES), Messages).default({}).describe('Words per language; the defaults otherwise.'),
  })
  .strict();
export type CertificateMail = z.infer<typeof CertificateMail>;

/** What a mail template may use: the catalogue, and the mail's own values. */
export const MAIL_SCHEMA: Schema = {
  ...catalogue,
  mail: {
    type: {
      kind: 'object',
      fields: {
        link: {
          type: { kind: 'url' },
          required: false,
          description: { en: 'The signed download link (link mode).', fr: 'Le lien de téléchargement signé (mode lien).' },
        },
        days_left: {
          type: { kind: 'integer' },
          required: false,
          description: {
            en: 'In an expiry reminder: the days left until the document expires (0: it expires today).',
            fr: 'Dans un rappel d’échéance : les jours restant avant que le document expire (0 : il expire aujourd’hui).',
          },
        },
      },
    },
    required: false,
    description: { en: 'The message itself.', fr: 'Le message lui-même.' },
  },
};

export const DEFAULT_WORDS: Record<MailLocale, Record<MessageKind, Words>> = {
  fr: {
    document: {
      subject: 'Votre attestation : {{ course.fullname | default: certificate.name | default: "formation" }}',
      text: 'Bonjour {{ learner.fullname }},\n\nVoici votre attestation{% if course.fullname %} pour « {{ course.fullname }} »{% endif %}.{% if mail.link %}\nTéléchargez-la ici : {{ mail.link }}{% else %} Elle est jointe à ce message.{% endif %}\n\nCode de vérification : {{ certificate.code | default: "" }}\n\n{{ organization.name }}',
      html: '<p>Bonjour {{ learner.fullname }},</p><p>Voici votre attestation{% if course.fullname %} pour « {{ course.fullname }} »{% endif %}.{% if mail.link %} <a href="{{ mail.link }}">Téléchargez-la ici</a>.{% else %} Elle est jointe à ce message.{% endif %}</p><p>Code de vérification : {{ certificate.code | default: "" }}</p><p>{{ organization.name }}</p>',
    },
    award: {
      subject: 'Attestation délivrée à {{ learner.fullname }}',
      text: 'Une attestation{% if course.fullname %} pour « {{ course.fullname }} »{% endif %} a été délivrée à {{ learner.fullname }} (code {{ certificate.code | default: "" }}).\n\n{{ organization.name }}',
      html: '<p>Une attestation{% if course.fullname %} pour « {{ course.fullname }} »{% endif %} a été délivrée à {{ learner.fullname }} (code {{ certificate.code | default: "" }}).</p><p>{{ organization.name }}</p>',
    },
    reminder: {
      subject: 'Votre attestation expire le {{ certificate.expires | date }}',
      text: 'Bonjour {{ learner.fullname }},\n\nVotre attestation{% if course.fullname %} pour « {{ course.fullname }} »{% endif %} (code {{ certificate.code | default: "" }}) expire le {{ certificate.expires | date }}, dans {{ mail.days_left | default: 0 }} jour(s). Pensez à renouveler la formation à temps.\n\n{{ organization.name }}',
    },
    manager_reminder: {
      subject: 'L’attestation de {{ learner.fullname }} expire le {{ certificate.expires | date }}',
      text: 'Bonjour,\n\nL’attestation{% if course.fullname %} « {{ course.fullname }} »{% endif %} de {{ learner.fullname }} (code {{ certificate.code | default: "" }}) expire le {{ certificate.expires | date }}, dans {{ mail.days_left | default: 0 }} jour(s).\n\n{{ organization.name }}',
    },
  },
  en: {
    document: {
      subject: 'Your certificate: {{ course.fullname | default: certificate.name | default: "training" }}',
      text: 'Hello {{ learner.fullname }},\n\nHere is your certificate{% if course.fullname %} for "{{ course.fullname }}"{% endif %}.{% if mail.link %}\nDownload it here: {{ mail.link }}{% else %} It is attached to this message.{% endif %}\n\nVerification code: {{ certificate.code | default: "" }}\n\n{{ organization.name }}',
      html: '<p>Hello {{ learner.fullname }},</p><p>Here is your certificate{% if course.fullname %} for "{{ course.fullname }}"{% endif %}.{% if mail.link %} <a href="{{ mail.link }}">Download it here</a>.{% else %} It is attached to this message.{% endif %}</p><p>Verification code: {{ certificate.code | default: "" }}</p><p>{{ organization.name }}</p>',
    },
    award: {
      subject: 'Certificate awarded to {{ learner.fullname }}',
      text: 'A certificate{% if course.fullname %} for "{{ course.fullname }}"{% endif %} was awarded to {{ learner.fullname }} (code {{ certificate.code | default: "" }}).\n\n{{ organization.name }}',
      html: '<p>A certificate{% if course.fullname %} for "{{ course.fullname }}"{% endif %} was awarded to {{ learner.fullname }} (code {{ certificate.code | default: "" }}).</p><p>{{ organization.name }}</p>',
    },
    reminder: {
      subject: 'Your certificate expires on {{ certificate.expires | date }}',
      text: 'Hello {{ learner.fullname }},\n\nYour certificate{% if course.fullname %} for "{{ course.fullname }}"{% endif %} (code {{ certificate.code | default: "" }}) expires on {{ certificate.expires | date }}, in {{ mail.days_left | default: 0 }} day(s). Remember to renew the training in time.\n\n{{ organization.name }}',
    },
    manager_reminder: {
      subject: 'The certificate of {{ learner.fullname }} expires on {{ certificate.expires | date }}',
      text: 'Hello,\n\nThe certificate{% if course.fullname %} "{{ course.fullname }}"{% endif %} of {{ learner.fullname }} (code {{ certificate.code | default: "" }}) expires on {{ certificate.expires | date }}, in {{ mail.days_left | default: 0 }} day(s).\n\n{{ organization.name }}',
    },
  },
};

export const WORD_PARTS = ['subject', 'text', 'html'] as const;
export type WordPart = (typeof WORD_PARTS)[number];

/** Every finding of the template analyzer (errors and warnings) in each part of a set of words, in the caller's language. */
export function wordsDiagnostics(words: Partial<Words>, language: Language = 'en'): { part: WordPart; diagnostic: Diagnostic }[] {
  const out: { part: WordPart; diagnostic: Diagnostic }[] = [];
  for (const part of WORD_PARTS) {
    const body = words[part];
    if (body === undefined) continue;
    for (const diagnostic of analyzeTemplate({ body, bodyStart: { line: 1, column: 1 }, schema: MAIL_SCHEMA, language }))
      out.push({ part, diagnostic });
  }
  return out;
}

/** The analyzer's errors in a set of words, as problems at their paths (warnings do not stop a save). */
export function wordsProblems(words: Words, path: string): Problem[] {
  return wordsDiagnostics(words)
    .filter(({ diagnostic: d }) => d.severity === 'error')
    .map(({ part, diagnostic: d }) => ({
      path: `${path}.${part}`,
      code: 'TEMPLATE_INVALID',
      message: `${d.message}${d.range ? ` (line ${d.range.start.line}, column ${d.range.start.column})` : ''}`,
      params: { detail: d.message, diagnostic: d.code },
    }));
}

export async function getCertificateMail(services: Services, actor: Actor, certificateId: string): Promise<CertificateMail> {
  requireCapability(actor, 'certificate:view');
  const db = services.storage.db;
  const cert = await certificateRowOf(db, certificateId);
  if (!cert || cert.tenant_id !== actor.tenantId) throw notFound('The certificate', 'CERTIFICATE_NOT_FOUND');
  return readCertificateMail((await certificateMail(db, certificateId))?.settings);
}

export function readCertificateMail(json: string | undefined): CertificateMail {
  return CertificateMail.parse(json ? JSON.parse(json) : {});
}

export async function setCertificateMail(
  services: Services,
  actor: Actor,
  certificateId: string,
  input: unknown,
): Promise<CertificateMail> {
  requireCapability(actor, 'certificate:add');
  const db = services.storage.db;
  const cert = await certificateRowOf(db, certificateId);
  if (!cert || cert.tenant_id !== actor.tenantId) throw notFound('The certificate', 'CERTIFICATE_NOT_FOUND');
  const parsed = CertificateMail.safeParse(input);
  if (!parsed.success) throw invalid('MAIL_SETTINGS_INVALID', 'The mail settings cannot be saved.', zodProblems(parsed.error, '', input));
  const settings = parsed.data;
  const problems = Object.entries(settings.templates).flatMap(([locale, messages]) =>
    Object.entries(messages ?? {}).flatMap(([which, words]) => (words ? wordsProblems(words, `templates.${locale}.${which}`) : [])),
  );
  if (problems.length) throw invalid('MAIL_SETTINGS_INVALID', 'The mail settings cannot be saved.', problems);
  const at = iso(services.now());
  await inTransaction(db, async (trx) => {
    await saveCertificateMail(trx, { certificate_id: certificateId, settings: JSON.stringify(settings), updated_at: at });
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'certificate',
      subjectId: certificateId,
      action: 'mail-settings-changed',
      actor,
      at,
      details: { learner: settings.learner, teachers: settings.teachers, others: settings.others.length },
    });
  });
  return settings;
}
