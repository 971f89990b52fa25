import type { Diagnostic, Range, Severity, Stage } from '../../variables/diagnostics';
import type { CompiledTemplate } from '../compile';
import type { PdfDocument, PdfPage } from '../pdf';
import type { StructAttributes, StructType } from '../pdf/structure';
import type { Color, Length } from '../markup';
import type { PageSetup } from './page';
import type { DrawnBox } from './boxes';
import { toPoints } from './units';
import { suggestion } from '../../variables/suggest';

export type { DrawnBox } from './boxes';

/** Documents are bounded: a table fed a huge list must not make a thousand-page PDF by accident. */
export const MAX_PAGES = 500;

export class LayoutError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/**
 * What an element's draw function works with: the current page and its geometry, unit conversion in the
 * page's terms, and a place to report problems and drawn boxes. Elements never touch the PDF writer's
 * document directly except through the current page, so page flow (page-break, tables that continue) lives
 * here, in one place.
 */
export class LayoutContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly boxes: DrawnBox[] = [];
  readonly pages: PdfPage[] = [];
  page!: PdfPage;
  setup!: PageSetup;
  /** The rotation `withBox` is drawing under (markup coordinates, clockwise), for links drawn inside it. */
  private turn: { cx: number; cy: number; degrees: number } | undefined;

  constructor(
    readonly template: CompiledTemplate,
    readonly doc: PdfDocument,
    private readonly drawBackground: (ctx: LayoutContext) => void,
  ) {}

  /** The page being drawn on; the last one, unless `returnTo` went back to an earlier one. */
  private index = -1;
  private readonly setups: PageSetup[] = [];

  get pageIndex(): number {
    return this.index;
  }
  get width(): number {
    return this.setup.width;
  }
  get height(): number {
    return this.setup.height;
  }

  startPage(setup: PageSetup, range?: Range): void {
    if (this.pages.length >= MAX_PAGES) {
      throw new LayoutError(
        this.problem('layout', 'LAYOUT_TOO_MANY_PAGES', 'error', `The document would have more than ${MAX_PAGES} pages.`, range),
      );
    }
    this.setup = setup;
    this.page = this.doc.addPage(setup.width, setup.height);
    this.pages.push(this.page);
    this.setups.push(setup);
    this.index = this.pages.length - 1;
    this.drawBackground(this);
  }

  /** Draws on an earlier page again (the SPECIMEN mark, once every page is laid out). */
  returnTo(index: number): void {
    this.page = this.pages[index]!;
    this.setup = this.setups[index]!;
    this.index = index;
    const tags = this.page.tags;
    tags?.tree.activate(tags);
  }

  /** Whether the document being drawn is tagged (templates/pdf/structure.ts). */
  get tagged(): boolean {
    return this.page.tags !== undefined;
  }

  /**
   * Runs `draw` as a structure element of a tagged document (on whatever pages it draws: a table flows
   * on); in an untagged one, just runs it.
   */
  tag(type: StructType, attributes: StructAttributes, draw: () => void): void {
    if (!this.page.tags) return draw();
    this.page.tags.open(type, attributes);
    try {
      draw();
    } finally {
      this.page.tags?.close();
    }
  }

  /** Runs `draw` as decoration a screen reader skips, even inside an element (a table's repeated header). */
  artifact(draw: () => void): void {
    if (!this.page.tags) return draw();
    this.page.tags.artifact(draw);
  }

  /** A box in PDF coordinates (x1 y1 x2 y2), for a figure's /BBox. */
  pdfBox(box: { x: number; y: number; width: number; height: number }): [number, number, number, number] {
    return [box.x, this.pdfY(box.y + box.height), box.x + box.width, this.pdfY(box.y)];
  }

  /** A new page like the current one (page-break, a table flowing on). */
  continuePage(range?: Range): void {
    this.startPage(this.setup, range);
  }

  /** Horizontal lengths: percentages of the page width. */
  x(length: Length): number {
    return toPoints(length, this.setup.width);
  }
  /** Vertical lengths: percentages of the page height. */
  y(length: Length): number {
    return toPoints(length, this.setup.height);
  }
  /** PDF's y axis points up from the bottom; markup's points down from the top. */
  pdfY(top: number): number {
    return this.setup.height - top;
  }

  record(kind: string, range: Range | undefined, box: { x: number; y: number; width: number; height: number }): void {
    const b: DrawnBox = { page: this.pageIndex, kind, ...box };
    if (range) b.range = range;
    this.boxes.push(b);
  }

  problem(stage: Stage, code: string, severity: Severity, message: string, range?: Range): Diagnostic {
    const d: Diagnostic = { stage, code, severity, message };
    if (range) d.range = range;
    return d;
  }

  report(stage: Stage, code: string, severity: Severity, message: string, range?: Range): void {
    this.diagnostics.push(this.problem(stage, code, severity, message, range));
  }

  /** Whether the template declares a font role; if not, says so at the element (and the element is skipped). */
  hasRole(role: string, range: Range | undefined): boolean {
    if (this.template.fonts.has(role)) return true;
    const declared = [...this.template.fonts.roles.keys()];
    this.report(
      'font',
      'FONT_UNKNOWN_ROLE',
      'error',
      `There is no font role "${role}"; declare it under "fonts:" in the front matter.${suggestion(role, declared)}`,
      range,
    );
    return false;
  }

  /**
   * Runs `draw` with the element's opacity and rotation (about the centre of its box) applied.
   */
  withBox(
    box: { x: number; y: number; width: number; height: number },
    opts: { opacity?: number; rotate?: number },
    draw: () => void,
  ): void {
    const c = this.page.content;
    const opacity = opts.opacity ?? 1;
    const rotate = opts.rotate ?? 0;
    if (opacity >= 1 && rotate === 0) return draw();
    c.save();
    if (opacity < 1) c.opacity(opacity, opacity);
    if (rotate !== 0) {
      const cx = box.x + box.width / 2;
      const cy = this.pdfY(box.y + box.height / 2);
      // Markup angles are clockwise on a y-down page; PDF rotates counter-clockwise on a y-up page.
      const a = (-rotate * Math.PI) / 180;
      const cos = Math.cos(a);
      const sin = Math.sin(a);
      c.transform(1, 0, 0, 1, cx, cy).transform(cos, sin, -sin, cos, 0, 0).transform(1, 0, 0, 1, -cx, -cy);
    }
    const outer = this.turn;
    if (rotate !== 0) this.turn = { cx: box.x + box.width / 2, cy: box.y + box.height / 2, degrees: rotate };
    try {
      draw();
    } finally {
      this.turn = outer;
    }
    c.restore();
  }

  /**
   * Makes an area of the current page (markup coordinates, points) open `url` when clicked: a PDF link
   * annotation. Under a rotation the area is the upright rectangle around the turned one, since a link's
   * /Rect cannot turn. The URL was checked by the markup reader (http, https or mailto only).
   */
  link(box: { x: number; y: number; width: number; height: number }, url: string, description?: string): void {
    if (!(box.width > 0 && box.height > 0)) return;
    let { x, y, width, height } = box;
    const turn = this.turn;
    if (turn) {
      const a = (turn.degrees * Math.PI) / 180;
      const cos = Math.cos(a);
      const sin = Math.sin(a);
      const xs: number[] = [];
      const ys: number[] = [];
      for (const [px, py] of [
        [x, y],
        [x + width, y],
        [x, y + height],
        [x + width, y + height],
      ] as const) {
        const dx = px - turn.cx;
        const dy = py - turn.cy;
        xs.push(turn.cx + dx * cos - dy * sin);
        ys.push(turn.cy + dx * sin + dy * cos);
      }
      x = Math.min(...xs);
      y = Math.min(...ys);
      width = Math.max(...xs) - x;
      height = Math.max(...ys) - y;
    }
    this.page.addLink({ x, y: this.pdfY(y + height), width, height }, url, description);
  }
}

export function rgb(color: Color): [number, number, number] {
  return [color.r, color.g, color.b];
}
