import type { Located } from '../../markup/types';
import { color, opacity } from '../attributes';
import { defineElement, leaf, type Fields } from '../definition';

const attributes = [
  { name: 'x1', type: { kind: 'length' }, required: true, doc: { en: 'Start, from the left edge.', fr: 'Début, depuis le bord gauche.' } },
  { name: 'y1', type: { kind: 'length' }, required: true, doc: { en: 'Start, from the top edge.', fr: 'Début, depuis le haut.' } },
  { name: 'x2', type: { kind: 'length' }, required: true, doc: { en: 'End, from the left edge.', fr: 'Fin, depuis le bord gauche.' } },
  { name: 'y2', type: { kind: 'length' }, required: true, doc: { en: 'End, from the top edge.', fr: 'Fin, depuis le haut.' } },
  { ...color, doc: { en: 'Line colour.', fr: 'Couleur du trait.' } },
  {
    name: 'width',
    type: { kind: 'points', min: 0, max: 100 },
    default: '0.5',
    doc: { en: 'Thickness in points.', fr: 'Épaisseur en points.' },
  },
  {
    name: 'dash',
    type: { kind: 'dash' },
    defaultDoc: { en: 'solid', fr: 'plein' },
    doc: { en: 'Dash and gap lengths in points, e.g. `3 2`.', fr: 'Longueurs des tirets et des blancs en points, ex. `3 2`.' },
  },
  opacity,
] as const;

export interface LineElement extends Located, Fields<typeof attributes> {
  kind: 'line';
}

export const line = defineElement({
  doc: { en: 'A straight line between two points.', fr: 'Un trait droit entre deux points.' },
  text: 'none',
  children: [],
  belongsTo: ['positioned'],
  attributes,
  example: '<line x1="118mm" y1="58mm" x2="179mm" y2="58mm" color="#b08d3e" width="0.8"/>',
  // Drawn between (x1, y1) and (x2, y2): both ends move.
  // Resizing moves the end: the start stays where it is.
  editor: {
    move: { h: ['x1', 'x2'], v: ['y1', 'y2'] },
    resize: { w: ['x2'], h: ['y2'] },
    insert: { markup: '<line x1="{x}" y1="{y}" x2="{right}" y2="{y}"/>', width: 60, height: 0 },
  },
  build: leaf<LineElement>('line'),
});
