import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { PdfAssetError } from './errors';

/** A PNG as PDF image data: colour samples (and alpha for an SMask), already Flate-encoded. */
export interface PngImage {
  width: number;
  height: number;
  colorSpace: string;
  bitsPerComponent: number;
  data: Uint8Array;
  /** PNG predictor parameters when the IDAT stream passes through unchanged. */
  decodeParms?: string;
  alpha?: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The largest image, in pixels, a certificate takes (PNG or JPEG): far beyond print quality for a page. */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** Deflate's best case is about 1032:1; declared pixel data beyond that cannot come from these bytes. */
const MAX_DEFLATE_RATIO = 1_100;

const INFLATE_SLACK = 4096;

const ADAM7: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** Exactly how many bytes the IDAT stream inflates to: one filter byte plus the packed samples per row. */
export function inflatedLength(width: number, height: number, channels: number, bitDepth: number, interlace: number): number {
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * channels * bitDepth) / 8)) : 0);
  if (interlace === 0) return rows(width, height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return total;
}

export function tooLarge(format: 'PNG' | 'JPEG', width: number, height: number, maxPixels = MAX_IMAGE_PIXELS): PdfAssetError | undefined {
  if (width * height <= maxPixels) return undefined;
  return new PdfAssetError(
    'ASSET_IMAGE_TOO_LARGE',
    `This ${format} is ${width}×${height} pixels; use an image of at most ${maxPixels / 1e6} megapixels here (a full page at 300 dpi is about 9).`,
  );
}

function sizeMismatch(why: string): PdfAssetError {
  return new PdfAssetError(
    'ASSET_IMAGE_SIZE_MISMATCH',
    `This PNG image's pixel data does not match its declared size (${why}); export it again from your image editor.`,
  );
}

/**
 * Inflates the IDAT stream into at most `expected` bytes: zlib stops the moment the output would grow past
 * it, so a stream that decompresses to gigabytes costs no more than the image it claims to be.
 */
function boundedInflate(compressed: Uint8Array, expected: number): Buffer {
  try {
    // A little slack: some encoders leave a few padding bytes after the last row, which readers ignore.
    return inflateSync(compressed, { maxOutputLength: expected + INFLATE_SLACK });
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw sizeMismatch('it decompresses to more than the image holds');
    throw corrupt('the pixel data does not decompress', cause);
  }
}

function corrupt(why: string, cause?: unknown): PdfAssetError {
  return new PdfAssetError('ASSET_IMAGE_CORRUPT', `This PNG image is damaged (${why}); export it again from your image editor.`, { cause });
}

export function isPng(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Opaque, non-interlaced PNGs keep their compressed IDAT data (PDF's Flate filter understands PNG row
 * predictors); anything with transparency or interlacing is decoded once and split into colour + SMask.
 */
export function readPng(bytes: Uint8Array, maxPixels = MAX_IMAGE_PIXELS): PngImage {
  if (!isPng(bytes)) throw corrupt('bad signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let ihdr: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  let palette: Uint8Array | undefined;
  let transparency = false;
  const idat: Uint8Array[] = [];
  let pos = 8;
  let ended = false;
  while (pos + 12 <= bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (pos + 12 + length > bytes.length) throw corrupt(`the ${type} chunk is cut short`);
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== view.getUint32(pos + 8 + length)) throw corrupt(`checksum of ${type} chunk`);
    if (type === 'IHDR') {
      if (length < 13) throw corrupt('short header');
      ihdr = {
        width: view.getUint32(pos + 8),
        height: view.getUint32(pos + 12),
        bitDepth: data[8]!,
        colorType: data[9]!,
        interlace: data[12]!,
      };
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = true;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    pos += 12 + length;
  }
  if (!ihdr) throw corrupt('no header');
  if (!ended || idat.length === 0) throw corrupt('no image data');
  const { width, height, bitDepth, colorType, interlace } = ihdr;
  const channels = CHANNELS[colorType];
  if (!channels || width === 0 || height === 0 || ![1, 2, 4, 8, 16].includes(bitDepth)) throw corrupt('invalid header');
  if (colorType === 3 && (!palette || palette.length % 3 !== 0)) throw corrupt('missing palette');
  const huge = tooLarge('PNG', width, height, maxPixels);
  if (huge) throw huge;

  const compressed = Buffer.concat(idat);
  const expected = inflatedLength(width, height, channels, bitDepth, interlace);
  // A few bytes cannot hold a huge image: refused before anything is inflated.
  if (expected > compressed.length * MAX_DEFLATE_RATIO + 1024) {
    throw sizeMismatch(`${compressed.length.toLocaleString('en')} bytes of data cannot hold ${width}×${height} pixels`);
  }
  // Inflated once here with the bound whatever the path, so the decoder below never meets a bomb.
  const raw = boundedInflate(compressed, expected);
  if (raw.length < expected) throw corrupt('the pixel data is shorter than the image');
  const passThrough = interlace === 0 && !transparency && (colorType === 0 || colorType === 2 || colorType === 3);
  if (passThrough) {
    const colors = colorType === 2 ? 3 : 1;
    const colorSpace =
      colorType === 3
        ? `[/Indexed /DeviceRGB ${palette!.length / 3 - 1} <${Buffer.from(palette!).toString('hex').toUpperCase()}>]`
        : colors === 3
          ? '/DeviceRGB'
          : '/DeviceGray';
    return {
      width,
      height,
      colorSpace,
      bitsPerComponent: bitDepth,
      data: compressed,
      decodeParms: `<< /Predictor 15 /Colors ${colors} /BitsPerComponent ${bitDepth} /Columns ${width} >>`,
    };
  }

  let decoded: PNG;
  try {
    decoded = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (cause) {
    throw corrupt('the pixel data cannot be decoded', cause);
  }
  const rgba = decoded.data;
  const grey = colorType === 0 || colorType === 4;
  const pixels = width * height;
  const color = Buffer.allocUnsafe(pixels * (grey ? 1 : 3));
  const alpha = Buffer.allocUnsafe(pixels);
  let opaque = true;
  for (let p = 0, c = 0; p < pixels; p++) {
    const o = p * 4;
    if (grey) color[c++] = rgba[o]!;
    else {
      color[c++] = rgba[o]!;
      color[c++] = rgba[o + 1]!;
      color[c++] = rgba[o + 2]!;
    }
    const a = rgba[o + 3]!;
    alpha[p] = a;
    if (a !== 255) opaque = false;
  }
  return {
    width,
    height,
    colorSpace: grey ? '/DeviceGray' : '/DeviceRGB',
    bitsPerComponent: 8,
    data: deflateSync(color),
    ...(opaque ? {} : { alpha: deflateSync(alpha) }),
  };
}
