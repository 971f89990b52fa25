import type { Reason } from './errors';

type Locale = 'fr' | 'en';

/** Certificate names quoted and listed as each language does: “A” and “B”, « A » ou « B ». */
function nameList(locale: Locale, mode: 'all' | 'any', names: readonly string[]): string {
  const quoted = names.map((n) => (locale === 'fr' ? `« ${n} »` : `“${n}”`));
  return new Intl.ListFormat(locale, { type: mode === 'any' ? 'disjunction' : 'conjunction' }).format(quoted);
}

/**
 * Why a document is refused or withheld: stable codes the LMS matches on, and sentences in the tenant's
 * language that it can show the learner as they are.
 */
const MESSAGES = {
  LEARNER_RECORD_MISSING: {
    en: () =>
      'Attest holds no record of this learner for this certificate: the LMS has not sent their completion, grade and course yet, and no manager has entered them.',
    fr: () =>
      'Attest ne détient aucun dossier de cet apprenant pour ce certificat : la plateforme n’a pas encore transmis son achèvement, sa note et son cours, et aucun responsable ne les a saisis.',
  },
  COURSE_NOT_COMPLETED: {
    en: () => 'The course is not completed yet.',
    fr: () => 'Le cours n’est pas encore achevé.',
  },
  NOT_AVAILABLE: {
    en: (why?: string) => `This certificate is not available to the learner${why ? ` (${why})` : ''}.`,
    fr: (why?: string) => `Ce certificat n’est pas accessible à l’apprenant${why ? ` (${why})` : ''}.`,
  },
  GRADE_MISSING: {
    en: () => 'A minimum grade is required and the course grade is not known.',
    fr: () => 'Une note minimale est exigée et la note du cours n’est pas connue.',
  },
  GRADE_TOO_LOW: {
    en: (got?: string, need?: string) => `The course grade (${got} %) is below the required ${need} %.`,
    fr: (got?: string, need?: string) => `La note du cours (${got} %) est inférieure aux ${need} % exigés.`,
  },
  TIME_SPENT_MISSING: {
    en: () => 'A minimum time spent is required and the time spent in the course is not known.',
    fr: () => 'Un temps minimal est exigé et le temps passé dans le cours n’est pas connu.',
  },
  TIME_SPENT_TOO_SHORT: {
    en: (got?: string, need?: string) => `Time spent in the course (${got} min) is below the required ${need} min.`,
    fr: (got?: string, need?: string) => `Le temps passé dans le cours (${got} min) est inférieur aux ${need} min exigées.`,
  },
  WINDOW_NOT_OPEN: {
    en: (from?: string) => `Documents can be issued from ${from}.`,
    fr: (from?: string) => `Les documents peuvent être délivrés à partir du ${from}.`,
  },
  WINDOW_CLOSED: {
    en: (until?: string) => `Documents could be issued until ${until}.`,
    fr: (until?: string) => `Les documents pouvaient être délivrés jusqu’au ${until}.`,
  },
  // Prerequisites (issue 15): the learner must hold other certificates first.
  PREREQUISITE_MISSING: {
    en: (mode?: string, ...names: string[]) =>
      mode === 'any'
        ? `This certificate requires holding one of these certificates first: ${nameList('en', 'any', names)}.`
        : `This certificate requires holding these certificates first: ${nameList('en', 'all', names)}.`,
    fr: (mode?: string, ...names: string[]) =>
      mode === 'any'
        ? `Ce certificat exige d’avoir obtenu d’abord l’un de ces certificats : ${nameList('fr', 'any', names)}.`
        : `Ce certificat exige d’avoir obtenu d’abord ces certificats : ${nameList('fr', 'all', names)}.`,
  },
  DOCUMENT_LOCKED: {
    en: () => 'The document is issued but locked: it will be available once the lock is lifted (for example after payment).',
    fr: () => 'Le document est délivré mais verrouillé : il sera disponible une fois le verrou levé (par exemple après paiement).',
  },
  DOCUMENT_REVOKED: {
    en: () => 'The document has been revoked.',
    fr: () => 'Le document a été révoqué.',
  },
  STAFF_DELIVERY_ONLY: {
    en: () => 'This document is handed out by staff only.',
    fr: () => 'Ce document est remis uniquement par l’équipe.',
  },
  RETRIEVE_OWN_MISSING: {
    en: () => 'You may see the state of your document but not retrieve it.',
    fr: () => 'Vous pouvez voir l’état de votre document mais pas le récupérer.',
  },
} as const satisfies Record<string, Record<Locale, (...args: string[]) => string>>;

export type ReasonCode = keyof typeof MESSAGES;

export const REASON_CODES = Object.keys(MESSAGES) as ReasonCode[];

/** The sentences by code, for the error catalogue (domain/error-codes.ts), which renders them per caller. */
export const REASON_MESSAGES = MESSAGES as Record<ReasonCode, Record<Locale, (...args: string[]) => string>>;

/**
 * A reason in the tenant's language. Its values ride along, unlisted (not sent, not stored), so the HTTP
 * edge can say it again in the caller's language.
 */
export function reason(locale: Locale, code: ReasonCode, ...args: string[]): Reason {
  const r: Reason = { code, message: REASON_MESSAGES[code][locale](...args) };
  Object.defineProperty(r, 'args', { value: args, enumerable: false });
  return r;
}

/** The values a reason was made with, when it was made in this process. */
export const reasonArgs = (r: Reason): readonly string[] | undefined => (r as { args?: readonly string[] }).args;
