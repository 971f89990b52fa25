import type { Diagnostic } from '../../variables/diagnostics';
import type { CompiledTemplate } from '../compile';
import type { MarkupDocument, PageNode } from '../markup';
import type { PdfDocument } from '../pdf';
import { drawElement } from '../elements/draw';
import { paintWatermark } from '../elements/watermark/draw';
import { LayoutContext, LayoutError, type DrawnBox } from './context';
import { pageGeometry, type PageSetup } from './page';

export type { DrawnBox } from './context';

/**
 * Lays out and draws a parsed document: each <page> with its setup and background, its elements in
 * order (later ones on top), page-breaks and flowing tables adding pages; previews get SPECIMEN on top.
 */
export function drawDocument(
  markup: MarkupDocument,
  env: { template: CompiledTemplate; doc: PdfDocument; specimen: boolean; timings?: Record<string, number> },
): { pageCount: number; boxes: DrawnBox[]; diagnostics: Diagnostic[] } {
  const ctx = new LayoutContext(env.template, env.doc, drawBackground);
  try {
    for (const page of markup.pages) {
      const setup = pageSetup(page, env.template, ctx);
      if (!setup) continue;
      ctx.startPage(setup, page.range);
      ctx.record('page', page.range, { x: 0, y: 0, width: setup.width, height: setup.height });
      const timings = env.timings;
      if (timings) {
        // The benchmark's breakdown by element kind (see RenderOptions.timings); the rest of draw is pages and backgrounds.
        for (const el of page.elements) {
          const started = performance.now();
          drawElement(el, ctx);
          const stage = `draw:${el.kind}`;
          timings[stage] = (timings[stage] ?? 0) + performance.now() - started;
        }
      } else for (const el of page.elements) drawElement(el, ctx);
    }
    if (env.specimen) {
      // Drawn last on every page so nothing covers it.
      for (let i = 0; i < ctx.pages.length; i++) {
        ctx.returnTo(i);
        paintWatermark(ctx, 'SPECIMEN', { font: 'body', size: 96, color: [0.8, 0.1, 0.1], opacity: 0.18, angle: -35 });
      }
    }
  } catch (e) {
    if (e instanceof LayoutError) ctx.diagnostics.push(e.diagnostic);
    else throw e;
  }
  return { pageCount: ctx.pages.length, boxes: ctx.boxes, diagnostics: ctx.diagnostics };
}

/** A <page>'s own attributes over the front matter's defaults. */
function pageSetup(page: PageNode, template: CompiledTemplate, ctx: LayoutContext): PageSetup | undefined {
  const base = template.page;
  let geometry: Omit<PageSetup, 'background'> = base;
  if (page.size || page.orientation || page.margin) {
    const spec = template.pageSpec;
    const g = pageGeometry(page.size ?? spec.size, page.orientation ?? spec.orientation, page.margin ?? spec.margin);
    if ('error' in g) {
      ctx.report('layout', 'LAYOUT_PAGE_INVALID', 'error', `This page is not usable: ${g.error}.`, page.range);
      return undefined;
    }
    geometry = g;
  }
  const { width, height, margin } = geometry;
  const setup: PageSetup = { width, height, margin };
  const backgroundName = page.background ?? (base.background ? base.background.asset : undefined);
  if (backgroundName) {
    const kind = template.assets.kind(backgroundName);
    if (kind === 'pdf') {
      const pageNo =
        page.backgroundPage ?? (base.background?.kind === 'pdf' && base.background.asset === backgroundName ? base.background.page : 1);
      const count = template.assets.pdfPageCount(backgroundName);
      if (pageNo > count) {
        ctx.report(
          'asset',
          'ASSET_PDF_PAGE_OUT_OF_RANGE',
          'error',
          `The background PDF "${backgroundName}" has ${count} page${count === 1 ? '' : 's'}; page ${pageNo} does not exist.`,
          page.range,
        );
        return undefined;
      }
      setup.background = { kind: 'pdf', asset: backgroundName, page: pageNo };
    } else if (kind === 'image') setup.background = { kind: 'image', asset: backgroundName };
    else {
      ctx.report(
        'asset',
        kind ? 'ASSET_WRONG_TYPE' : 'ASSET_UNKNOWN',
        'error',
        kind
          ? `The background "${backgroundName}" is a ${kind}; a background is a PDF page or an image.`
          : `There is no asset "${backgroundName}" for the background.`,
        page.range,
      );
      return undefined;
    }
  }
  return setup;
}

/** The background covers the whole page, stretched to it (a frame made for the page size fits exactly). */
function drawBackground(ctx: LayoutContext): void {
  const bg = ctx.setup.background;
  if (!bg) return;
  const c = ctx.page.content;
  if (bg.kind === 'pdf') {
    const imported = ctx.template.assets.pdfPage(bg.asset, bg.page);
    c.drawPage(imported, 0, 0, ctx.width / imported.width, ctx.height / imported.height);
  } else {
    const image = ctx.template.assets.image(bg.asset);
    if (image) c.drawImage(image, 0, 0, ctx.width, ctx.height);
  }
}
