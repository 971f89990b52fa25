import type { FailureKind } from './errors';
import { REASON_MESSAGES, type ReasonCode } from './reasons';
import { MAX_INPUT_DEPTH } from './input';
import { MAX_STATS_DAYS } from './stats-range';

/**
 * Every code the server can answer, in one place: what kind of failure it is (the HTTP adapter maps kinds
 * to statuses), the sentence a caller reads in English and in French, and a one-line meaning for the
 * README's index. Throw sites keep an English message of their own for the logs; what the client reads
 * comes from here, in the caller's language, so a code means the same words wherever it is thrown.
 *
 * Messages take named parameters from the error's `details` (and, for problems, from the problem's
 * `params`); a message never needs a parameter the throw site does not give, so every one reads whole.
 */
export type Locale = 'fr' | 'en';
export const LOCALES: readonly Locale[] = ['en', 'fr'];

/** Failures the domain raises, plus the few only the HTTP layer can meet (unreadable bytes, our own bugs). */
export type AnswerKind = FailureKind | 'unsupported-media' | 'headers-too-large' | 'timeout' | 'internal';

export type Params = Readonly<Record<string, unknown>>;
type Message = string | ((p: Params) => string);

export interface ErrorCodeEntry {
  kind: AnswerKind;
  en: Message;
  fr: Message;
  /** For integrators: when this answer comes and what to do about it. */
  meaning: string;
  /** A code that also names a reason in `reasons` of a refusal or a withheld document. */
  reason?: true;
}

const fromReason = (code: ReasonCode, kind: AnswerKind, meaning: string): ErrorCodeEntry => ({
  kind,
  en: (p) => REASON_MESSAGES[code].en(...argsOf(p)),
  fr: (p) => REASON_MESSAGES[code].fr(...argsOf(p)),
  meaning,
  reason: true,
});
const argsOf = (p: Params): string[] => (Array.isArray(p.args) ? p.args.map(String) : []);
const q = (v: unknown) => `"${String(v)}"`;
/** A parameter that is text or a number, else what to say instead. */
const val = (v: unknown, otherwise: string): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : otherwise);

