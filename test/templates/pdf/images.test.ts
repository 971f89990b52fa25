import * as zlib from 'node:zlib';
import { readFileSync } from 'node:fs';
import { PNG, type PNGOptions } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { PdfAssetError, PdfDocument, PreparedImage } from '../../../templates/pdf/index';
import { handmadeJpeg, pdfimages, qpdfCheck, run, writeTemp } from './helpers';
import { cpuMillis } from '../../support/cpu';

function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
  options: PNGOptions = {},
): Uint8Array {
  const image = new PNG({ width, height, ...options });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = pixel(x, y);
      image.data.set([r, g, b, a], (y * width + x) * 4);
    }
  return PNG.sync.write(image, options);
}

/** The typed error an image is refused with, or undefined when it is accepted. */
function refusal(bytes: Uint8Array): { code: string; message: string } | undefined {
  try {
    PreparedImage.fromBytes(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(PdfAssetError);
    const d = (e as PdfAssetError).diagnostics[0]!;
    expect(d.stage).toBe('asset');
    return { code: (e as PdfAssetError).code, message: d.message };
  }
  return undefined;
}

function place(...images: PreparedImage[]): string {
  const doc = new PdfDocument({ documentId: 'images' });
  const page = doc.addPage(400, 400);
  images.forEach((img, i) => page.content.drawImage(img, 10 + i * 40, 10, 30, 30));
  const path = writeTemp(doc.save());
  expect(qpdfCheck(path)).toContain('No syntax or stream encoding errors');
  return path;
}

/** Renders the page with poppler and returns its complaints (empty when every image decodes). */
function renderErrors(path: string): string {
  try {
    run('pdftoppm', ['-r', '20', '-png', path, path + '.render']);
    return '';
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
}

describe('PreparedImage', () => {
  it('passes JPEGs through as DCTDecode with size and colour space from the SOF marker', () => {
    const photo = PreparedImage.fromBytes(readFileSync(new URL('./fixtures/python.jpg', import.meta.url)));
    const grey = PreparedImage.fromBytes(handmadeJpeg(9, 5, 1));
    const cmyk = PreparedImage.fromBytes(handmadeJpeg(24, 16, 4));
    expect([photo.width, photo.height]).toEqual([16, 16]);
    const path = place(photo, grey, cmyk);
    const rows = pdfimages(path);
    expect(rows.map((r) => [r.width, r.height, r.color, r.enc])).toEqual([
      [16, 16, 'rgb', 'jpeg'],
      [9, 5, 'gray', 'jpeg'],
      [24, 16, 'cmyk', 'jpeg'],
    ]);
    expect(Buffer.from(readFileSync(path)).toString('latin1')).toContain(
      '/ColorSpace /DeviceCMYK /BitsPerComponent 8 /Decode [1 0 1 0 1 0 1 0]',
    );
    expect(renderErrors(path)).toBe('');
  });

  it('passes opaque PNGs through (RGB, grey, palette, 16-bit) and gives a PNG with alpha an SMask', () => {
    const rgb = PreparedImage.fromBytes(png(20, 10, (x) => [x * 10, 100, 200, 255]));
    const grey = PreparedImage.fromBytes(png(7, 3, (x) => [x * 30, x * 30, x * 30, 255], { colorType: 0 }));
    const deep = PreparedImage.fromBytes(png(5, 4, (x, y) => [x * 50, y * 60, 9, 255], { colorType: 2, bitDepth: 16 }));
    const alpha = PreparedImage.fromBytes(png(12, 8, (x) => [255, 0, 0, x * 20]));
    const path = place(rgb, grey, deep, alpha);
    const rows = pdfimages(path);
    expect(rows.map((r) => [r.type, r.width, r.height, r.color, r.bpc])).toEqual([
      ['image', 20, 10, 'rgb', 8],
      ['image', 7, 3, 'gray', 8],
      ['image', 5, 4, 'rgb', 16],
      ['image', 12, 8, 'rgb', 8],
      ['smask', 12, 8, 'gray', 8],
    ]);
    expect(renderErrors(path)).toBe('');
  });

  it('draws PNG pixels as they are: the passed-through and decoded paths give the colours of the file', () => {
    const rgb = PreparedImage.fromBytes(png(4, 4, () => [200, 30, 60, 255]));
    const doc = new PdfDocument({ documentId: 'pixels' });
    doc.addPage(4, 4).content.drawImage(rgb, 0, 0, 4, 4);
    const path = writeTemp(doc.save());
    run('pdftoppm', ['-r', '72', '-png', '-singlefile', path, path]);
    const out = PNG.sync.read(readFileSync(path + '.png'));
    expect([...out.data.subarray(0, 3)]).toEqual([200, 30, 60]);
  });

  it('handles palette PNGs and palettes with transparency', () => {
    // pngjs cannot write palettes: build one by hand (2×2, 2 colours, 8-bit indexes).
    const indexed = (withTrns: boolean) =>
      handmadePng({
        width: 2,
        height: 2,
        colorType: 3,
        plte: [255, 0, 0, 0, 0, 255],
        ...(withTrns ? { trns: [0, 255] } : {}),
        raw: [0, 0, 1, 0, 1, 0],
      });
    const path = place(PreparedImage.fromBytes(indexed(false)), PreparedImage.fromBytes(indexed(true)));
    expect(pdfimages(path).map((r) => [r.type, r.color])).toEqual([
      ['image', 'index'],
      ['image', 'rgb'],
      ['smask', 'gray'],
    ]);
    expect(renderErrors(path)).toBe('');
  });

  it('decodes interlaced PNGs instead of passing them through, pixels in the right places', () => {
    // Adam7 on 2×2: pass 1 is pixel (0,0), pass 6 pixel (1,0), pass 7 the whole second row.
    const red = [255, 0, 0],
      green = [0, 255, 0],
      blue = [0, 0, 255],
      white = [255, 255, 255];
    const image = PreparedImage.fromBytes(
      handmadePng({ width: 2, height: 2, colorType: 2, interlace: 1, raw: [0, ...red, 0, ...green, 0, ...blue, ...white] }),
    );
    const doc = new PdfDocument({ documentId: 'adam7' });
    doc.addPage(40, 40).content.drawImage(image, 0, 0, 40, 40);
    const path = writeTemp(doc.save());
    qpdfCheck(path);
    run('pdftoppm', ['-r', '72', '-png', '-singlefile', path, path]);
    const out = PNG.sync.read(readFileSync(path + '.png'));
    const at = (x: number, y: number) => [...out.data.subarray((y * 40 + x) * 4, (y * 40 + x) * 4 + 3)];
    expect([at(8, 8), at(30, 8), at(8, 30), at(30, 30)]).toEqual([red, green, blue, white]);
  });

  it('refuses unsupported and damaged files with typed errors', () => {
    const error = (bytes: Uint8Array) => {
      const r = refusal(bytes);
      if (!r) throw new Error('expected an error');
      return r;
    };
    expect(error(Buffer.from('GIF89a......'))).toMatchObject({ code: 'ASSET_IMAGE_UNSUPPORTED', message: expect.stringContaining('GIF') });
    expect(error(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toMatchObject({
      code: 'ASSET_IMAGE_UNSUPPORTED',
      message: expect.stringContaining('WebP'),
    });
    expect(error(Buffer.from('hello'))).toMatchObject({ code: 'ASSET_IMAGE_UNSUPPORTED' });
    expect(error(new Uint8Array())).toMatchObject({ code: 'ASSET_IMAGE_UNSUPPORTED' });

    const good = png(6, 6, () => [1, 2, 3, 255]);
    expect(error(good.subarray(0, 40))).toMatchObject({ code: 'ASSET_IMAGE_CORRUPT' });
    const flipped = Buffer.from(good);
    flipped[flipped.length - 20] = flipped[flipped.length - 20]! ^ 0xff; // inside IDAT: the CRC no longer matches
    expect(error(flipped)).toMatchObject({ code: 'ASSET_IMAGE_CORRUPT' });

    const jpeg = handmadeJpeg(8, 8, 3);
    expect(error(jpeg.subarray(0, 30))).toMatchObject({ code: 'ASSET_IMAGE_CORRUPT' });
    const lossless = Buffer.from(jpeg);
    lossless[lossless.indexOf(Buffer.from([0xff, 0xc0])) + 1] = 0xc3;
    expect(error(lossless)).toMatchObject({ code: 'ASSET_IMAGE_UNSUPPORTED' });

    // Random bytes behind valid signatures never escape as anything but a typed error.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let i = 0; i < 200; i++) {
      const head = i % 2 ? [0xff, 0xd8, 0xff] : [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
      const bytes = Uint8Array.from([...head, ...Array.from({ length: 64 + (i % 50) }, random)]);
      expect(['ASSET_IMAGE_CORRUPT', 'ASSET_IMAGE_UNSUPPORTED']).toContain(error(bytes).code);
    }
  });
});

describe('what an image may cost to decode', () => {
  it('stops inflating a PNG the moment its data outgrows the declared size (a decompression bomb)', () => {
    // 2000×2000 RGB is 12 MB of rows; the stream holds 64 MB of zeros (63 KB compressed).
    const bomb = zlib.deflateSync(Buffer.alloc(64_000_000), { level: 9 });
    for (const [colorType, trns] of [
      [2, undefined],
      [6, undefined],
      [2, [0, 0, 0, 0, 0, 0]],
    ] as const) {
      const bytes = handmadePng({ width: 2000, height: 2000, colorType, raw: [], idat: bomb, ...(trns ? { trns: [...trns] } : {}) });
      const started = cpuMillis();
      expect(refusal(bytes), `colour type ${colorType}`).toMatchObject({
        code: 'ASSET_IMAGE_SIZE_MISMATCH',
        message: expect.stringContaining('more than the image holds'),
      });
      expect(cpuMillis() - started).toBeLessThan(3_000);
    }
    // Interlaced: the bound is the sum of the seven passes, exactly; one byte more is refused.
    const w = 5;
    const h = 3;
    const passes = [
      [0, 0, 8, 8],
      [4, 0, 8, 8],
      [0, 4, 4, 8],
      [2, 0, 4, 4],
      [0, 2, 2, 4],
      [1, 0, 2, 2],
      [0, 1, 1, 2],
    ];
    const raw: number[] = [];
    for (const [x0, y0, dx, dy] of passes) {
      const pw = Math.ceil((w - x0!) / dx!);
      const ph = Math.ceil((h - y0!) / dy!);
      if (pw > 0 && ph > 0) for (let y = 0; y < ph; y++) raw.push(0, ...new Array<number>(pw * 3).fill(200));
    }
    expect(refusal(handmadePng({ width: w, height: h, colorType: 2, interlace: 1, raw }))).toBeUndefined();
    const extra = [...raw, ...new Array<number>(5000).fill(0)];
    expect(refusal(handmadePng({ width: w, height: h, colorType: 2, interlace: 1, raw: extra }))?.code).toBe('ASSET_IMAGE_SIZE_MISMATCH');
  });

  it('refuses a tiny PNG that declares a huge image before inflating anything', () => {
    // Not even valid zlib: had it been inflated, the answer would be "damaged".
    const bytes = handmadePng({ width: 7000, height: 7000, colorType: 6, raw: [], idat: Buffer.alloc(200, 0x55) });
    expect(refusal(bytes)).toMatchObject({
      code: 'ASSET_IMAGE_SIZE_MISMATCH',
      message: expect.stringContaining('cannot hold 7000×7000 pixels'),
    });
  });

  it('caps PNG and JPEG at the same number of pixels', () => {
    expect(
      refusal(handmadePng({ width: 8000, height: 8000, colorType: 2, raw: [], idat: zlib.deflateSync(Buffer.alloc(10)) })),
    ).toMatchObject({ code: 'ASSET_IMAGE_TOO_LARGE', message: expect.stringContaining('8000×8000') });
    expect(refusal(handmadeJpeg(10_000, 6_000, 1))).toMatchObject({
      code: 'ASSET_IMAGE_TOO_LARGE',
      message: expect.stringContaining('JPEG is 10000×6000'),
    });
    expect(refusal(handmadeJpeg(7_000, 7_000, 1))).toBeUndefined();
  });
});

/** A PNG written chunk by chunk, for the kinds pngjs cannot write (palettes, interlacing). */
function handmadePng(o: {
  width: number;
  height: number;
  colorType: number;
  interlace?: number;
  plte?: number[];
  trns?: number[];
  raw: number[];
  idat?: Buffer;
}): Buffer {
  const chunks: Buffer[] = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    chunks.push(len, body, crc);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.width, 0);
  ihdr.writeUInt32BE(o.height, 4);
  ihdr.set([8, o.colorType, 0, 0, o.interlace ?? 0], 8);
  chunk('IHDR', ihdr);
  if (o.plte) chunk('PLTE', Buffer.from(o.plte));
  if (o.trns) chunk('tRNS', Buffer.from(o.trns));
  chunk('IDAT', o.idat ?? zlib.deflateSync(Buffer.from(o.raw)));
  chunk('IEND', Buffer.alloc(0));
  return Buffer.concat(chunks);
}
