/**
 * Named permissions. Roles hold them per tenant, API tokens carry a subset, every operation checks one.
 * The first eight are those of the Moodle certificate modules Attest replaces (mod/certificate and
 * mod/pdcertificate: addinstance, view, apply, getown, manage, printteacher, isauthority, deleteissues);
 * the rest are Attest's own. The README's capability index is generated from this list.
 */
export interface CapabilitySpec {
  name: string;
  moodle?: string;
  en: string;
  fr: string;
}

export const CAPABILITIES = [
  {
    name: 'certificate:add',
    moodle: 'mod/certificate:addinstance',
    en: 'Add a certificate to a course and change its delivery settings.',
    fr: 'Ajouter un certificat à un cours et modifier ses réglages de délivrance.',
  },
  {
    name: 'certificate:view',
    moodle: 'mod/certificate:view',
    en: 'See certificates and their settings.',
    fr: 'Voir les certificats et leurs réglages.',
  },
  {
    name: 'certificate:apply',
    moodle: 'mod/pdcertificate:apply',
    en: 'Ask for a document (for oneself, or, for an LMS token, on behalf of its learners).',
    fr: 'Demander un document (pour soi, ou pour ses apprenants avec un jeton de plateforme).',
  },
  {
    name: 'certificate:retrieve-own',
    moodle: 'mod/pdcertificate:getown',
    en: 'Retrieve one’s own document; without it a learner sees only the document’s state.',
    fr: 'Récupérer son propre document ; sans cela l’apprenant ne voit que son état.',
  },
  {
    name: 'issues:manage',
    moodle: 'mod/certificate:manage',
    en: 'See and manage issued documents, their data, audit trail and refusals; retrieve any document.',
    fr: 'Voir et gérer les documents délivrés, leurs données, leur historique et les refus ; récupérer tout document.',
  },
  {
    name: 'certificate:printed-as-teacher',
    moodle: 'mod/certificate:printteacher',
    en: 'Be printed as a teacher on documents (feeds `teachers`).',
    fr: 'Être imprimé comme enseignant sur les documents (alimente `teachers`).',
  },
  {
    name: 'certificate:signing-authority',
    moodle: 'mod/pdcertificate:isauthority',
    en: 'Be the signing authority of documents (feeds `certifier`).',
    fr: 'Être l’autorité signataire des documents (alimente `certifier`).',
  },
  {
    name: 'issues:delete',
    moodle: 'mod/certificate:deleteissues',
    en: 'Delete issued documents (the audit trail is kept).',
    fr: 'Supprimer des documents délivrés (l’historique est conservé).',
  },
  {
    name: 'learners:supply-data',
    en: 'Supply what the LMS knows of learners (completion, grade, course, availability) and enter a learner’s record; without it a request only asks that the data the server holds be evaluated.',
    fr: 'Fournir ce que la plateforme sait des apprenants (achèvement, note, cours, accès) et saisir le dossier d’un apprenant ; sans cela une demande ne peut que faire évaluer les données que le serveur détient.',
  },
  { name: 'issues:unlock', en: 'Lift or set the delivery lock of documents.', fr: 'Lever ou poser le verrou de délivrance des documents.' },
  { name: 'issues:revoke', en: 'Revoke a document, with a reason.', fr: 'Révoquer un document, avec un motif.' },
  {
    name: 'issues:regenerate',
    en: 'Make a document again (same code and issue date, new revision).',
    fr: 'Refaire un document (même code et même date, nouvelle révision).',
  },
  {
    name: 'issues:reissue',
    en: 'Re-issue a document (recertification): a new document, with its own code, supersedes the learner’s current one, which still verifies as superseded.',
    fr: 'Délivrer à nouveau un document (recertification) : un nouveau document, avec son propre code, remplace le document actuel de l’apprenant, qui reste vérifiable comme remplacé.',
  },
  {
    name: 'issues:bulk',
    en: 'Issue to many learners at once (a list or a CSV file): a dry run first, then a confirmed run in the queue.',
    fr: 'Délivrer à de nombreux apprenants à la fois (une liste ou un fichier CSV) : un essai à blanc d’abord, puis une exécution confirmée dans la file.',
  },
  {
    name: 'templates:edit',
    en: 'Create and edit templates and their assets; validate sources.',
    fr: 'Créer et modifier les modèles et leurs ressources ; valider des sources.',
  },
  {
    name: 'templates:publish',
    en: 'Publish a template version (immutable from then on).',
    fr: 'Publier une version de modèle (immuable ensuite).',
  },
  {
    name: 'templates:preview',
    en: 'See templates and preview any version with sample data.',
    fr: 'Voir les modèles et prévisualiser toute version avec des données d’exemple.',
  },
  {
    name: 'privacy:export',
    en: 'Export everything Attest holds about a learner as one archive (documents, data, audit, mail, webhooks).',
    fr: 'Exporter en une archive tout ce qu’Attest détient sur un apprenant (documents, données, historique, courriels, webhooks).',
  },
  {
    name: 'privacy:erase',
    en: 'Erase a learner: their documents and personal data everywhere; their codes then verify as withdrawn.',
    fr: 'Effacer un apprenant : ses documents et ses données personnelles partout ; ses codes se vérifient ensuite comme retirés.',
  },
  {
    name: 'signature:manage',
    en: 'Manage the tenant’s signing keys: generate, import (PKCS#12) and rotate them.',
    fr: 'Gérer les clés de signature du locataire : les générer, les importer (PKCS#12) et les renouveler.',
  },
  {
    name: 'credentials:rotate-key',
    en: 'Rotate the tenant’s credential signing key: a new key signs from then on; the old one stays published, so what it signed still verifies.',
    fr: 'Renouveler la clé de signature des badges du locataire : une nouvelle clé signe désormais ; l’ancienne reste publiée, et ce qu’elle a signé reste vérifiable.',
  },
  {
    name: 'tenant:manage',
    en: 'Manage the tenant: settings, people, roles and API tokens.',
    fr: 'Gérer le locataire : réglages, personnes, rôles et jetons d’API.',
  },
] as const satisfies readonly CapabilitySpec[];

