import type { LocalizedText } from './types';

/**
 * Sample learners for previews and checks: each is a complete payload, valid against the catalogue, as an
 * LMS would send it. The ordinary ones show what a document normally looks like; the hard ones are the
 * names and data that break certificates (scripts the fonts may lack, right-to-left text, very long names,
 * text that looks like Liquid or markup, emoji, decomposed accents, nothing optional at all).
 * Dates are fixed: previews are reproducible byte for byte.
 */
export interface Persona {
  id: string;
  label: LocalizedText;
  /** What this learner puts to the test. */
  tests: LocalizedText;
  data: Readonly<Record<string, unknown>>;
}

const certificate = (code: string) => ({
  name: 'Attestation de formation SST',
  caption: 'Attestation de fin de formation',
  code,
  issued: '2026-02-04',
  expires: '2028-02-04',
  verification_url: `https://attest.example.org/v/${code}`,
  version: 3,
  credit_hours: 14,
});

const organization = {
  name: 'Institut Exemple de Formation',
  address: '12 rue des Écoles\n69002 Lyon',
  logo: 'logo',
  registration_number: '84 69 12345 69',
  url: 'https://institut.example.org',
};

const frenchCourse = {
  fullname: 'Sauveteur secouriste du travail (SST) — formation initiale',
  shortname: 'SST-2026-02',
  idnumber: 'FOR-SST-01',
  summary: 'Former des salariés capables d’intervenir face à une situation d’accident du travail.',
  category: 'Santé et sécurité au travail',
  startdate: '2026-02-02',
  enddate: '2026-02-03',
  timespent: 50400,
  duration_hours: 14,
  custom: { modality: 'présentiel', place: 'Lyon' },
};

const englishCourse = {
  fullname: 'Workplace First Aid — Initial Training',
  shortname: 'WFA-2026-02',
  idnumber: 'TRN-WFA-01',
  summary: 'Train employees to respond to an accident at work.',
  category: 'Health and safety',
  startdate: '2026-02-02',
  enddate: '2026-02-03',
  timespent: 50400,
  duration_hours: 14,
  custom: { modality: 'on site', place: 'Manchester' },
};

/** Everything around the learner, shared by the full personas so that they differ only where they mean to. */
function full(
  id: string,
  learner: Record<string, unknown>,
  options: { english?: boolean; code: string } = { code: 'ATT-0000-0000' },
): Record<string, unknown> {
  const english = options.english === true;
  return {
    learner: {
      email: `${id}@example.org`,
      idnumber: `E-2026-${id.length.toString().padStart(4, '0')}`,
      username: id,
      institution: english ? 'Northfield College' : 'Lycée Victor Hugo',
      department: english ? 'Human resources' : 'Ressources humaines',
      enrolment_start: '2026-01-12',
      enrolment_end: '2026-06-30',
      groups: [english ? 'Group A' : 'Groupe A'],
      profile: { employer: 'ACME' },
      ...learner,
    },
    site: english
      ? { fullname: 'Northfield Learning', shortname: 'NL', city: 'Manchester', country: 'GB', url: 'https://learn.example.org' }
      : { fullname: 'Campus Formation', shortname: 'CF', city: 'Lyon', country: 'FR', url: 'https://campus.example.org' },
    course: english ? englishCourse : frenchCourse,
    completion: { completed: true, date: '2026-02-03' },
    grade: {
      value: 15.5,
      max: 20,
      pass: 10,
      percent: 77.5,
      letter: 'B',
      passed: true,
      activities: { '42': { value: 16, max: 20, percent: 80, letter: 'B' }, '43': { value: 9, max: 10, percent: 90, letter: 'A' } },
    },
    activities: { '42': '2026-02-02', '43': '2026-02-03' },
    outcomes: english
      ? [
          { name: 'Protect', grade: 'Achieved' },
          { name: 'Alert', grade: 'Achieved' },
        ]
      : [
          { name: 'Protéger', grade: 'Acquis' },
          { name: 'Alerter', grade: 'Acquis' },
        ],
    credit_hours: 14,
    teachers: english
      ? [{ name: 'Harriet Cole', role: 'Trainer' }]
      : [
          { name: 'Julien Moreau', role: 'Formateur' },
          { name: 'Sophie Lambert', role: 'Formatrice' },
        ],
    certifier: english
      ? { name: 'Margaret Hughes', title: 'Head of Training', signature: 'signature' }
      : { name: 'Claire Dubois', title: 'Directrice pédagogique', signature: 'signature' },
    certificate: certificate(options.code),
    organization,
    extra: { session: english ? 'Spring session' : 'Session de printemps' },
  };
}

