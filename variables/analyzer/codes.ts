import type { Severity } from '../diagnostics';
import type { LiquidCode } from '../liquid';
import type { LocalizedText } from '../types';

/**
 * Every code the template checks give (the analyzer's, and the Liquid stage's, which the analyzer shares),
 * with its severity and what it means, in English and French: docs/variables.md lists them from here, and
 * test/variables/checks.test.ts fails on a code reported in variables/ that is missing.
 */
export interface CheckCode {
  severity: Severity;
  meaning: LocalizedText;
}

const code = (severity: Severity, en: string, fr: string): CheckCode => ({ severity, meaning: { en, fr } });

export const CHECK_CODES = {
  LIQUID_SYNTAX: code(
    'error',
    'The Liquid does not parse: a block never closed, a stray end tag, a broken expression.',
    'Le Liquid ne se lit pas : un bloc jamais fermé, une balise de fin isolée, une expression cassée.',
  ),
  TAG_UNKNOWN: code(
    'error',
    'A tag Attest does not know, with the nearest one.',
    'Une balise qu’Attest ne connaît pas, avec la plus proche.',
  ),
  LIQUID_RENDER: code('error', 'The Liquid failed while a document was rendered.', 'Le Liquid a échoué pendant le rendu d’un document.'),
  LIQUID_LIMIT: code(
    'error',
    'The template does too much work (loops, ranges, output size).',
    'Le modèle demande trop de travail (boucles, intervalles, taille produite).',
  ),
  UNKNOWN_VARIABLE: code(
    'error',
    'A name that is neither data nor assigned, with the nearest one.',
    'Un nom qui n’est ni une donnée ni une affectation, avec le plus proche.',
  ),
  UNKNOWN_PROPERTY: code(
    'error',
    'A property the value does not have, with the nearest one.',
    'Une propriété que la valeur n’a pas, avec la plus proche.',
  ),
  FILTER_UNKNOWN: code(
    'error',
    'A filter Attest does not offer, with the nearest one.',
    'Un filtre qu’Attest n’offre pas, avec le plus proche.',
  ),
  FILTER_TYPE_MISMATCH: code(
    'error',
    'A filter applied to a value of the wrong type (date on a text).',
    'Un filtre appliqué à une valeur du mauvais type (date sur un texte).',
  ),
  FILTER_ARGUMENT: code(
    'error',
    'A filter given the wrong number, type or value of arguments.',
    'Un filtre qui reçoit un mauvais nombre, type ou valeur d’arguments.',
  ),
  DATE_FORMAT_UNKNOWN: code(
    'error',
    'A date format the date filters cannot read: a misspelt style ("longg"), letters that are no pattern letters ("DD/MM/YYYY", unquoted words) or a strftime format ("%d/%m/%Y"); the fix gives the format meant. Also raised when a document is rendered with such a format from data: the format is never printed.',
    'Un format de date que les filtres de date ne lisent pas : un style mal écrit ("longg"), des lettres qui ne sont pas des lettres de motif ("DD/MM/YYYY", des mots sans apostrophes) ou un format strftime ("%d/%m/%Y") ; le correctif donne le format voulu. Levé aussi au rendu d’un document avec un tel format venu des données : le format n’est jamais imprimé.',
  ),
  DATE_PRINTED_RAW: code(
    'warning',
    'A date printed as the data holds it (2026-03-01) in a template whose language writes dates otherwise; the fix adds | date: "long".',
    'Une date imprimée telle que la donnée la contient (2026-03-01) dans un modèle dont la langue écrit les dates autrement ; le correctif ajoute | date: "long".',
  ),
  LOOP_NOT_LIST: code(
    'error',
    'A for loop (or render … for) over a value that is not a list.',
    'Une boucle for (ou render … for) sur une valeur qui n’est pas une liste.',
  ),
  OPTIONAL_WITHOUT_DEFAULT: code(
    'warning',
    'An optional value printed bare: some documents would print nothing there.',
    'Une valeur facultative imprimée telle quelle : certains documents n’imprimeraient rien à cet endroit.',
  ),
  PARTIAL_UNKNOWN: code('error', 'A partial the front matter does not declare.', 'Un partiel que l’en-tête ne déclare pas.'),
  PERSONAL_DATA_IN_PUBLIC: code(
    'error',
    'Personal data in a public field (PDF metadata), which anyone holding the document reads.',
    'Une donnée personnelle dans un champ public (métadonnées du PDF), que lit quiconque a le document.',
  ),
} as const satisfies Record<string, CheckCode>;

export type CheckCodeName = keyof typeof CHECK_CODES;

// Every code the Liquid stage can give is one of the checks' codes.
const _liquidCodes: Record<LiquidCode, CheckCode> = CHECK_CODES;
void _liquidCodes;
