import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The editor's UI strings in French and English, and the current UI locale.
 *
 * One table, one entry per key with both languages: forgetting a translation is a type error, not a
 * blank label found by a user. The locale comes from the browser (navigator.languages), can be switched,
 * and is remembered in localStorage. Components hold a `LocaleController` so they re-render on a switch.
 * This module touches `navigator`/`localStorage` only when they exist, so Node tests can import it.
 */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

type Entry = Readonly<Record<Locale, string>>;

const MESSAGES = {
  'app.language': { en: 'Language', fr: 'Langue' },
  'app.language.en': { en: 'English', fr: 'English' },
  'app.language.fr': { en: 'Français', fr: 'Français' },

  'source.label': { en: 'Template source', fr: 'Source du modèle' },
  'source.keyboardHint': {
    en: 'Tab indents. To leave the editor: Escape, then Tab (or Ctrl+M to make Tab move focus).',
    fr: 'Tab indente. Pour quitter l’éditeur : Échap, puis Tab (ou Ctrl+M pour que Tab déplace le focus).',
  },
  'problems.title': { en: 'Problems', fr: 'Problèmes' },
  'problems.count': { en: '{count} problem(s)', fr: '{count} problème(s)' },
  'problems.none': { en: 'No problems.', fr: 'Aucun problème.' },
  'problems.at': { en: 'line {line}, column {column}', fr: 'ligne {line}, colonne {column}' },
  'problems.error': { en: 'Error', fr: 'Erreur' },
  'problems.warning': { en: 'Warning', fr: 'Avertissement' },
  'problems.info': { en: 'Note', fr: 'Remarque' },
  'problems.goTo': { en: 'Go to line {line}, column {column}: {message}', fr: 'Aller à la ligne {line}, colonne {column} : {message}' },

  'preview.label': { en: 'PDF preview', fr: 'Aperçu PDF' },
  'preview.toolbar': { en: 'Preview controls', fr: 'Commandes de l’aperçu' },
  'preview.zoomIn': { en: 'Zoom in', fr: 'Zoom avant' },
  'preview.zoomOut': { en: 'Zoom out', fr: 'Zoom arrière' },
  'preview.fit': { en: 'Fit to width', fr: 'Ajuster à la largeur' },
  'preview.zoomLevel': { en: 'Zoom {percent} %', fr: 'Zoom {percent} %' },
  'preview.prevPage': { en: 'Previous page', fr: 'Page précédente' },
  'preview.nextPage': { en: 'Next page', fr: 'Page suivante' },
  'preview.pageNumber': { en: 'Page number', fr: 'Numéro de page' },
  'preview.pageOf': { en: 'Page {page} of {count}', fr: 'Page {page} sur {count}' },
  'preview.of': { en: 'of {count}', fr: 'sur {count}' },
  'preview.loading': { en: 'Rendering…', fr: 'Rendu en cours…' },
  'preview.empty': { en: 'No preview yet.', fr: 'Pas encore d’aperçu.' },
  'preview.errorsTitle': {
    en: 'The preview cannot be made: {count} problem(s)',
    fr: 'L’aperçu ne peut pas être produit : {count} problème(s)',
  },
  'preview.errorAt': { en: 'line {line}, column {column}', fr: 'ligne {line}, colonne {column}' },
  'preview.goTo': { en: 'Show in the source', fr: 'Afficher dans la source' },
  'preview.canvas': {
    en: 'Page {page}. Click an element to find it in the source; drag a positioned element to move it.',
    fr: 'Page {page}. Cliquez sur un élément pour le trouver dans la source ; faites glisser un élément positionné pour le déplacer.',
  },
  'preview.renderFailed': { en: 'The PDF could not be displayed: {message}', fr: 'Le PDF n’a pas pu être affiché : {message}' },

  'variables.title': { en: 'Variables', fr: 'Variables' },
  'variables.search': { en: 'Search variables', fr: 'Rechercher une variable' },
  'variables.searchPlaceholder': { en: 'Name, type or description', fr: 'Nom, type ou description' },
  'variables.catalogue': { en: 'Built-in', fr: 'Intégrées' },
  'variables.declared': { en: 'This template', fr: 'Ce modèle' },
  'variables.none': { en: 'No variable matches.', fr: 'Aucune variable ne correspond.' },
  'variables.required': { en: 'required', fr: 'obligatoire' },
  'variables.personal': { en: 'personal data', fr: 'donnée personnelle' },
  'variables.insert': { en: 'Insert {text}', fr: 'Insérer {text}' },
  'variables.hint': {
    en: 'Click, press Enter or drag a variable into the source.',
    fr: 'Cliquez, appuyez sur Entrée ou faites glisser une variable dans la source.',
  },

  'sample.title': { en: 'Sample learner', fr: 'Apprenant d’exemple' },
  'sample.persona': { en: 'Sample data', fr: 'Données d’exemple' },
  'sample.own': { en: 'My own JSON', fr: 'Mon propre JSON' },
  'sample.ordinary': { en: 'Ordinary learners', fr: 'Apprenants ordinaires' },
  'sample.hard': { en: 'Hard cases', fr: 'Cas difficiles' },
  'sample.json': { en: 'Sample data as JSON', fr: 'Données d’exemple en JSON' },
  'sample.valid': { en: 'The data matches the template.', fr: 'Les données correspondent au modèle.' },
  'sample.problems': { en: '{count} problem(s) in the data', fr: '{count} problème(s) dans les données' },
  'sample.syntax': { en: 'Not valid JSON: {message}', fr: 'JSON invalide : {message}' },
  'sample.root': { en: '(whole document)', fr: '(document entier)' },
  'sample.copy': { en: 'Edit as JSON', fr: 'Modifier en JSON' },

  'diff.title': { en: 'Compare versions', fr: 'Comparer les versions' },
  'diff.left': { en: 'Before', fr: 'Avant' },
  'diff.right': { en: 'After', fr: 'Après' },
  'diff.label': { en: 'Differences between {left} and {right}', fr: 'Différences entre {left} et {right}' },
  'diff.identical': { en: 'The two versions are identical.', fr: 'Les deux versions sont identiques.' },

  'move.notFound': {
    en: 'No element starts at line {line}, column {column} of the source.',
    fr: 'Aucun élément ne commence à la ligne {line}, colonne {column} de la source.',
  },
  'move.missing': {
    en: 'The element has no {attribute} attribute to change.',
    fr: 'L’élément n’a pas d’attribut {attribute} à modifier.',
  },
  'move.liquid': {
    en: 'The {attribute} attribute is computed by Liquid; edit it in the source.',
    fr: 'L’attribut {attribute} est calculé par Liquid ; modifiez-le dans la source.',
  },
  'move.notLength': { en: 'The {attribute} attribute is not a plain length.', fr: 'L’attribut {attribute} n’est pas une longueur simple.' },
  'move.percent': {
    en: 'The {attribute} attribute is a percentage and the page size is unknown.',
    fr: 'L’attribut {attribute} est un pourcentage et la taille de la page est inconnue.',
  },
  'move.moved': { en: 'Moved the element.', fr: 'Élément déplacé.' },
} as const satisfies Record<string, Entry>;

