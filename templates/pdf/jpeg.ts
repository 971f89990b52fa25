import { PdfAssetError } from './errors';
import { MAX_IMAGE_PIXELS, tooLarge } from './png';

export interface JpegInfo {
  width: number;
  height: number;
  components: 1 | 3 | 4;
  bitsPerComponent: number;
  /** Adobe's APP14 marker: CMYK data written by Photoshop is stored inverted. */
  adobe: boolean;
}

/** Start-of-frame markers PDF's DCTDecode can show: baseline, extended sequential and progressive Huffman. */
const SUPPORTED_SOF = new Set([0xc0, 0xc1, 0xc2]);
const OTHER_SOF = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Reads the size and colour components from the SOF marker; the JPEG data itself passes through untouched. */
export function readJpeg(bytes: Uint8Array, maxPixels = MAX_IMAGE_PIXELS): JpegInfo {
  const corrupt = (why: string) =>
    new PdfAssetError('ASSET_IMAGE_CORRUPT', `This JPEG image is damaged (${why}); export it again from your image editor.`);
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw corrupt('no start-of-image marker');
  let adobe = false;
  let i = 2;
  while (i < bytes.length) {
    if (bytes[i] !== 0xff) throw corrupt(`unexpected byte at offset ${i}`);
    const marker = bytes[i + 1];
    if (marker === undefined) break;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, or scan data before any frame header
    if (i + 4 > bytes.length) break;
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (length < 2 || i + 2 + length > bytes.length) throw corrupt('a segment runs past the end of the file');
    if (marker === 0xee && length >= 7 && String.fromCharCode(...bytes.subarray(i + 4, i + 9)) === 'Adobe') adobe = true;
    if (SUPPORTED_SOF.has(marker) || OTHER_SOF.has(marker)) {
      if (!SUPPORTED_SOF.has(marker)) {
        throw new PdfAssetError(
          'ASSET_IMAGE_UNSUPPORTED',
          'This JPEG uses lossless, hierarchical or arithmetic coding, which PDF cannot show; save it as a standard (baseline) JPEG.',
        );
      }
      if (length < 8) throw corrupt('the frame header is too short');
      const bitsPerComponent = bytes[i + 4]!;
      const height = (bytes[i + 5]! << 8) | bytes[i + 6]!;
      const width = (bytes[i + 7]! << 8) | bytes[i + 8]!;
      const components = bytes[i + 9]!;
      if (width === 0 || height === 0) throw corrupt('the image has no size');
      // Readers decode every pixel to show it: the same cap as PNG, although the bytes pass through.
      const huge = tooLarge('JPEG', width, height, maxPixels);
      if (huge) throw huge;
      if (components !== 1 && components !== 3 && components !== 4) {
        throw new PdfAssetError('ASSET_IMAGE_UNSUPPORTED', `This JPEG has ${components} colour channels; use RGB, greyscale or CMYK.`);
      }
      if (bitsPerComponent !== 8) {
        throw new PdfAssetError(
          'ASSET_IMAGE_UNSUPPORTED',
          `This JPEG uses ${bitsPerComponent}-bit samples; save it with 8 bits per channel.`,
        );
      }
      // Adobe APP14 may come after the frame header; keep looking only for it.
      for (let j = i + 2 + length; j + 9 < bytes.length && !adobe;) {
        if (bytes[j] !== 0xff) break;
        const m = bytes[j + 1]!;
        if (m === 0xda) break;
        const len = (bytes[j + 2]! << 8) | bytes[j + 3]!;
        if (m === 0xee && String.fromCharCode(...bytes.subarray(j + 4, j + 9)) === 'Adobe') adobe = true;
        j += 2 + len;
      }
      return { width, height, components, bitsPerComponent, adobe };
    }
    i += 2 + length;
  }
  throw corrupt('no frame header');
}
