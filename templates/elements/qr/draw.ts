import QRCode from 'qrcode';
import type { QrElement } from './definition';
import { rgb, type LayoutContext } from '../../layout/context';

/**
 * `<qr>`: a QR code drawn as vector rectangles (one per horizontal run of dark modules), so it stays sharp
 * at any zoom and costs a few hundred bytes. An http(s) value is also a clickable link.
 */
export function drawQr(node: QrElement, ctx: LayoutContext): void {
  const x = ctx.x(node.x);
  const y = ctx.y(node.y);
  const size = ctx.x(node.size);
  const box = { x, y, width: size, height: size };
  ctx.record('qr', node.range, box);
  let modules: { size: number; data: Uint8Array };
  try {
    modules = QRCode.create(node.value, { errorCorrectionLevel: node.ec }).modules;
  } catch (e) {
    ctx.report('layout', 'LAYOUT_QR_TOO_LONG', 'error', `The QR code cannot hold this value (${(e as Error).message}).`, node.range);
    return;
  }
  const n = modules.size + 2 * node.margin;
  const cell = size / n;
  const c = ctx.page.content;
  ctx.withBox(box, { opacity: node.opacity }, () => {
    if (node.background)
      c.fillColor(rgb(node.background))
        .rect(x, ctx.pdfY(y + size), size, size)
        .fill();
    c.fillColor(rgb(node.color));
    for (let row = 0; row < modules.size; row++) {
      let col = 0;
      while (col < modules.size) {
        if (!modules.data[row * modules.size + col]) {
          col++;
          continue;
        }
        const start = col;
        while (col < modules.size && modules.data[row * modules.size + col]) col++;
        const top = y + (row + node.margin) * cell;
        c.rect(x + (start + node.margin) * cell, ctx.pdfY(top + cell), (col - start) * cell, cell);
      }
    }
    c.fill();
  });
  if (/^https?:\/\//i.test(node.value)) ctx.page.addLink({ x, y: ctx.pdfY(y + size), width: size, height: size }, node.value);
}
