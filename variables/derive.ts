import type { BoundData, BoundValue, LocalizedText } from './types';

/**
 * Values Attest fills in when the data leaves them out, so templates and LMSs never compute them twice.
 * This is the one place they are defined; bind() applies them after checking types and before deciding
 * what is missing, so a payload with only first and last names has a fullname. A derivation never
 * overwrites a value that was sent.
 */
export interface DeriveOptions {
  /** Language of country names (`learner.country_name`); English unless told. */
  locale?: string;
  /** Makes `certificate.verification_url` from the code when the data has none. */
  verificationUrl?: (code: string) => string;
}

export interface Derivation {
  path: string;
  /** Paths whose value is enough for the derivation to give one (the JSON Schema lets them replace it). */
  fromAny: string[];
  description: LocalizedText;
  apply(data: BoundData, options: DeriveOptions): void;
}

type Obj = { [key: string]: BoundValue };

const obj = (v: BoundValue | undefined): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
const num = (v: BoundValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
/** True when the schema has the field (bound objects hold every declared key) and no value was sent. */
const empty = (o: Obj, key: string): boolean => Object.hasOwn(o, key) && o[key] === null;
const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function fillPercent(g: Obj): void {
  const value = num(g.value);
  const max = num(g.max);
  if (empty(g, 'percent') && value !== undefined && max !== undefined && max > 0) g.percent = round((value / max) * 100);
}

const regionNames = new Map<string, Intl.DisplayNames | null>();
function countryName(code: string, locale: string): string | undefined {
  let names = regionNames.get(locale);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([locale, 'en'], { type: 'region', fallback: 'none' });
    } catch {
      names = null;
    }
    regionNames.set(locale, names);
  }
  if (!names || !/^[A-Za-z]{2}$/.test(code)) return undefined;
  return names.of(code.toUpperCase());
}

export const derivations: readonly Derivation[] = [
  {
    path: 'learner.fullname',
    fromAny: ['learner.firstname', 'learner.lastname'],
    description: { en: 'firstname and lastname joined by a space.', fr: 'prénom et nom séparés par une espace.' },
    apply(data) {
      const l = obj(data.learner);
      if (!l || !empty(l, 'fullname')) return;
      const parts = [l.firstname, l.lastname].filter((p): p is string => typeof p === 'string');
      if (parts.length > 0) l.fullname = parts.join(' ');
    },
  },
  {
    path: 'learner.country_name',
    fromAny: ['learner.country'],
    description: {
      en: 'the name of the country code, in the template’s language (Intl.DisplayNames).',
      fr: 'le nom du pays du code, dans la langue du modèle (Intl.DisplayNames).',
    },
    apply(data, options) {
      const l = obj(data.learner);
      if (!l || !empty(l, 'country_name') || typeof l.country !== 'string') return;
      const name = countryName(l.country, options.locale ?? 'en');
      if (name) l.country_name = name;
    },
  },
  {
    path: 'grade.percent',
    fromAny: [],
    description: { en: 'value / max × 100, when max is above 0.', fr: 'value / max × 100, si max est supérieur à 0.' },
    apply(data) {
      const g = obj(data.grade);
      if (g) fillPercent(g);
    },
  },
  {
    path: 'grade.passed',
    fromAny: [],
    description: { en: 'value ≥ pass, when both are known.', fr: 'value ≥ pass, si les deux sont connus.' },
    apply(data) {
      const g = obj(data.grade);
      const value = num(g?.value);
      const pass = num(g?.pass);
      if (g && empty(g, 'passed') && value !== undefined && pass !== undefined) g.passed = value >= pass;
    },
  },
  {
    path: 'grade.activities.*.percent',
    fromAny: [],
    description: { en: 'value / max × 100 for each activity.', fr: 'value / max × 100 pour chaque activité.' },
    apply(data) {
      const activities = obj(obj(data.grade)?.activities);
      if (!activities) return;
      for (const key in activities) {
        const a = obj(activities[key]);
        if (a) fillPercent(a);
      }
    },
  },
  {
    path: 'completion.completed',
    fromAny: [],
    description: { en: 'true when a completion date is given.', fr: 'vrai si une date d’achèvement est donnée.' },
    apply(data) {
      const c = obj(data.completion);
      if (c && empty(c, 'completed') && typeof c.date === 'string') c.completed = true;
    },
  },
  {
    path: 'credit_hours',
    fromAny: [],
    description: {
      en: 'learner.credit_hours, else certificate.credit_hours.',
      fr: 'learner.credit_hours, sinon certificate.credit_hours.',
    },
    apply(data) {
      if (!empty(data, 'credit_hours')) return;
      const hours = num(obj(data.learner)?.credit_hours) ?? num(obj(data.certificate)?.credit_hours);
      if (hours !== undefined) data.credit_hours = hours;
    },
  },
  {
    path: 'certificate.verification_url',
    fromAny: [],
    description: {
      en: 'the server’s verification address for the code (when the server provides one).',
      fr: 'l’adresse de vérification du serveur pour le code (si le serveur en fournit une).',
    },
    apply(data, options) {
      const c = obj(data.certificate);
      if (c && empty(c, 'verification_url') && typeof c.code === 'string' && options.verificationUrl) {
        c.verification_url = options.verificationUrl(c.code);
      }
    },
  },
];

export function derive(data: BoundData, options: DeriveOptions = {}): void {
  for (const d of derivations) d.apply(data, options);
}
