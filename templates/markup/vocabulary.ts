import type { Box, Color, Length, PageSize } from './types';

/**
 * The certificate markup vocabulary, as data: every element, its attributes (type, default, one-line doc
 * in English and French) and what it may contain. The parser validates against it, the node types are
 * derived from it, the editor uses it for completion and hover, and docs/markup.md is written from it.
 * Adding an attribute here is the whole job of declaring it.
 */

export interface Doc {
  en: string;
  fr: string;
}

/** How an attribute value is written. `min`/`max` bound the number as written (before unit conversion). */
export type ValueType =
  /** `12mm`, `1.5in`, `2cm`, `30pt`, `50%`; a bare number is mm. */
  | { readonly kind: 'length'; readonly nonNegative?: boolean }
  /** 1 to 4 lengths, CSS order: all · vertical horizontal · top horizontal bottom · top right bottom left. */
  | { readonly kind: 'box' }
  /** One or more lengths separated by spaces (table columns). */
  | { readonly kind: 'lengths' }
  /** A size in points; a bare number is pt, `mm`, `cm` and `in` are converted. */
  | { readonly kind: 'points'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number; readonly integer?: boolean }
  /** Degrees, clockwise (the page's y axis points down, as in CSS); `deg` may be written. */
  | { readonly kind: 'angle' }
  /** Dash and gap lengths in points, e.g. `3 2`. */
  | { readonly kind: 'dash' }
  | { readonly kind: 'color' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'page-size' }
  /** Any text; `nonEmpty` when an empty value makes no sense (a QR code's value, an image's source). */
  | { readonly kind: 'text'; readonly nonEmpty?: boolean }
  /** A name declared in the front matter: a font role or an asset. */
  | { readonly kind: 'name'; readonly of: 'font role' | 'asset' };

/** What each kind of value becomes in the element tree. */
export interface ValueTypes {
  length: Length;
  box: Box;
  lengths: Length[];
  points: number;
  number: number;
  angle: number;
  dash: number[];
  color: Color;
  enum: string;
  'page-size': PageSize;
  text: string;
  name: string;
}

export interface AttributeSpec {
  /** As written in markup (kebab-case); the node field is its camelCase form (`line-height` → `lineHeight`). */
  readonly name: string;
  readonly type: ValueType;
  readonly required?: boolean;
  /** Applied by the parser when the attribute is absent, written as in markup. */
  readonly default?: string;
  /** When the default depends on the template (front matter, page) rather than being a fixed value. */
  readonly defaultDoc?: Doc;
  readonly doc: Doc;
}

/**
 * What an element may contain besides its child elements: nothing but whitespace, inline text (collapsed
 * like HTML, with `<b>`, `<i>`, … allowed by `children`), or plain text only.
 */
export type TextContent = 'none' | 'inline' | 'plain';

export interface ElementSpec {
  readonly doc: Doc;
  readonly attributes: readonly AttributeSpec[];
  readonly children: readonly string[];
  readonly text: TextContent;
  /** A short, complete example for the docs and the editor's hover. */
  readonly example?: string;
}

const POSITIONED = ['text', 'image', 'qr', 'line', 'rect', 'watermark', 'table', 'page-break'] as const;
const INLINE = ['b', 'i', 'u', 'span', 'br'] as const;

