import type { Diagnostic, Range } from '../../variables/diagnostics';
import { suggestion } from '../../variables/suggest';
import type { FrontMatter } from '../source/front-matter';
import type { TemplateAssets } from '../assets';
import type { Box, PageSize } from '../markup';
import { readValue } from '../markup';
import { toPoints } from './units';

/** A page's geometry in points, with what is drawn under everything else. */
export interface PageSetup {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  background?: { kind: 'pdf'; asset: string; page: number } | { kind: 'image'; asset: string };
}

/** The page as the front matter writes it, so a `<page>` can override one part and keep the rest. */
export interface PageSpec {
  size: PageSize;
  orientation: 'portrait' | 'landscape';
  margin: Box;
}

/**
 * Size, orientation and margins in points. The front matter's `page:` and a `<page>`'s attributes are
 * written the same way and read by the same markup value readers, so they mean the same thing.
 */
export function pageGeometry(
  size: PageSize,
  orientation: 'portrait' | 'landscape',
  margin: Box,
): Omit<PageSetup, 'background'> | { error: string } {
  let width = toPoints(size.width, 0);
  let height = toPoints(size.height, 0);
  if (width > 14400 || height > 14400) return { error: 'a page may be at most 200 inches (5080 mm) on a side' };
  if ((orientation === 'landscape') === width < height) [width, height] = [height, width];
  const m = {
    top: toPoints(margin.top, height),
    right: toPoints(margin.right, width),
    bottom: toPoints(margin.bottom, height),
    left: toPoints(margin.left, width),
  };
  if (m.left < 0 || m.right < 0 || m.top < 0 || m.bottom < 0) return { error: 'margins cannot be negative' };
  if (m.left + m.right >= width || m.top + m.bottom >= height) return { error: 'the margins leave no room on the page' };
  return { width, height, margin: m };
}

export function resolvePageSetup(
  fm: FrontMatter,
  assets: TemplateAssets,
  locate: (path: (string | number)[]) => Range | undefined,
): { setup?: PageSetup; spec?: PageSpec; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const problem = (code: string, path: (string | number)[], message: string) => {
    const d: Diagnostic = { stage: 'source', code, severity: 'error', message, path: path.join('.') };
    const range = locate(path);
    if (range) d.range = range;
    diagnostics.push(d);
  };
  const size = readValue({ kind: 'page-size' }, fm.page.size);
  const margin = readValue({ kind: 'box' }, String(fm.page.margin));
  if (!size.ok)
    problem(
      'SOURCE_INVALID_FIELD',
      ['page', 'size'],
      `"${fm.page.size}" is not a page size: use ${size.expected}.${size.suggestion ? ` Did you mean "${size.suggestion}"?` : ''}`,
    );
  if (!margin.ok) problem('SOURCE_INVALID_FIELD', ['page', 'margin'], `"${fm.page.margin}" is not a margin: use ${margin.expected}.`);
  if (!size.ok || !margin.ok) return { diagnostics };
  const geometry = pageGeometry(size.value, fm.page.orientation, margin.value);
  if ('error' in geometry) {
    problem('SOURCE_INVALID_FIELD', ['page'], `The page is not usable: ${geometry.error}.`);
    return { diagnostics };
  }
  const setup: PageSetup = { ...geometry };
  if (fm.background !== undefined) {
    const asset = typeof fm.background === 'string' ? fm.background : fm.background.asset;
    const page = typeof fm.background === 'string' ? 1 : fm.background.page;
    const kind = assets.kind(asset);
    if (!kind) {
      // A declared asset that failed to load was reported already; only an undeclared name is news.
      if (!Object.hasOwn(fm.assets, asset)) {
        problem(
          'ASSET_UNKNOWN',
          ['background'],
          `The background "${asset}" is not one of the template's assets.${suggestion(asset, Object.keys(fm.assets))}`,
        );
      }
    } else if (kind === 'pdf') {
      const count = assets.pdfPageCount(asset);
      if (page > count)
        problem(
          'ASSET_PDF_PAGE_OUT_OF_RANGE',
          ['background'],
          `The background PDF "${asset}" has ${count} page${count === 1 ? '' : 's'}; page ${page} does not exist.`,
        );
      else setup.background = { kind: 'pdf', asset, page };
    } else if (kind === 'image') setup.background = { kind: 'image', asset };
    else problem('ASSET_WRONG_TYPE', ['background'], `The background "${asset}" is a ${kind}; a background is a PDF page or an image.`);
  }
  return { setup, spec: { size: size.value, orientation: fm.page.orientation, margin: margin.value }, diagnostics };
}
