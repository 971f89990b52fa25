import { fill, getLocale, type Locale } from '../i18n';

/**
 * The strings of the tenant's administration screens (settings, people, tokens) and of the delivery
 * dashboard, fr and en: a table of its own beside messages.ts, for the same reason messages.ts has one
 * beside editor/i18n.ts (the tables grow without editing each other). Same rules: both languages for
 * every entry (a missing one is a type error), `{name}` placeholders, numbers in the locale.
 */
type Entry = Readonly<Record<Locale, string>>;

const MESSAGES = {
  'nav.dashboard': { en: 'Dashboard', fr: 'Tableau de bord' },
  'nav.admin': { en: 'Administration', fr: 'Administration' },
  'admin.title': { en: 'Administration', fr: 'Administration' },
  'admin.sections': { en: 'Administration sections', fr: 'Rubriques d’administration' },
  'admin.settings': { en: 'Settings', fr: 'Réglages' },
  'admin.people': { en: 'People and roles', fr: 'Personnes et rôles' },
  'admin.tokens': { en: 'API tokens', fr: 'Jetons d’API' },
  'admin.saved': { en: 'Saved.', fr: 'Enregistré.' },
  'admin.copy': { en: 'Copy', fr: 'Copier' },
  'admin.copyOf': { en: 'Copy {what}', fr: 'Copier {what}' },
  'admin.copied': { en: 'Copied to the clipboard.', fr: 'Copié dans le presse-papiers.' },
  'admin.copyFailed': { en: 'Could not copy: select the text and copy it.', fr: 'Copie impossible : sélectionnez le texte et copiez-le.' },

  'settings.delivery': { en: 'Delivery', fr: 'Délivrance' },
  'settings.completion': {
    en: 'Completion tracking: documents need the course to be completed',
    fr: 'Suivi d’achèvement : les documents exigent que le cours soit achevé',
  },
  'settings.lock': {
    en: 'Delivery lock: every new document is created locked until a manager or the shop unlocks it',
    fr: 'Verrou de délivrance : chaque nouveau document est verrouillé jusqu’à ce qu’un responsable ou la boutique le déverrouille',
  },
  'settings.locale': { en: 'Language of reasons and of the verification page', fr: 'Langue des motifs et de la page de vérification' },
  'settings.publicBaseUrl': { en: 'Public address of verification links', fr: 'Adresse publique des liens de vérification' },
  'settings.publicBaseUrlHint': {
    en: 'http(s) address printed in QR codes; empty: the server’s own.',
    fr: 'Adresse http(s) imprimée dans les QR codes ; vide : celle du serveur.',
  },
  'settings.verification': { en: 'What the public verification page shows', fr: 'Ce que montre la page de vérification publique' },
  'settings.shows.learner_name': { en: 'The learner’s name', fr: 'Le nom de l’apprenant' },
  'settings.shows.course': { en: 'The course', fr: 'Le cours' },
  'settings.shows.dates': { en: 'Issue and expiry dates', fr: 'Les dates de délivrance et d’expiration' },
  'settings.organization': { en: 'The organisation (printed on documents)', fr: 'L’organisme (imprimé sur les documents)' },
  'settings.org.name': { en: 'Name', fr: 'Nom' },
  'settings.org.address': { en: 'Address', fr: 'Adresse' },
  'settings.org.url': { en: 'Web site', fr: 'Site web' },
  'settings.org.registration_number': { en: 'Registration number', fr: 'Numéro d’enregistrement' },
  'settings.org.logo': { en: 'Logo (template asset name or data:image URL)', fr: 'Logo (nom d’une ressource du modèle ou URL data:image)' },
  'settings.shows.revocation_reason': { en: 'Why a revoked document was revoked', fr: 'Le motif de révocation d’un document révoqué' },
  'settings.org.colour': { en: 'Colour (#rrggbb)', fr: 'Couleur (#rrggbb)' },
  'settings.org.colourHint': { en: 'The accent of the verification page.', fr: 'La couleur d’accent de la page de vérification.' },
  'settings.org.logoFile': { en: 'Upload a logo', fr: 'Téléverser un logo' },
  'settings.org.logoFileHint': {
    en: 'PNG or JPEG, at most 200 KB: shown on the verification page and printed by templates.',
    fr: 'PNG ou JPEG, 200 Ko au plus : affiché sur la page de vérification et imprimé par les modèles.',
  },
  'settings.org.logoUploaded': { en: 'Uploaded logo', fr: 'Logo téléversé' },
  'settings.org.logoRemove': { en: 'Remove the logo', fr: 'Retirer le logo' },
  'settings.secrets': { en: 'Shop webhook and download links', fr: 'Webhook de la boutique et liens de téléchargement' },
  'settings.webhookUrl': { en: 'Webhook address', fr: 'Adresse du webhook' },
  'settings.showSecret': { en: 'Show the webhook secret', fr: 'Afficher le secret du webhook' },
  'settings.secret': { en: 'Webhook secret', fr: 'Secret du webhook' },
  'settings.rotateWebhook': { en: 'Replace the webhook secret', fr: 'Remplacer le secret du webhook' },
  'settings.rotateWebhookConfirm': {
    en: 'Replace the webhook secret now? The shop’s deliveries signed with the old one are refused from now on.',
    fr: 'Remplacer le secret du webhook maintenant ? Les envois de la boutique signés avec l’ancien seront refusés.',
  },
  'settings.rotateLinks': { en: 'Invalidate every download link', fr: 'Invalider tous les liens de téléchargement' },
  'settings.rotateLinksConfirm': {
    en: 'Make every download link handed out so far stop working?',
    fr: 'Rendre inutilisables tous les liens de téléchargement donnés jusqu’ici ?',
  },
  'settings.rotated': { en: 'Replaced.', fr: 'Remplacé.' },

  'people.list': { en: 'People', fr: 'Personnes' },
  'people.username': { en: 'Username', fr: 'Identifiant' },
  'people.name': { en: 'Name', fr: 'Nom' },
  'people.email': { en: 'Email', fr: 'Courriel' },
  'people.password': {
    en: 'Password (12 characters or more; empty: cannot sign in)',
    fr: 'Mot de passe (12 caractères ou plus ; vide : pas de connexion)',
  },
  'people.roles': { en: 'Roles', fr: 'Rôles' },
  'people.rolesOf': { en: 'Roles of {name}', fr: 'Rôles de {name}' },
  'people.state': { en: 'State', fr: 'État' },
  'people.active': { en: 'Active', fr: 'Actif' },
  'people.disabled': { en: 'Disabled', fr: 'Désactivé' },
  'people.add': { en: 'Add a person', fr: 'Ajouter une personne' },
  'people.added': { en: 'Added {name}.', fr: '{name} ajouté(e).' },
  'people.disable': { en: 'Disable', fr: 'Désactiver' },
  'people.enable': { en: 'Enable', fr: 'Réactiver' },
  'people.disableOf': { en: 'Disable {name}', fr: 'Désactiver {name}' },
  'people.enableOf': { en: 'Enable {name}', fr: 'Réactiver {name}' },
  'people.editRoles': { en: 'Change roles', fr: 'Changer les rôles' },
  'people.editRolesOf': { en: 'Change the roles of {name}', fr: 'Changer les rôles de {name}' },
  'people.none': { en: 'Nobody yet.', fr: 'Personne pour l’instant.' },
  'people.you': { en: '(you)', fr: '(vous)' },
  'roles.title': { en: 'Roles and what they grant', fr: 'Rôles et ce qu’ils accordent' },
  'roles.name': { en: 'Role', fr: 'Rôle' },
  'roles.capabilities': { en: 'Capabilities', fr: 'Capacités' },
  'roles.edit': { en: 'Change capabilities', fr: 'Changer les capacités' },
  'roles.editOf': { en: 'Capabilities of the role {name}', fr: 'Capacités du rôle {name}' },
  'roles.new': { en: 'New role', fr: 'Nouveau rôle' },

  'tokens.list': { en: 'Tokens', fr: 'Jetons' },
  'tokens.create': { en: 'Create a token', fr: 'Créer un jeton' },
  'tokens.name': { en: 'Name (what uses it, e.g. Moodle)', fr: 'Nom (ce qui l’utilise, par ex. Moodle)' },
  'tokens.capabilities': { en: 'Capabilities it carries (only yours)', fr: 'Capacités qu’il porte (parmi les vôtres)' },
  'tokens.lmsPreset': { en: 'What an LMS needs', fr: 'Ce dont une plateforme a besoin' },
  'tokens.expires': { en: 'Expires on (optional)', fr: 'Expire le (facultatif)' },
  'tokens.secretTitle': { en: 'The new token, shown this once', fr: 'Le nouveau jeton, affiché cette seule fois' },
  'tokens.secretHint': {
    en: 'Copy it now into the LMS: Attest keeps only its hash and cannot show it again.',
    fr: 'Copiez-le maintenant dans la plateforme : Attest n’en garde que l’empreinte et ne peut plus l’afficher.',
  },
  'tokens.secretLabel': { en: 'Token', fr: 'Jeton' },
  'tokens.done': { en: 'I have copied it', fr: 'Je l’ai copié' },
  'tokens.created': { en: 'Created', fr: 'Créé' },
  'tokens.createdBy': { en: 'By', fr: 'Par' },
  'tokens.lastUsed': { en: 'Last used', fr: 'Dernier usage' },
  'tokens.expiresAt': { en: 'Expires', fr: 'Expire' },
  'tokens.state': { en: 'State', fr: 'État' },
  'tokens.live': { en: 'Live', fr: 'Actif' },
  'tokens.revoked': { en: 'Revoked {date}', fr: 'Révoqué le {date}' },
  'tokens.expired': { en: 'Expired', fr: 'Expiré' },
  'tokens.revoke': { en: 'Revoke', fr: 'Révoquer' },
  'tokens.revokeOf': { en: 'Revoke {name}', fr: 'Révoquer {name}' },
  'tokens.revokeConfirm': {
    en: 'Revoke the token “{name}” now, with every token made with it?',
    fr: 'Révoquer le jeton « {name} » maintenant, avec tous les jetons créés avec lui ?',
  },
  'tokens.none': { en: 'No token yet.', fr: 'Aucun jeton.' },
  'tokens.never': { en: 'never', fr: 'jamais' },

  'dashboard.title': { en: 'Delivery dashboard', fr: 'Tableau de bord de la délivrance' },
  'dashboard.range': { en: 'Period', fr: 'Période' },
  'dashboard.from': { en: 'From', fr: 'Du' },
  'dashboard.to': { en: 'To', fr: 'Au' },
  'dashboard.show': { en: 'Show', fr: 'Afficher' },
  'dashboard.issued': { en: 'Issued', fr: 'Délivrés' },
  'dashboard.delivered': { en: 'Delivered', fr: 'Remis' },
  'dashboard.locked': { en: 'Locked', fr: 'Verrouillés' },
  'dashboard.verified': { en: 'Verified (public checks)', fr: 'Vérifiés (consultations publiques)' },
  'dashboard.refused': { en: 'Refused learners', fr: 'Apprenants refusés' },
  'dashboard.perWeek': { en: '{what} per week', fr: '{what} par semaine' },
  'dashboard.week': { en: 'Week of', fr: 'Semaine du' },
  'dashboard.count': { en: 'Count', fr: 'Nombre' },
  'dashboard.byReason': { en: 'Refusals by reason', fr: 'Refus par motif' },
  'dashboard.reason': { en: 'Reason', fr: 'Motif' },
  'dashboard.failing': { en: 'Certificates that refuse most', fr: 'Certificats qui refusent le plus' },
  'dashboard.certificate': { en: 'Certificate', fr: 'Certificat' },
  'dashboard.refusals': { en: 'Refusals', fr: 'Refus' },
  'dashboard.documents': { en: 'Documents checked most', fr: 'Documents les plus vérifiés' },
  'dashboard.code': { en: 'Code', fr: 'Code' },
  'dashboard.learner': { en: 'Learner id', fr: 'Identifiant de l’apprenant' },
  'dashboard.checks': { en: 'Checks', fr: 'Vérifications' },
  'dashboard.privacy': {
    en: 'Checks are counted per document and day; who checked is never recorded. Refusals are each learner’s last, per certificate.',
    fr: 'Les vérifications sont comptées par document et par jour ; qui a vérifié n’est jamais enregistré. Les refus sont le dernier de chaque apprenant, par certificat.',
  },
  'dashboard.nothing': { en: 'Nothing in this period.', fr: 'Rien sur cette période.' },
  'dashboard.chartLabel': { en: '{what} per week, {from} to {to}', fr: '{what} par semaine, du {from} au {to}' },

  'certificates.lmsId': { en: 'Id for the LMS', fr: 'Identifiant pour la plateforme' },
  'certificates.integration': { en: 'Use from an LMS', fr: 'Utiliser depuis une plateforme' },
  'certificates.integrationOf': { en: 'Use {name} from an LMS', fr: 'Utiliser {name} depuis une plateforme' },
  'certificates.curl': { en: 'With curl', fr: 'Avec curl' },
  'certificates.moodle': {
    en: 'From Moodle (PHP, in a plugin or a scheduled task)',
    fr: 'Depuis Moodle (PHP, dans un plugin ou une tâche planifiée)',
  },
  'certificates.tokenHint': {
    en: 'TOKEN is an API token carrying certificate:apply and learners:supply-data (Administration → API tokens).',
    fr: 'TOKEN est un jeton d’API portant certificate:apply et learners:supply-data (Administration → Jetons d’API).',
  },
  'delivery.learnerName': { en: 'Learner', fr: 'Apprenant' },
  'delivery.anyCertificate': { en: 'Any certificate', fr: 'Tous les certificats' },
  'delivery.checks': { en: 'Checks', fr: 'Vérif.' },
  'assets.limit': { en: 'At most {mb} MB per file.', fr: '{mb} Mo au plus par fichier.' },
  'assets.addToFrontMatter': { en: 'Add “{name}” to the front matter', fr: 'Ajouter « {name} » à l’en-tête' },
  'assets.inFrontMatter': { en: '“{name}” is named in the front matter.', fr: '« {name} » figure dans l’en-tête.' },
} as const satisfies Record<string, Entry>;

export type AdminMessageKey = keyof typeof MESSAGES;

/** The string for `key` in the current UI locale, `{name}` placeholders filled. */
export function ta(key: AdminMessageKey, params?: Readonly<Record<string, string | number>>): string {
  const locale = getLocale();
  return fill(MESSAGES[key][locale], params, locale);
}

export const ADMIN_MESSAGE_KEYS = Object.keys(MESSAGES) as AdminMessageKey[];