const x = {
  name: 'x',
  type: { kind: 'length' },
  required: true,
  doc: { en: "Left edge, from the page's left edge.", fr: 'Bord gauche, depuis le bord gauche de la page.' },
} as const;
const y = {
  name: 'y',
  type: { kind: 'length' },
  required: true,
  doc: { en: "Top edge, from the page's top edge (y grows downwards).", fr: 'Bord haut, depuis le haut de la page (y croît vers le bas).' },
} as const;
const width = {
  name: 'width',
  type: { kind: 'length', nonNegative: true },
  required: true,
  doc: { en: 'Width of the box.', fr: 'Largeur du cadre.' },
} as const;
const height = {
  name: 'height',
  type: { kind: 'length', nonNegative: true },
  required: true,
  doc: { en: 'Height of the box.', fr: 'Hauteur du cadre.' },
} as const;
const opacity = {
  name: 'opacity',
  type: { kind: 'number', min: 0, max: 1 },
  default: '1',
  doc: { en: 'From 0 (invisible) to 1 (opaque).', fr: 'De 0 (invisible) à 1 (opaque).' },
} as const;
const rotate = {
  name: 'rotate',
  type: { kind: 'angle' },
  default: '0',
  doc: { en: "Rotation in degrees, clockwise, about the box's centre.", fr: 'Rotation en degrés, sens horaire, autour du centre du cadre.' },
} as const;
const font = {
  name: 'font',
  type: { kind: 'name', of: 'font role' },
  default: 'body',
  doc: { en: 'A font role declared in the front matter (`fonts:`).', fr: 'Un rôle de police déclaré dans l’en-tête (`fonts:`).' },
} as const;
const color = {
  name: 'color',
  type: { kind: 'color' },
  default: 'black',
  doc: { en: 'Text colour.', fr: 'Couleur du texte.' },
} as const;
const letterSpacing = {
  name: 'letter-spacing',
  type: { kind: 'points', min: -100, max: 100 },
  default: '0',
  doc: { en: 'Extra space after each character, in points.', fr: 'Espace ajouté après chaque caractère, en points.' },
} as const;
const lineHeight = {
  name: 'line-height',
  type: { kind: 'number', min: 0.5, max: 5 },
  default: '1.2',
  doc: { en: 'Distance between baselines, as a multiple of the font size.', fr: 'Interligne, en multiple de la taille de police.' },
} as const;
const inherited: Doc = { en: 'inherited', fr: 'hérité' };

