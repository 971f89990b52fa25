import type { InlineNode, Located } from '../../markup/types';
import { collapseWhitespace } from '../../markup/whitespace';
import { color, font, height, lang, letterSpacing, lineHeight, opacity, rotate, width, x, y } from '../attributes';
import { BOX_XY, defineElement, type Built, type Fields } from '../definition';

const attributes = [
  x,
  y,
  width,
  {
    ...height,
    required: false,
    doc: { en: 'Height of the box; without it the box grows with the text.', fr: 'Hauteur du cadre ; sans elle, le cadre suit le texte.' },
  },
  {
    name: 'align',
    type: { kind: 'enum', values: ['left', 'center', 'right', 'justify', 'start', 'end'] },
    defaultDoc: { en: 'start (left, or right for right-to-left text)', fr: 'start (gauche, ou droite pour un texte de droite à gauche)' },
    doc: { en: 'Horizontal alignment of the lines.', fr: 'Alignement horizontal des lignes.' },
  },
  {
    name: 'valign',
    type: { kind: 'enum', values: ['top', 'middle', 'bottom'] },
    default: 'top',
    doc: { en: 'Vertical alignment in the box (needs a height).', fr: 'Alignement vertical dans le cadre (demande une hauteur).' },
  },
  font,
  {
    name: 'size',
    type: { kind: 'points', min: 1, max: 1000 },
    default: '11',
    doc: { en: 'Font size in points.', fr: 'Taille de police en points.' },
  },
  color,
  lineHeight,
  letterSpacing,
  {
    name: 'fit',
    type: { kind: 'enum', values: ['none', 'shrink'] },
    default: 'none',
    doc: {
      en: '`shrink` reduces the size until the text fits the box.',
      fr: '`shrink` réduit la taille jusqu’à ce que le texte tienne dans le cadre.',
    },
  },
  {
    name: 'min-size',
    type: { kind: 'points', min: 1, max: 1000 },
    default: '6',
    doc: {
      en: 'The smallest size `fit="shrink"` may reach, in points.',
      fr: 'La plus petite taille que `fit="shrink"` peut atteindre, en points.',
    },
  },
  {
    name: 'max-lines',
    type: { kind: 'number', min: 1, integer: true },
    doc: { en: 'Cut the text after this many lines, ending with "…".', fr: 'Coupe le texte après ce nombre de lignes, terminé par « … ».' },
  },
  {
    name: 'direction',
    type: { kind: 'enum', values: ['auto', 'ltr', 'rtl'] },
    default: 'auto',
    doc: {
      en: 'Paragraph direction; `auto` follows the first strong letter.',
      fr: 'Sens du paragraphe ; `auto` suit la première lettre forte.',
    },
  },
  {
    name: 'tag',
    type: { kind: 'enum', values: ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'artifact'] },
    default: 'p',
    doc: {
      en: 'What the text is in a tagged document: a paragraph, a heading (`h1` the title, `h2` a section…), or `artifact` for decoration a screen reader skips (a repeated footer).',
      fr: 'Ce qu’est le texte dans un document balisé : un paragraphe, un titre (`h1` le titre, `h2` une section…), ou `artifact` pour une décoration que les lecteurs d’écran sautent (un pied de page répété).',
    },
  },
  lang,
  opacity,
  rotate,
] as const;

export interface TextElement extends Located, Fields<typeof attributes> {
  kind: 'text';
  content: InlineNode[];
}

export const text = defineElement({
  doc: {
    en: 'A box of text that wraps to its width. Inline content: text, <b>, <i>, <u>, <span>, <br/>, <link>.',
    fr: 'Un cadre de texte qui revient à la ligne selon sa largeur. Contenu : texte, <b>, <i>, <u>, <span>, <br/>, <link>.',
  },
  text: 'inline',
  children: 'inline',
  belongsTo: ['positioned'],
  attributes,
  example:
    '<text x="30mm" y="76mm" width="237mm" height="20mm" align="center" valign="middle" font="name" size="40" fit="shrink" min-size="14">{{ learner.fullname }}</text>',
  editor: {
    ...BOX_XY,
    insert: { markup: '<text x="{x}" y="{y}" width="80mm">Text</text>', width: 80, height: 6 },
  },
  build({ fields }): Built<TextElement> {
    const node = { kind: 'text', ...fields, content: [] } as unknown as TextElement;
    return { node, children: node.content };
  },
  close(node) {
    node.content = collapseWhitespace(node.content);
  },
});