export type MessageKey = keyof typeof MESSAGES;
export type MessageParams = Readonly<Record<string, string | number>>;

/** Every key, for tests and tools. */
export const MESSAGE_KEYS = Object.keys(MESSAGES) as MessageKey[];

/** The raw table (read-only), so tests can check both languages. */
export function messageTable(): Readonly<Record<MessageKey, Entry>> {
  return MESSAGES;
}

const STORAGE_KEY = 'attest.locale';
/** Dispatched on `localeEvents` (and `window`, so plain scripts can listen) after a switch. */
export const LOCALE_CHANGE = 'attest-locale-change';
export const localeEvents = new EventTarget();

/** The first of the browser's languages that we speak, else English. */
export function detectLocale(languages: readonly string[] | undefined): Locale {
  for (const tag of languages ?? []) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    // Storage can throw when cookies are blocked; the locale then simply is not remembered.
    return undefined;
  }
}

function initialLocale(): Locale {
  const saved = storage()?.getItem(STORAGE_KEY);
  if (isLocale(saved)) return saved;
  return detectLocale(typeof navigator === 'undefined' ? undefined : navigator.languages);
}

let current: Locale = initialLocale();

export function getLocale(): Locale {
  return current;
}

/** Switches the UI language, remembers it, and tells every component to re-render. */
export function setLocale(locale: Locale): void {
  if (locale === current) return;
  current = locale;
  storage()?.setItem(STORAGE_KEY, locale);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  localeEvents.dispatchEvent(new Event(LOCALE_CHANGE));
  if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent(LOCALE_CHANGE, { detail: { locale } }));
}

/**
 * The string for `key` in the current locale (or `locale`), with `{name}` placeholders filled; numbers
 * are formatted in that locale (1 234,5 in French).
 */
export function t(key: MessageKey, params?: MessageParams, locale: Locale = current): string {
  return fill(MESSAGES[key][locale], params, locale);
}

/** `{name}` placeholders of a message filled, numbers formatted in the locale; for every message table. */
export function fill(template: string, params: MessageParams | undefined, locale: Locale): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, undefined, locale) : value;
  });
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions, locale: Locale = current): string {
  return new Intl.NumberFormat(locale, options).format(value);
}

/** Dates in the locale; a "YYYY-MM-DD" string is a calendar date (formatted in UTC so it never shifts a day). */
export function formatDate(
  value: Date | string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'long' },
  locale: Locale = current,
): string {
  const dateOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = typeof value === 'string' ? new Date(dateOnly ? `${value}T00:00:00Z` : value) : value;
  return new Intl.DateTimeFormat(locale, dateOnly ? { timeZone: 'UTC', ...options } : options).format(date);
}

/** A localized text of the data model ({ en, fr }) in the UI locale. */
export function localized(text: Readonly<Record<Locale, string>>, locale: Locale = current): string {
  return text[locale];
}

/**
 * Makes a Lit element re-render when the UI locale changes: `new LocaleController(this)` in its constructor,
 * then `t(…)` in `render()` as usual.
 */
export class LocaleController implements ReactiveController {
  private readonly onChange = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get locale(): Locale {
    return current;
  }

  hostConnected(): void {
    localeEvents.addEventListener(LOCALE_CHANGE, this.onChange);
  }

  hostDisconnected(): void {
    localeEvents.removeEventListener(LOCALE_CHANGE, this.onChange);
  }
}
