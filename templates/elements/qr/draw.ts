import type { QrElement } from './definition';
import { rgb, type LayoutContext } from '../../layout/context';
import { qrMatrix, type QrMatrix } from './matrix';

/**
 * `<qr>`: a QR code drawn as vector rectangles (one per horizontal run of dark modules), so it stays sharp
 * at any zoom and costs a few hundred bytes. The runs are written in module units under one matrix, so
 * every coordinate is a small integer (shorter to format, write and compress than points).
 * An http(s) value is also a clickable link.
 */
export function drawQr(node: QrElement, ctx: LayoutContext): void {
  const x = ctx.x(node.x);
  const y = ctx.y(node.y);
  const size = ctx.x(node.size);
  const box = { x, y, width: size, height: size };
  ctx.record('qr', node.range, box);
  let modules: QrMatrix;
  try {
    modules = qrMatrix(node.value, node.ec);
  } catch (e) {
    ctx.report('layout', 'LAYOUT_QR_TOO_LONG', 'error', `The QR code cannot hold this value (${(e as Error).message}).`, node.range);
    return;
  }
  const n = modules.size + 2 * node.margin;
  const cell = size / n;
  const c = ctx.page.content;
  const link = /^https?:\/\//i.test(node.value);
  const alt = node.alt?.trim() || qrAlt(node.value, ctx.template.locale);
  const paint = () =>
    ctx.withBox(box, { opacity: node.opacity }, () => {
      if (node.background)
        c.fillColor(rgb(node.background))
          .rect(x, ctx.pdfY(y + size), size, size)
          .fill();
      c.fillColor(rgb(node.color));
      // Module (0, 0) is the top-left one; PDF's y axis points up, so row r is drawn at size - 1 - r.
      c.save().transform(cell, 0, 0, cell, x + node.margin * cell, ctx.pdfY(y + (node.margin + modules.size) * cell));
      for (let row = 0; row < modules.size; row++) {
        let col = 0;
        while (col < modules.size) {
          if (!modules.data[row * modules.size + col]) {
            col++;
            continue;
          }
          const start = col;
          while (col < modules.size && modules.data[row * modules.size + col]) col++;
          c.rect(start, modules.size - 1 - row, col - start, 1);
        }
      }
      c.fill().restore();
    });
  // Tagged: a clickable code is a Link holding the figure and the annotation; untagged, the same drawing.
  const figure = () => ctx.tag('Figure', { alt, bbox: ctx.pdfBox(box) }, paint);
  if (!link) return figure();
  ctx.tag('Link', {}, () => {
    figure();
    ctx.page.addLink({ x, y: ctx.pdfY(y + size), width: size, height: size }, node.value, alt);
  });
}

/** A code's figure text when the template gives none: what it is and where it leads, in the template's language. */
export function qrAlt(value: string, locale: string | undefined): string {
  const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0];
  return `${QR_WORDS[language ?? 'en'] ?? QR_WORDS.en}: ${value}`;
}

const QR_WORDS: Record<string, string> = {
  en: 'QR code',
  fr: 'Code QR',
  de: 'QR-Code',
  es: 'Código QR',
  it: 'Codice QR',
  pt: 'Código QR',
  nl: 'QR-code',
};
