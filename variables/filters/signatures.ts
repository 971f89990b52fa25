import type { LocalizedText, VarType } from '../types';
import { DATE_STYLES } from './dates';
import { DURATION_STYLES } from './numbers';
import { LIST_STYLES } from './text';

/**
 * Every filter a template may use — ours and the liquidjs built-ins we keep — with what it accepts, its
 * arguments, what it returns and what it does, in English and French. The analyzer checks filter chains
 * against this table, the editor shows it in completion and hover, and the engine must offer exactly these
 * names. A liquidjs filter missing here is not allowed (`sample` and the `date_to_*` family would make the
 * same data give different documents; `raw` would let data become markup).
 */

/** What a filter accepts, in the designer's words. `number` also takes durations (they are seconds). */
export type InputClass = 'any' | 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'list' | 'object';

export interface FilterArgument {
  name: string;
  type: InputClass;
  optional?: boolean;
  /** Values the editor proposes (the argument may accept others, e.g. a custom date pattern). */
  suggestions?: readonly string[];
  /** The suggestions are the only values accepted. */
  closed?: boolean;
  /** A date format: a style or a pattern, checked by dateFormatProblem (filters/dates.ts). */
  dateFormat?: boolean;
}

/**
 * What comes out: a type; `same` (the input's type); `item` (a list's item, or the string for a string);
 * `property-list` (`map`: the list of the named property of each item); `unknown` (not tracked).
 */
export type FilterReturn = VarType | 'same' | 'item' | 'property-list' | 'unknown';

export interface FilterSignature {
  input: readonly InputClass[];
  args: readonly FilterArgument[];
  returns: FilterReturn;
  /** The result is never empty even when the input is missing (`default`, `size`). */
  nonNil?: boolean;
  doc: LocalizedText;
  origin: 'attest' | 'liquid';
}

const STRING: VarType = { kind: 'string' };
const NUMBER: VarType = { kind: 'number' };
const INTEGER: VarType = { kind: 'integer' };
const BOOLEAN: VarType = { kind: 'boolean' };
const STRINGS: VarType = { kind: 'list', of: STRING };

const TEXT_IN: readonly InputClass[] = ['string', 'number'];
const NUMBER_IN: readonly InputClass[] = ['number'];
const LIST_IN: readonly InputClass[] = ['list'];
const SEQUENCE_IN: readonly InputClass[] = ['list', 'string'];

const arg = (name: string, type: InputClass, optional = false, suggestions?: readonly string[], closed = false): FilterArgument => {
  const a: FilterArgument = { name, type };
  if (optional) a.optional = true;
  if (suggestions) a.suggestions = suggestions;
  if (closed) a.closed = true;
  return a;
};

function sig(
  origin: 'attest' | 'liquid',
  input: readonly InputClass[],
  args: readonly FilterArgument[],
  returns: FilterReturn,
  en: string,
  fr: string,
  nonNil = false,
): FilterSignature {
  const s: FilterSignature = { input, args, returns, doc: { en, fr }, origin };
  if (nonNil) s.nonNil = true;
  return s;
}

const ours = (...a: Parameters<typeof sig> extends [unknown, ...infer R] ? R : never): FilterSignature => sig('attest', ...a);
const liquid = (...a: Parameters<typeof sig> extends [unknown, ...infer R] ? R : never): FilterSignature => sig('liquid', ...a);

const math = (en: string, fr: string, argName = 'operand'): FilterSignature => liquid(NUMBER_IN, [arg(argName, 'number')], NUMBER, en, fr);
const text = (en: string, fr: string, args: readonly FilterArgument[] = []): FilterSignature => liquid(TEXT_IN, args, STRING, en, fr);