export const VOCABULARY = {
  page: {
    doc: {
      en: 'One page of the certificate. Its settings default to the front matter; everything on it is positioned from its top-left corner.',
      fr: 'Une page de l’attestation. Ses réglages reprennent l’en-tête ; tout y est placé depuis le coin haut gauche.',
    },
    text: 'none',
    children: POSITIONED,
    attributes: [
      {
        name: 'size',
        type: { kind: 'page-size' },
        defaultDoc: { en: 'front matter `page.size`', fr: '`page.size` de l’en-tête' },
        doc: { en: 'A4, A5, A3, A6, Letter, Legal, or "width height" (e.g. `200mm 100mm`).', fr: 'A4, A5, A3, A6, Letter, Legal, ou « largeur hauteur » (ex. `200mm 100mm`).' },
      },
      {
        name: 'orientation',
        type: { kind: 'enum', values: ['portrait', 'landscape'] },
        defaultDoc: { en: 'front matter `page.orientation`', fr: '`page.orientation` de l’en-tête' },
        doc: { en: 'Landscape swaps the width and height of the size.', fr: 'Paysage échange la largeur et la hauteur du format.' },
      },
      {
        name: 'margin',
        type: { kind: 'box' },
        defaultDoc: { en: 'front matter `page.margin`', fr: '`page.margin` de l’en-tête' },
        doc: { en: 'Where tables stop and continue; 1 to 4 lengths as in CSS.', fr: 'Où les tableaux s’arrêtent et reprennent ; 1 à 4 longueurs comme en CSS.' },
      },
      {
        name: 'background',
        type: { kind: 'name', of: 'asset' },
        defaultDoc: { en: 'front matter `background`', fr: '`background` de l’en-tête' },
        doc: { en: 'An asset (PDF or image) drawn under the page.', fr: 'Une ressource (PDF ou image) dessinée sous la page.' },
      },
      {
        name: 'background-page',
        type: { kind: 'number', min: 1, integer: true },
        defaultDoc: { en: 'front matter, or 1', fr: 'l’en-tête, ou 1' },
        doc: { en: 'Which page of a PDF background to use.', fr: 'La page du PDF de fond à utiliser.' },
      },
    ],
    example: '<page size="A4" orientation="landscape" margin="15mm 20mm">\n  <text x="20mm" y="30mm" width="257mm" align="center" size="28">Certificate</text>\n</page>',
  },
  text: {
    doc: {
      en: 'A box of text that wraps to its width. Inline content: text, <b>, <i>, <u>, <span>, <br/>.',
      fr: 'Un cadre de texte qui revient à la ligne selon sa largeur. Contenu : texte, <b>, <i>, <u>, <span>, <br/>.',
    },
    text: 'inline',
    children: INLINE,
    attributes: [
      x,
      y,
      width,
      { ...height, required: false, doc: { en: 'Height of the box; without it the box grows with the text.', fr: 'Hauteur du cadre ; sans elle, le cadre suit le texte.' } },
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
        doc: { en: '`shrink` reduces the size until the text fits the box.', fr: '`shrink` réduit la taille jusqu’à ce que le texte tienne dans le cadre.' },
      },
      {
        name: 'min-size',
        type: { kind: 'points', min: 1, max: 1000 },
        default: '6',
        doc: { en: 'The smallest size `fit="shrink"` may reach, in points.', fr: 'La plus petite taille que `fit="shrink"` peut atteindre, en points.' },
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
        doc: { en: 'Paragraph direction; `auto` follows the first strong letter.', fr: 'Sens du paragraphe ; `auto` suit la première lettre forte.' },
      },
      opacity,
      rotate,
    ],
    example: '<text x="30mm" y="76mm" width="237mm" height="20mm" align="center" valign="middle" font="name" size="40" fit="shrink" min-size="14">{{ learner.fullname }}</text>',
  },
  b: {
    doc: { en: 'Bold text.', fr: 'Texte gras.' },
    text: 'inline',
    children: INLINE,
    attributes: [],
    example: '<text x="20mm" y="40mm" width="100mm">Grade: <b>{{ grade.value }}</b></text>',
  },
  i: {
    doc: { en: 'Italic text.', fr: 'Texte italique.' },
    text: 'inline',
    children: INLINE,
    attributes: [],
    example: '<text x="20mm" y="40mm" width="100mm"><i>{{ certifier.title }}</i></text>',
  },
  u: {
    doc: { en: 'Underlined text.', fr: 'Texte souligné.' },
    text: 'inline',
    children: INLINE,
    attributes: [],
    example: '<text x="20mm" y="40mm" width="100mm"><u>Important</u></text>',
  },
  span: {
    doc: { en: 'Text with its own font, size, colour or spacing.', fr: 'Texte avec sa propre police, taille, couleur ou espacement.' },
    text: 'inline',
    children: INLINE,
    attributes: [
      { ...font, default: undefined, defaultDoc: inherited },
      { name: 'size', type: { kind: 'points', min: 1, max: 1000 }, defaultDoc: inherited, doc: { en: 'Font size in points.', fr: 'Taille de police en points.' } },
      { ...color, default: undefined, defaultDoc: inherited },
      { ...letterSpacing, default: undefined, defaultDoc: inherited },
    ],
    example: '<text x="20mm" y="40mm" width="150mm">Code <span font="mono" color="#1f3a5f">{{ certificate.code }}</span></text>',
  },
  br: {
    doc: { en: 'A line break.', fr: 'Un retour à la ligne.' },
    text: 'none',
    children: [],
    attributes: [],
    example: '<text x="20mm" y="40mm" width="100mm">{{ certifier.name }}<br/>{{ certifier.title }}</text>',
  },
  image: {
    doc: { en: 'An image asset, fitted into its box.', fr: 'Une image, ajustée à son cadre.' },
    text: 'none',
    children: [],
    attributes: [
      x,
      y,
      width,
      { ...height, required: false, defaultDoc: { en: "from the image's proportions", fr: 'selon les proportions de l’image' } },
      {
        name: 'src',
        type: { kind: 'text', nonEmpty: true },
        required: true,
        doc: { en: 'An asset name from the front matter, or an image value from the data.', fr: 'Un nom de ressource de l’en-tête, ou une image venue des données.' },
      },
      {
        name: 'fit',
        type: { kind: 'enum', values: ['contain', 'cover', 'fill'] },
        default: 'contain',
        doc: { en: '`contain` shows it all, `cover` fills the box and crops, `fill` stretches.', fr: '`contain` la montre entière, `cover` remplit le cadre et rogne, `fill` l’étire.' },
      },
      {
        name: 'align',
        type: { kind: 'enum', values: ['center', 'left', 'right', 'top', 'bottom', 'top-left', 'top-right', 'bottom-left', 'bottom-right'] },
        default: 'center',
        doc: { en: 'Where the image sits in its box when the proportions differ.', fr: 'Position de l’image dans son cadre quand les proportions diffèrent.' },
      },
      opacity,
      rotate,
    ],
    example: '<image x="250mm" y="18mm" width="26mm" height="26mm" src="seal"/>',
  },
  qr: {
    doc: { en: 'A QR code, drawn as vector squares.', fr: 'Un QR code, dessiné en carrés vectoriels.' },
    text: 'none',
    children: [],
    attributes: [
      x,
      y,
      { name: 'size', type: { kind: 'length', nonNegative: true }, required: true, doc: { en: 'Width and height of the square.', fr: 'Côté du carré.' } },
      { name: 'value', type: { kind: 'text', nonEmpty: true }, required: true, doc: { en: 'The text or URL to encode.', fr: 'Le texte ou l’URL à encoder.' } },
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
      opacity,
      rotate,
    ],
    example: '<qr x="22mm" y="152mm" size="26mm" value="{{ certificate.verification_url }}" color="#1f3a5f"/>',
  },
  line: {
    doc: { en: 'A straight line between two points.', fr: 'Un trait droit entre deux points.' },
    text: 'none',
    children: [],
    attributes: [
      { name: 'x1', type: { kind: 'length' }, required: true, doc: { en: 'Start, from the left edge.', fr: 'Début, depuis le bord gauche.' } },
      { name: 'y1', type: { kind: 'length' }, required: true, doc: { en: 'Start, from the top edge.', fr: 'Début, depuis le haut.' } },
      { name: 'x2', type: { kind: 'length' }, required: true, doc: { en: 'End, from the left edge.', fr: 'Fin, depuis le bord gauche.' } },
      { name: 'y2', type: { kind: 'length' }, required: true, doc: { en: 'End, from the top edge.', fr: 'Fin, depuis le haut.' } },
      { ...color, doc: { en: 'Line colour.', fr: 'Couleur du trait.' } },
      { name: 'width', type: { kind: 'points', min: 0, max: 100 }, default: '0.5', doc: { en: 'Thickness in points.', fr: 'Épaisseur en points.' } },
      { name: 'dash', type: { kind: 'dash' }, defaultDoc: { en: 'solid', fr: 'plein' }, doc: { en: 'Dash and gap lengths in points, e.g. `3 2`.', fr: 'Longueurs des tirets et des blancs en points, ex. `3 2`.' } },
      opacity,
    ],
    example: '<line x1="118mm" y1="58mm" x2="179mm" y2="58mm" color="#b08d3e" width="0.8"/>',
  },
  rect: {
    doc: { en: 'A rectangle, filled and/or stroked.', fr: 'Un rectangle, rempli et/ou tracé.' },
    text: 'none',
    children: [],
    attributes: [
      x,
      y,
      width,
      height,
      { name: 'fill', type: { kind: 'color' }, defaultDoc: { en: 'none', fr: 'aucun' }, doc: { en: 'Fill colour.', fr: 'Couleur de remplissage.' } },
      { name: 'stroke', type: { kind: 'color' }, defaultDoc: { en: 'none', fr: 'aucun' }, doc: { en: 'Outline colour.', fr: 'Couleur du contour.' } },
      { name: 'stroke-width', type: { kind: 'points', min: 0, max: 100 }, default: '0.5', doc: { en: 'Outline thickness in points.', fr: 'Épaisseur du contour en points.' } },
      { name: 'radius', type: { kind: 'length', nonNegative: true }, default: '0', doc: { en: 'Corner radius.', fr: 'Rayon des coins.' } },
      opacity,
      rotate,
    ],
    example: '<rect x="10mm" y="10mm" width="277mm" height="190mm" stroke="#1f3a5f" stroke-width="1.6"/>',
  },
  watermark: {
    doc: { en: 'Large text centred on the page and turned; plain text only.', fr: 'Grand texte centré sur la page et incliné ; texte simple seulement.' },
    text: 'plain',
    children: [],
    attributes: [
      font,
      { name: 'size', type: { kind: 'points', min: 1, max: 1000 }, default: '60', doc: { en: 'Font size in points.', fr: 'Taille de police en points.' } },
      { ...color, default: 'gray' },
      { ...opacity, default: '0.15' },
      {
        name: 'angle',
        type: { kind: 'angle' },
        default: '-45',
        doc: { en: 'Degrees, clockwise; -45 rises from bottom left to top right.', fr: 'Degrés, sens horaire ; -45 monte de bas à gauche vers haut à droite.' },
      },
    ],
    example: '<watermark size="90">SPECIMEN</watermark>',
  },
  table: {
    doc: {
      en: 'A table that flows onto new pages when its rows pass `bottom`, repeating its <thead> rows.',
      fr: 'Un tableau qui continue sur de nouvelles pages quand ses lignes dépassent `bottom`, en répétant les lignes de <thead>.',
    },
    text: 'none',
    children: ['thead', 'tbody', 'tr'],
    attributes: [
      x,
      y,
      width,
      {
        name: 'columns',
        type: { kind: 'lengths' },
        defaultDoc: { en: 'equal widths', fr: 'largeurs égales' },
        doc: { en: 'Column widths; percentages are of the table width.', fr: 'Largeurs des colonnes ; les pourcentages sont de la largeur du tableau.' },
      },
      font,
      { name: 'size', type: { kind: 'points', min: 1, max: 1000 }, default: '10', doc: { en: 'Font size in points.', fr: 'Taille de police en points.' } },
      color,
      lineHeight,
      { name: 'border-color', type: { kind: 'color' }, default: 'black', doc: { en: 'Colour of the cell borders.', fr: 'Couleur des bordures.' } },
      { name: 'border-width', type: { kind: 'points', min: 0, max: 100 }, default: '0.5', doc: { en: 'Border thickness in points; 0 for none.', fr: 'Épaisseur des bordures en points ; 0 pour aucune.' } },
      { name: 'padding', type: { kind: 'box' }, default: '1.5mm', doc: { en: 'Space inside each cell; 1 to 4 lengths.', fr: 'Espace dans chaque cellule ; 1 à 4 longueurs.' } },
      { name: 'header-fill', type: { kind: 'color' }, defaultDoc: { en: 'none', fr: 'aucun' }, doc: { en: 'Background of the header rows.', fr: 'Fond des lignes d’en-tête.' } },
      { name: 'header-color', type: { kind: 'color' }, defaultDoc: { en: 'the table colour', fr: 'la couleur du tableau' }, doc: { en: 'Text colour of the header rows.', fr: 'Couleur du texte des lignes d’en-tête.' } },
      { name: 'stripe-fill', type: { kind: 'color' }, defaultDoc: { en: 'none', fr: 'aucun' }, doc: { en: 'Background of every other body row.', fr: 'Fond d’une ligne du corps sur deux.' } },
      {
        name: 'bottom',
        type: { kind: 'length' },
        defaultDoc: { en: "the page's bottom margin", fr: 'la marge basse de la page' },
        doc: { en: 'Rows that would pass this line go to a new page.', fr: 'Les lignes qui dépasseraient cette limite passent sur une nouvelle page.' },
      },
      {
        name: 'continue-y',
        type: { kind: 'length' },
        defaultDoc: { en: "the page's top margin", fr: 'la marge haute de la page' },
        doc: { en: 'Where the table resumes on a new page.', fr: 'Où le tableau reprend sur une nouvelle page.' },
      },
    ],
    example:
      '<table x="20mm" y="122mm" width="170mm" columns="70% 30%" header-fill="#17545c" header-color="white" bottom="272mm" continue-y="22mm">\n  <thead><tr><th>Module</th><th align="right">Hours</th></tr></thead>\n  <tbody>\n    {%- for m in modules %}\n    <tr><td>{{ m.title }}</td><td align="right">{{ m.hours }}</td></tr>\n    {%- endfor %}\n  </tbody>\n</table>',
  },
  thead: {
    doc: { en: 'Header rows, repeated at the top of every page the table flows onto.', fr: 'Lignes d’en-tête, répétées en haut de chaque page où le tableau continue.' },
    text: 'none',
    children: ['tr'],
    attributes: [],
  },
  tbody: {
    doc: { en: 'Body rows. Rows written directly in <table> are body rows too.', fr: 'Lignes du corps. Les lignes écrites directement dans <table> en font partie.' },
    text: 'none',
    children: ['tr'],
    attributes: [],
  },
  tr: {
    doc: { en: 'A table row.', fr: 'Une ligne de tableau.' },
    text: 'none',
    children: ['td', 'th'],
    attributes: [],
  },
  td: {
    doc: { en: 'A cell; same inline content as <text>.', fr: 'Une cellule ; même contenu que <text>.' },
    text: 'inline',
    children: INLINE,
    attributes: [
      { name: 'align', type: { kind: 'enum', values: ['left', 'center', 'right', 'justify', 'start', 'end'] }, defaultDoc: { en: 'start', fr: 'start' }, doc: { en: 'Horizontal alignment in the cell.', fr: 'Alignement horizontal dans la cellule.' } },
      { name: 'colspan', type: { kind: 'number', min: 1, integer: true }, default: '1', doc: { en: 'How many columns the cell spans.', fr: 'Nombre de colonnes couvertes.' } },
    ],
  },
  th: {
    doc: { en: 'A header cell: bold, in the header colours when in <thead>.', fr: 'Une cellule d’en-tête : en gras, aux couleurs d’en-tête dans <thead>.' },
    text: 'inline',
    children: INLINE,
    attributes: [
      { name: 'align', type: { kind: 'enum', values: ['left', 'center', 'right', 'justify', 'start', 'end'] }, defaultDoc: { en: 'start', fr: 'start' }, doc: { en: 'Horizontal alignment in the cell.', fr: 'Alignement horizontal dans la cellule.' } },
      { name: 'colspan', type: { kind: 'number', min: 1, integer: true }, default: '1', doc: { en: 'How many columns the cell spans.', fr: 'Nombre de colonnes couvertes.' } },
    ],
  },
  'page-break': {
    doc: { en: 'What follows goes on a new page with the same settings.', fr: 'La suite va sur une nouvelle page aux mêmes réglages.' },
    text: 'none',
    children: [],
    attributes: [],
    example: '<page>\n  <text x="20mm" y="20mm" width="170mm">Page one</text>\n  <page-break/>\n  <text x="20mm" y="20mm" width="170mm">Page two</text>\n</page>',
  },
} as const satisfies Record<string, ElementSpec>;

