import type { Located, MarkupElement } from '../../markup/types';
import { defineElement, type Built, type Fields } from '../definition';

const attributes = [
  {
    name: 'size',
    type: { kind: 'page-size' },
    defaultDoc: { en: 'front matter `page.size`', fr: '`page.size` de l’en-tête' },
    doc: {
      en: 'A4, A5, A3, A6, Letter, Legal, or "width height" (e.g. `200mm 100mm`).',
      fr: 'A4, A5, A3, A6, Letter, Legal, ou « largeur hauteur » (ex. `200mm 100mm`).',
    },
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
    doc: {
      en: 'Where tables stop and continue; 1 to 4 lengths as in CSS.',
      fr: 'Où les tableaux s’arrêtent et reprennent ; 1 à 4 longueurs comme en CSS.',
    },
  },
  {
    name: 'background',
    type: { kind: 'name', of: 'asset', assets: ['pdf', 'image'] },
    defaultDoc: { en: 'front matter `background`', fr: '`background` de l’en-tête' },
    doc: { en: 'An asset (PDF or image) drawn under the page.', fr: 'Une ressource (PDF ou image) dessinée sous la page.' },
  },
  {
    name: 'background-page',
    type: { kind: 'number', min: 1, integer: true },
    defaultDoc: { en: 'front matter, or 1', fr: 'l’en-tête, ou 1' },
    doc: { en: 'Which page of a PDF background to use.', fr: 'La page du PDF de fond à utiliser.' },
  },
] as const;

export interface PageNode extends Located, Fields<typeof attributes> {
  kind: 'page';
  elements: MarkupElement[];
}

/** `<page>`: laid out by templates/layout/document.ts (page setup, background, flow), not by a drawer. */
export const page = defineElement({
  doc: {
    en: 'One page of the certificate. Its settings default to the front matter; everything on it is positioned from its top-left corner.',
    fr: 'Une page de l’attestation. Ses réglages reprennent l’en-tête ; tout y est placé depuis le coin haut gauche.',
  },
  text: 'none',
  children: 'positioned',
  attributes,
  example:
    '<page size="A4" orientation="landscape" margin="15mm 20mm">\n  <text x="20mm" y="30mm" width="257mm" align="center" size="28">Certificate</text>\n</page>',
  build({ fields }): Built<PageNode> {
    const node = { kind: 'page', ...fields, elements: [] } as unknown as PageNode;
    return { node, children: node.elements };
  },
});
