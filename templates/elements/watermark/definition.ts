import type { Located } from '../../markup/types';
import { collapsePlain } from '../../markup/whitespace';
import { color, font, opacity } from '../attributes';
import { defineElement, type Built, type Fields } from '../definition';

const attributes = [
  font,
  {
    name: 'size',
    type: { kind: 'points', min: 1, max: 1000 },
    default: '60',
    doc: { en: 'Font size in points.', fr: 'Taille de police en points.' },
  },
  { ...color, default: 'gray' },
  { ...opacity, default: '0.15' },
  {
    name: 'angle',
    type: { kind: 'angle' },
    default: '-45',
    doc: {
      en: 'Degrees, clockwise; -45 rises from bottom left to top right.',
      fr: 'Degrés, sens horaire ; -45 monte de bas à gauche vers haut à droite.',
    },
  },
] as const;

export interface WatermarkElement extends Located, Fields<typeof attributes> {
  kind: 'watermark';
  text: string;
}

/** Centred on the page by its drawer: there is nothing for the editor to move. */
export const watermark = defineElement({
  doc: {
    en: 'Large text centred on the page and turned; plain text only.',
    fr: 'Grand texte centré sur la page et incliné ; texte simple seulement.',
  },
  text: 'plain',
  children: [],
  belongsTo: ['positioned'],
  attributes,
  example: '<watermark size="90">SPECIMEN</watermark>',
  build({ fields }): Built<WatermarkElement> {
    return { node: { kind: 'watermark', ...fields, text: '' } as unknown as WatermarkElement, plain: true };
  },
  close(node, plain) {
    node.text = collapsePlain(plain ?? '');
  },
});
