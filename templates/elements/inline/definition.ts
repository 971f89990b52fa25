import type { InlineNode, Located } from '../../markup/types';
import { color, font, inherited, lang, letterSpacing } from '../attributes';
import { defineElement, leaf, type BuildContext, type Built, type Fields } from '../definition';

/**
 * Inline markup inside text boxes and table cells. Laid out by the text engine through
 * templates/layout/text.ts (`inlineToSpans`), which every element with inline content shares.
 */

export interface StyleNode extends Located {
  kind: 'b' | 'i' | 'u';
  children: InlineNode[];
}

const spanAttributes = [
  { ...font, default: undefined, defaultDoc: inherited },
  {
    name: 'size',
    type: { kind: 'points', min: 1, max: 1000 },
    defaultDoc: inherited,
    doc: { en: 'Font size in points.', fr: 'Taille de police en points.' },
  },
  { ...color, default: undefined, defaultDoc: inherited },
  { ...letterSpacing, default: undefined, defaultDoc: inherited },
  { ...lang, defaultDoc: inherited },
] as const;

export interface SpanNode extends Located, Fields<typeof spanAttributes> {
  kind: 'span';
  children: InlineNode[];
}
export interface BreakNode extends Located {
  kind: 'br';
}

function style(kind: StyleNode['kind']) {
  return ({ fields }: BuildContext): Built<StyleNode> => {
    const node = { kind, ...fields, children: [] } as unknown as StyleNode;
    return { node, children: node.children };
  };
}

export const b = defineElement({
  doc: { en: 'Bold text.', fr: 'Texte gras.' },
  text: 'inline',
  children: 'inline',
  belongsTo: ['inline'],
  attributes: [],
  example: '<text x="20mm" y="40mm" width="100mm">Grade: <b>{{ grade.value }}</b></text>',
  build: style('b'),
});

export const i = defineElement({
  doc: { en: 'Italic text.', fr: 'Texte italique.' },
  text: 'inline',
  children: 'inline',
  belongsTo: ['inline'],
  attributes: [],
  example: '<text x="20mm" y="40mm" width="100mm"><i>{{ certifier.title }}</i></text>',
  build: style('i'),
});

export const u = defineElement({
  doc: { en: 'Underlined text.', fr: 'Texte souligné.' },
  text: 'inline',
  children: 'inline',
  belongsTo: ['inline'],
  attributes: [],
  example: '<text x="20mm" y="40mm" width="100mm"><u>Important</u></text>',
  build: style('u'),
});

export const span = defineElement({
  doc: { en: 'Text with its own font, size, colour or spacing.', fr: 'Texte avec sa propre police, taille, couleur ou espacement.' },
  text: 'inline',
  children: 'inline',
  belongsTo: ['inline'],
  attributes: spanAttributes,
  example: '<text x="20mm" y="40mm" width="150mm">Code <span font="mono" color="#1f3a5f">{{ certificate.code }}</span></text>',
  build({ fields }): Built<SpanNode> {
    const node = { kind: 'span', ...fields, children: [] } as unknown as SpanNode;
    return { node, children: node.children };
  },
});

export const br = defineElement({
  doc: { en: 'A line break.', fr: 'Un retour à la ligne.' },
  text: 'none',
  children: [],
  belongsTo: ['inline'],
  attributes: [],
  example: '<text x="20mm" y="40mm" width="100mm">{{ certifier.name }}<br/>{{ certifier.title }}</text>',
  build: leaf<BreakNode>('br'),
});
