import type { InlineNode, Located } from '../../markup/types';
import { MARKUP_CODES } from '../../markup/codes';
import { defineElement, type Built, type Fields } from '../definition';

/**
 * `<link>`: where a click on the document opens an address — the verification page, the organisation's
 * site, a mail to the training office. One element, two places, as in HTML's `<a>`:
 *
 * - on a page, a clickable area placed like a `<rect>`: `<link x y width height href/>`, usually over
 *   something drawn (a QR code, a logo, a line of the background);
 * - inside text (a `<text>`, a cell, a `<b>` …), around the words that are clickable:
 *   `<text …>Check it at <link href="…">{{ certificate.verification_url }}</link></text>`. The area follows
 *   the words wherever they wrap; their look is the designer's (add `<u>` or a `<span color>`).
 *
 * Written as a PDF link annotation (no border) by templates/pdf/. Only http(s) and mailto addresses:
 * anything else is MARKUP_URL_REFUSED.
 */

const onPage = {
  en: 'On a page: required. Inside text: not used (the link is where its words are).',
  fr: 'Sur une page : obligatoire. Dans un texte : inutile (le lien est là où sont ses mots).',
};
const attributes = [
  {
    name: 'href',
    type: { kind: 'url' },
    required: true,
    doc: {
      en: 'Where a click goes: an http://, https:// or mailto: address.',
      fr: 'Où mène un clic : une adresse http://, https:// ou mailto:.',
    },
  },
  {
    name: 'x',
    type: { kind: 'length' },
    defaultDoc: { en: 'none', fr: 'aucun' },
    doc: { en: `Left edge of the clickable area. ${onPage.en}`, fr: `Bord gauche de la zone cliquable. ${onPage.fr}` },
  },
  {
    name: 'y',
    type: { kind: 'length' },
    defaultDoc: { en: 'none', fr: 'aucun' },
    doc: { en: `Top edge of the clickable area. ${onPage.en}`, fr: `Bord haut de la zone cliquable. ${onPage.fr}` },
  },
  {
    name: 'width',
    type: { kind: 'length', nonNegative: true },
    defaultDoc: { en: 'none', fr: 'aucun' },
    doc: { en: `Width of the clickable area. ${onPage.en}`, fr: `Largeur de la zone cliquable. ${onPage.fr}` },
  },
  {
    name: 'height',
    type: { kind: 'length', nonNegative: true },
    defaultDoc: { en: 'none', fr: 'aucun' },
    doc: { en: `Height of the clickable area. ${onPage.en}`, fr: `Hauteur de la zone cliquable. ${onPage.fr}` },
  },
] as const;

const AREA = ['x', 'y', 'width', 'height'] as const;

export interface LinkNode extends Located, Fields<typeof attributes> {
  kind: 'link';
  /** The linked words inside text; empty for an area on a page. */
  children: InlineNode[];
}

/** A link on a page: an area, all four of its coordinates known. */
export type LinkArea = LinkNode & Required<Pick<LinkNode, (typeof AREA)[number]>>;

export function isArea(node: LinkNode): node is LinkArea {
  return AREA.every((a) => node[a] !== undefined);
}

const NOTHING = { children: [], text: 'none' } as const;

export const link = defineElement({
  doc: {
    en: 'A clickable link to an http(s) or mailto address: an area on a page (x, y, width, height), or words inside text.',
    fr: 'Un lien cliquable vers une adresse http(s) ou mailto : une zone sur une page (x, y, width, height), ou des mots dans un texte.',
  },
  text: 'inline',
  children: 'inline',
  belongsTo: ['positioned', 'inline'],
  attributes,
  example:
    '<page>\n  <qr x="22mm" y="152mm" size="26mm" value="{{ certificate.verification_url }}"/>\n  <link x="22mm" y="152mm" width="26mm" height="26mm" href="{{ certificate.verification_url }}"/>\n  <text x="52mm" y="160mm" width="150mm" size="9">Check this certificate at <link href="{{ certificate.verification_url }}"><u>{{ certificate.verification_url }}</u></link></text>\n</page>',
  editor: {
    move: { h: ['x'], v: ['y'] },
    resize: { w: ['width'], h: ['height'] },
    insert: {
      markup: '<link x="{x}" y="{y}" width="40mm" height="10mm" href="{{ certificate.verification_url }}"/>',
      width: 40,
      height: 10,
    },
  },
  build({ fields, parent, inside, report }): Built<LinkNode> {
    const node = { kind: 'link', ...fields, children: [] } as unknown as LinkNode;
    if (parent === 'page') {
      const missing = AREA.filter((a) => node[a] === undefined);
      if (missing.length) {
        report(
          MARKUP_CODES.missingAttribute,
          `A <link> on a page is a clickable area: it needs ${missing.join(', ')} (or put the <link> inside a <text> around the words to click).`,
        );
        return { content: NOTHING };
      }
      return { node, content: NOTHING };
    }
    // As with HTML's <a>: the words of a link go to one address.
    if (inside('link'))
      report(MARKUP_CODES.misplacedElement, 'A <link> cannot be inside another <link>: close the first one before starting the next.');
    const written = AREA.filter((a) => node[a] !== undefined);
    if (written.length) {
      report(
        MARKUP_CODES.unknownAttribute,
        `A <link> inside text is where its words are: ${written.join(', ')} ${written.length === 1 ? 'is' : 'are'} only for a clickable area placed on the page.`,
      );
    }
    return { node, children: node.children };
  },
});
