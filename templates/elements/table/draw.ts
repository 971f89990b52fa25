import type { CellNode, RowNode, TableNode } from './definition';
import type { LaidOutText, TextStyle } from '../../text';
import { rgb, type LayoutContext } from '../../layout/context';
import { boxStyle, inlineToSpans, layoutText, paintText } from '../../layout/text';
import { toPoints } from '../../layout/units';

interface LaidCell {
  node: CellNode;
  x: number;
  width: number;
  text: LaidOutText;
}

interface LaidRow {
  node: RowNode;
  cells: LaidCell[];
  height: number;
  header: boolean;
}

/**
 * `<table>`: rows laid out against column widths, drawn down the page; when the next row would pass
 * `bottom`, the table goes on at `continue-y` of a new page, with its <thead> rows drawn again first.
 * Elements after the table are drawn on the page where it ends.
 */
export function drawTable(node: TableNode, ctx: LayoutContext): void {
  if (!ctx.hasRole(node.font, node.range)) return;
  // Tagged: Table → THead and TBody → TR → TH (scope Column in the head, Row in the body) and TD. The
  // header rows drawn again on a new page are artifacts: a screen reader reads them once.
  ctx.tag('Table', {}, () => layTable(node, ctx));
}

function layTable(node: TableNode, ctx: LayoutContext): void {
  const x = ctx.x(node.x);
  const width = ctx.x(node.width);
  const columns = columnWidths(node, ctx, width);
  if (!columns) return;
  const pad = {
    top: ctx.y(node.padding.top),
    right: ctx.x(node.padding.right),
    bottom: ctx.y(node.padding.bottom),
    left: ctx.x(node.padding.left),
  };
  const base = boxStyle(node);
  const headerColor = node.headerColor ? rgb(node.headerColor) : base.color;
  const layRow = (row: RowNode, header: boolean): LaidRow => {
    let col = 0;
    const cells: LaidCell[] = [];
    for (const cell of row.cells) {
      const span = Math.max(1, Math.min(cell.colspan, columns.length - col));
      if (col >= columns.length) {
        ctx.report(
          'layout',
          'LAYOUT_TABLE_TOO_MANY_CELLS',
          'warning',
          `This row has more cells than the table's ${columns.length} columns; the extra cells are not drawn.`,
          cell.range ?? row.range,
        );
        break;
      }
      const cx = columns.slice(0, col).reduce((a, b) => a + b, 0);
      const cw = columns.slice(col, col + span).reduce((a, b) => a + b, 0);
      const style: TextStyle = { ...base, bold: cell.header, color: header ? headerColor : base.color };
      const text = layoutText(
        ctx,
        inlineToSpans(cell.content, style),
        { width: Math.max(1, cw - pad.left - pad.right), ...(cell.align ? { align: cell.align } : {}), lineHeight: node.lineHeight },
        cell.range,
      );
      cells.push({ node: cell, x: cx, width: cw, text });
      col += span;
    }
    const height = Math.max(base.size * node.lineHeight, ...cells.map((c) => c.text.height)) + pad.top + pad.bottom;
    return { node: row, cells, height, header };
  };

  const header = node.header.map((r) => layRow(r, true));
  const body = node.body.map((r) => layRow(r, false));
  const headerHeight = header.reduce((a, r) => a + r.height, 0);
  const bottomOf = () => (node.bottom ? ctx.y(node.bottom) : ctx.height - ctx.setup.margin.bottom);
  const topOf = () => (node.continueY ? ctx.y(node.continueY) : ctx.setup.margin.top);

  let y = ctx.y(node.y);
  let pageTop = y;
  let onPage = 0;
  const flushBox = (endY: number) => ctx.record('table', node.range, { x, y: pageTop, width, height: endY - pageTop });
  const drawHeader = () => {
    for (const row of header) {
      paintRow(ctx, row, x, y, width, node, pad, undefined);
      y += row.height;
    }
  };
  if (header.length) ctx.tag('THead', {}, drawHeader);
  const drawBody = () =>
    body.forEach((row, i) => {
      if (onPage > 0 && y + row.height > bottomOf()) {
        flushBox(y);
        ctx.continuePage(node.range);
        y = topOf();
        pageTop = y;
        onPage = 0;
        ctx.artifact(drawHeader);
      }
      if (y + row.height > bottomOf() && onPage === 0) {
        const room = bottomOf() - topOf() - headerHeight;
        if (row.height > room) {
          ctx.report(
            'layout',
            'LAYOUT_TABLE_ROW_TOO_TALL',
            'warning',
            'A table row is taller than a whole page can hold; it runs past the bottom.',
            row.node.range ?? node.range,
          );
        }
      }
      paintRow(ctx, row, x, y, width, node, pad, i % 2 === 1 && node.stripeFill ? rgb(node.stripeFill) : undefined);
      y += row.height;
      onPage++;
    });
  if (body.length) ctx.tag('TBody', {}, drawBody);
  flushBox(y);
}

function paintRow(
  ctx: LayoutContext,
  row: LaidRow,
  x: number,
  top: number,
  width: number,
  table: TableNode,
  pad: { top: number; left: number; right: number; bottom: number },
  stripe: [number, number, number] | undefined,
): void {
  const c = ctx.page.content;
  const fill = row.header && table.headerFill ? rgb(table.headerFill) : stripe;
  if (fill)
    c.fillColor(fill)
      .rect(x, ctx.pdfY(top + row.height), width, row.height)
      .fill();
  ctx.tag('TR', {}, () => {
    for (const cell of row.cells) {
      const paint = () => paintText(ctx, cell.text, x + cell.x + pad.left, top + pad.top);
      if (cell.node.header) ctx.tag('TH', { scope: row.header ? 'Column' : 'Row' }, paint);
      else ctx.tag('TD', {}, paint);
    }
  });
  if (table.borderWidth > 0) {
    c.save().strokeColor(rgb(table.borderColor)).lineWidth(table.borderWidth);
    for (const cell of row.cells) c.rect(x + cell.x, ctx.pdfY(top + row.height), cell.width, row.height);
    c.stroke().restore();
  }
  ctx.record('row', row.node.range, { x, y: top, width, height: row.height });
}

/** Column widths in points: as written (percentages of the table), scaled to fill the table exactly. */
function columnWidths(node: TableNode, ctx: LayoutContext, width: number): number[] | undefined {
  // A loop, not Math.max(...rows): a table of a hundred thousand rows would overflow the call stack.
  let count = 1;
  for (const rows of [node.header, node.body])
    for (const r of rows)
      count = Math.max(
        count,
        r.cells.reduce((a, c) => a + c.colspan, 0),
      );
  if (!node.columns || node.columns.length === 0) return new Array<number>(count).fill(width / count);
  const widths = node.columns.map((l) => toPoints(l, width));
  const total = widths.reduce((a, b) => a + b, 0);
  if (total <= 0) {
    ctx.report('layout', 'LAYOUT_TABLE_COLUMNS', 'error', "The table's columns add up to nothing.", node.range);
    return undefined;
  }
  if (Math.abs(total - width) > 0.5) {
    ctx.report(
      'layout',
      'LAYOUT_TABLE_COLUMNS',
      'warning',
      `The columns add up to ${((total / 72) * 25.4).toFixed(1)} mm but the table is ${((width / 72) * 25.4).toFixed(1)} mm wide; they are scaled to fit.`,
      node.range,
    );
  }
  return widths.map((w) => (w * width) / total);
}
