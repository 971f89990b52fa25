import type { ImageElement } from './definition';
import type { LayoutContext } from '../../layout/context';
import { imageFromData, isDataImage } from '../../assets';
import { suggestion } from '../../../variables/suggest';
import { DiagnosticError } from '../../../variables/diagnostics';
import type { PreparedImage } from '../../pdf';

/** `<image>`: an image asset, or an image value from the data (a data: URL), fitted into its box. */
export function drawImage(node: ImageElement, ctx: LayoutContext): void {
  const image = resolveImage(node, ctx);
  if (!image) return;
  const x = ctx.x(node.x);
  const y = ctx.y(node.y);
  const width = ctx.x(node.width);
  const height = node.height ? ctx.y(node.height) : (width * image.height) / image.width;
  const box = { x, y, width, height };
  ctx.record('image', node.range, box);
  const ratio = image.width / image.height;
  let w = width;
  let h = height;
  if (node.fit !== 'fill') {
    const byWidth = node.fit === 'contain' ? width / height < ratio : width / height > ratio;
    if (byWidth) h = width / ratio;
    else w = height * ratio;
  }
  const align = node.align;
  const dx = align.includes('left') ? 0 : align.includes('right') ? width - w : (width - w) / 2;
  const dy = align.includes('top') ? 0 : align.includes('bottom') ? height - h : (height - h) / 2;
  const paint = () =>
    ctx.withBox(box, { opacity: node.opacity, rotate: node.rotate }, () => {
      const c = ctx.page.content;
      if (node.fit === 'cover') {
        c.save()
          .rect(x, ctx.pdfY(y + height), width, height)
          .clip();
        c.drawImage(image, x + dx, ctx.pdfY(y + dy + h), w, h).restore();
      } else c.drawImage(image, x + dx, ctx.pdfY(y + dy + h), w, h);
    });
  // alt="" is a decorative image: an artifact. Without alt it is still a figure (the analyzer warns).
  if (node.alt === '') ctx.artifact(paint);
  else ctx.tag('Figure', { ...(node.alt !== undefined ? { alt: node.alt.trim() } : {}), bbox: ctx.pdfBox(box) }, paint);
}

function resolveImage(node: ImageElement, ctx: LayoutContext): PreparedImage | undefined {
  const src = node.src.trim();
  if (isDataImage(src)) {
    try {
      return imageFromData(src);
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      for (const d of e.diagnostics)
        ctx.report('asset', d.code, 'error', `The image from the data cannot be used: ${d.message}`, node.range);
      return undefined;
    }
  }
  const assets = ctx.template.assets;
  const kind = assets.kind(src);
  if (kind === 'image') return assets.image(src);
  const images = assets.names().filter((n) => assets.kind(n) === 'image');
  ctx.report(
    'asset',
    kind ? 'ASSET_WRONG_TYPE' : 'ASSET_UNKNOWN',
    'error',
    kind
      ? `The asset "${src}" is a ${kind}, not an image.`
      : `There is no image asset "${src}".${suggestion(src, images)}${images.length ? ` Images: ${images.join(', ')}.` : ''}`,
    node.range,
  );
  return undefined;
}