export const filterSignatures: Readonly<Record<string, FilterSignature>> = {
  // Attest's locale-aware filters.
  date: ours(
    ['date', 'datetime', 'number'],
    [{ ...arg('format', 'string', true, DATE_STYLES), dateFormat: true }],
    STRING,
    'Formats a date in the document’s language: "short", "medium", "long" (default), "full", or a pattern such as "dd/MM/yyyy" or "EEEE d MMMM" (text in quotes: "\'le\' d MMMM"). A date prints the same day in every time zone. A format it cannot read ("longg", "DD/MM/YYYY", "%d/%m/%Y") is an error, never printed.',
    'Formate une date dans la langue du document : "short", "medium", "long" (par défaut), "full" ou un motif comme "dd/MM/yyyy" ou "EEEE d MMMM" (le texte entre apostrophes : "\'le\' d MMMM"). Une date s’imprime au même jour dans tous les fuseaux horaires. Un format illisible ("longg", "DD/MM/YYYY", "%d/%m/%Y") est une erreur, jamais imprimé.',
  ),
  datetime: ours(
    ['date', 'datetime', 'number'],
    [{ ...arg('format', 'string', true, DATE_STYLES), dateFormat: true }, arg('time_zone', 'string', true, ['UTC', 'Europe/Paris'])],
    STRING,
    'Formats a date and time: a style ("long" by default) or a pattern such as "dd/MM/yyyy HH:mm", in UTC unless a time zone is given.',
    'Formate une date et une heure : un style ("long" par défaut) ou un motif comme "dd/MM/yyyy HH:mm", en UTC sauf si un fuseau horaire est donné.',
  ),
  number: ours(
    ['number'],
    [arg('decimals', 'number', true)],
    STRING,
    'Formats a number with the separators of the document’s language ("1 234,5" in French); the argument fixes the number of decimals.',
    'Formate un nombre avec les séparateurs de la langue du document (« 1 234,5 » en français) ; l’argument fixe le nombre de décimales.',
  ),
  percent: ours(
    ['number'],
    [arg('decimals', 'number', true)],
    STRING,
    'Formats a percentage (0–100, as grade.percent holds): 87.5 → "87.5%" / « 87,5 % ».',
    'Formate un pourcentage (0 à 100, comme grade.percent) : 87.5 → « 87,5 % ».',
  ),
  duration: ours(
    ['number'],
    [arg('style', 'string', true, DURATION_STYLES, true)],
    STRING,
    'Formats a duration in seconds: "12 h 30 min" (short), "12h 30m" (narrow), "12 hours 30 minutes" (long), "12.5 h" (hours), "750 min" (minutes).',
    'Formate une durée en secondes : « 12 h 30 min » (short), « 12h 30min » (narrow), « 12 heures 30 minutes » (long), « 12,5 h » (hours), « 750 min » (minutes).',
  ),
  grade: ours(
    ['number', 'string'],
    [arg('max', 'number', true), arg('decimals', 'number', true)],
    STRING,
    'Formats a grade out of its maximum: "15.5 / 20" / « 15,5 / 20 ». A letter grade prints as is.',
    'Formate une note sur son maximum : « 15,5 / 20 ». Une note littérale s’imprime telle quelle.',
  ),
  join_list: ours(
    ['list'],
    [arg('style', 'string', true, LIST_STYLES, true)],
    STRING,
    'Joins a list as a sentence: "A, B and C" / « A, B et C »; "or" gives "A, B or C".',
    'Joint une liste en phrase : « A, B et C » ; "or" donne « A, B ou C ».',
  ),
  capitalize: ours(
    ['string'],
    [],
    STRING,
    'Upper-cases the first letter with the rules of the document’s language, leaving the rest as it is.',
    'Met la première lettre en majuscule selon les règles de la langue du document, sans toucher au reste.',
  ),
  upcase: ours(
    ['string'],
    [],
    STRING,
    'Upper-cases the text with the rules of the document’s language (Turkish i → İ).',
    'Met le texte en majuscules selon les règles de la langue du document (turc : i → İ).',
  ),
  downcase: ours(
    ['string'],
    [],
    STRING,
    'Lower-cases the text with the rules of the document’s language (Turkish I → ı).',
    'Met le texte en minuscules selon les règles de la langue du document (turc : I → ı).',
  ),
  country_name: ours(
    ['string'],
    [],
    STRING,
    'The name of a country from its ISO code, in the document’s language: "FR" → "France".',
    'Le nom d’un pays à partir de son code ISO, dans la langue du document : "DE" → « Allemagne ».',
  ),
  language_name: ours(
    ['string'],
    [],
    STRING,
    'The name of a language from its code, in the document’s language: "de" → "German".',
    'Le nom d’une langue à partir de son code, dans la langue du document : "de" → « allemand ».',
  ),

  // liquidjs built-ins: values.
  default: liquid(
    ['any'],
    [arg('fallback', 'any')],
    'same',
    'Prints the fallback when the value is missing, false or empty.',
    'Imprime la valeur de repli quand la valeur est absente, fausse ou vide.',
    true,
  ),
  json: liquid(['any'], [], STRING, 'The value as JSON.', 'La valeur en JSON.', true),
  jsonify: liquid(['any'], [], STRING, 'The value as JSON (same as json).', 'La valeur en JSON (comme json).', true),
  inspect: liquid(['any'], [], STRING, 'The value as JSON, for debugging.', 'La valeur en JSON, pour la mise au point.', true),
  to_integer: liquid(['number', 'string'], [], INTEGER, 'Converts to an integer.', 'Convertit en nombre entier.'),
  size: liquid(
    ['list', 'string', 'object'],
    [],
    INTEGER,
    'Number of items of a list, or characters of a text.',
    'Nombre d’éléments d’une liste, ou de caractères d’un texte.',
    true,
  ),

  // Arithmetic.
  plus: math('Adds a number.', 'Ajoute un nombre.'),
  minus: math('Subtracts a number.', 'Soustrait un nombre.'),
  times: math('Multiplies by a number.', 'Multiplie par un nombre.'),
  divided_by: math(
    'Divides by a number (integer division when both are integers).',
    'Divise par un nombre (division entière si les deux sont entiers).',
    'divisor',
  ),
  modulo: math('Remainder of the division by a number.', 'Reste de la division par un nombre.', 'divisor'),
  at_least: math('The value, or the minimum if it is smaller.', 'La valeur, ou le minimum si elle est plus petite.', 'minimum'),
  at_most: math('The value, or the maximum if it is larger.', 'La valeur, ou le maximum si elle est plus grande.', 'maximum'),
  abs: liquid(NUMBER_IN, [], NUMBER, 'Absolute value.', 'Valeur absolue.'),
  ceil: liquid(NUMBER_IN, [], INTEGER, 'Rounds up to an integer.', 'Arrondit à l’entier supérieur.'),
  floor: liquid(NUMBER_IN, [], INTEGER, 'Rounds down to an integer.', 'Arrondit à l’entier inférieur.'),
  round: liquid(
    NUMBER_IN,
    [arg('decimals', 'number', true)],
    NUMBER,
    'Rounds to the given number of decimals (0 by default).',
    'Arrondit au nombre de décimales donné (0 par défaut).',
  ),

  // Text.
  append: text('Adds text at the end.', 'Ajoute du texte à la fin.', [arg('text', 'string')]),
  prepend: text('Adds text at the start.', 'Ajoute du texte au début.', [arg('text', 'string')]),
  remove: text('Removes every occurrence of a text.', 'Supprime chaque occurrence d’un texte.', [arg('text', 'string')]),
  remove_first: text('Removes the first occurrence of a text.', 'Supprime la première occurrence d’un texte.', [arg('text', 'string')]),
  remove_last: text('Removes the last occurrence of a text.', 'Supprime la dernière occurrence d’un texte.', [arg('text', 'string')]),
  replace: text('Replaces every occurrence of a text.', 'Remplace chaque occurrence d’un texte.', [
    arg('search', 'string'),
    arg('replacement', 'string'),
  ]),
  replace_first: text('Replaces the first occurrence of a text.', 'Remplace la première occurrence d’un texte.', [
    arg('search', 'string'),
    arg('replacement', 'string'),
  ]),
  replace_last: text('Replaces the last occurrence of a text.', 'Remplace la dernière occurrence d’un texte.', [
    arg('search', 'string'),
    arg('replacement', 'string'),
  ]),
  strip: text('Removes spaces at both ends.', 'Supprime les espaces aux deux bouts.'),
  lstrip: text('Removes spaces at the start.', 'Supprime les espaces au début.'),
  rstrip: text('Removes spaces at the end.', 'Supprime les espaces à la fin.'),
  strip_newlines: text('Removes line breaks.', 'Supprime les retours à la ligne.'),
  squish: text('Collapses runs of spaces into one and trims both ends.', 'Réduit les suites d’espaces à un seul et coupe les deux bouts.'),
  normalize_whitespace: text(
    'Turns every run of spaces and line breaks into one space.',
    'Remplace chaque suite d’espaces et de retours à la ligne par un espace.',
  ),
  truncate: text(
    'Shortens the text to a number of characters, ending with "..." or the given ending.',
    'Raccourcit le texte à un nombre de caractères, terminé par « ... » ou la fin donnée.',
    [arg('length', 'number'), arg('ending', 'string', true)],
  ),
  truncatewords: text('Shortens the text to a number of words.', 'Raccourcit le texte à un nombre de mots.', [
    arg('words', 'number'),
    arg('ending', 'string', true),
  ]),
  number_of_words: liquid(['string'], [], INTEGER, 'Number of words in the text.', 'Nombre de mots du texte.'),
  split: liquid(
    ['string'],
    [arg('separator', 'string')],
    STRINGS,
    'Splits the text into a list at each separator.',
    'Découpe le texte en liste à chaque séparateur.',
  ),
  slugify: text(
    'Turns the text into a lower-case, dash-separated identifier.',
    'Transforme le texte en identifiant en minuscules séparé par des tirets.',
    [arg('mode', 'string', true)],
  ),
  url_encode: text('Encodes the text for a URL query.', 'Encode le texte pour une requête d’URL.'),
  url_decode: text('Decodes a URL-encoded text.', 'Décode un texte encodé pour une URL.'),
  cgi_escape: text('Encodes the text for a URL query (CGI style).', 'Encode le texte pour une requête d’URL (style CGI).'),
  uri_escape: text(
    'Encodes the text as a URI, keeping its reserved characters.',
    'Encode le texte en URI en gardant ses caractères réservés.',
  ),
  escape: text(
    'Escapes <, >, &, and quotes (values are already escaped when printed).',
    'Échappe <, >, & et les guillemets (les valeurs le sont déjà à l’impression).',
  ),
  escape_once: text(
    'Escapes the text without escaping existing entities again.',
    'Échappe le texte sans échapper à nouveau les entités existantes.',
  ),
  xml_escape: text('Escapes the text for XML.', 'Échappe le texte pour XML.'),
  strip_html: text('Removes HTML tags from the text.', 'Supprime les balises HTML du texte.'),
  newline_to_br: text('Turns line breaks into <br/> (for rich text).', 'Transforme les retours à la ligne en <br/> (pour le texte riche).'),

  // Lists.
  join: liquid(
    LIST_IN,
    [arg('separator', 'string', true)],
    STRING,
    'Joins the items with a separator (a space by default); join_list writes a sentence.',
    'Joint les éléments avec un séparateur (une espace par défaut) ; join_list écrit une phrase.',
  ),
  array_to_sentence_string: liquid(
    LIST_IN,
    [arg('connector', 'string', true)],
    STRING,
    'Joins the items as "A, B, and C" (English only; prefer join_list).',
    'Joint les éléments en « A, B, and C » (anglais seulement ; préférer join_list).',
  ),
  first: liquid(SEQUENCE_IN, [], 'item', 'The first item of a list.', 'Le premier élément d’une liste.'),
  last: liquid(SEQUENCE_IN, [], 'item', 'The last item of a list.', 'Le dernier élément d’une liste.'),
  reverse: liquid(LIST_IN, [], 'same', 'The list in reverse order.', 'La liste dans l’ordre inverse.'),
  sort: liquid(
    LIST_IN,
    [arg('property', 'string', true)],
    'same',
    'Sorts the list, by a property if given.',
    'Trie la liste, selon une propriété si elle est donnée.',
  ),
  sort_natural: liquid(
    LIST_IN,
    [arg('property', 'string', true)],
    'same',
    'Sorts the list ignoring case.',
    'Trie la liste sans tenir compte de la casse.',
  ),
  uniq: liquid(LIST_IN, [arg('property', 'string', true)], 'same', 'Removes duplicate items.', 'Supprime les doublons.'),
  compact: liquid(LIST_IN, [arg('property', 'string', true)], 'same', 'Removes missing items.', 'Supprime les éléments absents.'),
  concat: liquid(LIST_IN, [arg('list', 'list')], 'same', 'Joins two lists into one.', 'Réunit deux listes en une.'),
  push: liquid(
    LIST_IN,
    [arg('item', 'any')],
    'same',
    'The list with an item added at the end.',
    'La liste avec un élément ajouté à la fin.',
  ),
  unshift: liquid(
    LIST_IN,
    [arg('item', 'any')],
    'same',
    'The list with an item added at the start.',
    'La liste avec un élément ajouté au début.',
  ),
  pop: liquid(LIST_IN, [], 'same', 'The list without its last item.', 'La liste sans son dernier élément.'),
  shift: liquid(LIST_IN, [], 'same', 'The list without its first item.', 'La liste sans son premier élément.'),
  slice: liquid(
    SEQUENCE_IN,
    [arg('start', 'number'), arg('length', 'number', true)],
    'same',
    'Part of a list or text, from a position and for a length (1 by default).',
    'Une partie d’une liste ou d’un texte, depuis une position et sur une longueur (1 par défaut).',
  ),
  map: liquid(
    LIST_IN,
    [arg('property', 'string')],
    'property-list',
    'The list of one property of each item.',
    'La liste d’une propriété de chaque élément.',
  ),
  sum: liquid(
    LIST_IN,
    [arg('property', 'string', true)],
    NUMBER,
    'The sum of the items, or of a property of each item.',
    'La somme des éléments, ou d’une propriété de chaque élément.',
  ),
  where: liquid(
    LIST_IN,
    [arg('property', 'string'), arg('value', 'any', true)],
    'same',
    'The items whose property equals the value (or is true).',
    'Les éléments dont la propriété vaut la valeur (ou est vraie).',
  ),
  reject: liquid(
    LIST_IN,
    [arg('property', 'string'), arg('value', 'any', true)],
    'same',
    'The items whose property does not equal the value.',
    'Les éléments dont la propriété ne vaut pas la valeur.',
  ),
  where_exp: liquid(
    LIST_IN,
    [arg('item', 'string'), arg('condition', 'string')],
    'same',
    'The items for which the condition holds.',
    'Les éléments pour lesquels la condition est vraie.',
  ),
  reject_exp: liquid(
    LIST_IN,
    [arg('item', 'string'), arg('condition', 'string')],
    'same',
    'The items for which the condition does not hold.',
    'Les éléments pour lesquels la condition est fausse.',
  ),
  find: liquid(
    LIST_IN,
    [arg('property', 'string'), arg('value', 'any')],
    'item',
    'The first item whose property equals the value.',
    'Le premier élément dont la propriété vaut la valeur.',
  ),
  find_exp: liquid(
    LIST_IN,
    [arg('item', 'string'), arg('condition', 'string')],
    'item',
    'The first item for which the condition holds.',
    'Le premier élément pour lequel la condition est vraie.',
  ),
  find_index: liquid(
    LIST_IN,
    [arg('property', 'string'), arg('value', 'any')],
    INTEGER,
    'The position of the first item whose property equals the value.',
    'La position du premier élément dont la propriété vaut la valeur.',
  ),
  find_index_exp: liquid(
    LIST_IN,
    [arg('item', 'string'), arg('condition', 'string')],
    INTEGER,
    'The position of the first item for which the condition holds.',
    'La position du premier élément pour lequel la condition est vraie.',
  ),
  has: liquid(
    LIST_IN,
    [arg('property', 'string'), arg('value', 'any', true)],
    BOOLEAN,
    'Whether an item has the property equal to the value.',
    'Si un élément a la propriété égale à la valeur.',
  ),
  has_exp: liquid(
    LIST_IN,
    [arg('item', 'string'), arg('condition', 'string')],
    BOOLEAN,
    'Whether the condition holds for an item.',
    'Si la condition est vraie pour un élément.',
  ),
  group_by: liquid(
    LIST_IN,
    [arg('property', 'string')],
    'unknown',
    'Groups the items by a property: a list of { name, items }.',
    'Regroupe les éléments selon une propriété : une liste de { name, items }.',
  ),
  group_by_exp: liquid(
    LIST_IN,
    [arg('item', 'string'), arg('expression', 'string')],
    'unknown',
    'Groups the items by an expression: a list of { name, items }.',
    'Regroupe les éléments selon une expression : une liste de { name, items }.',
  ),
};

/** Whether a filter name is one templates may use. */
export function isKnownFilter(name: string): boolean {
  return Object.hasOwn(filterSignatures, name);
}