export type ElementName = keyof typeof VOCABULARY;

/** What may appear at the top level of the markup. */
export const TOP_LEVEL: readonly ElementName[] = ['page'];

export function isElementName(name: string): name is ElementName {
  return Object.hasOwn(VOCABULARY, name);
}

export function elementSpec(name: ElementName): ElementSpec {
  return VOCABULARY[name];
}

/** The elements that may contain `name`, for "goes inside …" messages. */
export function parentsOf(name: string): string[] {
  const parents: string[] = [];
  if ((TOP_LEVEL as readonly string[]).includes(name)) parents.push('(top level)');
  for (const [parent, spec] of Object.entries(VOCABULARY) as [string, ElementSpec][]) if (spec.children.includes(name)) parents.push(parent);
  return parents;
}

// The node types are computed from the vocabulary so a field cannot exist in one and not the other.
type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type ValueOf<T> = T extends { kind: 'enum'; values: readonly (infer V)[] } ? V : T extends { kind: infer K extends keyof ValueTypes } ? ValueTypes[K] : never;
type AlwaysSet<A> = A extends { required: true } ? true : A extends { default: string } ? true : false;
type AttributeOf<E extends ElementName> = (typeof VOCABULARY)[E]['attributes'][number];

/** The attributes of an element as node fields: camelCase, typed, present when required or defaulted. */
export type AttributesOf<E extends ElementName> = {
  -readonly [A in AttributeOf<E> as AlwaysSet<A> extends true ? Camel<A['name']> : never]: ValueOf<A['type']>;
} & {
  -readonly [A in AttributeOf<E> as AlwaysSet<A> extends true ? never : Camel<A['name']>]?: ValueOf<A['type']>;
};

/** `line-height` → `lineHeight`: how an attribute is named on its node. */
export function fieldName(attribute: string): string {
  return attribute.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
