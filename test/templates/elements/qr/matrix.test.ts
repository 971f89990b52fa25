import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../../templates/compile';
import { qrMatrix, type QrErrorCorrection } from '../../../../templates/elements/qr/matrix';
import { renderDocument } from '../../../../templates/render';
import { findPersona } from '../../../../variables/personas';
import { writeTemp } from '../../pdf/helpers';

/** A tiny deterministic PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Values that switch between numeric, alphanumeric, byte and multi-byte runs, short and long. */
function values(count: number, seed: number): string[] {
  const random = prng(seed);
  const alphabets = [
    '0123456789',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:',
    'abcdefghijklmnopqrstuvwxyz',
    'éàü€日本語漢字カタカナ',
    '-_/?=&#',
  ];
  const out: string[] = [];
  for (let t = 0; t < count; t++) {
    const length = 1 + Math.floor(random() ** 2 * (t % 40 === 0 ? 1500 : 220));
    let alphabet = alphabets[Math.floor(random() * alphabets.length)]!;
    let s = '';
    for (let i = 0; i < length; i++) {
      if (random() < 0.1) alphabet = alphabets[Math.floor(random() * alphabets.length)]!;
      s += alphabet[Math.floor(random() * alphabet.length)];
    }
    out.push(s);
  }
  return out;
}

const LEVELS: QrErrorCorrection[] = ['L', 'M', 'Q', 'H'];

describe('QR module matrix', () => {
  it("is qrcode's matrix, module for module, for every level and kind of value", () => {
    const cases = [
      'x',
      '0',
      'https://attest.example.org/v/BENCH-00000123',
      'HTTPS://ATTEST.EXAMPLE.ORG/V/ABC-123',
      '12345678901234567890',
      'Zoë Brontë — 2026',
      ...values(700, 7),
    ];
    let compared = 0;
    for (const [i, value] of cases.entries()) {
      const level = LEVELS[i % 4]!;
      let expected: Uint8Array | undefined;
      try {
        expected = QRCode.create(value, { errorCorrectionLevel: level }).modules.data;
      } catch {
        expected = undefined;
      }
      if (!expected) {
        expect(() => qrMatrix(value, level), value).toThrow();
        continue;
      }
      const mine = qrMatrix(value, level);
      expect(mine.size * mine.size).toBe(expected.length);
      expect(Buffer.from(mine.data).equals(Buffer.from(expected)), `${level} ${JSON.stringify(value).slice(0, 60)}`).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(600);
  });

  it('covers every version from 1 to 40', () => {
    const sizes = new Set<number>();
    for (let length = 1; length <= 2953; length = Math.ceil(length * 1.09) + 1) {
      const value = 'a'.repeat(length);
      const expected = QRCode.create(value, { errorCorrectionLevel: 'L' }).modules;
      const mine = qrMatrix(value, 'L');
      expect(Buffer.from(mine.data).equals(Buffer.from(expected.data)), `length ${length}`).toBe(true);
      sizes.add(mine.size);
    }
    expect(Math.max(...sizes)).toBe(177);
    expect(() => qrMatrix('a'.repeat(2954), 'L')).toThrow();
  });

  it('is drawn where the matrix says: every module centre of the rasterised page has the right colour', async () => {
    const value = 'https://attest.example.org/v/BENCH-00000123';
    const { template } = await compileTemplate(
      `---\nname: QR\npage: { size: 74mm 74mm, margin: 0 }\n---\n<page><qr x="0" y="0" size="74mm" margin="4" value="${value}"/></page>`,
      {},
    );
    const r = renderDocument(template!, findPersona('camille-martin')!.data);
    expect(r.diagnostics).toEqual([]);
    const pdf = r.pdf!;
    const matrix = qrMatrix(value, 'M');
    const n = matrix.size + 8;
    const pxPerModule = 8;
    const side = n * pxPerModule;
    const path = writeTemp(pdf, 'qr-raster.pdf');
    // 74 mm at `dpi` gives `side` pixels.
    const dpi = (side * 25.4) / 74;
    execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-singlefile', path, path.replace(/\.pdf$/, '')]);
    const pgm = readFileSync(path.replace(/\.pdf$/, '.pgm'));
    const { width, pixels } = parsePgm(pgm);
    expect(Math.abs(width - side)).toBeLessThanOrEqual(1);
    let wrong = 0;
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        const inCode = row >= 4 && col >= 4 && row < n - 4 && col < n - 4;
        const dark = inCode && matrix.data[(row - 4) * matrix.size + (col - 4)] === 1;
        const px = pixels[Math.floor((row + 0.5) * pxPerModule) * width + Math.floor((col + 0.5) * pxPerModule)]!;
        if (dark !== px < 128) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });
});

function parsePgm(bytes: Buffer): { width: number; height: number; pixels: Buffer } {
  // P5\n<width> <height>\n<max>\n<bytes>
  const header = bytes.subarray(0, 64).toString('latin1');
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!m) throw new Error('not a PGM');
  return { width: Number(m[1]), height: Number(m[2]), pixels: bytes.subarray(m[0].length) };
}
