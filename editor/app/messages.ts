import { getLocale, formatNumber, type Locale } from '../i18n';

/**
 * The app screens' strings, fr and en. A table of its own beside editor/i18n.ts (which holds the shared
 * components' strings) so the two can grow without editing each other; same rules: every entry has both
 * languages (a missing one is a type error), `{name}` placeholders, numbers formatted in the locale.
 */
type Entry = Readonly<Record<Locale, string>>;

const MESSAGES = {
  'app.title': { en: 'Attest', fr: 'Attest' },
  'app.loading': { en: 'Loading…', fr: 'Chargement…' },
  'app.skip': { en: 'Skip to content', fr: 'Aller au contenu' },
  'app.notFound': { en: 'This page does not exist.', fr: 'Cette page n’existe pas.' },
  'app.forbidden': { en: 'You may not see this page.', fr: 'Vous n’avez pas accès à cette page.' },
  'app.error': { en: 'Error {code}: {message}', fr: 'Erreur {code} : {message}' },
  'app.close': { en: 'Close', fr: 'Fermer' },
  'app.cancel': { en: 'Cancel', fr: 'Annuler' },
  'app.confirm': { en: 'Confirm', fr: 'Confirmer' },
  'app.save': { en: 'Save', fr: 'Enregistrer' },
  'app.refresh': { en: 'Refresh', fr: 'Actualiser' },

  'signIn.title': { en: 'Sign in', fr: 'Connexion' },
  'signIn.tenant': { en: 'Organisation', fr: 'Organisation' },
  'signIn.username': { en: 'Username', fr: 'Identifiant' },
  'signIn.password': { en: 'Password', fr: 'Mot de passe' },
  'signIn.submit': { en: 'Sign in', fr: 'Se connecter' },
  'signIn.busy': { en: 'Signing in…', fr: 'Connexion…' },

  'nav.label': { en: 'Main', fr: 'Principal' },
  'nav.templates': { en: 'Templates', fr: 'Modèles' },
  'nav.certificates': { en: 'Certificates', fr: 'Certificats' },
  'nav.delivery': { en: 'Delivery', fr: 'Délivrance' },
  'nav.verify': { en: 'Verification', fr: 'Vérification' },
  'header.signedIn': { en: '{name} · {tenant}', fr: '{name} · {tenant}' },
  'header.signOut': { en: 'Sign out', fr: 'Se déconnecter' },

  'templates.title': { en: 'Templates', fr: 'Modèles' },
  'templates.search': { en: 'Search templates', fr: 'Rechercher un modèle' },
  'templates.example': { en: 'Example', fr: 'Exemple' },
  'templates.create': { en: 'Create from example', fr: 'Créer depuis l’exemple' },
  'templates.createEmpty': { en: 'New empty template', fr: 'Nouveau modèle vide' },
  'templates.name': { en: 'Name', fr: 'Nom' },
  'templates.updated': { en: 'Updated', fr: 'Modifié' },
  'templates.versions': { en: 'Versions', fr: 'Versions' },
  'templates.actions': { en: 'Actions', fr: 'Actions' },
  'templates.open': { en: 'Edit', fr: 'Modifier' },
  'templates.duplicate': { en: 'Duplicate', fr: 'Dupliquer' },
  'templates.delete': { en: 'Delete draft', fr: 'Supprimer le brouillon' },
  'templates.deleteConfirm': { en: 'Delete the template “{name}”? It was never published.', fr: 'Supprimer le modèle « {name} » ? Il n’a jamais été publié.' },
  'templates.draftOnly': { en: 'Draft, never published', fr: 'Brouillon, jamais publié' },
  'templates.version': { en: 'v{number}, {date}', fr: 'v{number}, {date}' },
  'templates.usedBy': { en: 'used by {names}', fr: 'utilisée par {names}' },
  'templates.unused': { en: 'not used', fr: 'non utilisée' },
  'templates.none': { en: 'No template matches.', fr: 'Aucun modèle ne correspond.' },

  'editor.name': { en: 'Template name', fr: 'Nom du modèle' },
  'editor.source': { en: 'Template source', fr: 'Source du modèle' },
  'editor.save': { en: 'Save (Ctrl+S)', fr: 'Enregistrer (Ctrl+S)' },
  'editor.saved': { en: 'Saved', fr: 'Enregistré' },
  'editor.saving': { en: 'Saving…', fr: 'Enregistrement…' },
  'editor.unsaved': { en: 'Unsaved changes', fr: 'Modifications non enregistrées' },
  'editor.publish': { en: 'Publish', fr: 'Publier' },
  'editor.published': { en: 'Published version {number}.', fr: 'Version {number} publiée.' },
  'editor.publishFailed': { en: 'Not published: {count} problem(s).', fr: 'Non publié : {count} problème(s).' },
  'editor.problems': { en: '{errors} error(s), {warnings} warning(s)', fr: '{errors} erreur(s), {warnings} avertissement(s)' },
  'editor.noProblems': { en: 'No problems', fr: 'Aucun problème' },
  'editor.back': { en: 'All templates', fr: 'Tous les modèles' },
  'editor.tabs': { en: 'Side panels', fr: 'Panneaux' },
  'editor.tab.sample': { en: 'Sample', fr: 'Exemple' },
  'editor.tab.variables': { en: 'Variables', fr: 'Variables' },
  'editor.tab.assets': { en: 'Assets', fr: 'Ressources' },
  'editor.tab.versions': { en: 'Versions', fr: 'Versions' },
  'editor.previewMs': { en: 'Preview in {ms} ms', fr: 'Aperçu en {ms} ms' },
  'editor.moveRefused': { en: 'Not moved: {reason}', fr: 'Non déplacé : {reason}' },

  'assets.title': { en: 'Assets', fr: 'Ressources' },
  'assets.name': { en: 'Name used in the front matter', fr: 'Nom utilisé dans l’en-tête' },
  'assets.file': { en: 'File (PDF, PNG, JPEG, TTF, OTF)', fr: 'Fichier (PDF, PNG, JPEG, TTF, OTF)' },
  'assets.upload': { en: 'Upload', fr: 'Envoyer' },
  'assets.uploaded': { en: 'Uploaded {name}.', fr: '{name} envoyé.' },
  'assets.delete': { en: 'Delete {name}', fr: 'Supprimer {name}' },
  'assets.none': { en: 'No asset yet.', fr: 'Aucune ressource.' },
  'assets.size': { en: '{size} KB', fr: '{size} Ko' },
  'assets.view': { en: 'Open', fr: 'Ouvrir' },

  'versions.title': { en: 'Versions', fr: 'Versions' },
  'versions.left': { en: 'Compare', fr: 'Comparer' },
  'versions.right': { en: 'with', fr: 'avec' },
  'versions.draft': { en: 'Draft (current source)', fr: 'Brouillon (source actuelle)' },
  'versions.compare': { en: 'Compare', fr: 'Comparer' },
  'versions.none': { en: 'No published version yet.', fr: 'Aucune version publiée.' },

  'certificates.title': { en: 'Certificates', fr: 'Certificats' },
  'certificates.new': { en: 'New certificate', fr: 'Nouveau certificat' },
  'certificates.edit': { en: 'Edit', fr: 'Modifier' },
  'certificates.name': { en: 'Name', fr: 'Nom' },
  'certificates.template': { en: 'Template version', fr: 'Version du modèle' },
  'certificates.course': { en: 'Course id (LMS)', fr: 'Identifiant du cours (LMS)' },
  'certificates.delivery': { en: 'Delivery', fr: 'Remise' },
  'certificates.delivery.inline': { en: 'Shown in the browser', fr: 'Affiché dans le navigateur' },
  'certificates.delivery.download': { en: 'Downloaded as a file', fr: 'Téléchargé en fichier' },
  'certificates.delivery.staff': { en: 'Handed out by staff only', fr: 'Remis par l’équipe seulement' },
  'certificates.minGrade': { en: 'Minimum grade (%)', fr: 'Note minimale (%)' },
  'certificates.minTime': { en: 'Minimum time spent (minutes)', fr: 'Temps minimal passé (minutes)' },
  'certificates.validity': { en: 'Validity (days)', fr: 'Validité (jours)' },
  'certificates.windowStart': { en: 'Issue window from', fr: 'Délivrance à partir du' },
  'certificates.windowEnd': { en: 'Issue window until', fr: 'Délivrance jusqu’au' },
  'certificates.saved': { en: 'Certificate saved.', fr: 'Certificat enregistré.' },
  'certificates.none': { en: 'No certificate yet.', fr: 'Aucun certificat.' },
  'certificates.settings': { en: 'Rules', fr: 'Règles' },
  'certificates.chooseVersion': { en: 'Choose a published version', fr: 'Choisissez une version publiée' },

  'delivery.title': { en: 'Delivery', fr: 'Délivrance' },
  'delivery.filters': { en: 'Filters', fr: 'Filtres' },
  'delivery.state': { en: 'State', fr: 'État' },
  'delivery.any': { en: 'Any', fr: 'Tous' },
  'delivery.state.issued': { en: 'Issued', fr: 'Délivré' },
  'delivery.state.revoked': { en: 'Revoked', fr: 'Révoqué' },
  'delivery.state.expired': { en: 'Expired', fr: 'Expiré' },
  'delivery.locked': { en: 'Lock', fr: 'Verrou' },
  'delivery.locked.true': { en: 'Locked', fr: 'Verrouillé' },
  'delivery.locked.false': { en: 'Unlocked', fr: 'Déverrouillé' },
  'delivery.learner': { en: 'Learner id', fr: 'Identifiant de l’apprenant' },
  'delivery.from': { en: 'Issued from', fr: 'Délivré depuis le' },
  'delivery.to': { en: 'Issued until', fr: 'Délivré jusqu’au' },
  'delivery.apply': { en: 'Apply filters', fr: 'Appliquer les filtres' },
  'delivery.selectAll': { en: 'Select all documents', fr: 'Sélectionner tous les documents' },
  'delivery.select': { en: 'Select {code}', fr: 'Sélectionner {code}' },
  'delivery.selected': { en: '{count} selected', fr: '{count} sélectionné(s)' },
  'delivery.unlock': { en: 'Unlock', fr: 'Déverrouiller' },
  'delivery.lock': { en: 'Lock', fr: 'Verrouiller' },
  'delivery.regenerate': { en: 'Regenerate', fr: 'Régénérer' },
  'delivery.revoke': { en: 'Revoke', fr: 'Révoquer' },
  'delivery.reason': { en: 'Reason', fr: 'Motif' },
  'delivery.reasonOptional': { en: 'Reason (optional)', fr: 'Motif (facultatif)' },
  'delivery.actionTitle': { en: '{action}: {count} document(s)', fr: '{action} : {count} document(s)' },
  'delivery.done': { en: '{ok} done, {failed} failed', fr: '{ok} fait(s), {failed} en échec' },
  'delivery.code': { en: 'Code', fr: 'Code' },
  'delivery.certificate': { en: 'Certificate', fr: 'Certificat' },
  'delivery.issuedOn': { en: 'Issued on', fr: 'Délivré le' },
  'delivery.expiresOn': { en: 'Expires', fr: 'Expire le' },
  'delivery.revision': { en: 'Rev.', fr: 'Rév.' },
  'delivery.verify': { en: 'Verify', fr: 'Vérifier' },
  'delivery.audit': { en: 'Audit trail', fr: 'Historique' },
  'delivery.auditOf': { en: 'Audit trail of {code}', fr: 'Historique de {code}' },
  'delivery.pdf': { en: 'PDF', fr: 'PDF' },
  'delivery.none': { en: 'No document matches.', fr: 'Aucun document ne correspond.' },
  'delivery.more': { en: 'More', fr: 'Suite' },
  'delivery.refusals': { en: 'Refused learners', fr: 'Apprenants refusés' },
  'delivery.noRefusals': { en: 'No refusal.', fr: 'Aucun refus.' },
  'delivery.at': { en: 'When', fr: 'Quand' },
  'delivery.actor': { en: 'Who', fr: 'Qui' },
  'delivery.action': { en: 'What', fr: 'Quoi' },
  'delivery.reasons': { en: 'Reasons', fr: 'Motifs' },
  'delivery.yes': { en: 'yes', fr: 'oui' },
  'delivery.no': { en: 'no', fr: 'non' },
} as const satisfies Record<string, Entry>;

export type AppMessageKey = keyof typeof MESSAGES;

/** The string for `key` in the current UI locale, `{name}` placeholders filled. */
export function tr(key: AppMessageKey, params?: Readonly<Record<string, string | number>>): string {
  const locale = getLocale();
  const template = MESSAGES[key][locale];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, undefined, locale) : value;
  });
}

export const APP_MESSAGE_KEYS = Object.keys(MESSAGES) as AppMessageKey[];