export type Capability = (typeof CAPABILITIES)[number]['name'];

const NAMES: ReadonlySet<string> = new Set(CAPABILITIES.map((c) => c.name));

export function isCapability(name: string): name is Capability {
  return NAMES.has(name);
}

export const ALL_CAPABILITIES: readonly Capability[] = CAPABILITIES.map((c) => c.name);

const PRINTED: ReadonlySet<Capability> = new Set(['certificate:printed-as-teacher', 'certificate:signing-authority']);

/**
 * The roles every new tenant starts with; a tenant's managers change them afterwards. Being printed on
 * documents is never a default of a role that people hold for other reasons: the admin can grant it, and
 * only those a manager names (teacher, signatory) appear in a document's signature block.
 */
export const DEFAULT_ROLES: Readonly<Record<string, readonly Capability[]>> = {
  admin: ALL_CAPABILITIES.filter((c) => !PRINTED.has(c)),
  manager: [
    'certificate:add',
    'certificate:view',
    'learners:supply-data',
    'issues:manage',
    'issues:delete',
    'issues:unlock',
    'issues:revoke',
    'issues:regenerate',
    'issues:reissue',
    'issues:bulk',
    'templates:preview',
    'signature:manage',
    'credentials:rotate-key',
  ],
  designer: ['templates:edit', 'templates:publish', 'templates:preview', 'certificate:view'],
  teacher: ['certificate:view', 'certificate:printed-as-teacher'],
  signatory: ['certificate:signing-authority'],
  learner: ['certificate:view', 'certificate:apply', 'certificate:retrieve-own'],
  /** What an LMS integration token usually carries. */
  lms: ['certificate:view', 'certificate:apply', 'learners:supply-data', 'certificate:retrieve-own'],
};
