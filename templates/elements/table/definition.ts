import type { InlineNode, Located } from '../../markup/types';
import { collapseWhitespace } from '../../markup/whitespace';
import { color, font, lineHeight, width, x, y } from '../attributes';
import { defineElement, type Built, type Fields } from '../definition';

const attributes = [
  x,
  y,
  width,
  {
    name: 'columns',
    type: { kind: 'lengths' },
    defaultDoc: { en: 'equal widths', fr: 'largeurs égales' },
    doc: {
      en: 'Column widths; percentages are of the table width.',
      fr: 'Largeurs des colonnes ; les pourcentages sont de la largeur du tableau.',
    },
  },
  font,
  {
    name: 'size',
    type: { kind: 'points', min: 1, max: 1000 },
    default: '10',
    doc: { en: 'Font size in points.', fr: 'Taille de police en points.' },
  },
  color,
  lineHeight,
  {
    name: 'border-color',
    type: { kind: 'color' },
    default: 'black',
    doc: { en: 'Colour of the cell borders.', fr: 'Couleur des bordures.' },
  },
  {
    name: 'border-width',
    type: { kind: 'points', min: 0, max: 100 },
    default: '0.5',
    doc: { en: 'Border thickness in points; 0 for none.', fr: 'Épaisseur des bordures en points ; 0 pour aucune.' },
  },
  {
    name: 'padding',
    type: { kind: 'box' },
    default: '1.5mm',
    doc: { en: 'Space inside each cell; 1 to 4 lengths.', fr: 'Espace dans chaque cellule ; 1 à 4 longueurs.' },
  },
  {
    name: 'header-fill',
    type: { kind: 'color' },
    defaultDoc: { en: 'none', fr: 'aucun' },
    doc: { en: 'Background of the header rows.', fr: 'Fond des lignes d’en-tête.' },
  },
  {
    name: 'header-color',
    type: { kind: 'color' },
    defaultDoc: { en: 'the table colour', fr: 'la couleur du tableau' },
    doc: { en: 'Text colour of the header rows.', fr: 'Couleur du texte des lignes d’en-tête.' },
  },
  {
    name: 'stripe-fill',
    type: { kind: 'color' },
    defaultDoc: { en: 'none', fr: 'aucun' },
    doc: { en: 'Background of every other body row.', fr: 'Fond d’une ligne du corps sur deux.' },
  },
  {
    name: 'bottom',
    type: { kind: 'length' },
    defaultDoc: { en: "the page's bottom margin", fr: 'la marge basse de la page' },
    doc: {
      en: 'Rows that would pass this line go to a new page.',
      fr: 'Les lignes qui dépasseraient cette limite passent sur une nouvelle page.',
    },
  },
  {
    name: 'continue-y',
    type: { kind: 'length' },
    defaultDoc: { en: "the page's top margin", fr: 'la marge haute de la page' },
    doc: { en: 'Where the table resumes on a new page.', fr: 'Où le tableau reprend sur une nouvelle page.' },
  },
] as const;

const cellAttributes = [
  {
    name: 'align',
    type: { kind: 'enum', values: ['left', 'center', 'right', 'justify', 'start', 'end'] },
    defaultDoc: { en: 'start', fr: 'start' },
    doc: { en: 'Horizontal alignment in the cell.', fr: 'Alignement horizontal dans la cellule.' },
  },
  {
    name: 'colspan',
    type: { kind: 'number', min: 1, integer: true },
    default: '1',
    doc: { en: 'How many columns the cell spans.', fr: 'Nombre de colonnes couvertes.' },
  },
] as const;

export interface CellNode extends Located, Fields<typeof cellAttributes> {
  kind: 'cell';
  /** Written as <th>: bold, and in the header colours inside <thead>. */
  header: boolean;
  content: InlineNode[];
}
export interface RowNode extends Located {
  kind: 'row';
  cells: CellNode[];
}
export interface TableNode extends Located, Fields<typeof attributes> {
  kind: 'table';
  /** <thead> rows: drawn first, and again at the top of every page the table flows onto. */
  header: RowNode[];
  body: RowNode[];
}

