import type { Schema, ScalarKind, VarType, Variable } from './types';

/**
 * The built-in data every template can use, shaped after what an LMS such as Moodle holds about a learner,
 * a course and its completion, plus what Attest itself adds when it issues a document (`certificate.*`).
 * It covers every placeholder of mod_pdcertificate (see variables/moodle.ts for the mapping).
 *
 * What is required is what a document cannot exist without: whom it is for (`learner.fullname`), what it
 * attests (`course.fullname`), who issues it (`organization.name`) and the issue itself (`certificate.code`,
 * `certificate.issued`, `certificate.verification_url`, which the server fills). Everything else is optional
 * and binds as null when absent, so templates print it with `| default: …` or inside an `{% if %}`.
 * Derived values (fullname from first and last name, grade percent, …) are listed in variables/derive.ts.
 */

interface Options {
  example?: unknown;
  personal?: boolean;
}

function field(type: VarType, required: boolean, en: string, fr: string, options: Options = {}): Variable {
  const v: Variable = { type, required, description: { en, fr } };
  if (options.example !== undefined) v.example = options.example;
  if (options.personal) v.personal = true;
  return v;
}

const t = (kind: ScalarKind): VarType => ({ kind });
const object = (fields: Record<string, Variable>): VarType => ({ kind: 'object', fields });
const list = (of: VarType): VarType => ({ kind: 'list', of });
const map = (of: VarType): VarType => ({ kind: 'map', of });

/** Personal data: everything that describes one learner or one named person. */
const personal = (example: unknown): Options => ({ example, personal: true });

const activityGrade = object({
  value: field(t('number'), false, 'Grade obtained in the activity.', 'Note obtenue à l’activité.', personal(16)),
  max: field(t('number'), false, 'Maximum grade of the activity.', 'Note maximale de l’activité.', { example: 20 }),
  percent: field(
    t('number'),
    false,
    'Grade as a percentage (0–100); derived from value and max when absent.',
    'Note en pourcentage (0 à 100) ; calculée à partir de value et max si absente.',
    personal(80),
  ),
  letter: field(t('string'), false, 'Letter grade of the activity.', 'Note littérale de l’activité.', personal('B')),
});