function name(firstname: string, lastname: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { firstname, lastname, fullname: `${firstname} ${lastname}`, ...extra };
}

const list: Persona[] = [
  {
    id: 'camille-martin',
    label: { en: 'Camille Martin (ordinary, French)', fr: 'Camille Martin (ordinaire, français)' },
    tests: { en: 'An ordinary French learner with every field filled.', fr: 'Un apprenant français ordinaire, tous les champs remplis.' },
    data: full(
      'camille-martin',
      name('Camille', 'Martin', {
        alternatename: 'Cam',
        city: 'Lyon',
        country: 'FR',
        country_name: 'France',
        language: 'fr',
        credit_hours: 14,
        managers: [{ email: 'nadia.roux@example.org', name: 'Nadia Roux' }],
        did: 'did:web:camille-martin.example.org',
      }),
      { code: 'ATT-7Q4K-2M9P' },
    ),
  },
  {
    id: 'oliver-bennett',
    label: { en: 'Oliver Bennett (ordinary, English)', fr: 'Oliver Bennett (ordinaire, anglais)' },
    tests: { en: 'An ordinary English learner with every field filled.', fr: 'Un apprenant anglais ordinaire, tous les champs remplis.' },
    data: full(
      'oliver-bennett',
      name('Oliver', 'Bennett', { city: 'Manchester', country: 'GB', country_name: 'United Kingdom', language: 'en' }),
      { english: true, code: 'ATT-3H8D-5R2T' },
    ),
  },
  {
    id: 'accents',
    label: { en: 'Éléonore Ñúñez-Çağlar (accents)', fr: 'Éléonore Ñúñez-Çağlar (accents)' },
    tests: { en: 'Precomposed Latin accents and a hyphenated name.', fr: 'Accents latins précomposés et nom composé.' },
    data: full('accents', name('Éléonore', 'Ñúñez-Çağlar', { city: 'Besançon', country: 'FR', language: 'fr' }), { code: 'ATT-A1C2-E3N4' }),
  },
  {
    id: 'vietnamese',
    label: { en: 'Nguyễn Thị Ánh Tuyết (Vietnamese)', fr: 'Nguyễn Thị Ánh Tuyết (vietnamien)' },
    tests: {
      en: 'Stacked Vietnamese diacritics; family name first.',
      fr: 'Diacritiques vietnamiens superposés ; nom de famille en premier.',
    },
    data: full(
      'vietnamese',
      { firstname: 'Ánh Tuyết', lastname: 'Nguyễn Thị', fullname: 'Nguyễn Thị Ánh Tuyết', city: 'Hà Nội', country: 'VN', language: 'vi' },
      { code: 'ATT-V1E2-T3N4' },
    ),
  },
  {
    id: 'greek',
    label: { en: 'Αλέξανδρος Παπαδόπουλος (Greek)', fr: 'Αλέξανδρος Παπαδόπουλος (grec)' },
    tests: { en: 'Greek script with tonos.', fr: 'Alphabet grec avec tonos.' },
    data: full('greek', name('Αλέξανδρος', 'Παπαδόπουλος', { city: 'Θεσσαλονίκη', country: 'GR', language: 'el' }), {
      code: 'ATT-G1R2-E3K4',
    }),
  },
  {
    id: 'cyrillic',
    label: { en: 'Анастасия Кузнецова (Cyrillic)', fr: 'Анастасия Кузнецова (cyrillique)' },
    tests: { en: 'Cyrillic script.', fr: 'Alphabet cyrillique.' },
    data: full('cyrillic', name('Анастасия', 'Кузнецова', { city: 'Новосибирск', country: 'RU', language: 'ru' }), {
      code: 'ATT-C1Y2-R3L4',
    }),
  },
  {
    id: 'turkish',
    label: { en: 'İlkay Işıklı (Turkish)', fr: 'İlkay Işıklı (turc)' },
    tests: {
      en: 'Dotted and dotless i: upcase and capitalize must respect Turkish.',
      fr: 'i avec et sans point : majuscules selon les règles turques.',
    },
    data: full('turkish', name('İlkay', 'Işıklı', { city: 'İstanbul', country: 'TR', language: 'tr' }), { code: 'ATT-T1U2-R3K4' }),
  },
  {
    id: 'arabic',
    label: { en: 'فاطمة الزهراء بن علي (Arabic)', fr: 'فاطمة الزهراء بن علي (arabe)' },
    tests: {
      en: 'Right-to-left Arabic with joined letters, inside left-to-right text.',
      fr: 'Arabe de droite à gauche, lettres liées, dans un texte de gauche à droite.',
    },
    data: full('arabic', name('فاطمة الزهراء', 'بن علي', { city: 'الدار البيضاء', country: 'MA', language: 'ar' }), {
      code: 'ATT-A1R2-B3C4',
    }),
  },
  {
    id: 'hebrew',
    label: { en: 'נועה כהן (Hebrew)', fr: 'נועה כהן (hébreu)' },
    tests: { en: 'Right-to-left Hebrew inside left-to-right text.', fr: 'Hébreu de droite à gauche dans un texte de gauche à droite.' },
    data: full('hebrew', name('נועה', 'כהן', { city: 'תל אביב', country: 'IL', language: 'he' }), { code: 'ATT-H1E2-B3R4' }),
  },
  {
    id: 'japanese',
    label: { en: '山田 花子 (Japanese)', fr: '山田 花子 (japonais)' },
    tests: {
      en: 'CJK ideographs: a font must cover them; family name first.',
      fr: 'Idéogrammes CJK : une police doit les couvrir ; nom de famille en premier.',
    },
    data: full(
      'japanese',
      { firstname: '花子', lastname: '山田', fullname: '山田 花子', city: '東京', country: 'JP', language: 'ja' },
      { code: 'ATT-J1A2-P3N4' },
    ),
  },
  {
    id: 'long-name',
    label: { en: 'A 110-character name', fr: 'Un nom de 110 caractères' },
    tests: { en: 'Shrinking or wrapping a name far longer than the box.', fr: 'Réduire ou couper un nom bien plus long que son cadre.' },
    data: full(
      'long-name',
      name('Maximiliane Josefine Adelheid Charlotte Augusta', 'von Hohenzollern-Sigmaringen und Wittelsbach-Leuchtenberg-Lohe', {
        city: 'Sigmaringen',
        country: 'DE',
        language: 'de',
      }),
      { code: 'ATT-L1O2-N3G4' },
    ),
  },
  {
    id: 'markup',
    label: { en: 'A name that looks like code', fr: 'Un nom qui ressemble à du code' },
    tests: {
      en: 'Liquid and markup in data must print as text, never run.',
      fr: 'Du Liquid et des balises dans les données s’impriment tels quels, jamais exécutés.',
    },
    data: full(
      'markup',
      {
        firstname: '<b>{{ 7*7 }}</b>',
        lastname: '& {% raw %}',
        fullname: '<b>{{ 7*7 }}</b> & {% raw %}',
        city: '<text x="0">',
        country: 'FR',
        language: 'fr',
      },
      { code: 'ATT-M1K2-U3P4' },
    ),
  },
  {
    id: 'emoji',
    label: { en: 'Sam 👩🏽‍💻 Rivera 🎓 (emoji)', fr: 'Sam 👩🏽‍💻 Rivera 🎓 (émojis)' },
    tests: {
      en: 'Emoji outside the BMP, with a skin tone and a zero-width joiner.',
      fr: 'Émojis hors du plan de base, avec teinte de peau et liant sans chasse.',
    },
    data: full('emoji', name('Sam 👩🏽‍💻', 'Rivera 🎓', { city: 'Montréal', country: 'CA', language: 'fr' }), { code: 'ATT-E1M2-O3J4' }),
  },
  {
    id: 'combining',
    label: { en: 'Renée Bélanger, decomposed (combining accents)', fr: 'Renée Bélanger, décomposé (accents combinants)' },
    tests: {
      en: 'e followed by U+0301: must look like é and measure as one glyph.',
      fr: 'e suivi de U+0301 : doit s’afficher comme é et se mesurer comme un glyphe.',
    },
    data: full('combining', name('Rene\u0301e', 'Be\u0301langer', { city: 'Que\u0301bec', country: 'CA', language: 'fr' }), {
      code: 'ATT-C1O2-M3B4',
    }),
  },
  {
    id: 'minimal',
    label: { en: 'Only what is required', fr: 'Seulement l’obligatoire' },
    tests: {
      en: 'Every optional field missing: templates must fall back gracefully.',
      fr: 'Aucun champ facultatif : les modèles doivent s’en passer proprement.',
    },
    data: {
      learner: { fullname: 'Alex Durand' },
      course: { fullname: 'Gestes et postures' },
      certificate: { code: 'ATT-M1N2-M3L4', issued: '2026-02-04', verification_url: 'https://attest.example.org/v/ATT-M1N2-M3L4' },
      organization: { name: 'Institut Exemple de Formation' },
    },
  },
];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Frozen: callers share these objects, so no preview can change another's data. */
export const personas: readonly Persona[] = deepFreeze(list);

export function findPersona(id: string): Persona | undefined {
  return personas.find((p) => p.id === id);
}
