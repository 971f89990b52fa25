import type { Located } from '../../markup/types';
import { height, opacity, rotate, width, x, y } from '../attributes';
import { BOX_XY, defineElement, leaf, type Fields } from '../definition';

const attributes = [
  x,
  y,
  width,
  { ...height, required: false, defaultDoc: { en: "from the image's proportions", fr: 'selon les proportions de l’image' } },
  {
    name: 'src',
    type: { kind: 'text', nonEmpty: true, assets: ['image'] },
    required: true,
    doc: {
      en: 'An asset name from the front matter, or an image value from the data.',
      fr: 'Un nom de ressource de l’en-tête, ou une image venue des données.',
    },
  },
  {
    name: 'fit',
    type: { kind: 'enum', values: ['contain', 'cover', 'fill'] },
    default: 'contain',
    doc: {
      en: '`contain` shows it all, `cover` fills the box and crops, `fill` stretches.',
      fr: '`contain` la montre entière, `cover` remplit le cadre et rogne, `fill` l’étire.',
    },
  },
  {
    name: 'align',
    type: { kind: 'enum', values: ['center', 'left', 'right', 'top', 'bottom', 'top-left', 'top-right', 'bottom-left', 'bottom-right'] },
    default: 'center',
    doc: {
      en: 'Where the image sits in its box when the proportions differ.',
      fr: 'Position de l’image dans son cadre quand les proportions diffèrent.',
    },
  },
  {
    name: 'alt',
    type: { kind: 'text' },
    defaultDoc: { en: 'none: the analyzer warns', fr: 'aucun : l’analyseur avertit' },
    doc: {
      en: 'What the image shows, for screen readers (a tagged document’s figure text). `alt=""` marks a decorative image, left out of the structure.',
      fr: 'Ce que montre l’image, pour les lecteurs d’écran (le texte de la figure d’un document balisé). `alt=""` marque une image décorative, laissée hors de la structure.',
    },
  },
  opacity,
  rotate,
] as const;

export interface ImageElement extends Located, Fields<typeof attributes> {
  kind: 'image';
}

export const image = defineElement({
  doc: { en: 'An image asset, fitted into its box.', fr: 'Une image, ajustée à son cadre.' },
  text: 'none',
  children: [],
  belongsTo: ['positioned'],
  attributes,
  example: '<image x="250mm" y="18mm" width="26mm" height="26mm" src="seal" alt="The organisation’s seal"/>',
  editor: {
    ...BOX_XY,
    insert: { markup: '<image x="{x}" y="{y}" width="30mm" height="30mm" src="{asset}"/>', width: 30, height: 30 },
  },
  build: leaf<ImageElement>('image'),
});