export const catalogue: Schema = {
  learner: field(
    object({
      firstname: field(t('string'), false, 'First name.', 'Prénom.', personal('Camille')),
      lastname: field(t('string'), false, 'Last name (family name).', 'Nom de famille.', personal('Martin')),
      fullname: field(
        t('string'),
        true,
        'Full name as it must be printed; derived as "firstname lastname" when absent.',
        'Nom complet tel qu’il doit être imprimé ; « prénom nom » si absent.',
        personal('Camille Martin'),
      ),
      alternatename: field(
        t('string'),
        false,
        'Alternate name (the name the learner goes by).',
        'Nom d’usage (autre nom).',
        personal('Cam'),
      ),
      email: field(t('email'), false, 'Email address.', 'Adresse électronique.', personal('camille.martin@example.org')),
      did: field(
        t('string'),
        false,
        'The learner’s decentralised identifier (did:…), when they gave one: the subject of their Open Badges credential besides the hashed email.',
        'L’identifiant décentralisé (did:…) de l’apprenant, s’il en a donné un : sujet de son badge Open Badges en plus du courriel haché.',
        personal('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'),
      ),
      idnumber: field(
        t('string'),
        false,
        'Identifier in the institution (Moodle ID number).',
        'Identifiant dans l’établissement (numéro d’identification Moodle).',
        personal('E-2026-0042'),
      ),
      username: field(t('string'), false, 'Login name in the LMS.', 'Identifiant de connexion dans la plateforme.', personal('cmartin')),
      institution: field(
        t('string'),
        false,
        'Institution (employer, school).',
        'Institution (employeur, école).',
        personal('Lycée Victor Hugo'),
      ),
      department: field(t('string'), false, 'Department or service.', 'Département ou service.', personal('Ressources humaines')),
      city: field(t('string'), false, 'City.', 'Ville.', personal('Lyon')),
      country: field(
        t('string'),
        false,
        'Country as an ISO 3166-1 alpha-2 code ("FR").',
        'Pays, code ISO 3166-1 alpha-2 (« FR »).',
        personal('FR'),
      ),
      country_name: field(
        t('string'),
        false,
        'Country name in the template’s language; derived from country when absent.',
        'Nom du pays dans la langue du modèle ; déduit de country si absent.',
        personal('France'),
      ),
      language: field(
        t('string'),
        false,
        'Preferred language (BCP 47 tag, "fr").',
        'Langue préférée (étiquette BCP 47, « fr »).',
        personal('fr'),
      ),
      enrolment_start: field(
        t('date'),
        false,
        'Start of the enrolment in the course.',
        'Début de l’inscription au cours.',
        personal('2026-01-12'),
      ),
      enrolment_end: field(
        t('date'),
        false,
        'End of the enrolment in the course.',
        'Fin de l’inscription au cours.',
        personal('2026-06-30'),
      ),
      groups: field(
        list(t('string')),
        false,
        'Names of the course groups the learner belongs to.',
        'Groupes du cours dont l’apprenant fait partie.',
        personal(['Groupe A']),
      ),
      profile: field(
        map(t('string')),
        false,
        'Custom profile fields, by field shortname.',
        'Champs de profil personnalisés, par nom abrégé.',
        personal({ employer: 'ACME' }),
      ),
      managers: field(
        list(
          object({
            email: field(t('email'), true, 'Address of the manager.', 'Adresse du responsable.', personal('nadia.roux@example.org')),
            name: field(t('string'), false, 'Name of the manager.', 'Nom du responsable.', personal('Nadia Roux')),
          }),
        ),
        false,
        'The learner’s managers (line manager, tutor) as the LMS knows them: told of expiry reminders when the certificate says so (remind_managers).',
        'Les responsables de l’apprenant (supérieur, tuteur) selon la plateforme : prévenus des rappels d’échéance si le certificat le prévoit (remind_managers).',
        personal([{ email: 'nadia.roux@example.org', name: 'Nadia Roux' }]),
      ),
      credit_hours: field(
        t('number'),
        false,
        'Credit hours granted to this learner, overriding the certificate’s.',
        'Heures créditées à cet apprenant, à la place de celles du certificat.',
        personal(14),
      ),
    }),
    true,
    'The person the document is issued to.',
    'La personne à qui le document est délivré.',
    { personal: true },
  ),
  site: field(
    object({
      fullname: field(t('string'), false, 'Full name of the LMS site.', 'Nom complet de la plateforme.', { example: 'Campus Formation' }),
      shortname: field(t('string'), false, 'Short name of the LMS site.', 'Nom abrégé de la plateforme.', { example: 'CF' }),
      city: field(t('string'), false, 'City of the site (where documents are "made at").', 'Ville du site (lieu de délivrance).', {
        example: 'Lyon',
      }),
      country: field(t('string'), false, 'Country of the site, ISO 3166-1 alpha-2.', 'Pays du site, code ISO 3166-1 alpha-2.', {
        example: 'FR',
      }),
      url: field(t('url'), false, 'Address of the LMS site.', 'Adresse de la plateforme.', { example: 'https://campus.example.org' }),
    }),
    false,
    'The LMS site the request comes from.',
    'La plateforme d’où vient la demande.',
  ),
  course: field(
    object({
      fullname: field(t('string'), true, 'Full name of the course.', 'Intitulé complet du cours.', {
        example: 'Sauveteur secouriste du travail',
      }),
      shortname: field(t('string'), false, 'Short name of the course.', 'Nom abrégé du cours.', { example: 'SST-2026' }),
      idnumber: field(
        t('string'),
        false,
        'Course identifier (Moodle ID number).',
        'Identifiant du cours (numéro d’identification Moodle).',
        { example: 'FOR-SST-01' },
      ),
      summary: field(t('text'), false, 'Course summary (rich text).', 'Résumé du cours (texte mis en forme).', {
        example: 'Former des salariés aux gestes de premiers secours.',
      }),
      category: field(t('string'), false, 'Name of the course category.', 'Nom de la catégorie du cours.', {
        example: 'Santé et sécurité',
      }),
      startdate: field(t('date'), false, 'Start date of the course.', 'Date de début du cours.', { example: '2026-02-02' }),
      enddate: field(t('date'), false, 'End date of the course.', 'Date de fin du cours.', { example: '2026-02-03' }),
      timespent: field(
        t('duration'),
        false,
        'Time the learner spent in the course (seconds).',
        'Temps passé par l’apprenant dans le cours (secondes).',
        personal(45000),
      ),
      duration_hours: field(t('number'), false, 'Nominal duration of the course, in hours.', 'Durée prévue de la formation, en heures.', {
        example: 14,
      }),
      custom: field(
        map(t('string')),
        false,
        'Custom course fields, by field shortname.',
        'Champs personnalisés du cours, par nom abrégé.',
        { example: { modality: 'présentiel' } },
      ),
    }),
    true,
    'The course the document attests.',
    'Le cours que le document atteste.',
  ),
  completion: field(
    object({
      completed: field(
        t('boolean'),
        false,
        'Whether the learner completed the course; true when a completion date is given.',
        'Si l’apprenant a achevé le cours ; vrai si une date d’achèvement est donnée.',
        personal(true),
      ),
      date: field(t('date'), false, 'Date the course was completed.', 'Date d’achèvement du cours.', personal('2026-02-03')),
    }),
    false,
    'Course completion of the learner.',
    'Achèvement du cours par l’apprenant.',
    { personal: true },
  ),
  grade: field(
    object({
      value: field(t('number'), false, 'Final course grade.', 'Note finale du cours.', personal(15.5)),
      max: field(t('number'), false, 'Maximum course grade.', 'Note maximale du cours.', { example: 20 }),
      pass: field(t('number'), false, 'Grade needed to pass.', 'Note nécessaire pour réussir.', { example: 10 }),
      percent: field(
        t('number'),
        false,
        'Grade as a percentage (0–100); derived from value and max when absent.',
        'Note en pourcentage (0 à 100) ; calculée à partir de value et max si absente.',
        personal(77.5),
      ),
      letter: field(t('string'), false, 'Letter grade.', 'Note littérale.', personal('B')),
      passed: field(
        t('boolean'),
        false,
        'Whether the learner passed; derived from value and pass when absent.',
        'Si l’apprenant a réussi ; déduit de value et pass si absent.',
        personal(true),
      ),
      activities: field(
        map(activityGrade),
        false,
        'Grades of the course activities, by activity id.',
        'Notes des activités du cours, par identifiant d’activité.',
        personal({ '42': { value: 16, max: 20, percent: 80, letter: 'B' } }),
      ),
    }),
    false,
    'The learner’s grades.',
    'Les notes de l’apprenant.',
    { personal: true },
  ),
  activities: field(
    map(t('date')),
    false,
    'Completion date of each course activity, by activity id.',
    'Date d’achèvement de chaque activité du cours, par identifiant d’activité.',
    personal({ '42': '2026-02-03' }),
  ),
  outcomes: field(
    list(
      object({
        name: field(t('string'), true, 'Name of the outcome (competency).', 'Intitulé de l’objectif (compétence).', {
          example: 'Protéger',
        }),
        grade: field(
          t('string'),
          false,
          'Grade reached, as the scale names it.',
          'Niveau atteint, tel que l’échelle le nomme.',
          personal('Acquis'),
        ),
      }),
    ),
    false,
    'Outcomes (competencies) the learner was graded on.',
    'Objectifs (compétences) évalués pour l’apprenant.',
    personal([{ name: 'Protéger', grade: 'Acquis' }]),
  ),
  credit_hours: field(
    t('number'),
    false,
    'Credit hours to print: the learner’s override, else the certificate’s.',
    'Heures créditées à imprimer : celles de l’apprenant, sinon celles du certificat.',
    personal(14),
  ),
  teachers: field(
    list(
      object({
        name: field(t('string'), true, 'Full name of the teacher.', 'Nom complet de l’enseignant.', personal('Julien Moreau')),
        role: field(t('string'), false, 'Role in the course.', 'Rôle dans le cours.', { example: 'Formateur' }),
      }),
    ),
    false,
    'Teachers of the course.',
    'Enseignants du cours.',
    personal([{ name: 'Julien Moreau', role: 'Formateur' }]),
  ),
  certifier: field(
    object({
      name: field(t('string'), false, 'Name of the person who signs.', 'Nom du signataire.', personal('Claire Dubois')),
      title: field(t('string'), false, 'Title of the person who signs.', 'Fonction du signataire.', { example: 'Directrice pédagogique' }),
      signature: field(
        t('image'),
        false,
        'Image of the signature (an asset name or a data: URL).',
        'Image de la signature (nom de ressource ou URL data:).',
        personal('signature'),
      ),
    }),
    false,
    'The signatory of the document.',
    'Le signataire du document.',
  ),
  certificate: field(
    object({
      name: field(t('string'), false, 'Name of the certificate in the course.', 'Nom du certificat dans le cours.', {
        example: 'Attestation de formation SST',
      }),
      caption: field(t('string'), false, 'Caption printed on the certificate.', 'Légende imprimée sur le certificat.', {
        example: 'Attestation de fin de formation',
      }),
      code: field(t('string'), true, 'Unique verification code of the document.', 'Code de vérification unique du document.', {
        example: 'ATT-7Q4K-2M9P',
      }),
      issued: field(t('date'), true, 'Issue date of the document.', 'Date de délivrance du document.', { example: '2026-02-04' }),
      expires: field(
        t('date'),
        false,
        'Expiry date, when the certificate has a validity period.',
        'Date d’expiration, si le certificat a une durée de validité.',
        { example: '2028-02-04' },
      ),
      verification_url: field(
        t('url'),
        true,
        'Address where anyone can check the document.',
        'Adresse où chacun peut vérifier le document.',
        { example: 'https://attest.example.org/v/ATT-7Q4K-2M9P' },
      ),
      version: field(
        t('integer'),
        false,
        'Version of the template the document was made with.',
        'Version du modèle utilisée pour le document.',
        { example: 3 },
      ),
      credit_hours: field(t('number'), false, 'Credit hours the certificate grants.', 'Heures créditées par le certificat.', {
        example: 14,
      }),
    }),
    true,
    'The issued document itself; the server fills it.',
    'Le document délivré ; le serveur le renseigne.',
  ),
  organization: field(
    object({
      name: field(t('string'), true, 'Name of the training organisation.', 'Nom de l’organisme de formation.', {
        example: 'Institut Exemple',
      }),
      address: field(t('text'), false, 'Postal address.', 'Adresse postale.', { example: '12 rue des Écoles, 69002 Lyon' }),
      logo: field(t('image'), false, 'Logo (an asset name or a data: URL).', 'Logo (nom de ressource ou URL data:).', { example: 'logo' }),
      registration_number: field(
        t('string'),
        false,
        'Registration number (in France: numéro de déclaration d’activité).',
        'Numéro de déclaration d’activité.',
        { example: '84 69 12345 69' },
      ),
      url: field(t('url'), false, 'Website of the organisation.', 'Site web de l’organisme.', { example: 'https://institut.example.org' }),
    }),
    true,
    'The organisation that issues the document.',
    'L’organisme qui délivre le document.',
  ),
  extra: field(
    map(t('string')),
    false,
    'Free data from the certificate settings or the request, by name.',
    'Données libres venant des réglages du certificat ou de la demande, par nom.',
    { example: { session: 'Session de printemps' } },
  ),
};