export const ERROR_CODES = {
  // Reaching the server at all.
  AUTHENTICATION_REQUIRED: {
    kind: 'unauthenticated',
    en: 'Sign in, or send an API token as "Authorization: Bearer <token>".',
    fr: 'Connectez-vous, ou envoyez un jeton d’API : « Authorization: Bearer <jeton> ».',
    meaning: 'The operation needs a signed-in person or an API token and the request carried neither (or an ended session).',
  },
  TOKEN_INVALID: {
    kind: 'unauthenticated',
    en: 'The API token is missing, unknown, expired or revoked; send "Authorization: Bearer <token>".',
    fr: 'Le jeton d’API est absent, inconnu, expiré ou révoqué ; envoyez « Authorization: Bearer <jeton> ».',
    meaning: 'The Authorization header is not "Bearer" and a live token of a tenant (att_…) or of the operator (atop_…).',
  },
  SESSION_INVALID: {
    kind: 'unauthenticated',
    en: 'Your session has ended; sign in again.',
    fr: 'Votre session a pris fin ; reconnectez-vous.',
    meaning: 'The session cookie is unknown or expired.',
  },
  SIGN_IN_FAILED: {
    kind: 'unauthenticated',
    en: 'Unknown tenant, username or password.',
    fr: 'Organisation, identifiant ou mot de passe inconnu.',
    meaning: 'Sign-in refused; which of the three was wrong is not said.',
  },
  CAPABILITY_REQUIRED: {
    kind: 'forbidden',
    en: (p) => (p.capability ? `This needs the capability ${q(p.capability)}.` : 'This needs a capability you do not hold.'),
    fr: (p) => (p.capability ? `Il faut pour cela la capacité ${q(p.capability)}.` : 'Il faut pour cela une capacité que vous n’avez pas.'),
    meaning: 'The caller lacks the capability the operation checks (named in `details.capability`).',
  },
  OPERATOR_REQUIRED: {
    kind: 'forbidden',
    en: 'Only the operator token of the installation (atop_…) opens this operation; a tenant’s token or session does not.',
    fr: 'Seul le jeton d’opérateur de l’installation (atop_…) ouvre cette opération ; ni le jeton ni la session d’une organisation.',
    meaning: 'An operator operation (`/api/v1/operator/…`) was called with a tenant’s token or a session: send the operator token.',
  },
  OPERATOR_TOKEN_NOT_TENANT: {
    kind: 'forbidden',
    en: 'An operator token opens only the operator operations (/api/v1/operator/…); use a tenant’s API token or sign in.',
    fr: 'Un jeton d’opérateur n’ouvre que les opérations d’opérateur (/api/v1/operator/…) ; utilisez un jeton d’API de l’organisation ou connectez-vous.',
    meaning: 'An operator token (atop_…) was sent to an operation of a tenant: it belongs to no tenant and opens nothing inside one.',
  },
  CSRF_HEADER_MISSING: {
    kind: 'forbidden',
    en: 'Changes made with a session cookie must send the header "x-attest-csrf: 1".',
    fr: 'Les modifications faites avec un cookie de session doivent envoyer l’en-tête « x-attest-csrf: 1 ».',
    meaning: 'A change made with a session cookie came without the anti-forgery header.',
  },
  RATE_LIMITED: {
    kind: 'rate-limited',
    en: 'Too many requests from this address; wait for the seconds in Retry-After.',
    fr: 'Trop de requêtes depuis cette adresse ; attendez le nombre de secondes indiqué par Retry-After.',
    meaning:
      'Verification and sign-in are rate-limited per address, sign-in and password changes also per account; `Retry-After` says when to try again.',
  },
  LINK_INVALID: {
    kind: 'forbidden',
    en: 'This download link is not valid or has expired; ask for a new one.',
    fr: 'Ce lien de téléchargement n’est pas valide ou a expiré ; demandez-en un nouveau.',
    meaning: 'A signed download link whose signature does not match or whose time is over.',
  },

  // Reading the request.
  REQUEST_INVALID: {
    kind: 'invalid',
    en: 'The request is not valid; every problem is listed with its path.',
    fr: 'La requête n’est pas valide ; chaque problème est indiqué avec son chemin.',
    meaning: 'Path parameters, query or JSON body do not match the operation’s schema; `problems` lists each.',
  },
  BODY_NOT_JSON: {
    kind: 'malformed',
    en: 'The request body is not valid JSON (send it with Content-Type: application/json).',
    fr: 'Le corps de la requête n’est pas du JSON valide (envoyez-le avec Content-Type: application/json).',
    meaning: 'The body cannot be parsed as JSON, or is not labelled as JSON.',
  },
  BODY_TOO_LARGE: {
    kind: 'too-large',
    en: (p) =>
      typeof p.limit === 'number'
        ? `The request body is larger than this operation takes: ${p.limit} bytes at most.`
        : 'The request body is too large.',
    fr: (p) =>
      typeof p.limit === 'number'
        ? `Le corps de la requête dépasse ce que cette opération accepte : ${p.limit} octets au plus.`
        : 'Le corps de la requête est trop volumineux.',
    meaning: 'The body is over the operation’s limit (2 MB for JSON; uploads say theirs).',
  },
  BODY_ENCODING_UNSUPPORTED: {
    kind: 'unsupported-media',
    en: 'The body’s encoding or character set is not supported.',
    fr: 'L’encodage ou le jeu de caractères du corps n’est pas pris en charge.',
    meaning: 'Content-Encoding or charset the server does not read.',
  },
  BAD_REQUEST: {
    kind: 'malformed',
    en: 'The request could not be read.',
    fr: 'La requête n’a pas pu être lue.',
    meaning: 'The body could not be read (for example cut short).',
  },
  REQUEST_MALFORMED: {
    kind: 'malformed',
    en: 'The request is not valid HTTP/1.1.',
    fr: 'La requête n’est pas du HTTP/1.1 valide.',
    meaning: 'Bytes that are not HTTP; answered before any route.',
  },
  HEADERS_TOO_LARGE: {
    kind: 'headers-too-large',
    en: 'The request’s headers are larger than 16 KB.',
    fr: 'Les en-têtes de la requête dépassent 16 Ko.',
    meaning: 'Headers over 16 KB; answered before any route.',
  },
  REQUEST_TIMEOUT: {
    kind: 'timeout',
    en: 'The request took too long to arrive.',
    fr: 'La requête a mis trop de temps à arriver.',
    meaning: 'The client was too slow sending its request.',
  },
  ROUTE_NOT_FOUND: {
    kind: 'not-found',
    en: 'No operation has this method and path; see /api/v1/openapi.json.',
    fr: 'Aucune opération n’a cette méthode et ce chemin ; voir /api/v1/openapi.json.',
    meaning: 'Nothing under /api answers this method and path.',
  },
  NOT_FOUND: {
    kind: 'not-found',
    en: 'This does not exist.',
    fr: 'Cela n’existe pas.',
    meaning: 'Nothing at this address, or an object (tenant, token) that does not exist here.',
  },
  IDEMPOTENCY_KEY_INVALID: {
    kind: 'invalid',
    en: 'Idempotency-Key is 1 to 200 visible ASCII characters.',
    fr: 'Idempotency-Key compte de 1 à 200 caractères ASCII visibles.',
    meaning: 'The Idempotency-Key header is empty, too long or not visible ASCII.',
  },
  BODY_NOT_UTF8: {
    kind: 'malformed',
    en: 'The request body is not valid UTF-8.',
    fr: 'Le corps de la requête n’est pas de l’UTF-8 valide.',
    meaning: 'A JSON or webhook body has bytes that are not UTF-8; nothing is replaced silently.',
  },
  QUERY_NOT_UTF8: {
    kind: 'malformed',
    en: 'The query string is not valid percent-encoded UTF-8.',
    fr: 'La chaîne de requête n’est pas de l’UTF-8 correctement encodé en pourcentage.',
    meaning: 'The query string’s percent-encoding does not decode to UTF-8.',
  },
  ROLE_NOT_HELD: {
    kind: 'invalid',
    en: 'You can give only roles whose capabilities you hold.',
    fr: 'Vous ne pouvez attribuer que des rôles dont vous détenez les capacités.',
    meaning: 'A person was to get a role granting capabilities the caller lacks; each role is a problem at `roles[i]`.',
  },
  ROLE_CAPABILITIES_INVALID: {
    kind: 'invalid',
    en: 'A role can grant only capabilities that exist and that you hold.',
    fr: 'Un rôle ne peut accorder que des capacités qui existent et que vous détenez.',
    meaning: 'A role was to grant an unknown capability or one the caller lacks.',
  },
  ROLE_OUTRANKS_YOU: {
    kind: 'forbidden',
    en: (p) =>
      `This role grants capabilities you do not hold${Array.isArray(p.capabilities) ? ` (${p.capabilities.join(', ')})` : ''}; only someone holding them can change it.`,
    fr: (p) =>
      `Ce rôle accorde des capacités que vous ne détenez pas${Array.isArray(p.capabilities) ? ` (${p.capabilities.join(', ')})` : ''} ; seul quelqu’un qui les détient peut le modifier.`,
    meaning: 'Changing a role that grants more than the caller holds (emptying the admin role would be a takeover).',
  },
  PERSON_OUTRANKS_YOU: {
    kind: 'forbidden',
    en: (p) =>
      `This person holds capabilities you do not${Array.isArray(p.capabilities) ? ` (${p.capabilities.join(', ')})` : ''}; only someone holding them can change this person.`,
    fr: (p) =>
      `Cette personne détient des capacités que vous n’avez pas${Array.isArray(p.capabilities) ? ` (${p.capabilities.join(', ')})` : ''} ; seul quelqu’un qui les détient peut la modifier.`,
    meaning: 'Disabling, deleting, resetting or signing out someone who holds more than the caller.',
  },
  PERSON_IS_YOU: {
    kind: 'conflict',
    en: 'You cannot do this to yourself; change your own password with your current one (PUT /api/v1/me/password).',
    fr: 'Vous ne pouvez pas faire cela sur vous-même ; changez votre mot de passe avec l’actuel (PUT /api/v1/me/password).',
    meaning: 'A manager acted on their own account with an operation meant for others.',
  },
  PERSON_REQUIRED: {
    kind: 'forbidden',
    en: 'Only a signed-in person has a password to change.',
    fr: 'Seule une personne connectée a un mot de passe à changer.',
    meaning: 'An API token called an operation that only a signed-in person can.',
  },
  PASSWORD_WRONG: {
    kind: 'invalid',
    en: 'The current password is not right.',
    fr: 'Le mot de passe actuel n’est pas le bon.',
    meaning: 'Changing one’s password needs the current one (`current_password`).',
  },
  TOKEN_EXPIRY_INVALID: {
    kind: 'invalid',
    en: 'A token’s expiry is a date and time in the future, and no later than the token that makes it.',
    fr: 'L’expiration d’un jeton est une date et heure à venir, et pas après celle du jeton qui le crée.',
    meaning: '`expires_at` is in the past, or after the expiry of the token creating it.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    kind: 'invalid',
    en: 'This Idempotency-Key was used for a different request (another body, operation or caller); use a new key.',
    fr: 'Cette clé Idempotency-Key a déjà servi pour une autre requête (autre corps, opération ou appelant) ; utilisez une nouvelle clé.',
    meaning: 'The key was first sent with another body, path or caller; use a new key.',
  },
  IDEMPOTENCY_RETRY: {
    kind: 'conflict',
    en: 'The first request with this Idempotency-Key failed; send it again.',
    fr: 'La première requête avec cette Idempotency-Key a échoué ; renvoyez-la.',
    meaning: 'The request that first used the key failed without an answer; sending it again is safe.',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    kind: 'conflict',
    en: 'A request with this Idempotency-Key is still running; try again shortly.',
    fr: 'Une requête avec cette Idempotency-Key est encore en cours ; réessayez dans un instant.',
    meaning: 'The first request with this key is still being answered.',
  },
  INTERNAL: {
    kind: 'internal',
    en: 'Something went wrong on our side; the request id helps find it.',
    fr: 'Une erreur s’est produite de notre côté ; l’identifiant de la requête permet de la retrouver.',
    meaning: 'A bug or an outage of ours; the logs have the details under `requestId`.',
  },
  RESPONSE_INVALID: {
    kind: 'internal',
    en: 'The server produced an answer that does not match its own API description.',
    fr: 'Le serveur a produit une réponse qui ne correspond pas à sa propre description d’API.',
    meaning: 'A bug of ours: the answer did not match the OpenAPI document, so it was not sent.',
  },

  // Templates and their assets.
  TEMPLATE_NOT_FOUND: {
    kind: 'not-found',
    en: 'The template does not exist.',
    fr: 'Le modèle n’existe pas.',
    meaning: 'No template with this id in the caller’s tenant.',
  },
  VERSION_NOT_FOUND: {
    kind: 'not-found',
    en: 'The template version does not exist.',
    fr: 'La version du modèle n’existe pas.',
    meaning: 'No published version with this id or number.',
  },
  TEMPLATE_NAME_REQUIRED: {
    kind: 'invalid',
    en: 'A template needs a name.',
    fr: 'Un modèle doit avoir un nom.',
    meaning: 'The template’s name is empty.',
  },
  EXAMPLE_UNKNOWN: {
    kind: 'invalid',
    en: 'No bundled example has this name; see GET /api/v1/examples.',
    fr: 'Aucun exemple fourni ne porte ce nom ; voir GET /api/v1/examples.',
    meaning: 'createTemplate named an example that is not bundled.',
  },
  SOURCE_TOO_LARGE: {
    kind: 'too-large',
    en: 'A template source is limited to 500,000 characters.',
    fr: 'La source d’un modèle est limitée à 500 000 caractères.',
    meaning: 'The template source is over 500,000 characters.',
  },
  TEMPLATE_PUBLISHED: {
    kind: 'conflict',
    en: 'A template with published versions cannot be deleted; its versions are the record of issued documents.',
    fr: 'Un modèle qui a des versions publiées ne peut pas être supprimé : elles sont la trace des documents délivrés.',
    meaning: 'deleteTemplate on a template that was published.',
  },
  TEMPLATE_HAS_ERRORS: {
    kind: 'invalid',
    en: 'The template has errors (found by compiling it, or by rendering it for the sample learners); fix them before publishing.',
    fr: 'Le modèle contient des erreurs (à la compilation, ou au rendu pour les apprenants d’exemple) ; corrigez-les avant de publier.',
    meaning:
      'Publishing refused; `details.errors` lists what blocks it, `details.warnings` what would reach every issued document, each with its position (`details.diagnostics` holds both).',
  },
  ASSET_NAME_INVALID: {
    kind: 'invalid',
    en: 'An asset name is letters, digits, dots, dashes and underscores, optionally in up to four folders ("assets/seal.png").',
    fr: 'Un nom de ressource est fait de lettres, chiffres, points, tirets et soulignés, dans quatre dossiers au plus (« assets/seal.png »).',
    meaning: 'The asset name in the path is not a safe relative file name.',
  },
  ASSET_EMPTY: {
    kind: 'invalid',
    en: 'The uploaded file is empty.',
    fr: 'Le fichier envoyé est vide.',
    meaning: 'An asset upload with no bytes.',
  },
  ASSET_TOO_LARGE: {
    kind: 'too-large',
    en: 'Assets are limited to 20 MB.',
    fr: 'Les ressources sont limitées à 20 Mo.',
    meaning: 'An asset over 20 MB.',
  },
  ASSET_TYPE_UNSUPPORTED: {
    kind: 'invalid',
    en: 'This file is not a PDF, PNG, JPEG, TrueType or OpenType font.',
    fr: 'Ce fichier n’est ni un PDF, ni une image PNG ou JPEG, ni une police TrueType ou OpenType.',
    meaning: 'The asset’s bytes are none of the accepted kinds (checked by content, not by name).',
  },
  ASSET_NOT_FOUND: {
    kind: 'not-found',
    en: 'The asset does not exist.',
    fr: 'La ressource n’existe pas.',
    meaning: 'No asset of this name in the template’s draft.',
  },
  PREVIEW_DATA_AMBIGUOUS: {
    kind: 'invalid',
    en: 'Give at most one of persona, data and issue.',
    fr: 'Donnez au plus un élément parmi persona, data et issue.',
    meaning: 'A preview named more than one source of sample data.',
  },
  PREVIEW_TEMPLATE_REQUIRED: {
    kind: 'invalid',
    en: 'Name a template (and optionally a version) or give a source.',
    fr: 'Indiquez un modèle (et éventuellement une version) ou donnez une source.',
    meaning: 'A preview with nothing to render.',
  },
  PERSONA_UNKNOWN: {
    kind: 'invalid',
    en: 'No sample learner has this name; see GET /api/v1/personas.',
    fr: 'Aucun apprenant d’exemple ne porte ce nom ; voir GET /api/v1/personas.',
    meaning: 'A preview named a sample learner that is not bundled.',
  },
  RENDER_BUSY: {
    kind: 'busy',
    en: 'Every document maker is busy; try again in the seconds given by Retry-After.',
    fr: 'Tous les moteurs de rendu sont occupés ; réessayez après le nombre de secondes indiqué par Retry-After.',
    meaning: 'The render queue is full; `Retry-After` says when to come back.',
  },
  RENDER_CLOSED: {
    kind: 'busy',
    en: 'The server is shutting down; try again in a moment.',
    fr: 'Le serveur s’arrête ; réessayez dans un instant.',
    meaning: 'The server is stopping and takes no new render; another replica (or this one restarted) will.',
  },

  // Certificates and their documents.
  CERTIFICATE_NOT_FOUND: {
    kind: 'not-found',
    en: 'The certificate does not exist.',
    fr: 'Le certificat n’existe pas.',
    meaning: 'No certificate with this id in the caller’s tenant.',
  },
  CERTIFICATE_SETTINGS_INVALID: {
    kind: 'invalid',
    en: 'The certificate settings are not valid; every problem is listed with its path.',
    fr: 'Les réglages du certificat ne sont pas valides ; chaque problème est indiqué avec son chemin.',
    meaning: 'Delivery settings that do not validate (after merging, for a change).',
  },
  LEARNER_ID_INVALID: {
    kind: 'invalid',
    en: 'learner_id is 1 to 200 characters.',
    fr: 'learner_id compte de 1 à 200 caractères.',
    meaning: 'The learner id is empty or too long.',
  },
  OTHER_LEARNER: {
    kind: 'forbidden',
    en: 'You can only ask for your own documents.',
    fr: 'Vous ne pouvez demander que vos propres documents.',
    meaning: 'A learner asked about someone else’s document.',
  },
  LEARNER_DATA_FROM_LMS: {
    kind: 'forbidden',
    en: 'Learner data comes from the LMS or a manager (the capability "learners:supply-data"), never from the learner: a learner asks without data (POST …/issues/from-record) that the record Attest holds be evaluated.',
    fr: 'Les données de l’apprenant viennent de la plateforme ou d’un responsable (capacité « learners:supply-data »), jamais de l’apprenant : un apprenant demande sans données (POST …/issues/from-record) que le dossier détenu par Attest soit évalué.',
    meaning: 'A caller without `learners:supply-data` sent learner data; a learner asks with `requestDocumentFromRecord` instead.',
  },
  LEARNER_ID_REQUIRED: {
    kind: 'invalid',
    en: 'Say which learner: learner_id.',
    fr: 'Indiquez quel apprenant : learner_id.',
    meaning: 'A staff request for a record evaluation named no learner.',
  },
  LEARNER_ID_RESERVED: {
    kind: 'invalid',
    en: 'Learner ids starting with "person:" name people who sign in to Attest; send the LMS’s own learner id.',
    fr: 'Les identifiants commençant par « person: » désignent des personnes qui se connectent à Attest ; envoyez l’identifiant de l’apprenant dans la plateforme.',
    meaning: 'An LMS sent a learner id in the namespace of Attest’s own people.',
  },
  LEARNER_ALREADY_LINKED: {
    kind: 'conflict',
    en: 'This LMS learner is already linked to another person.',
    fr: 'Cet apprenant de la plateforme est déjà rattaché à une autre personne.',
    meaning: 'One LMS learner id links to one person per tenant.',
  },
  LEARNER_RECORD_NOT_FOUND: {
    kind: 'not-found',
    en: 'The learner’s record does not exist.',
    fr: 'Le dossier de l’apprenant n’existe pas.',
    meaning: 'No record of this learner for this certificate is held.',
  },
  LEARNER_RECORD_MISSING: fromReason(
    'LEARNER_RECORD_MISSING',
    'refused',
    'A learner asked for their document but neither the LMS nor a manager has supplied their data yet.',
  ),
  PERSON_NOT_FOUND: {
    kind: 'not-found',
    en: 'The person does not exist.',
    fr: 'La personne n’existe pas.',
    meaning: 'No person with this id in the caller’s tenant.',
  },
  DOCUMENT_CORRUPT: {
    kind: 'corrupt',
    en: 'The stored file of this document is damaged: it is not served. The operator has been told; the request id helps find it.',
    fr: 'Le fichier enregistré de ce document est endommagé : il n’est pas servi. L’exploitant a été prévenu ; l’identifiant de la requête permet de le retrouver.',
    meaning: 'The stored bytes no longer match the document’s SHA-256; they are never served (restore the file or row from a backup).',
  },
  STORAGE_FULL: {
    kind: 'storage-full',
    en: 'The server has no room left to store the document: nothing was issued. Ask again once the operator has freed space.',
    fr: 'Le serveur n’a plus de place pour enregistrer le document : rien n’a été délivré. Redemandez une fois que l’exploitant a libéré de l’espace.',
    meaning: 'The disk or the database is full; nothing was written. `/health` reports it until a document is stored again.',
  },
  DATABASE_UNREACHABLE: {
    kind: 'busy',
    en: 'The database does not answer.',
    fr: 'La base de données ne répond pas.',
    meaning: 'In `/health`’s 503 body: the server cannot reach its database.',
  },
  VERIFICATION_CODE_UNKNOWN: {
    kind: 'not-found',
    en: 'No document has this code. Check what was typed.',
    fr: 'Aucun document ne porte ce code. Vérifiez la saisie.',
    meaning: 'No document has this code (a malformed code looks the same).',
  },
  DATA_INVALID: {
    kind: 'invalid',
    en: 'The learner’s data does not fit the template’s variables; every problem is listed with its path.',
    fr: 'Les données de l’apprenant ne correspondent pas aux variables du modèle ; chaque problème est indiqué avec son chemin.',
    meaning: 'The data does not bind to the template’s types: `problems` lists every error and `warnings` the ignored fields.',
  },
  DELIVERY_REFUSED: {
    kind: 'refused',
    en: (p) => (typeof p.reasons === 'string' && p.reasons ? p.reasons : 'The delivery rules refuse this document; the reasons say why.'),
    fr: (p) =>
      typeof p.reasons === 'string' && p.reasons
        ? p.reasons
        : 'Les règles de délivrance refusent ce document ; les raisons disent pourquoi.',
    meaning: 'The delivery rules refuse the document; `reasons` has a code and a sentence for each rule not met.',
  },
  ISSUE_CONFLICT: {
    kind: 'conflict',
    en: 'The document was being issued by another request; ask again.',
    fr: 'Le document était en cours de délivrance par une autre requête ; redemandez-le.',
    meaning: 'Two requests raced to issue the same document; asking again returns it.',
  },
  IMPORT_OPERATOR_ONLY: {
    kind: 'forbidden',
    en: 'Importing from another system is an operator’s task: run it with the attest command on the server.',
    fr: 'L’import depuis un autre système est une tâche d’exploitation : lancez-le avec la commande attest sur le serveur.',
    meaning: 'Only the operator (attest migrate, the system actor) imports documents from another system; no API caller can.',
  },
  IMPORT_CODE_INVALID: {
    kind: 'invalid',
    en: (p) => `The code ${q(p.code)} has neither the form of a legacy code (10 letters and digits) nor of an Attest code.`,
    fr: (p) => `Le code ${q(p.code)} n’a ni la forme d’un ancien code (10 lettres et chiffres) ni celle d’un code Attest.`,
    meaning: 'An imported issue’s code must be kept exactly, so it must be one a verification can find.',
  },
  IMPORT_CODE_TAKEN: {
    kind: 'conflict',
    en: (p) => `Another document already has the code ${q(p.code)}; it cannot be given to a second one.`,
    fr: (p) => `Un autre document porte déjà le code ${q(p.code)} ; il ne peut pas être donné à un second.`,
    meaning: 'Codes are unique across tenants: an imported code already held (by another site’s import) is not imported twice.',
  },
  IMPORT_LEARNER_HAS_DOCUMENT: {
    kind: 'conflict',
    en: (p) => `The learner already has a document for this certificate (code ${q(p.code)}).`,
    fr: (p) => `L’apprenant a déjà un document pour ce certificat (code ${q(p.code)}).`,
    meaning: 'One learner has one document per certificate; a second old issue for the same learner and certificate is not imported.',
  },
  DOCUMENT_NOT_MADE: {
    kind: 'invalid',
    en: 'The document could not be made from this data and template version.',
    fr: 'Le document n’a pas pu être produit avec ces données et cette version du modèle.',
    meaning: 'Rendering failed; `details.diagnostics` says where. Nothing was issued.',
  },
  ISSUE_NOT_FOUND: {
    kind: 'not-found',
    en: 'The document does not exist.',
    fr: 'Le document n’existe pas.',
    meaning: 'No document with this code in the caller’s tenant.',
  },
  DOCUMENT_MISSING: {
    kind: 'not-found',
    en: 'The document file does not exist.',
    fr: 'Le fichier du document n’existe pas.',
    meaning: 'The document is recorded but its PDF cannot be found; an operator should look.',
  },
  REASON_REQUIRED: {
    kind: 'invalid',
    en: 'Say why the document is revoked.',
    fr: 'Indiquez pourquoi le document est révoqué.',
    meaning: 'A revocation without a reason.',
  },
  ALREADY_REVOKED: {
    kind: 'conflict',
    en: 'The document is already revoked.',
    fr: 'Le document est déjà révoqué.',
    meaning: 'Revoking a document that is revoked.',
  },
  SELECTION_INVALID: {
    kind: 'invalid',
    en: 'The selection of documents is not valid.',
    fr: 'La sélection de documents n’est pas valide.',
    meaning: 'A bulk operation (regeneration, export, listing) named days or states that do not exist; the problems say which.',
  },
  EXPORT_STATE_EXCLUDED: {
    kind: 'invalid',
    en: 'The selection asks for revoked or locked documents, which an export leaves out unless told to include them.',
    fr: 'La sélection demande des documents révoqués ou verrouillés, qu’un export laisse de côté sauf si on lui demande de les inclure.',
    meaning: '`attest export --state revoked|locked` without `--include-revoked` / `--include-locked`: say that they are wanted.',
  },
  EXPORT_FOLDER_NOT_EMPTY: {
    kind: 'invalid',
    en: 'The export folder is not empty: an export writes into a new or empty folder.',
    fr: 'Le dossier d’export n’est pas vide : un export écrit dans un dossier nouveau ou vide.',
    meaning: 'So that the index of an export covers everything in its folder; give a new folder (or empty this one).',
  },
  EXPORT_LIMIT_INVALID: {
    kind: 'invalid',
    en: 'The largest archive size is a positive number of bytes.',
    fr: 'La taille maximale d’une archive est un nombre d’octets positif.',
    meaning: '`--max-archive-size` is not a size such as 500MB, 2GiB or 250000.',
  },
  REGENERATION_RUN_NOT_FOUND: {
    kind: 'not-found',
    en: 'There is no regeneration run with this id.',
    fr: 'Aucune régénération ne porte cet identifiant.',
    meaning:
      '`attest regenerate --resume RUN` named a run that does not exist (or belongs to another tenant); the ids are printed when a run starts.',
  },
  REGENERATION_FAILED: {
    kind: 'internal',
    en: 'The document could not be made again for a reason of the server (its message says which); running the regeneration again retries it.',
    fr: 'Le document n’a pas pu être refait pour une raison propre au serveur (son message dit laquelle) ; relancer la régénération le réessaie.',
    meaning:
      'In a regeneration report: a chunk of documents failed on every delivery for a reason of the machine (database, disk), not of the documents.',
  },
  ISSUE_REVOKED: {
    kind: 'conflict',
    en: 'A revoked document is not made again.',
    fr: 'Un document révoqué n’est pas produit à nouveau.',
    meaning: 'Regenerating a revoked document.',
  },
  DOCUMENT_LOCKED: fromReason(
    'DOCUMENT_LOCKED',
    'locked',
    'The document is issued but its delivery lock is on (for example until payment).',
  ),
  DOCUMENT_REVOKED: fromReason('DOCUMENT_REVOKED', 'gone', 'The document was revoked; it is no longer handed out.'),
  STAFF_DELIVERY_ONLY: fromReason(
    'STAFF_DELIVERY_ONLY',
    'forbidden',
    'The certificate is handed out by staff only; learners see its state.',
  ),
  RETRIEVE_OWN_MISSING: fromReason(
    'RETRIEVE_OWN_MISSING',
    'forbidden',
    'The caller may see the document’s state but lacks `certificate:retrieve-own`.',
  ),
  COURSE_NOT_COMPLETED: fromReason(
    'COURSE_NOT_COMPLETED',
    'refused',
    'A reason of DELIVERY_REFUSED: completion tracking is on and the course is not completed.',
  ),
  NOT_AVAILABLE: fromReason(
    'NOT_AVAILABLE',
    'refused',
    'A reason of DELIVERY_REFUSED: the LMS says the certificate is not available to the learner.',
  ),
  GRADE_MISSING: fromReason('GRADE_MISSING', 'refused', 'A reason of DELIVERY_REFUSED: a minimum grade is set and no grade is known.'),
  GRADE_TOO_LOW: fromReason('GRADE_TOO_LOW', 'refused', 'A reason of DELIVERY_REFUSED: the grade is below the minimum.'),
  TIME_SPENT_MISSING: fromReason(
    'TIME_SPENT_MISSING',
    'refused',
    'A reason of DELIVERY_REFUSED: a minimum time is set and no time spent is known.',
  ),
  TIME_SPENT_TOO_SHORT: fromReason('TIME_SPENT_TOO_SHORT', 'refused', 'A reason of DELIVERY_REFUSED: the time spent is below the minimum.'),
  WINDOW_NOT_OPEN: fromReason('WINDOW_NOT_OPEN', 'refused', 'A reason of DELIVERY_REFUSED: the issue window has not opened yet.'),
  WINDOW_CLOSED: fromReason('WINDOW_CLOSED', 'refused', 'A reason of DELIVERY_REFUSED: the issue window is over.'),

  // Certificate prerequisites, file-name pattern, documents ZIP (issue 15, helper "rules").
  PREREQUISITE_MISSING: fromReason(
    'PREREQUISITE_MISSING',
    'refused',
    'A reason of DELIVERY_REFUSED: the certificate requires others (settings.requires) and the learner holds none, or not all, of them as an issued, unlocked, unrevoked, unexpired document; the message names them.',
  ),
  PREREQUISITE_CYCLE: {
    kind: 'invalid',
    en: (p) =>
      `These certificates would require each other in a circle: ${Array.isArray(p.names) ? p.names.map(String).join(' → ') : 'see details.cycle'}.`,
    fr: (p) =>
      `Ces certificats s’exigeraient les uns les autres en cercle : ${Array.isArray(p.names) ? p.names.map(String).join(' → ') : 'voir details.cycle'}.`,
    meaning:
      'Saving settings.requires would make a chain of prerequisites come back to this certificate; `details.cycle` lists the ids (and `details.names` the names) around it.',
  },

  // Tenants, people, roles, tokens.
  TENANT_SLUG_INVALID: {
    kind: 'invalid',
    en: 'A tenant slug is 2 to 63 lowercase letters, digits or dashes.',
    fr: 'L’identifiant d’une organisation compte de 2 à 63 minuscules, chiffres ou tirets.',
    meaning: 'The tenant slug is not 2 to 63 lowercase letters, digits or dashes.',
  },
  TENANT_SETTINGS_INVALID: {
    kind: 'invalid',
    en: 'The tenant settings are not valid; every problem is listed with its path.',
    fr: 'Les réglages de l’organisation ne sont pas valides ; chaque problème est indiqué avec son chemin.',
    meaning: 'Tenant settings that do not validate (after merging).',
  },
  TENANT_NOT_FOUND: {
    kind: 'not-found',
    en: 'There is no tenant with this slug.',
    fr: 'Aucune organisation n’a cet identifiant.',
    meaning: 'The operator named a tenant slug that does not exist.',
  },
  OPERATOR_TOKEN_NOT_FOUND: {
    kind: 'not-found',
    en: 'There is no operator token with this id.',
    fr: 'Aucun jeton d’opérateur n’a cet identifiant.',
    meaning: 'Revoking an operator token whose id is unknown (see `attest operator token list`).',
  },
  TENANT_NOT_SERVED: {
    kind: 'not-found',
    en: 'This server does not serve the tenant of this credential.',
    fr: 'Ce serveur ne sert pas l’organisation de cet identifiant de connexion.',
    meaning:
      'The token or session belongs to a tenant this server process does not serve (`attest serve --tenant`): the request reached the wrong site’s server.',
  },
  TENANT_EXISTS: {
    kind: 'conflict',
    en: 'A tenant with this slug already exists.',
    fr: 'Une organisation avec cet identifiant existe déjà.',
    meaning: 'Creating a tenant whose slug is taken.',
  },
  USERNAME_INVALID: {
    kind: 'invalid',
    en: 'A username is 1 to 100 letters, digits, dots, dashes, underscores or @.',
    fr: 'Un identifiant compte de 1 à 100 lettres, chiffres, points, tirets, soulignés ou @.',
    meaning: 'The username has characters outside letters, digits and . _ @ -.',
  },
  PASSWORD_TOO_SHORT: {
    kind: 'invalid',
    en: 'A password has at least 12 characters.',
    fr: 'Un mot de passe compte au moins 12 caractères.',
    meaning: 'A password under 12 characters.',
  },
  PERSON_EXISTS: {
    kind: 'conflict',
    en: 'Someone already has this username here.',
    fr: 'Quelqu’un a déjà cet identifiant ici.',
    meaning: 'Creating a person whose username is taken in the tenant.',
  },
  ROLE_UNKNOWN: {
    kind: 'invalid',
    en: 'Some roles do not exist; each is listed in problems.',
    fr: 'Certains rôles n’existent pas ; chacun est indiqué dans problems.',
    meaning: 'A role named in the request does not exist in the tenant.',
  },
  CAPABILITY_UNKNOWN: {
    kind: 'invalid',
    en: 'Some capabilities do not exist; each is listed in problems.',
    fr: 'Certaines capacités n’existent pas ; chacune est indiquée dans problems.',
    meaning: 'A capability named in the request does not exist (see GET /api/v1/capabilities).',
  },
  TOKEN_CAPABILITIES_INVALID: {
    kind: 'invalid',
    en: 'A token can carry only capabilities that exist and that you hold.',
    fr: 'Un jeton ne peut porter que des capacités qui existent et que vous détenez.',
    meaning: 'createToken asked for a capability that does not exist or that the caller does not hold.',
  },

  // The shop's webhook.
  WEBHOOK_SIGNATURE_INVALID: {
    kind: 'unauthenticated',
    en: 'The webhook signature is not valid.',
    fr: 'La signature du webhook n’est pas valide.',
    meaning: 'X-Attest-Signature is not the HMAC of the timestamp and body with the tenant’s secret.',
  },
  WEBHOOK_TIMESTAMP_INVALID: {
    kind: 'unauthenticated',
    en: 'X-Attest-Timestamp must be the Unix time of the request, in seconds.',
    fr: 'X-Attest-Timestamp doit être l’heure Unix de la requête, en secondes.',
    meaning: 'The webhook’s timestamp header is missing or not a number of seconds.',
  },
  WEBHOOK_TIMESTAMP_STALE: {
    kind: 'unauthenticated',
    en: 'The webhook is too old or from the future; its timestamp must be within five minutes.',
    fr: 'Le webhook est trop ancien ou daté du futur ; son horodatage doit être à moins de cinq minutes.',
    meaning: 'The webhook’s timestamp is more than five minutes away from the server’s clock.',
  },
  WEBHOOK_BODY_INVALID: {
    kind: 'invalid',
    en: 'The webhook body is not a payment notice; every problem is listed with its path.',
    fr: 'Le corps du webhook n’est pas un avis de paiement ; chaque problème est indiqué avec son chemin.',
    meaning: 'A signed webhook whose JSON is not a payment notice.',
  },
  WEBHOOK_REPLAYED: {
    kind: 'conflict',
    en: 'This webhook was already received.',
    fr: 'Ce webhook a déjà été reçu.',
    meaning: 'The same signed webhook arrived twice; the first was applied.',
  },
  // Moodle web services (mod_pdcertificate's functions at /webservice/rest/server.php): answered as Moodle exceptions.
  MOODLE_PARAMETERS_INVALID: {
    kind: 'invalid',
    en: 'Invalid parameter value detected; every problem is listed with its parameter.',
    fr: 'Valeur de paramètre non valide ; chaque problème est indiqué avec son paramètre.',
    meaning:
      'A Moodle web service call whose parameters are missing, unknown, of the wrong shape or badly form-encoded (invalid_parameter_exception; `debuginfo` and `problems` list them all).',
  },
  MOODLE_FUNCTION_UNKNOWN: {
    kind: 'not-found',
    en: (p) => `No such web service function here${typeof p.functions === 'string' ? `; this server answers ${p.functions}` : ''}.`,
    fr: (p) =>
      `Aucune fonction de service web de ce nom ici${typeof p.functions === 'string' ? ` ; ce serveur répond à ${p.functions}` : ''}.`,
    meaning:
      'wsfunction is not one of the five mod_pdcertificate functions (Moodle’s dml_missing_record_exception, errorcode invalidrecord).',
  },
  MOODLE_BODY_NOT_FORM: {
    kind: 'malformed',
    en: 'Send the parameters form-encoded (application/x-www-form-urlencoded), as Moodle’s REST protocol does.',
    fr: 'Envoyez les paramètres encodés comme un formulaire (application/x-www-form-urlencoded), comme le protocole REST de Moodle.',
    meaning: 'A POST to the Moodle web service entry whose body is not form-encoded (JSON or multipart).',
  },
  MOODLE_METHOD_NOT_ALLOWED: {
    kind: 'malformed',
    en: 'Moodle web services are called with GET or POST.',
    fr: 'Les services web Moodle s’appellent en GET ou en POST.',
    meaning: 'The Moodle web service entry was called with another HTTP method.',
  },
  MOODLE_COURSE_NOT_FOUND: {
    kind: 'not-found',
    en: (p) => `No certificate belongs to this course${p.value !== undefined ? ` (${String(p.source)} ${q(p.value)})` : ''}.`,
    fr: (p) => `Aucun certificat n’appartient à ce cours${p.value !== undefined ? ` (${String(p.source)} ${q(p.value)})` : ''}.`,
    meaning:
      'cidsource/cid name no course of a certificate: `id` is a certificate’s course_id, `shortname`/`idnumber` the course names in the data the LMS supplied. Never answered with every certificate instead, as the module did.',
  },
  MOODLE_CERTIFICATE_IDNUMBER: {
    kind: 'invalid',
    en: 'Attest certificates have no idnumber: name them by id (Attest’s) or cmid (the LMS activity).',
    fr: 'Les certificats d’Attest n’ont pas d’idnumber : désignez-les par id (celui d’Attest) ou cmid (l’activité de la plateforme).',
    meaning: 'pdcidsource=idnumber: Attest certificates are named by their id or the LMS activity (cmid) they belong to.',
  },
  MOODLE_CERTIFICATE_AMBIGUOUS: {
    kind: 'conflict',
    en: 'Several certificates belong to this LMS activity; name one by its id.',
    fr: 'Plusieurs certificats appartiennent à cette activité de la plateforme ; désignez-en un par son id.',
    meaning: 'pdcidsource=cmid names an activity that several certificates are attached to.',
  },
  MOODLE_USER_NOT_FOUND: {
    kind: 'not-found',
    en: (p) => `No learner of this certificate has this identifier${p.value !== undefined ? ` (${String(p.source)} ${q(p.value)})` : ''}.`,
    fr: (p) =>
      `Aucun apprenant de ce certificat n’a cet identifiant${p.value !== undefined ? ` (${String(p.source)} ${q(p.value)})` : ''}.`,
    meaning: 'uidsource idnumber/email/username: no learner record or issue of the certificate carries that `learner.*` value.',
  },
  MOODLE_USER_AMBIGUOUS: {
    kind: 'conflict',
    en: 'Several learners of this certificate have this identifier; name them by id.',
    fr: 'Plusieurs apprenants de ce certificat ont cet identifiant ; désignez-les par id.',
    meaning: 'uidsource idnumber/email/username: the value names more than one LMS learner of the certificate.',
  },
  MOODLE_NOT_ISSUED: {
    kind: 'not-found',
    en: 'This learner has no document of this certificate.',
    fr: 'Cet apprenant n’a pas de document pour ce certificat.',
    meaning: 'get_certificate_info or get_certificate_file_url for a learner without an issue (the module’s errorcode notissued).',
  },

  // Webhooks out and mail (notifications).
  RECEIVER_INVALID: {
    kind: 'invalid',
    en: 'The webhook receiver cannot be saved; every problem is listed with its path.',
    fr: 'Le destinataire de webhooks ne peut pas être enregistré ; chaque problème est indiqué avec son chemin.',
    meaning: 'A receiver URL that is not http(s), carries credentials or is a loopback/private address, or an unknown event name.',
  },
  RECEIVERS_TOO_MANY: {
    kind: 'conflict',
    en: (p) => `A tenant lists at most ${Number(p.max ?? 20)} webhook receivers; delete one first.`,
    fr: (p) => `Un locataire déclare au plus ${Number(p.max ?? 20)} destinataires de webhooks ; supprimez-en un d’abord.`,
    meaning: 'The tenant already lists the most receivers allowed.',
  },
  RECEIVER_NOT_FOUND: {
    kind: 'not-found',
    en: 'There is no such webhook receiver in this tenant.',
    fr: 'Ce destinataire de webhooks n’existe pas dans ce locataire.',
    meaning: 'The receiver id is unknown, deleted, or another tenant’s.',
  },
  DELIVERY_NOT_FOUND: {
    kind: 'not-found',
    en: 'There is no such webhook delivery in this tenant.',
    fr: 'Cet envoi de webhook n’existe pas dans ce locataire.',
    meaning: 'The delivery id is unknown, its receiver deleted, or another tenant’s.',
  },
  DELIVERY_ALREADY_ACKNOWLEDGED: {
    kind: 'conflict',
    en: 'The receiver answered 2xx to this delivery: it is not sent again.',
    fr: 'Le destinataire a répondu 2xx à cet envoi : il n’est pas renvoyé.',
    meaning: 'A replay was asked for a delivery the receiver already acknowledged; each delivery reaches a receiver once.',
  },
  DELIVERY_IN_PROGRESS: {
    kind: 'conflict',
    en: 'The delivery is being attempted right now; look again in a moment.',
    fr: 'L’envoi est en cours de tentative ; regardez de nouveau dans un instant.',
    meaning: 'A replay was asked while a worker holds the delivery for an attempt.',
  },
  // Open Badges 3.0 credentials (issue 17, helper "ob3")
  CREDENTIALS_NEED_SECRET_KEY: {
    kind: 'conflict',
    en: 'Signing credentials needs the installation key (ATTEST_SECRET_KEY): ask the operator to set it.',
    fr: 'La signature des attestations numériques demande la clé de l’installation (ATTEST_SECRET_KEY) : demandez à l’opérateur de la définir.',
    meaning: 'An Open Badges credential is to be signed and ATTEST_SECRET_KEY is not set: the tenant’s signing key is kept sealed with it.',
  },
  CREDENTIAL_KEY_SEALED_INVALID: {
    kind: 'conflict',
    en: 'The tenant’s credential signing key does not open with the installation key: it has changed.',
    fr: 'La clé de signature des attestations numériques du client ne s’ouvre pas avec la clé de l’installation : celle-ci a changé.',
    meaning:
      'ATTEST_SECRET_KEY is not the one the key was sealed with; the operator sets the former key back, or rotates the tenant’s key.',
  },
  CREDENTIAL_KEY_ROTATION_CONFLICT: {
    kind: 'conflict',
    en: 'The signing key was rotated by another request at the same time; look at the keys again.',
    fr: 'La clé de signature a été renouvelée par une autre requête au même moment ; consultez de nouveau les clés.',
    meaning: 'Two rotations of one tenant’s credential key at once: one stands, the other is refused.',
  },
  CREDENTIAL_STATUS_FULL: {
    kind: 'busy',
    en: 'No free place was found in the credential status list; try again.',
    fr: 'Aucune place libre n’a été trouvée dans la liste de statut des attestations numériques ; réessayez.',
    meaning:
      'Drawing a random position in the tenant’s status list kept meeting taken ones (not expected: a list takes slots until half full).',
  },
  CREDENTIAL_STATUS_LIST_NOT_FOUND: {
    kind: 'not-found',
    en: 'This credential status list does not exist.',
    fr: 'Cette liste de statut d’attestations numériques n’existe pas.',
    meaning: 'A status list number the tenant never opened.',
  },
  CREDENTIAL_URL_REFUSED: {
    kind: 'invalid',
    en: 'The credential refers to an address that is not resolved here: documents are never fetched from the network.',
    fr: 'L’attestation numérique renvoie à une adresse qui n’est pas résolue ici : aucun document n’est récupéré sur le réseau.',
    meaning:
      'A context, DID or key the offline document loader does not hold (only the bundled contexts and this installation’s tenants’ DIDs are).',
  },
  CREDENTIAL_MALFORMED: {
    kind: 'invalid',
    en: 'This is not a credential that can be verified here (VC 2.0, known contexts, an issuer, dates and a proof).',
    fr: 'Ceci n’est pas une attestation numérique vérifiable ici (VC 2.0, contextes connus, un émetteur, des dates et une preuve).',
    meaning:
      'The JSON is not a VC 2.0 credential with known contexts, an issuer, well-formed dates and a proof; or a credential to sign does not name its tenant’s did:web.',
  },
  // PDF protection (issue 17, helper "protect")
  PROTECTION_UNAVAILABLE: {
    kind: 'conflict',
    en: 'This document is to be protected, and the installation cannot protect it: its key is missing or has changed.',
    fr: 'Ce document doit être protégé et l’installation ne peut pas le protéger : sa clé manque ou a changé.',
    meaning:
      'The certificate (or tenant) asks for PDF protection and ATTEST_SECRET_KEY is not set, or a sealed password does not open with it; the operator sets the key back.',
  },
  // PDF/A archival documents (issue 17, helper "pdfa")
  ARCHIVAL_PROTECTION_CONFLICT: {
    kind: 'conflict',
    en: 'This certificate’s documents are set to be both PDF/A and protected, and PDF/A forbids encryption: turn one of them off.',
    fr: 'Les documents de ce certificat sont réglés pour être à la fois PDF/A et protégés, et PDF/A interdit le chiffrement : désactivez l’un des deux.',
    meaning:
      'Stored settings (written before the rule, or by hand) ask for archival and protection on the same documents; saving the settings again through the API refuses that combination.',
  },
  // Digital signature (issue 17, helper "sign")
  SIGNING_KEY_MISSING: {
    kind: 'conflict',
    en: 'This document is to be signed and the tenant has no signing key yet: generate or import one.',
    fr: 'Ce document doit être signé et le locataire n’a pas encore de clé de signature : générez-en ou importez-en une.',
    meaning: 'The certificate (or tenant) asks for a signature; POST /api/v1/tenant/signing-keys (or …/import) first.',
  },
  SIGNING_UNAVAILABLE: {
    kind: 'conflict',
    en: 'This document is to be signed and the installation cannot open the signing key: its key is missing or has changed.',
    fr: 'Ce document doit être signé et l’installation ne peut pas ouvrir la clé de signature : sa clé manque ou a changé.',
    meaning: 'The tenant’s signing key is sealed with an ATTEST_SECRET_KEY that is not set now, or another one; the operator sets it back.',
  },
  SIGNING_NEEDS_SECRET_KEY: {
    kind: 'conflict',
    en: 'Signing keys are kept sealed with the installation key (ATTEST_SECRET_KEY): ask the operator to set it.',
    fr: 'Les clés de signature sont gardées scellées avec la clé de l’installation (ATTEST_SECRET_KEY) : demandez à l’opérateur de la définir.',
    meaning: 'A signing key was generated or imported on an installation without ATTEST_SECRET_KEY.',
  },
  PKCS12_INVALID: {
    kind: 'invalid',
    en: 'This PKCS#12 file cannot be the tenant’s signing key; the problem is listed.',
    fr: 'Ce fichier PKCS#12 ne peut pas être la clé de signature du locataire ; le problème est indiqué.',
    meaning:
      'Unreadable, wrong password, not exactly one key, no certificate of that key, an unsupported key type, or a certificate not valid today.',
  },
  TIMESTAMP_FAILED: {
    kind: 'busy',
    en: 'The timestamp authority did not give a timestamp: the document was not made. Try again later.',
    fr: 'L’autorité d’horodatage n’a pas donné d’horodatage : le document n’a pas été fait. Réessayez plus tard.',
    meaning:
      'B-T signing: the TSA at timestamp_url failed, timed out, refused, or answered a token not over this signature; no document is stored.',
  },
  SIGNING_KEY_NOT_FOUND: {
    kind: 'not-found',
    en: 'This signing key does not exist in this tenant.',
    fr: 'Cette clé de signature n’existe pas dans ce locataire.',
    meaning: 'The key id is unknown or another tenant’s.',
  },
  MAIL_SETTINGS_INVALID: {
    kind: 'invalid',
    en: 'The mail settings cannot be saved; every problem is listed with its path.',
    fr: 'Les réglages d’envoi de courriels ne peuvent pas être enregistrés ; chaque problème est indiqué avec son chemin.',
    meaning: 'An SMTP host that is a loopback/private address (unless the installation allows them), or a template that does not check.',
  },
  MAIL_MESSAGE_NOT_FOUND: {
    kind: 'not-found',
    en: 'There is no such mail message in this tenant.',
    fr: 'Ce courriel n’existe pas dans ce locataire.',
    meaning: 'The message id is unknown or another tenant’s.',
  },
  MAIL_MESSAGE_IN_PROGRESS: {
    kind: 'conflict',
    en: 'The message is being sent right now; look again in a moment.',
    fr: 'Le courriel est en cours d’envoi ; regardez de nouveau dans un instant.',
    meaning: 'A resend was asked while a worker holds the message for an attempt.',
  },
  // Batch print (one print-ready PDF of a certificate's delivered documents; server/domain/batch-print.ts).
  BATCH_TOO_LARGE: {
    kind: 'too-large',
    en: (p) =>
      typeof p.limit === 'number'
        ? `A batch holds at most ${p.limit} documents; narrow the selection.`
        : 'The batch holds too many documents.',
    fr: (p) =>
      typeof p.limit === 'number'
        ? `Un lot contient au plus ${p.limit} documents ; restreignez la sélection.`
        : 'Le lot contient trop de documents.',
    meaning:
      'The codes or the selection name more delivered documents than one batch PDF holds (`details.limit`): split it (issue days, learners).',
  },
  BATCH_EMPTY: {
    kind: 'invalid',
    en: 'The selection names no delivered document of this certificate: there is nothing to print.',
    fr: 'La sélection ne désigne aucun document délivré de ce certificat : il n’y a rien à imprimer.',
    meaning: 'Every document the selection names is locked or revoked (`details.leftOut`), or there is none.',
  },
  BATCH_ISSUE_NOT_FOUND: {
    kind: 'not-found',
    en: 'Some of the codes are not documents of this certificate.',
    fr: 'Certains codes ne sont pas des documents de ce certificat.',
    meaning: 'A code of `codes` does not exist in the tenant or belongs to another certificate (`details.codes`).',
  },
  BATCH_NOT_DELIVERED: {
    kind: 'conflict',
    en: 'Some of the codes are locked or revoked documents; a batch prints only delivered ones.',
    fr: 'Certains codes sont des documents verrouillés ou révoqués ; un lot n’imprime que des documents délivrés.',
    meaning:
      'Named by code, a locked or revoked document is refused rather than left out (`details.codes`); lift the lock or leave it out.',
  },
  BATCH_VERSIONS_MIXED: {
    kind: 'conflict',
    en: 'These documents were made with several template versions; a batch is one version: ask once per version.',
    fr: 'Ces documents ont été faits avec plusieurs versions du modèle ; un lot est d’une seule version : demandez-en un par version.',
    meaning: '`details.versions` lists each version (id, number, documents); filter with `template_version_ids` (`--template-version`).',
  },
  BATCH_NOT_MADE: {
    kind: 'invalid',
    en: 'The batch could not be made from these documents’ data and template version.',
    fr: 'Le lot n’a pas pu être fait à partir des données de ces documents et de leur version de modèle.',
    meaning: 'A document of the batch no longer renders (`details.diagnostics` say which, by its place in the batch).',
  },
  // Privacy (issue 15): a learner's data exported or erased (server/domain/privacy/).
  LEARNER_NOTHING_HELD: {
    kind: 'not-found',
    en: (p) => `Nothing is held about learner ${q(p.learnerId)} in this tenant.`,
    fr: (p) => `Rien n’est détenu sur l’apprenant ${q(p.learnerId)} dans ce locataire.`,
    meaning: 'Export of a learner Attest holds nothing about: never known here, or erased already.',
  },
  ERASE_UNCONFIRMED: {
    kind: 'invalid',
    en: 'An erasure cannot be undone: repeat the learner id in `confirm`.',
    fr: 'Un effacement est définitif : répétez l’identifiant de l’apprenant dans `confirm`.',
    meaning: 'The erase request lacks `confirm`, or it is not the learner id of the path (CLI: --yes).',
  },
  // Expiry reminders and recertification (issue 15, helper "expiry") ------------------------------------
  ISSUE_SUPERSEDED: {
    kind: 'conflict',
    en: (p) =>
      `This document was superseded by a newer one${typeof p.newerCode === 'string' ? ` (${p.newerCode})` : ''}; re-issue the learner’s current document.`,
    fr: (p) =>
      `Ce document a été remplacé par un plus récent${typeof p.newerCode === 'string' ? ` (${p.newerCode})` : ''} ; refaites plutôt le document actuel de l’apprenant.`,
    meaning: 'A re-issue was asked of a document a newer one already replaced; `details.newerCode` names the current one.',
  },
  REISSUE_REVOKED: {
    kind: 'conflict',
    en: 'A revoked document is not re-issued: the revocation stands.',
    fr: 'Un document révoqué n’est pas refait : la révocation reste la décision en vigueur.',
    meaning: 'POST /issues/{code}/reissue of a revoked document: revocation stands; a re-issue never replaces it.',
  },
  // Bulk issue (server/domain/bulk-issue.ts, bulk-csv.ts): dry run, confirm, CSV files.
  BULK_RUN_NOT_FOUND: {
    kind: 'not-found',
    en: 'There is no bulk issue with this id.',
    fr: 'Aucune délivrance groupée ne porte cet identifiant.',
    meaning:
      'The bulk issue (dry run) does not exist, belongs to another tenant, or was a dry run never confirmed and deleted after a day.',
  },
  BULK_FINGERPRINT_MISMATCH: {
    kind: 'conflict',
    en: 'This fingerprint is not the dry run’s; read the dry run again and confirm with its fingerprint.',
    fr: 'Cette empreinte n’est pas celle de l’essai ; relisez l’essai et confirmez avec son empreinte.',
    meaning: 'The confirm carried a `fingerprint` other than the one the dry run answered: confirm what you read.',
  },
  BULK_CHANGED: {
    kind: 'conflict',
    en: (p) => `Since the dry run, this changed: ${val(p.changed, 'the certificate')}. Nothing was issued; make a new dry run.`,
    fr: (p) => `Depuis l’essai, ceci a changé : ${val(p.changed, 'le certificat')}. Rien n’a été délivré ; refaites un essai.`,
    meaning:
      'The certificate (settings, template version), the template version or the tenant’s settings changed between the dry run and its confirm (`details.parts`); a new dry run says what would be issued now.',
  },
  BULK_DRY_RUN_EXPIRED: {
    kind: 'gone',
    en: (p) => `A dry run is confirmed within ${val(p.hours, '24')} hours; make a new one.`,
    fr: (p) => `Un essai se confirme dans les ${val(p.hours, '24')} heures ; refaites-en un.`,
    meaning: 'The dry run is older than a day: what it judged may no longer hold.',
  },
  BULK_TOO_MANY_ROWS: {
    kind: 'too-large',
    en: (p) => `A bulk issue takes at most ${val(p.limit, '5000')} learners.`,
    fr: (p) => `Une délivrance groupée prend au plus ${val(p.limit, '5000')} apprenants.`,
    meaning: 'More learners (list items or CSV rows) than `ATTEST_BULK_MAX_ROWS` (default 5,000, `details.limit`): split the list.',
  },
  BULK_CSV_TOO_LARGE: {
    kind: 'too-large',
    en: (p) => `The file is larger than a bulk issue takes: ${val(p.limit, '1000000')} bytes at most.`,
    fr: (p) => `Le fichier dépasse ce qu’une délivrance groupée accepte : ${val(p.limit, '1000000')} octets au plus.`,
    meaning: 'The CSV file is over `ATTEST_BULK_MAX_CSV_BYTES` (default 1 MB, `details.limit`).',
  },
  BULK_CSV_NOT_UTF8: {
    kind: 'invalid',
    en: (p) => `The file is not UTF-8 text (line ${val(p.line, '?')}); save it as “CSV UTF-8” and send it again.`,
    fr: (p) => `Le fichier n’est pas du texte UTF-8 (ligne ${val(p.line, '?')}) ; enregistrez-le en « CSV UTF-8 » et renvoyez-le.`,
    meaning: 'The CSV bytes (`csv_base64`) are not UTF-8 (a Latin-1 or Windows-1252 export): `details.byte` and `details.line` say where.',
  },
  BULK_CSV_UNREADABLE: {
    kind: 'invalid',
    en: (p) => `The file cannot be read as CSV${p.line ? ` (line ${val(p.line, '?')})` : ''}.`,
    fr: (p) => `Le fichier ne se lit pas comme un CSV${p.line ? ` (ligne ${val(p.line, '?')})` : ''}.`,
    meaning: 'The CSV has no header, or a quote that does not close (`details.line`, `details.reason`).',
  },
  BULK_CSV_INVALID: {
    kind: 'invalid',
    en: (p) => `${val(p.count, 'Some')} cell(s) of the file do not fit the template; nothing was issued.`,
    fr: (p) => `${val(p.count, 'Des')} cellule(s) du fichier ne conviennent pas au modèle ; rien n’a été délivré.`,
    meaning:
      'Every bad cell of the CSV, each a problem at `rows[<row>]["<column>"]` (the header is row 1) with binding’s code (`BIND_TYPE`, `BIND_FORMAT`, `BIND_MISSING`, …) or the file’s (`CSV_ROW_WIDTH`, `CSV_LEARNER_ID_MISSING`, `DUPLICATE_LEARNER`, …); `details.cells` lists them with `row`, `column`, `variable`.',
  },
  BULK_MAPPING_INVALID: {
    kind: 'invalid',
    en: 'The mapping of columns to variables does not fit the file or the template.',
    fr: 'La correspondance des colonnes aux variables ne convient pas au fichier ou au modèle.',
    meaning:
      'A mapped column the file does not have, a variable the template does not have, one only the server fills (`certificate.*`, `organization.*`), a list or object, or a variable mapped twice: each a problem at `mapping["<column>"]`.',
  },
  BULK_CSV_REQUIRED: {
    kind: 'invalid',
    en: 'Send the file as `csv` (text) or `csv_base64` (its bytes), one of them.',
    fr: 'Envoyez le fichier en `csv` (texte) ou en `csv_base64` (ses octets), l’un des deux.',
    meaning: 'A CSV dry run carried neither `csv` nor `csv_base64`, or both.',
  },
  BULK_ISSUE_FAILED: {
    kind: 'internal',
    en: 'The learner’s document could not be issued by the bulk run.',
    fr: 'Le document de l’apprenant n’a pas pu être délivré par l’exécution groupée.',
    meaning:
      'Recorded on a bulk run’s item (never answered): its chunk kept failing for reasons of the machine; ask for the learner again.',
  },
  // Open Badges 3.0 publishing (issue 17, helper "ob3srv")
  ISSUER_NOT_FOUND: {
    kind: 'not-found',
    en: 'No credential issuer is published here: the tenant is unknown or has never signed a credential.',
    fr: 'Aucun émetteur de badges n’est publié ici : l’organisation est inconnue ou n’a jamais signé de badge.',
    meaning: 'A did.json, JWKS or status list path names a tenant slug that does not exist, is not served, or has no signing key yet.',
  },
  CREDENTIAL_NOT_ISSUED: {
    kind: 'not-found',
    en: 'This document has no Open Badges credential.',
    fr: 'Ce document n’a pas de badge Open Badges.',
    meaning: 'The document was made without a credential (its certificate’s `credential` setting is off, or the learner had no email).',
  },
  CREDENTIAL_LOCKED: {
    kind: 'locked',
    en: 'This document exists; its credential is not published for now.',
    fr: 'Ce document existe ; son badge n’est pas publié pour le moment.',
    meaning: 'The document is locked (delivery lock): like the verification page, its credential says nothing of it until it is unlocked.',
  },
  CREDENTIAL_WITHDRAWN: {
    kind: 'gone',
    en: 'This document was withdrawn with its holder’s data: it has no credential any more.',
    fr: 'Ce document a été retiré avec les données de son titulaire : il n’a plus de badge.',
    meaning: 'The learner was erased; their credentials stay revoked in the status list and are no longer served.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);

function render(message: Message, params: Params): string {
  return typeof message === 'string' ? message : message(params);
}

/** The catalogue's sentence for a code in a language, or undefined for a code it does not know. */
export function errorMessage(code: string, locale: Locale, params: Params = {}): string | undefined {
  if (!isErrorCode(code)) return undefined;
  return render((ERROR_CODES[code] as ErrorCodeEntry)[locale], params);
}

/**
 * Problem codes: what `problems` and `warnings` entries say, each at a path. zod's codes (from the request
 * schemas) with the parameters zod gives, ours from the input walk, our refinements, and binding learner
 * data to a template's types.
 */
interface ProblemEntry {
  en: Message;
  fr: Message;
}

const FR_TYPES: Record<string, string> = {
  string: 'un texte',
  number: 'un nombre',
  int: 'un entier',
  boolean: 'un booléen',
  object: 'un objet',
  array: 'une liste',
  null: 'null',
  undefined: 'rien',
  date: 'une date',
  bigint: 'un grand entier',
  record: 'un objet',
};
const EN_TYPES: Record<string, string> = {
  ...Object.fromEntries(Object.keys(FR_TYPES).map((k) => [k, k])),
  int: 'an integer',
  undefined: 'nothing',
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
};
const typeIn = (types: Record<string, string>, t: unknown) => (typeof t === 'string' ? (types[t] ?? t) : '');

const UNITS: Record<string, { en: string; fr: string }> = {
  string: { en: 'character', fr: 'caractère' },
  array: { en: 'item', fr: 'élément' },
  set: { en: 'item', fr: 'élément' },
  file: { en: 'byte', fr: 'octet' },
};
function bound(p: Params, l: Locale, big: boolean): string {
  const limit = String(big ? p.maximum : p.minimum);
  const one = typeof p.origin === 'string' ? UNITS[p.origin]?.[l] : undefined;
  const unit = one && (Math.abs(Number(limit)) === 1 ? one : `${one}s`);
  const strict = p.inclusive === false;
  if (l === 'en') {
    const word = p.exact ? 'exactly' : big ? (strict ? 'under' : 'at most') : strict ? 'over' : 'at least';
    return unit ? `Must have ${word} ${limit} ${unit}.` : `Must be ${word} ${limit}.`;
  }
  const word = p.exact ? 'exactement' : big ? (strict ? 'moins de' : 'au plus') : strict ? 'plus de' : 'au moins';
  return unit ? `Doit compter ${word} ${limit} ${unit}.` : `Doit valoir ${word} ${limit}.`;
}
const FORMATS_FR: Record<string, string> = {
  email: 'une adresse e-mail',
  url: 'une URL',
  date: 'une date (AAAA-MM-JJ)',
  datetime: 'une date et heure ISO 8601',
  regex: 'une valeur au format attendu',
  uuid: 'un UUID',
};
const list = (v: unknown) =>
  Array.isArray(v)
    ? v
        .slice(0, 20)
        .map((x) => q(x))
        .join(', ')
    : '';

export const PROBLEM_CODES: Readonly<Record<string, ProblemEntry>> = {
  // Certificate prerequisites and file-name pattern (issue 15, helper "rules").
  PREREQUISITE_UNKNOWN: {
    en: (p) => `No certificate ${q(p.id)} in this tenant.`,
    fr: (p) => `Aucun certificat ${q(p.id)} dans cette organisation.`,
  },
  PREREQUISITE_SELF: { en: 'A certificate cannot require itself.', fr: 'Un certificat ne peut pas s’exiger lui-même.' },
  PREREQUISITE_DUPLICATE: { en: 'A certificate is named once in requires.', fr: 'Un certificat n’est cité qu’une fois dans requires.' },
  FILE_NAME_PATTERN_INVALID: {
    en: (p) => `This file-name pattern does not check: ${typeof p.detail === 'string' ? p.detail : ''}`,
    fr: (p) => `Ce modèle de nom de fichier n’est pas valide : ${typeof p.detail === 'string' ? p.detail : ''}`,
  },
  INVALID_TYPE: {
    en: (p) => `Expected ${typeIn(EN_TYPES, p.expected)}${p.received ? `, got ${typeIn(EN_TYPES, p.received)}` : ''}.`,
    fr: (p) =>
      `Attendu : ${typeIn(FR_TYPES, p.expected) || 'une autre valeur'}${p.received ? ` ; reçu : ${typeIn(FR_TYPES, p.received)}` : ''}.`,
  },
  TOO_BIG: { en: (p) => bound(p, 'en', true), fr: (p) => bound(p, 'fr', true) },
  TOO_SMALL: { en: (p) => bound(p, 'en', false), fr: (p) => bound(p, 'fr', false) },
  INVALID_FORMAT: {
    en: (p) => `Not a valid ${p.format === 'regex' ? 'value' : typeof p.format === 'string' ? p.format : 'value'}.`,
    fr: (p) => `Ce n’est pas ${FORMATS_FR[String(p.format)] ?? 'une valeur au format attendu'}.`,
  },
  INVALID_VALUE: {
    en: (p) => (Array.isArray(p.values) ? `Must be one of ${list(p.values)}.` : 'This value is not allowed.'),
    fr: (p) => (Array.isArray(p.values) ? `Doit être l’une des valeurs ${list(p.values)}.` : 'Cette valeur n’est pas admise.'),
  },
  UNRECOGNIZED_KEYS: { en: 'Unknown field; remove it.', fr: 'Champ inconnu ; retirez-le.' },
  INVALID_UNION: { en: 'Matches none of the accepted shapes.', fr: 'Ne correspond à aucune des formes admises.' },
  INVALID_KEY: { en: 'A key of this object is not valid.', fr: 'Une clé de cet objet n’est pas valide.' },
  INVALID_ELEMENT: { en: 'An item is not valid.', fr: 'Un élément n’est pas valide.' },
  NOT_MULTIPLE_OF: {
    en: (p) => `Must be a multiple of ${String(p.divisor)}.`,
    fr: (p) => `Doit être un multiple de ${String(p.divisor)}.`,
  },
  INVALID: { en: 'This value is not valid.', fr: 'Cette valeur n’est pas valide.' },
  TEXT_INVALID: {
    en: 'Contains a NUL character or a lone surrogate; send valid Unicode text.',
    fr: 'Contient un caractère NUL ou une moitié de paire UTF-16 ; envoyez un texte Unicode valide.',
  },
  TOO_DEEP: { en: `Nested deeper than ${MAX_INPUT_DEPTH} levels.`, fr: `Imbriqué sur plus de ${MAX_INPUT_DEPTH} niveaux.` },
  NOT_AN_OBJECT: { en: 'Settings must be an object.', fr: 'Les réglages doivent être un objet.' },
  // Batch print: a request names documents one way.
  BATCH_CODES_OR_FILTERS: {
    en: 'Give either codes or selection filters, not both.',
    fr: 'Donnez soit des codes, soit des filtres de sélection, pas les deux.',
  },
  ONE_ORIGIN_AT_MOST: {
    en: 'Give at most one of source, example and duplicate_of.',
    fr: 'Donnez au plus un élément parmi source, example et duplicate_of.',
  },
  WINDOW_REVERSED: { en: 'window_start must not be after window_end.', fr: 'window_start ne doit pas être postérieur à window_end.' },
  ROLE_UNKNOWN: { en: 'No such role in this tenant.', fr: 'Ce rôle n’existe pas dans cette organisation.' },
  CAPABILITY_UNKNOWN: { en: 'No such capability.', fr: 'Cette capacité n’existe pas.' },
  CAPABILITY_NOT_HELD: {
    en: 'You cannot give a capability you do not hold.',
    fr: 'Vous ne pouvez pas donner une capacité que vous ne détenez pas.',
  },
  BIND_MISSING: { en: 'Required and missing.', fr: 'Obligatoire et absent.' },
  BIND_TYPE: { en: 'Not of the type the template declares here.', fr: 'N’est pas du type que le modèle déclare ici.' },
  BIND_FORMAT: {
    en: 'Not in the format the template’s type expects here.',
    fr: 'N’est pas au format qu’attend le type déclaré par le modèle.',
  },
  BIND_ENUM: { en: 'Not one of the values the template allows here.', fr: 'N’est pas l’une des valeurs que le modèle admet ici.' },
  BIND_TOO_LONG: { en: 'Too many items (at most 2,000).', fr: 'Trop d’éléments (2 000 au plus).' },
  ORGANIZATION_FROM_SETTINGS: {
    en: 'The organisation printed on documents is the tenant’s (its settings); the one sent was ignored.',
    fr: 'L’organisme imprimé sur les documents est celui du locataire (ses réglages) ; celui envoyé a été ignoré.',
  },
  EXPORT_DOCUMENT_OVER_LIMIT: {
    en: 'This document alone is larger than the archive size limit: it has an archive of its own.',
    fr: 'Ce document dépasse à lui seul la taille maximale d’une archive : il a une archive pour lui seul.',
  },
  LOGO_INVALID: {
    en: 'A logo is the name of a template asset or a data:image/…;base64 URL.',
    fr: 'Un logo est le nom d’une ressource du modèle ou une URL data:image/…;base64.',
  },
  LOGO_TYPE: {
    en: 'A logo is a PNG or JPEG image (its content is checked, not its name; SVG is not accepted).',
    fr: 'Un logo est une image PNG ou JPEG (son contenu est vérifié, pas son nom ; le SVG n’est pas accepté).',
  },
  LOGO_TOO_LARGE: {
    en: (p) => `This logo has ${String(p.size_kb)} KB; a logo may have at most ${String(p.max_kb)} KB.`,
    fr: (p) => `Ce logo fait ${String(p.size_kb)} Ko ; un logo fait au plus ${String(p.max_kb)} Ko.`,
  },
  ROLE_NOT_HELD: {
    en: 'You cannot give a role granting capabilities you do not hold.',
    fr: 'Vous ne pouvez pas attribuer un rôle qui accorde des capacités que vous ne détenez pas.',
  },
  PASSWORD_WRONG: { en: 'This is not your current password.', fr: 'Ce n’est pas votre mot de passe actuel.' },
  TOKEN_EXPIRY_INVALID: { en: 'Give a future date and time (ISO 8601).', fr: 'Donnez une date et heure à venir (ISO 8601).' },
  TOKEN_OUTLIVES_MAKER: {
    en: 'A token cannot outlive the token that makes it.',
    fr: 'Un jeton ne peut pas durer plus longtemps que le jeton qui le crée.',
  },
  PUBLIC_BASE_URL_INVALID: {
    en: 'public_base_url must be an http:// or https:// address without user name, password, query or fragment.',
    fr: 'public_base_url doit être une adresse http:// ou https:// sans nom d’utilisateur, mot de passe, requête ni fragment.',
  },
  BIND_IMAGE_TOO_LARGE: {
    en: 'This image is over the 1 MB allowed in the data; make it smaller or upload it as a template asset.',
    fr: 'Cette image dépasse 1 Mo, la limite dans les données ; réduisez-la ou déposez-la comme ressource du modèle.',
  },
  BIND_UNKNOWN: { en: 'The template has no such field; it is ignored.', fr: 'Le modèle n’a pas ce champ ; il est ignoré.' },
  MOODLE_CERTIFICATE_IDNUMBER: {
    en: 'Attest certificates have no idnumber: give pdcidsource id or cmid.',
    fr: 'Les certificats d’Attest n’ont pas d’idnumber : donnez pdcidsource id ou cmid.',
  },
  MOODLE_CURSOR_UNKNOWN: {
    en: 'Give "last", a Unix time, or the id of an issue of this course from an earlier answer.',
    fr: 'Donnez « last », une heure Unix ou l’id d’un document de ce cours reçu dans une réponse précédente.',
  },
  MOODLE_FORM_TOO_MANY: { en: 'Too many parameters (at most 1,000).', fr: 'Trop de paramètres (1 000 au plus).' },
  MOODLE_FORM_ENCODING: { en: 'Not valid percent-encoded UTF-8.', fr: 'N’est pas de l’UTF-8 correctement encodé en pourcentage.' },
  MOODLE_FORM_NAME: {
    en: 'Not a parameter name with [key] brackets that close.',
    fr: 'N’est pas un nom de paramètre aux crochets [clé] bien fermés.',
  },
  MOODLE_FORM_TOO_DEEP: { en: 'Nested deeper than 5 levels.', fr: 'Imbriqué sur plus de 5 niveaux.' },
  MOODLE_FORM_CONFLICT: {
    en: 'Given twice, or both as a value and as a list or structure.',
    fr: 'Donné deux fois, ou à la fois comme valeur et comme liste ou structure.',
  },
  RANGE_REVERSED: { en: '`from` must not be after `to`.', fr: '`from` ne doit pas être postérieur à `to`.' },
  RANGE_TOO_LONG: {
    en: `A range covers at most ${MAX_STATS_DAYS} days.`,
    fr: `Une période couvre au plus ${MAX_STATS_DAYS} jours.`,
  },
  URL_INVALID: { en: 'This is not a URL.', fr: 'Ce n’est pas une URL.' },
  URL_SCHEME: { en: 'A receiver is an http:// or https:// address.', fr: 'Un destinataire est une adresse http:// ou https://.' },
  URL_CREDENTIALS: {
    en: 'A receiver URL carries no user name or password; receivers check the signature instead.',
    fr: 'L’URL d’un destinataire ne porte ni nom d’utilisateur ni mot de passe ; le destinataire vérifie la signature.',
  },
  URL_PRIVATE: {
    en: 'This address is loopback, private or reserved: the server does not call it unless the installation allows private receivers.',
    fr: 'Cette adresse est locale, privée ou réservée : le serveur ne l’appelle pas sauf si l’installation autorise les destinataires privés.',
  },
  EVENT_UNKNOWN: {
    en: (p) => `Unknown event ${q(p.event)}; events are issued, delivered, unlocked, locked, revoked, regenerated, expired.`,
    fr: (p) => `Événement inconnu ${q(p.event)} ; les événements sont issued, delivered, unlocked, locked, revoked, regenerated, expired.`,
  },
  // Bulk issue: the cells of a CSV file and the mapping of its columns.
  CSV_ROW_WIDTH: { en: 'This row does not have as many fields as the header.', fr: 'Cette ligne n’a pas autant de champs que l’en-tête.' },
  CSV_LEARNER_ID_MISSING: { en: 'The learner id is empty.', fr: 'L’identifiant de l’apprenant est vide.' },
  CSV_AVAILABLE_INVALID: { en: 'Expected true or false (or 1 or 0).', fr: 'Attendu : true ou false (ou 1 ou 0).' },
  CSV_HEADER_EMPTY: { en: 'This column has no name.', fr: 'Cette colonne n’a pas de nom.' },
  CSV_HEADER_DUPLICATE: { en: 'Two columns have this name.', fr: 'Deux colonnes portent ce nom.' },
  CSV_FORMULA_LIKE: {
    en: 'This cell starts like a spreadsheet formula; it is taken, and printed, as the text it is.',
    fr: 'Cette cellule commence comme une formule de tableur ; elle est prise, et imprimée, telle quelle.',
  },
  DUPLICATE_LEARNER: {
    en: 'This learner is listed more than once; one document per learner.',
    fr: 'Cet apprenant figure plusieurs fois ; un document par apprenant.',
  },
  MAPPING_UNKNOWN_COLUMN: { en: 'The file has no such column.', fr: 'Le fichier n’a pas cette colonne.' },
  MAPPING_UNKNOWN_VARIABLE: { en: 'The template has no such variable.', fr: 'Le modèle n’a pas cette variable.' },
  MAPPING_SERVER_FIELD: {
    en: 'The server fills this variable (the certificate, the tenant’s settings), never a file.',
    fr: 'Le serveur remplit cette variable (le certificat, les réglages du locataire), jamais un fichier.',
  },
  MAPPING_NOT_SCALAR: {
    en: 'A column fills one value: map it to a field of this list or object.',
    fr: 'Une colonne remplit une valeur : associez-la à un champ de cette liste ou de cet objet.',
  },
  MAPPING_DUPLICATE_VARIABLE: { en: 'Another column fills this variable already.', fr: 'Une autre colonne remplit déjà cette variable.' },
  TEMPLATE_INVALID: {
    en: (p) => `This mail template does not check: ${typeof p.detail === 'string' ? p.detail : ''}`,
    fr: (p) => `Ce modèle de courriel n’est pas valide : ${typeof p.detail === 'string' ? p.detail : ''}`,
  },
  // Digital signature (issue 17, helper "sign")
  SIGNATURE_TIMESTAMP_URL_REQUIRED: {
    en: 'B-T needs a timestamp authority: set timestamp_url.',
    fr: 'B-T demande une autorité d’horodatage : renseignez timestamp_url.',
  },
  PKCS12_UNREADABLE: { en: 'This is not a PKCS#12 (.p12, .pfx) file.', fr: 'Ce n’est pas un fichier PKCS#12 (.p12, .pfx).' },
  PKCS12_PASSWORD_WRONG: { en: 'The password does not open this file.', fr: 'Le mot de passe n’ouvre pas ce fichier.' },
  PKCS12_UNSUPPORTED: {
    en: 'This file uses a protection we do not read: export it again with AES-256 and PBKDF2.',
    fr: 'Ce fichier utilise une protection que nous ne lisons pas : exportez-le de nouveau avec AES-256 et PBKDF2.',
  },
  PKCS12_KEY_COUNT: {
    en: 'A signing key file holds exactly one private key.',
    fr: 'Un fichier de clé de signature contient exactement une clé privée.',
  },
  PKCS12_KEY_MISMATCH: {
    en: 'No certificate in this file is the certificate of its private key.',
    fr: 'Aucun certificat de ce fichier n’est celui de sa clé privée.',
  },
  PKCS12_KEY_TYPE: {
    en: 'The key is not one we sign with: RSA 2048 or 3072 bits, ECDSA P-256 or P-384.',
    fr: 'La clé n’est pas d’un type avec lequel nous signons : RSA 2048 ou 3072 bits, ECDSA P-256 ou P-384.',
  },
  PKCS12_CERTIFICATE_EXPIRED: {
    en: 'This certificate is not valid today (expired, or not yet valid).',
    fr: 'Ce certificat n’est pas valide aujourd’hui (expiré, ou pas encore valide).',
  },
  // Open Badges 3.0 verification outcomes (issue 17, helper "ob3"): server/domain/credentials/verify.ts
  CREDENTIAL_VALID: {
    en: 'The credential is valid: its signature checks, it is not revoked and it is within its validity period.',
    fr: 'L’attestation numérique est valide : sa signature est vérifiée, elle n’est pas révoquée et elle est dans sa période de validité.',
  },
  CREDENTIAL_PROOF_VALID: {
    en: 'The signature checks with a key its issuer publishes.',
    fr: 'La signature est vérifiée avec une clé que publie son émetteur.',
  },
  CREDENTIAL_PROOF_INVALID: {
    en: 'The signature does not check: the credential was changed after it was signed, or not signed by its issuer.',
    fr: 'La signature n’est pas vérifiée : l’attestation a été modifiée après sa signature, ou n’a pas été signée par son émetteur.',
  },
  CREDENTIAL_ISSUER_UNKNOWN: {
    en: 'The issuer or its key is not one this server knows.',
    fr: 'L’émetteur ou sa clé n’est pas connu de ce serveur.',
  },
  CREDENTIAL_STATUS_ACTIVE: {
    en: 'Its issuer’s status list says it is not revoked.',
    fr: 'La liste de statut de son émetteur indique qu’elle n’est pas révoquée.',
  },
  CREDENTIAL_REVOKED: {
    en: 'The credential was revoked by its issuer.',
    fr: 'L’attestation numérique a été révoquée par son émetteur.',
  },
  CREDENTIAL_STATUS_NONE: {
    en: 'The credential carries no status: it cannot be revoked.',
    fr: 'L’attestation numérique ne porte pas de statut : elle ne peut pas être révoquée.',
  },
  CREDENTIAL_STATUS_UNAVAILABLE: {
    en: 'Its status could not be checked: the issuer’s signed status list is not available.',
    fr: 'Son statut n’a pas pu être vérifié : la liste de statut signée de l’émetteur n’est pas disponible.',
  },
  CREDENTIAL_IN_VALIDITY: {
    en: 'It is within its validity period.',
    fr: 'Elle est dans sa période de validité.',
  },
  CREDENTIAL_EXPIRED: {
    en: 'The credential has expired.',
    fr: 'L’attestation numérique a expiré.',
  },
  CREDENTIAL_NOT_YET_VALID: {
    en: 'The credential is not valid yet.',
    fr: 'L’attestation numérique n’est pas encore valide.',
  },
  // PDF protection (issue 17, helper "protect")
  PROTECTION_NEEDS_SECRET_KEY: {
    en: 'PDF protection needs the installation key (ATTEST_SECRET_KEY): ask the operator to set it.',
    fr: 'La protection des PDF demande la clé de l’installation (ATTEST_SECRET_KEY) : demandez à l’opérateur de la définir.',
  },
  PROTECTION_PASSWORD_SEALED_INVALID: {
    en: 'This sealed password does not open with this installation’s key: give the password in clear.',
    fr: 'Ce mot de passe scellé ne s’ouvre pas avec la clé de cette installation : donnez le mot de passe en clair.',
  },
  PROTECTION_PASSWORD_NOT_LATIN1: {
    en: 'AES-128 passwords are limited to Latin-1 characters: choose AES-256 or another password.',
    fr: 'Les mots de passe AES-128 sont limités aux caractères Latin-1 : choisissez AES-256 ou un autre mot de passe.',
  },
  // PDF/A archival documents (issue 17, helper "pdfa")
  ARCHIVAL_EXCLUDES_PROTECTION: {
    en: (p) =>
      p.certificate
        ? `The certificate “${val(p.certificate, '')}” would make PDF/A documents that are protected, and PDF/A forbids encryption: turn archival or protection off for it.`
        : 'PDF/A documents cannot be protected (the standard forbids encryption): turn archival or protection off.',
    fr: (p) =>
      p.certificate
        ? `Le certificat « ${val(p.certificate, '')} » produirait des documents PDF/A protégés, et PDF/A interdit le chiffrement : désactivez pour lui l’archivage ou la protection.`
        : 'Un document PDF/A ne peut pas être protégé (la norme interdit le chiffrement) : désactivez l’archivage ou la protection.',
  },
  // Open Badges 3.0 (issue 17, helper "ob3srv")
  CREDENTIAL_NEEDS_SECRET_KEY: {
    en: 'Open Badges credentials need the installation key (ATTEST_SECRET_KEY) to seal the signing keys: ask the operator to set it.',
    fr: 'Les badges Open Badges demandent la clé de l’installation (ATTEST_SECRET_KEY) pour sceller les clés de signature : demandez à l’opérateur de la définir.',
  },
  // Expiry reminders (issue 15, helper "expiry")
  REMINDER_DUPLICATE: {
    en: 'Two reminders have the same days_before: each offset is sent once, give it once.',
    fr: 'Deux rappels ont la même valeur days_before : chaque délai est envoyé une fois, donnez-le une fois.',
  },
};

/**
 * A problem's sentence in a language. In English, a message of the throw site that says more than the
 * catalogue (values, "did you mean") is kept; in French the catalogue's, made from the parameters.
 */
export function problemMessage(code: string, locale: Locale, params: Params, original: string): string {
  const entry = Object.hasOwn(PROBLEM_CODES, code) ? PROBLEM_CODES[code] : undefined;
  if (!entry) return original;
  if (locale === 'en' && original && !Object.keys(params).length) return original;
  return render(entry[locale], params);
}
