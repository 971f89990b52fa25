import { fill, getLocale, type Locale } from '../i18n';

/**
 * The strings of the notification screens (webhook receivers and their deliveries, SMTP settings, a
 * certificate's mail, an issue's messages), fr and en: a table of its own beside messages.ts and
 * admin-messages.ts, for the same reason they have theirs. Same rules: both languages for every entry (a
 * missing one is a type error), `{name}` placeholders.
 */
type Entry = Readonly<Record<Locale, string>>;

const MESSAGES = {
  'admin.notifications': { en: 'Notifications', fr: 'Notifications' },

  'hooks.title': { en: 'Webhook receivers', fr: 'Destinataires des webhooks' },
  'hooks.intro': {
    en: 'Addresses Attest tells of each change of a document, in a signed POST (X-Attest-Signature).',
    fr: 'Adresses qu’Attest prévient de chaque changement d’un document, par un POST signé (X-Attest-Signature).',
  },
  'hooks.none': { en: 'No receiver yet.', fr: 'Aucun destinataire.' },
  'hooks.add': { en: 'Add a receiver', fr: 'Ajouter un destinataire' },
  'hooks.url': { en: 'Receiver URL', fr: 'URL du destinataire' },
  'hooks.events': { en: 'Events', fr: 'Événements' },
  'hooks.description': { en: 'Description (optional)', fr: 'Description (facultative)' },
  'hooks.created': {
    en: 'Receiver added. Its signing secret is shown this once: copy it into the receiver now.',
    fr: 'Destinataire ajouté. Son secret de signature n’est affiché qu’une fois : copiez-le dans le destinataire maintenant.',
  },
  'hooks.secret': { en: 'Signing secret', fr: 'Secret de signature' },
  'hooks.remove': { en: 'Remove', fr: 'Retirer' },
  'hooks.removeOf': { en: 'Remove the receiver {url}', fr: 'Retirer le destinataire {url}' },
  'hooks.removeConfirm': {
    en: 'Remove the receiver {url}? Its deliveries go with it.',
    fr: 'Retirer le destinataire {url} ? Ses envois disparaissent avec lui.',
  },
  'hooks.removed': { en: 'Receiver removed.', fr: 'Destinataire retiré.' },
  'hooks.deliveries': { en: 'Deliveries', fr: 'Envois' },
  'hooks.deliveriesOf': { en: 'Deliveries to {url}', fr: 'Envois vers {url}' },
  'hooks.noDeliveries': { en: 'No delivery yet.', fr: 'Aucun envoi.' },
  'hooks.delivery': { en: 'Delivery', fr: 'Envoi' },
  'hooks.event': { en: 'Event', fr: 'Événement' },
  'hooks.document': { en: 'Document', fr: 'Document' },
  'hooks.status': { en: 'Status', fr: 'État' },
  'hooks.status.pending': { en: 'Pending', fr: 'En attente' },
  'hooks.status.delivered': { en: 'Delivered', fr: 'Remis' },
  'hooks.status.failed': { en: 'Failed', fr: 'En échec' },
  'hooks.attempts': { en: 'Attempts', fr: 'Tentatives' },
  'hooks.nextAttempt': { en: 'Next attempt', fr: 'Prochaine tentative' },
  'hooks.attemptsOf': { en: 'Attempts of delivery {id}', fr: 'Tentatives de l’envoi {id}' },
  'hooks.showAttempts': { en: 'Attempts', fr: 'Tentatives' },
  'hooks.showAttemptsOf': { en: 'Attempts of delivery {id}', fr: 'Tentatives de l’envoi {id}' },
  'hooks.noAttempt': { en: 'Not attempted yet.', fr: 'Pas encore tenté.' },
  'hooks.attempt': { en: '#', fr: 'n°' },
  'hooks.startedAt': { en: 'When', fr: 'Quand' },
  'hooks.answer': { en: 'HTTP status or error', fr: 'Statut HTTP ou erreur' },
  'hooks.duration': { en: 'Duration', fr: 'Durée' },
  'hooks.ms': { en: '{ms} ms', fr: '{ms} ms' },
  'hooks.snippet': { en: 'Start of the answer', fr: 'Début de la réponse' },
  'hooks.replay': { en: 'Replay', fr: 'Renvoyer' },
  'hooks.replayOf': { en: 'Replay delivery {id}', fr: 'Renvoyer l’envoi {id}' },
  'hooks.replayed': {
    en: 'Delivery {id} is due again now; it goes at the next round of the queue.',
    fr: 'L’envoi {id} est de nouveau dû ; il part au prochain passage de la file.',
  },

  'smtp.title': { en: 'Mail server (SMTP)', fr: 'Serveur de courrier (SMTP)' },
  'smtp.intro': {
    en: 'Mail of this organisation goes through this server, from the address below.',
    fr: 'Le courrier de cet organisme passe par ce serveur, depuis l’adresse ci-dessous.',
  },
  'smtp.none': {
    en: 'No mail server set: messages wait until one is.',
    fr: 'Aucun serveur défini : les messages attendent qu’il le soit.',
  },
  'smtp.host': { en: 'Host', fr: 'Hôte' },
  'smtp.port': { en: 'Port', fr: 'Port' },
  'smtp.security': { en: 'Security', fr: 'Sécurité' },
  'smtp.security.starttls': { en: 'STARTTLS when offered (port 587)', fr: 'STARTTLS si proposé (port 587)' },
  'smtp.security.tls': { en: 'TLS from the start (port 465)', fr: 'TLS dès la connexion (port 465)' },
  'smtp.user': { en: 'User name (optional)', fr: 'Identifiant (facultatif)' },
  'smtp.password': { en: 'Password', fr: 'Mot de passe' },
  'smtp.passwordSet': {
    en: 'A password is set; it is never shown. Leave empty to keep it.',
    fr: 'Un mot de passe est enregistré ; il n’est jamais affiché. Laissez vide pour le garder.',
  },
  'smtp.passwordNone': { en: 'No password set.', fr: 'Aucun mot de passe enregistré.' },
  'smtp.from': { en: 'From address', fr: 'Adresse d’expédition' },
  'smtp.saved': { en: 'Mail server saved.', fr: 'Serveur de courrier enregistré.' },
  'smtp.updated': { en: 'Last changed {at}', fr: 'Modifié le {at}' },

  'mail.open': { en: 'Mail', fr: 'Courriel' },
  'mail.openOf': { en: 'Mail of {name}', fr: 'Courriel de {name}' },
  'mail.title': { en: 'Mail of {name}', fr: 'Courriel de {name}' },
  'mail.learner': { en: 'To the learner', fr: 'À l’apprenant' },
  'mail.learner.none': { en: 'Nothing', fr: 'Rien' },
  'mail.learner.attachment': { en: 'The document attached', fr: 'Le document en pièce jointe' },
  'mail.learner.link': { en: 'A signed download link', fr: 'Un lien de téléchargement signé' },
  'mail.teachers': { en: 'Tell the teachers a document was awarded', fr: 'Prévenir les enseignants qu’un document a été délivré' },
  'mail.others': {
    en: 'Other addresses told of each award (one per line)',
    fr: 'Autres adresses prévenues de chaque délivrance (une par ligne)',
  },
  'mail.words': { en: 'Words', fr: 'Textes' },
  'mail.locale': { en: 'Language of the message', fr: 'Langue du message' },
  'mail.which': { en: 'Message', fr: 'Message' },
  'mail.which.document': { en: 'To the learner (the document)', fr: 'À l’apprenant (le document)' },
  'mail.which.award': { en: 'Notice of the award (teachers, others)', fr: 'Avis de délivrance (enseignants, autres)' },
  'mail.subject': { en: 'Subject', fr: 'Objet' },
  'mail.text': { en: 'Body (text)', fr: 'Corps (texte)' },
  'mail.html': { en: 'Body (HTML, optional)', fr: 'Corps (HTML, facultatif)' },
  'mail.hint': {
    en: 'Liquid over the catalogue’s variables ({{ learner.fullname }}, {{ course.fullname }}, {{ certificate.code }}…) and mail.link in link mode.',
    fr: 'Liquid sur les variables du catalogue ({{ learner.fullname }}, {{ course.fullname }}, {{ certificate.code }}…) et mail.link en mode lien.',
  },
  'mail.default': {
    en: 'These are the default words: saving them makes them this certificate’s own.',
    fr: 'Ce sont les textes par défaut : les enregistrer en fait ceux de ce certificat.',
  },
  'mail.persona': { en: 'Sample learner', fr: 'Apprenant d’exemple' },
  'mail.preview': { en: 'Preview', fr: 'Aperçu' },
  'mail.previewOf': { en: 'The message as {name} gets it', fr: 'Le message tel que {name} le reçoit' },
  'mail.noPreview': { en: 'No preview: fix the errors above.', fr: 'Pas d’aperçu : corrigez les erreurs ci-dessus.' },
  'mail.problems': { en: 'Problems', fr: 'Problèmes' },
  'mail.noProblems': { en: 'No problem found.', fr: 'Aucun problème.' },
  'mail.at': { en: '{part}, line {line}, column {column}', fr: '{part}, ligne {line}, colonne {column}' },
  'mail.saved': { en: 'Mail settings saved.', fr: 'Réglages du courriel enregistrés.' },

  'messages.open': { en: 'Mail', fr: 'Courriels' },
  'messages.openOf': { en: 'Mail of {code}', fr: 'Courriels de {code}' },
  'messages.title': { en: 'Mail of {code}', fr: 'Courriels de {code}' },
  'messages.none': { en: 'No message for this document.', fr: 'Aucun message pour ce document.' },
  'messages.recipient': { en: 'Recipient', fr: 'Destinataire' },
  'messages.kind': { en: 'To', fr: 'Pour' },
  'messages.kind.learner': { en: 'learner', fr: 'apprenant' },
  'messages.kind.teacher': { en: 'teacher', fr: 'enseignant' },
  'messages.kind.other': { en: 'other', fr: 'autre' },
  'messages.status': { en: 'Status', fr: 'État' },
  'messages.status.queued': { en: 'Queued', fr: 'En file' },
  'messages.status.sent': { en: 'Sent', fr: 'Envoyé' },
  'messages.status.deferred': { en: 'Deferred', fr: 'Différé' },
  'messages.status.failed': { en: 'Failed', fr: 'En échec' },
  'messages.answer': { en: 'SMTP answer', fr: 'Réponse SMTP' },
  'messages.when': { en: 'Sent or next attempt', fr: 'Envoi ou prochaine tentative' },
  'messages.resend': { en: 'Resend', fr: 'Renvoyer' },
  'messages.resendOf': { en: 'Resend to {recipient}', fr: 'Renvoyer à {recipient}' },
  'messages.resent': { en: 'The message to {recipient} is queued again.', fr: 'Le message à {recipient} est de nouveau en file.' },
} as const satisfies Record<string, Entry>;

export type NotifyMessageKey = keyof typeof MESSAGES;

/** The string for `key` in the current UI locale, `{name}` placeholders filled. */
export function tn(key: NotifyMessageKey, params?: Readonly<Record<string, string | number>>): string {
  const locale = getLocale();
  return fill(MESSAGES[key][locale], params, locale);
}

export const NOTIFY_MESSAGE_KEYS = Object.keys(MESSAGES) as NotifyMessageKey[];
