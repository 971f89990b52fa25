import { createHash } from 'node:crypto';
import { PdfAssetError } from './errors';
import { readJpeg } from './jpeg';
import { GroupBuilder, streamParts, type ObjectGroup, type ObjectPart } from './objects';
import { isPng, MAX_IMAGE_PIXELS, readPng, tooLarge } from './png';

const DECODED_KEEP = 64;
const decoded = new Map<string, PreparedImage>();

/** An image decoded once per process; every document that draws it copies its ready image XObject. */
export class PreparedImage {
  /** Internal: use `PreparedImage.fromBytes`. */
  constructor(
    readonly width: number,
    readonly height: number,
    /** Object 0 is the image XObject; object 1, when present, its SMask (alpha). */
    readonly group: ObjectGroup,
    readonly format: 'jpeg' | 'png',
    /** Device CMYK samples (a CMYK JPEG): not allowed in a PDF/A document with an sRGB output intent. */
    readonly cmyk = false,
  ) {}

  /**
   * JPEG (passed through as DCTDecode) or PNG. Throws PdfAssetError for anything else, damaged bytes, or
   * more than `maxPixels` pixels (images sent in the data get a smaller cap than uploaded assets).
   */
  static fromBytes(bytes: Uint8Array, options: { maxPixels?: number } = {}): PreparedImage {
    const maxPixels = options.maxPixels ?? MAX_IMAGE_PIXELS;
    // The same asset comes back with every compile of a template being edited (each keystroke in the
    // editor's live preview): decode it once per process, by content.
    const key = createHash('sha256').update(bytes).digest('hex');
    const known = decoded.get(key);
    if (known) {
      const huge = tooLarge(known.format === 'png' ? 'PNG' : 'JPEG', known.width, known.height, maxPixels);
      if (huge) throw huge;
      // Most recently used last: what is evicted is what no recent document drew.
      decoded.delete(key);
      decoded.set(key, known);
      return known;
    }
    const image = PreparedImage.decode(bytes, maxPixels);
    if (decoded.size >= DECODED_KEEP) decoded.delete(decoded.keys().next().value!);
    decoded.set(key, image);
    return image;
  }

  private static decode(bytes: Uint8Array, maxPixels: number): PreparedImage {
    if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return fromJpeg(bytes, maxPixels);
    if (isPng(bytes)) return fromPng(bytes, maxPixels);
    const kind = sniff(bytes);
    throw new PdfAssetError(
      'ASSET_IMAGE_UNSUPPORTED',
      kind
        ? `${kind} images cannot be placed in a certificate; upload a PNG or a JPEG instead.`
        : 'This file is not an image the certificate can use; upload a PNG or a JPEG.',
    );
  }
}

function fromJpeg(bytes: Uint8Array, maxPixels: number): PreparedImage {
  const info = readJpeg(bytes, maxPixels);
  const colorSpace = info.components === 1 ? '/DeviceGray' : info.components === 3 ? '/DeviceRGB' : '/DeviceCMYK';
  const decode = info.components === 4 && info.adobe ? ' /Decode [1 0 1 0 1 0 1 0]' : '';
  const b = new GroupBuilder();
  b.add(
    streamParts(
      [
        ` /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace ${colorSpace}` +
          ` /BitsPerComponent ${info.bitsPerComponent}${decode} /Filter /DCTDecode`,
      ],
      bytes,
    ),
  );
  return new PreparedImage(info.width, info.height, b.build(), 'jpeg', info.components === 4);
}

function fromPng(bytes: Uint8Array, maxPixels: number): PreparedImage {
  const png = readPng(bytes, maxPixels);
  const b = new GroupBuilder();
  const image = b.reserve();
  const dict: ObjectPart[] = [
    ` /Type /XObject /Subtype /Image /Width ${png.width} /Height ${png.height} /ColorSpace ${png.colorSpace}` +
      ` /BitsPerComponent ${png.bitsPerComponent} /Filter /FlateDecode`,
  ];
  if (png.decodeParms) dict.push(` /DecodeParms ${png.decodeParms}`);
  if (png.alpha) {
    const mask = b.add(
      streamParts(
        [
          ` /Type /XObject /Subtype /Image /Width ${png.width} /Height ${png.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`,
        ],
        png.alpha,
      ),
    );
    dict.push(' /SMask ', mask);
  }
  b.set(image, streamParts(dict, png.data));
  return new PreparedImage(png.width, png.height, b.build(), 'png');
}

function sniff(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
  if (head.startsWith('GIF8')) return 'GIF';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'WebP';
  if (head.startsWith('BM')) return 'BMP';
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'TIFF';
  if (head.slice(4, 8) === 'ftyp') return 'HEIC/AVIF';
  if (head.startsWith('%PDF')) return 'PDF';
  if (/^\s*(<\?xml|<svg)/i.test(head)) return 'SVG';
  return undefined;
}
