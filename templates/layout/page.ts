import type { Diagnostic, Range } from '../../variables/diagnostics';
import { suggestion } from '../../variables/suggest';
import type { FrontMatter } from '../source/front-matter';
import type { TemplateAssets } from '../assets';
import { PAPER_SIZES_MM, PT_PER_MM, parseLength, toPoints } from './units';

/** A page's geometry in points, with what is drawn under everything else. */
export interface PageSetup {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  background?: { kind: 'pdf'; asset: string; page: number } | { kind: 'image'; asset: string };
}

/** "A4", "Letter", "210mm 297mm", with an orientation: the size in points, or a reason. */
export function parsePageSize(size: string, orientation: 'portrait' | 'landscape'): { width: number; height: number } | { error: string } {
  const named = Object.entries(PAPER_SIZES_MM).find(([k]) => k.toLowerCase() === size.trim().toLowerCase());
  let w: number;
  let h: number;
  if (named) {
    [w, h] = [named[1][0] * PT_PER_MM, named[1][1] * PT_PER_MM];
  } else {
    const parts = size.trim().split(/\s+/);
    const lengths = parts.map(parseLength);
    if (parts.length !== 2 || lengths.some((l) => !l || l.unit === '%' || l.value <= 0)) {
      return { error: `"${size}" is not a page size: use ${Object.keys(PAPER_SIZES_MM).join(', ')} or two lengths such as "210mm 297mm".${suggestion(size, Object.keys(PAPER_SIZES_MM))}` };
    }
    w = toPoints(lengths[0]!, 0);
    h = toPoints(lengths[1]!, 0);
    if (w > 14400 || h > 14400) return { error: 'a page may be at most 200 inches (5080 mm) on a side' };
  }
  const landscape = orientation === 'landscape';
  return landscape === w < h ? { width: h, height: w } : { width: w, height: h };
}

/** "15mm", "10mm 20mm", "10 20 10 20": CSS order (top, right, bottom, left). */
export function parseMargin(margin: string | number, width: number, height: number): PageSetup['margin'] | { error: string } {
  const parts = typeof margin === 'number' ? [margin] : margin.trim().split(/\s+/);
  const l = parts.map((p) => parseLength(p));
  if (l.length < 1 || l.length > 4 || l.some((x) => !x || x.value < 0)) {
    return { error: `"${margin}" is not a margin: give one to four lengths such as "15mm" or "10mm 20mm"` };
  }
  const [t, r = t, b = t, lft = r] = l as [NonNullable<(typeof l)[0]>, ...NonNullable<(typeof l)[0]>[]];
  const m = { top: toPoints(t, height), right: toPoints(r, width), bottom: toPoints(b, height), left: toPoints(lft, width) };
  if (m.left + m.right >= width || m.top + m.bottom >= height) return { error: 'the margins leave no room on the page' };
  return m;
}

export function resolvePageSetup(
  fm: FrontMatter,
  assets: TemplateAssets,
  locate: (path: (string | number)[]) => Range | undefined,
): { setup?: PageSetup; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const problem = (code: string, path: (string | number)[], message: string) => {
    const d: Diagnostic = { stage: 'source', code, severity: 'error', message, path: path.join('.') };
    const range = locate(path);
    if (range) d.range = range;
    diagnostics.push(d);
  };
  const size = parsePageSize(fm.page.size, fm.page.orientation);
  if ('error' in size) {
    problem('SOURCE_INVALID_FIELD', ['page', 'size'], size.error);
    return { diagnostics };
  }
  const margin = parseMargin(fm.page.margin, size.width, size.height);
  if ('error' in margin) {
    problem('SOURCE_INVALID_FIELD', ['page', 'margin'], margin.error);
    return { diagnostics };
  }
  const setup: PageSetup = { ...size, margin };
  if (fm.background !== undefined) {
    const asset = typeof fm.background === 'string' ? fm.background : fm.background.asset;
    const page = typeof fm.background === 'string' ? 1 : fm.background.page;
    const kind = assets.kind(asset);
    if (!kind) {
      // A declared asset that failed to load was reported already; only an undeclared name is news.
      if (!(fm.assets as Record<string, unknown>)[asset]) {
        problem('ASSET_UNKNOWN', ['background'], `The background "${asset}" is not one of the template's assets.${suggestion(asset, Object.keys(fm.assets))}`);
      }
    } else if (kind === 'pdf') {
      const count = assets.pdfPageCount(asset);
      if (page > count) problem('ASSET_PDF_PAGE_OUT_OF_RANGE', ['background'], `The background PDF "${asset}" has ${count} page${count === 1 ? '' : 's'}; page ${page} does not exist.`);
      else setup.background = { kind: 'pdf', asset, page };
    } else if (kind === 'image') setup.background = { kind: 'image', asset };
    else problem('ASSET_WRONG_TYPE', ['background'], `The background "${asset}" is a ${kind}; a background is a PDF page or an image.`);
  }
  return { setup, diagnostics };
}
