import type { Located } from '../../markup/types';
import { defineElement, leaf } from '../definition';

export interface PageBreakElement extends Located {
  kind: 'page-break';
}

export const pageBreak = defineElement({
  doc: { en: 'What follows goes on a new page with the same settings.', fr: 'La suite va sur une nouvelle page aux mêmes réglages.' },
  text: 'none',
  children: [],
  belongsTo: ['positioned'],
  attributes: [],
  example:
    '<page>\n  <text x="20mm" y="20mm" width="170mm">Page one</text>\n  <page-break/>\n  <text x="20mm" y="20mm" width="170mm">Page two</text>\n</page>',
  build: leaf<PageBreakElement>('page-break'),
});