export const table = defineElement({
  doc: {
    en: 'A table that flows onto new pages when its rows pass `bottom`, repeating its <thead> rows.',
    fr: 'Un tableau qui continue sur de nouvelles pages quand ses lignes dépassent `bottom`, en répétant les lignes de <thead>.',
  },
  text: 'none',
  children: ['thead', 'tbody', 'tr'],
  belongsTo: ['positioned'],
  attributes,
  example:
    '<table x="20mm" y="122mm" width="170mm" columns="70% 30%" header-fill="#17545c" header-color="white" bottom="272mm" continue-y="22mm">\n  <thead><tr><th>Module</th><th align="right">Hours</th></tr></thead>\n  <tbody>\n    {%- for m in modules %}\n    <tr><td>{{ m.title }}</td><td align="right">{{ m.hours }}</td></tr>\n    {%- endfor %}\n  </tbody>\n</table>',
  // Its height is its rows': only the width is the designer's to drag.
  editor: {
    move: { h: ['x'], v: ['y'] },
    resize: { w: ['width'], h: [] },
    insert: {
      markup:
        '<table x="{x}" y="{y}" width="120mm" columns="70% 30%">\n    <thead><tr><th>Module</th><th align="right">Hours</th></tr></thead>\n    <tr><td>Module</td><td align="right">1</td></tr>\n  </table>',
      width: 120,
      height: 12,
    },
  },
  build({ fields }): Built<TableNode> {
    // Rows written directly in <table> are body rows; <thead>/<tbody> make no node of their own.
    const node = { kind: 'table', ...fields, header: [], body: [] } as unknown as TableNode;
    return { node, table: node, children: node.body };
  },
});

export const thead = defineElement({
  doc: {
    en: 'Header rows, repeated at the top of every page the table flows onto.',
    fr: 'Lignes d’en-tête, répétées en haut de chaque page où le tableau continue.',
  },
  text: 'none',
  children: ['tr'],
  attributes: [],
  build: ({ table }): Built<never> => ({ children: table ? table.header : [] }),
});

export const tbody = defineElement({
  doc: {
    en: 'Body rows. Rows written directly in <table> are body rows too.',
    fr: 'Lignes du corps. Les lignes écrites directement dans <table> en font partie.',
  },
  text: 'none',
  children: ['tr'],
  attributes: [],
  build: ({ table }): Built<never> => ({ children: table ? table.body : [] }),
});

export const tr = defineElement({
  doc: { en: 'A table row.', fr: 'Une ligne de tableau.' },
  text: 'none',
  children: ['td', 'th'],
  attributes: [],
  build({ fields }): Built<RowNode> {
    const node: RowNode = { kind: 'row', ...(fields.range ? { range: fields.range as RowNode['range'] } : {}), cells: [] };
    return { node, children: node.cells };
  },
});

function cell(header: boolean) {
  return ({ fields }: { fields: Readonly<Record<string, unknown>> }): Built<CellNode> => {
    const node = { kind: 'cell', header, ...fields, content: [] } as unknown as CellNode;
    return { node, children: node.content };
  };
}
const closeCell = (node: CellNode): void => {
  node.content = collapseWhitespace(node.content);
};

export const td = defineElement({
  doc: { en: 'A cell; same inline content as <text>.', fr: 'Une cellule ; même contenu que <text>.' },
  text: 'inline',
  children: 'inline',
  attributes: cellAttributes,
  build: cell(false),
  close: closeCell,
});

export const th = defineElement({
  doc: {
    en: 'A header cell: bold, in the header colours when in <thead>.',
    fr: 'Une cellule d’en-tête : en gras, aux couleurs d’en-tête dans <thead>.',
  },
  text: 'inline',
  children: 'inline',
  attributes: cellAttributes,
  build: cell(true),
  close: closeCell,
});
