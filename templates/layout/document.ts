import type { Diagnostic } from '../../variables/diagnostics';
import type { CompiledTemplate } from '../compile';
import type { MarkupDocument, PageNode } from '../markup';
import type { PageDrawing, PdfDocument } from '../pdf';
import type { NodeOf, MemberOf } from '../elements/definitions';
import { drawElement } from '../elements/draw';
import { paintWatermark } from '../elements/watermark/draw';
import { LayoutContext, LayoutError, type DrawnBox } from './context';
import { pageGeometry, type PageSetup } from './page';

export type { DrawnBox } from './context';

/**
 * Drawings shared by the documents of one batch (one PdfDocument): an element whose parsed node is the
 * same on the same page setup draws the same operators, so what is the same for every learner (titles,
 * the course, the seal, a fixed sentence) is laid out once and replayed. Only elements that stay on their
 * page, add no link and report nothing are shared; an element is captured the second time it is met (one
 * met once, a learner's name, costs a key and nothing more).
 */
export class SharedDrawings {
  private readonly seen = new Set<string>();
  private readonly drawn = new Map<string, { drawing: PageDrawing; boxes: Omit<DrawnBox, 'page'>[] }>();

  /** @internal */
  draw(el: NodeOf<MemberOf<'positioned'>>, ctx: LayoutContext, pageKey: string): void {
    if (!SHAREABLE.has(el.kind)) return drawElement(el, ctx);
    const key = pageKey + JSON.stringify(el);
    const hit = this.drawn.get(key);
    if (hit) {
      ctx.page.replay(hit.drawing);
      for (const b of hit.boxes) ctx.boxes.push({ ...b, page: ctx.pageIndex });
      return;
    }
    if (!this.seen.has(key)) {
      this.seen.add(key);
      return drawElement(el, ctx);
    }
    const page = ctx.page;
    const diagnostics = ctx.diagnostics.length;
    const boxes = ctx.boxes.length;
    const drawing = page.capture(() => drawElement(el, ctx));
    if (drawing && ctx.page === page && ctx.diagnostics.length === diagnostics)
      this.drawn.set(key, { drawing, boxes: ctx.boxes.slice(boxes).map(({ page: _page, ...b }) => b) });
  }
}

/** Elements drawn on their own page only (tables flow, page-breaks add pages, link areas annotate). */
const SHAREABLE = new Set<string>(['text', 'image', 'qr', 'line', 'rect', 'watermark']);

/**
 * Lays out and draws a parsed document: each <page> with its setup and background, its elements in
 * order (later ones on top), page-breaks and flowing tables adding pages; previews get SPECIMEN on top.
 */
export function drawDocument(
  markup: MarkupDocument,
  env: { template: CompiledTemplate; doc: PdfDocument; specimen: boolean; timings?: Record<string, number>; shared?: SharedDrawings },
): { pageCount: number; boxes: DrawnBox[]; diagnostics: Diagnostic[] } {
  const ctx = new LayoutContext(env.template, env.doc, drawBackground);
  try {
    for (const page of markup.pages) {
      const setup = pageSetup(page, env.template, ctx);
      if (!setup) continue;
      ctx.startPage(setup, page.range);
      ctx.record('page', page.range, { x: 0, y: 0, width: setup.width, height: setup.height });
      const timings = env.timings;
      const shared = env.shared;
      const draw = shared
        ? (
            (key: string) => (el: (typeof page.elements)[number]) =>
              shared.draw(el, ctx, key)
          )(JSON.stringify(setup))
        : (el: (typeof page.elements)[number]) => drawElement(el, ctx);
      if (timings) {
        // The benchmark's breakdown by element kind (see RenderOptions.timings); the rest of draw is pages and backgrounds.
        for (const el of page.elements) {
          const started = performance.now();
          draw(el);
          const stage = `draw:${el.kind}`;
          timings[stage] = (timings[stage] ?? 0) + performance.now() - started;
        }
      } else for (const el of page.elements) draw(el);
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
