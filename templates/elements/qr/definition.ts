import type { Located } from '../../markup/types';
import { color, opacity, rotate, x, y } from '../attributes';
import { defineElement, leaf, MOVE_XY, type Fields } from '../definition';

const attributes = [
  x,
  y,
  {
    name: 'size',
    type: { kind: 'length', nonNegative: true },
    required: true,
    doc: { en: 'Width and height of the square.', fr: 'Côté du carré.' },
  },
  {
    name: 'value',
    type: { kind: 'text', nonEmpty: true },
    required: true,
    doc: { en: 'The text or URL to encode.', fr: 'Le texte ou l’URL à encoder.' },
  },
  { ...color, doc: { en: 'Colour of the dark modules.', fr: 'Couleur des modules sombres.' } },
  {
    name: 'background',
    type: { kind: 'color' },
    defaultDoc: { en: 'none (transparent)', fr: 'aucun (transparent)' },
    doc: { en: 'Colour behind the code.', fr: 'Couleur derrière le code.' },
  },
  {
    name: 'ec',
    type: { kind: 'enum', values: ['L', 'M', 'Q', 'H'] },
    default: 'M',
    doc: { en: 'Error correction: L 7 %, M 15 %, Q 25 %, H 30 %.', fr: 'Correction d’erreurs : L 7 %, M 15 %, Q 25 %, H 30 %.' },
  },
  {
    name: 'margin',
    type: { kind: 'number', min: 0, max: 16, integer: true },
    default: '0',
    doc: { en: 'Quiet zone around the code, in modules.', fr: 'Marge autour du code, en modules.' },
  },
  {
    name: 'alt',
    type: { kind: 'text' },
    defaultDoc: {
      en: '“QR code: ” and the value, in the template’s language',
      fr: '« Code QR : » et la valeur, dans la langue du modèle',
    },
    doc: {
      en: 'What the code is for, for screen readers (a tagged document’s figure text).',
      fr: 'À quoi sert le code, pour les lecteurs d’écran (le texte de la figure d’un document balisé).',
    },
  },
  opacity,
  rotate,
] as const;

export interface QrElement extends Located, Fields<typeof attributes> {
  kind: 'qr';
}

export const qr = defineElement({
  doc: { en: 'A QR code, drawn as vector squares.', fr: 'Un QR code, dessiné en carrés vectoriels.' },
  text: 'none',
  children: [],
  belongsTo: ['positioned'],
  attributes,
  example: '<qr x="22mm" y="152mm" size="26mm" value="{{ certificate.verification_url }}" color="#1f3a5f"/>',
  editor: {
    ...MOVE_XY,
    resize: { w: ['size'], h: ['size'] },
    insert: { markup: '<qr x="{x}" y="{y}" size="25mm" value="{{ certificate.verification_url }}"/>', width: 25, height: 25 },
  },
  build: leaf<QrElement>('qr'),
});
