import { fill, getLocale, t, type Locale, type MessageKey, type MessageParams } from '../i18n';

/**
 * The canvas's strings (selection, property panel, palette), fr and en: a table of its own beside
 * editor/i18n.ts, on the same rules (both languages or a type error, `{name}` placeholders). The move
 * refusals shared with the preview stay in editor/i18n.ts (`move.*`); `say` reads either table.
 */
type Entry = Readonly<Record<Locale, string>>;

const MESSAGES = {
  'canvas.resized': { en: 'Resized the element.', fr: 'Élément redimensionné.' },
  'canvas.changed': { en: 'Changed {attribute}.', fr: '{attribute} modifié.' },
  'canvas.aligned': { en: 'Aligned {count} elements.', fr: '{count} éléments alignés.' },
  'canvas.distributed': { en: 'Distributed {count} elements.', fr: '{count} éléments répartis.' },
  'canvas.inserted': { en: 'Inserted <{element}>.', fr: '<{element}> inséré.' },
  'canvas.notApplied': {
    en: 'The source changed meanwhile; nothing was written. Try again.',
    fr: 'La source a changé entre-temps ; rien n’a été écrit. Réessayez.',
  },
  'canvas.noPage': { en: 'The template has no <page> to put it on.', fr: 'Le modèle n’a pas de <page> où le placer.' },
  'canvas.fixed': { en: 'Fixed here: {reason}', fr: 'Fixe ici : {reason}' },
  'canvas.selection': { en: 'Selection on the page', fr: 'Sélection sur la page' },
  'canvas.selected': { en: '{count} selected', fr: '{count} sélectionné(s)' },
  'canvas.handle': { en: 'Resize from the {side}', fr: 'Redimensionner par {side}' },
  'canvas.side.n': { en: 'top', fr: 'le haut' },
  'canvas.side.s': { en: 'bottom', fr: 'le bas' },
  'canvas.side.e': { en: 'right', fr: 'la droite' },
  'canvas.side.w': { en: 'left', fr: 'la gauche' },
  'canvas.side.ne': { en: 'top right', fr: 'le coin haut droit' },
  'canvas.side.nw': { en: 'top left', fr: 'le coin haut gauche' },
  'canvas.side.se': { en: 'bottom right', fr: 'le coin bas droit' },
  'canvas.side.sw': { en: 'bottom left', fr: 'le coin bas gauche' },
  'canvas.palette': { en: 'Insert', fr: 'Insérer' },
  'canvas.palette.hint': {
    en: 'Click the page where the <{element}> goes (or press Enter on the page: at the top-left margin).',
    fr: 'Cliquez sur la page à l’endroit du <{element}> (ou Entrée sur la page : au coin des marges en haut à gauche).',
  },
  'canvas.align': { en: 'Align', fr: 'Aligner' },
  'canvas.align.left': { en: 'Align left edges', fr: 'Aligner à gauche' },
  'canvas.align.center': { en: 'Align centres', fr: 'Centrer horizontalement' },
  'canvas.align.right': { en: 'Align right edges', fr: 'Aligner à droite' },
  'canvas.align.top': { en: 'Align top edges', fr: 'Aligner en haut' },
  'canvas.align.middle': { en: 'Align middles', fr: 'Centrer verticalement' },
  'canvas.align.bottom': { en: 'Align bottom edges', fr: 'Aligner en bas' },
  'canvas.distribute.h': { en: 'Distribute horizontally', fr: 'Répartir horizontalement' },
  'canvas.distribute.v': { en: 'Distribute vertically', fr: 'Répartir verticalement' },
  'panel.title': { en: 'Properties', fr: 'Propriétés' },
  'panel.none': {
    en: 'Select an element on the page (click, Tab) or put the cursor in its tag.',
    fr: 'Sélectionnez un élément sur la page (clic, Tab) ou placez le curseur dans sa balise.',
  },
  'panel.position': { en: 'Position and size', fr: 'Position et taille' },
  'panel.attributes': { en: 'Attributes', fr: 'Attributs' },
  'panel.unit': { en: 'in {unit}', fr: 'en {unit}' },
  'panel.computed': { en: 'computed by Liquid', fr: 'calculé par Liquid' },
  'panel.insertVariable': { en: 'Insert a variable in the content', fr: 'Insérer une variable dans le contenu' },
  'panel.insert': { en: 'Insert', fr: 'Insérer' },
  'panel.replace': { en: 'Replace the content', fr: 'Remplacer le contenu' },
  'panel.default': { en: 'default: {value}', fr: 'par défaut : {value}' },
  'panel.unset': { en: '(not set)', fr: '(non défini)' },
} as const satisfies Record<string, Entry>;

export type CanvasMessageKey = keyof typeof MESSAGES;

export function ct(key: CanvasMessageKey, params?: MessageParams, locale: Locale = getLocale()): string {
  return fill(MESSAGES[key][locale], params, locale);
}

/** Either table's string: a refusal may come from the move (`move.*`) or from the canvas. */
export function say(key: MessageKey | CanvasMessageKey, params?: MessageParams, locale: Locale = getLocale()): string {
  return key in MESSAGES ? ct(key as CanvasMessageKey, params, locale) : t(key as MessageKey, params, locale);
}

export function canvasMessageTable(): Readonly<Record<CanvasMessageKey, Entry>> {
  return MESSAGES;
}
