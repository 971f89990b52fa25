import type { Located } from '../../markup/types';
import { height, opacity, rotate, width, x, y } from '../attributes';
import { BOX_XY, defineElement, leaf, type Fields } from '../definition';

const attributes = [
  x,
  y,
  width,
  height,
  {
    name: 'fill',
    type: { kind: 'color' },
    defaultDoc: { en: 'none', fr: 'aucun' },
    doc: { en: 'Fill colour.', fr: 'Couleur de remplissage.' },
  },
  {
    name: 'stroke',
    type: { kind: 'color' },
    defaultDoc: { en: 'none', fr: 'aucun' },
    doc: { en: 'Outline colour.', fr: 'Couleur du contour.' },
  },
  {
    name: 'stroke-width',
    type: { kind: 'points', min: 0, max: 100 },
    default: '0.5',
    doc: { en: 'Outline thickness in points.', fr: 'Épaisseur du contour en points.' },
  },
  { name: 'radius', type: { kind: 'length', nonNegative: true }, default: '0', doc: { en: 'Corner radius.', fr: 'Rayon des coins.' } },
  opacity,
  rotate,
] as const;

export interface RectElement extends Located, Fields<typeof attributes> {
  kind: 'rect';
}

export const rect = defineElement({
  doc: { en: 'A rectangle, filled and/or stroked.', fr: 'Un rectangle, rempli et/ou tracé.' },
  text: 'none',
  children: [],
  belongsTo: ['positioned'],
  attributes,
  example: '<rect x="10mm" y="10mm" width="277mm" height="190mm" stroke="#1f3a5f" stroke-width="1.6"/>',
  editor: {
    ...BOX_XY,
    insert: { markup: '<rect x="{x}" y="{y}" width="60mm" height="30mm" stroke="#1f3a5f"/>', width: 60, height: 30 },
  },
  build: leaf<RectElement>('rect'),
});
