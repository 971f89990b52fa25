import type { Doc } from './definition';

/** Attributes several elements share, written once so they read and document the same everywhere. */

export const x = {
  name: 'x',
  type: { kind: 'length' },
  required: true,
  doc: { en: "Left edge, from the page's left edge.", fr: 'Bord gauche, depuis le bord gauche de la page.' },
} as const;
export const y = {
  name: 'y',
  type: { kind: 'length' },
  required: true,
  doc: { en: "Top edge, from the page's top edge (y grows downwards).", fr: 'Bord haut, depuis le haut de la page (y croît vers le bas).' },
} as const;
export const width = {
  name: 'width',
  type: { kind: 'length', nonNegative: true },
  required: true,
  doc: { en: 'Width of the box.', fr: 'Largeur du cadre.' },
} as const;
export const height = {
  name: 'height',
  type: { kind: 'length', nonNegative: true },
  required: true,
  doc: { en: 'Height of the box.', fr: 'Hauteur du cadre.' },
} as const;
export const opacity = {
  name: 'opacity',
  type: { kind: 'number', min: 0, max: 1 },
  default: '1',
  doc: { en: 'From 0 (invisible) to 1 (opaque).', fr: 'De 0 (invisible) à 1 (opaque).' },
} as const;
export const rotate = {
  name: 'rotate',
  type: { kind: 'angle' },
  default: '0',
  doc: {
    en: "Rotation in degrees, clockwise, about the box's centre.",
    fr: 'Rotation en degrés, sens horaire, autour du centre du cadre.',
  },
} as const;
export const font = {
  name: 'font',
  type: { kind: 'name', of: 'font role' },
  default: 'body',
  doc: { en: 'A font role declared in the front matter (`fonts:`).', fr: 'Un rôle de police déclaré dans l’en-tête (`fonts:`).' },
} as const;
export const color = {
  name: 'color',
  type: { kind: 'color' },
  default: 'black',
  doc: { en: 'Text colour.', fr: 'Couleur du texte.' },
} as const;
export const letterSpacing = {
  name: 'letter-spacing',
  type: { kind: 'points', min: -100, max: 100 },
  default: '0',
  doc: { en: 'Extra space after each character, in points.', fr: 'Espace ajouté après chaque caractère, en points.' },
} as const;
export const lineHeight = {
  name: 'line-height',
  type: { kind: 'number', min: 0.5, max: 5 },
  default: '1.2',
  doc: { en: 'Distance between baselines, as a multiple of the font size.', fr: 'Interligne, en multiple de la taille de police.' },
} as const;
export const lang = {
  name: 'lang',
  type: { kind: 'text', nonEmpty: true },
  defaultDoc: { en: "the template's locale", fr: 'la langue du modèle' },
  doc: {
    en: 'Language of this text (BCP 47, e.g. `ar`, `he`, `ja`) when it is not the template’s: tagged documents tell screen readers, with the direction of right-to-left languages.',
    fr: 'Langue de ce texte (BCP 47, par ex. `ar`, `he`, `ja`) quand ce n’est pas celle du modèle : les documents balisés l’indiquent aux lecteurs d’écran, avec le sens des langues de droite à gauche.',
  },
} as const;
export const inherited: Doc = { en: 'inherited', fr: 'hérité' };
