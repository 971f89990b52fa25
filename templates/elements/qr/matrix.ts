import QRCode from 'qrcode';
import * as Segments from 'qrcode/lib/core/segments.js';
import * as Version from 'qrcode/lib/core/version.js';
import * as Mode from 'qrcode/lib/core/mode.js';
import BitBuffer from 'qrcode/lib/core/bit-buffer.js';
import * as ECLevel from 'qrcode/lib/core/error-correction-level.js';
import * as ECCode from 'qrcode/lib/core/error-correction-code.js';
import * as FormatInfo from 'qrcode/lib/core/format-info.js';
import * as Utils from 'qrcode/lib/core/utils.js';

/**
 * A QR code's module matrix, the same one `qrcode` 1.5.4's `QRCode.create(value, { errorCorrectionLevel })`
 * gives (test/templates/elements/qr/matrix.test.ts compares them over thousands of values), in about a
 * tenth of its time. Every certificate carries a QR code with its own verification URL, and `qrcode`
 * spent ≈ 0.4 ms of a ≈ 1.7 ms render on it: it rebuilds the function patterns and the Reed-Solomon
 * generator for every code, and its mask search calls a switch per module eight times over.
 *
 * What is reused from `qrcode`: the segmentation (its mode switching heuristic decides the bits, so it
 * must be the same code), the version choice and its tables. What is done here: per version, once, the
 * function patterns (taken from a `qrcode` symbol, so they are its own), the order data modules are filled
 * in and the eight masks; per code, the Reed-Solomon remainders with a cached generator, and the mask
 * penalties (`qrcode`'s rules, including its quirks, over flat arrays).
 */
export interface QrMatrix {
  size: number;
  /** Row-major, 1 = dark. */
  data: Uint8Array;
}

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export function qrMatrix(value: string, errorCorrection: QrErrorCorrection = 'M'): QrMatrix {
  if (value === '') throw new Error('No input text');
  const ecl = ECLevel.from(errorCorrection, ECLevel.M);
  // As qrcode's createSymbol: estimate the version from the raw split, optimise segments for it, then
  // take the smallest version that holds the optimised segments.
  const estimated = Version.getBestVersionForData(Segments.rawSplit(value), ecl);
  const segments = Segments.fromString(value, estimated || 40);
  const version = Version.getBestVersionForData(segments, ecl);
  if (!version) throw new Error('The amount of data is too big to be stored in a QR Code');

  const codewords = encodeCodewords(segments, version, ecl);
  const t = symbolTemplate(version);
  const unmasked = t.base.slice();
  const order = t.dataOrder;
  const bits = codewords.length * 8;
  for (let k = 0; k < order.length && k < bits; k++) unmasked[order[k]!] = (codewords[k >> 3]! >>> (7 - (k & 7))) & 1;

  // The penalty rules scan rows and columns: each mask's candidate is kept as bit rows (32 modules a word)
  // of the symbol and of its transpose, so the rules count with word operations instead of a branch per
  // module, which random data makes unpredictable.
  const size = t.size;
  const rw = t.rowWords;
  const packed = new Uint32Array(size * rw);
  const packedT = new Uint32Array(size * rw);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const bit = unmasked[r * size + c]!;
      packed[r * rw + (c >> 5)] = packed[r * rw + (c >> 5)]! | (bit << (c & 31));
      packedT[c * rw + (r >> 5)] = packedT[c * rw + (r >> 5)]! | (bit << (r & 31));
    }
  }
  const rows = new Uint32Array(size * rw);
  const rowsT = new Uint32Array(size * rw);
  let best = 0;
  let lowest = Infinity;
  for (let p = 0; p < 8; p++) {
    const mask = t.packedMasks[p]!;
    const maskT = t.packedMasksT[p]!;
    for (let i = 0; i < rows.length; i++) {
      rows[i] = packed[i]! ^ mask[i]!;
      rowsT[i] = packedT[i]! ^ maskT[i]!;
    }
    const format = FormatInfo.getEncodedBits(ecl, p);
    const fw = t.formatWords;
    const fwT = t.formatWordsT;
    const fb = t.formatBits;
    const fbT = t.formatBitsT;
    for (let i = 0; i < 31; i++) {
      // Bits 0..14 twice (vertical, horizontal), then the always-dark module.
      const on = i === 30 || ((format >> (i % 15)) & 1) === 1;
      const w = fw[i]!;
      const wT = fwT[i]!;
      rows[w] = on ? rows[w]! | fb[i]! : rows[w]! & ~fb[i]!;
      rowsT[wT] = on ? rowsT[wT]! | fbT[i]! : rowsT[wT]! & ~fbT[i]!;
    }
    const score = penalty(rows, rowsT, size, rw, lowest);
    if (score < lowest) {
      lowest = score;
      best = p;
    }
  }
  const n = size * size;
  const out = new Uint8Array(n);
  const mask = t.masks[best]!;
  for (let i = 0; i < n; i++) out[i] = unmasked[i]! ^ mask[i]!;
  const format = FormatInfo.getEncodedBits(ecl, best);
  for (let i = 0; i < 15; i++) {
    const bit = (format >> i) & 1;
    out[t.formatVertical[i]!] = bit;
    out[t.formatHorizontal[i]!] = bit;
  }
  out[t.darkModule] = 1;
  return { size, data: out };
}

interface SymbolTemplate {
  size: number;
  /** Function patterns (finders, separators, timing, alignment, version info); 0 elsewhere. */
  base: Uint8Array;
  /** Matrix indexes of the data modules in the order qrcode's setupData fills them. */
  dataOrder: Int32Array;
  /** Per mask pattern: 1 where it flips a data module. */
  masks: Uint8Array[];
  /** Words per bit row: enough for `size` modules plus a zero word, so a 32-module window never reads past. */
  rowWords: number;
  /** The masks as bit rows (bit c of word c>>5 is column c), and transposed. */
  packedMasks: Uint32Array[];
  packedMasksT: Uint32Array[];
  /** The 31 format modules (15 bits twice, then the dark module) as word index and bit, and transposed. */
  formatWords: Int32Array;
  formatBits: Int32Array;
  formatWordsT: Int32Array;
  formatBitsT: Int32Array;
  /** Where each of the 15 format bits goes (twice), and the always-dark module. */
  formatVertical: Int32Array;
  formatHorizontal: Int32Array;
  darkModule: number;
}

/** At most 40 versions, each a few KB: bounded by the standard. */
const templates = new Map<number, SymbolTemplate>();

function symbolTemplate(version: number): SymbolTemplate {
  let t = templates.get(version);
  if (t) return t;
  // A symbol of this version from qrcode itself gives the function patterns and which modules they reserve.
  const sample = QRCode.create('1', { version, maskPattern: 0, errorCorrectionLevel: 'L' }).modules as unknown as {
    size: number;
    data: Uint8Array;
    reservedBit: Uint8Array;
  };
  const size = sample.size;
  const reserved = sample.reservedBit;
  const base = new Uint8Array(size * size);
  for (let i = 0; i < base.length; i++) if (reserved[i]) base[i] = sample.data[i]!;

  const order: number[] = [];
  let inc = -1;
  let row = size - 1;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col--;
    for (;;) {
      for (let c = 0; c < 2; c++) if (!reserved[row * size + col - c]) order.push(row * size + col - c);
      row += inc;
      if (row < 0 || size <= row) {
        row -= inc;
        inc = -inc;
        break;
      }
    }
  }

  const rowWords = (size >> 5) + 2;
  const masks: Uint8Array[] = [];
  const packedMasks: Uint32Array[] = [];
  const packedMasksT: Uint32Array[] = [];
  for (let p = 0; p < 8; p++) {
    const m = new Uint8Array(size * size);
    const pm = new Uint32Array(size * rowWords);
    const pmT = new Uint32Array(size * rowWords);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        if (reserved[i * size + j] || !maskAt(p, i, j)) continue;
        m[i * size + j] = 1;
        pm[i * rowWords + (j >> 5)] = pm[i * rowWords + (j >> 5)]! | (1 << (j & 31));
        pmT[j * rowWords + (i >> 5)] = pmT[j * rowWords + (i >> 5)]! | (1 << (i & 31));
      }
    }
    masks.push(m);
    packedMasks.push(pm);
    packedMasksT.push(pmT);
  }
  const formatVertical = new Int32Array(15);
  const formatHorizontal = new Int32Array(15);
  for (let i = 0; i < 15; i++) {
    formatVertical[i] = (i < 6 ? i : i < 8 ? i + 1 : size - 15 + i) * size + 8;
    formatHorizontal[i] = 8 * size + (i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1);
  }
  const darkModule = (size - 8) * size + 8;
  const formatModules = [...formatVertical, ...formatHorizontal, darkModule];
  const formatWords = new Int32Array(31);
  const formatBits = new Int32Array(31);
  const formatWordsT = new Int32Array(31);
  const formatBitsT = new Int32Array(31);
  formatModules.forEach((index, i) => {
    const r = Math.floor(index / size);
    const c = index % size;
    formatWords[i] = r * rowWords + (c >> 5);
    formatBits[i] = 1 << (c & 31);
    formatWordsT[i] = c * rowWords + (r >> 5);
    formatBitsT[i] = 1 << (r & 31);
  });
  t = {
    size,
    base,
    dataOrder: Int32Array.from(order),
    masks,
    rowWords,
    packedMasks,
    packedMasksT,
    formatVertical,
    formatHorizontal,
    darkModule,
    formatWords,
    formatBits,
    formatWordsT,
    formatBitsT,
  };
  templates.set(version, t);
  return t;
}

function maskAt(p: number, i: number, j: number): boolean {
  switch (p) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
  }
}

/**
 * qrcode's four penalty rules (mask-pattern.js), with its weights and its way of counting, over bit rows
 * (`rows` the symbol, `rowsT` its transpose): runs of five or more (N1: 3 + the excess, per run) and the
 * 1:1:3:1:1 finder-like pattern with four light modules on one side (N3: 40 each; qrcode counts only
 * windows wholly inside the row) along rows and columns, 2×2 blocks of one colour (N2: 3 each) and the
 * share of dark modules (N4: 10 per 5 % away from half).
 *
 * Each row is read in windows of 32 modules starting every 16 columns; a window counts the matches that
 * start in its first 16 columns (the widest pattern is 11 modules, so they lie wholly inside it).
 */
function penalty(rows: Uint32Array, rowsT: Uint32Array, size: number, rw: number, limit: number): number {
  // Every rule only adds, so once the sum reaches the best mask's score this mask cannot win (qrcode keeps
  // the first of equal scores): the rest is not counted.
  let dark = 0;
  for (let i = 0; i < rows.length; i++) dark += popcount(rows[i]!);
  let score = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10) * 10;
  for (let pass = 0; pass < 2; pass++) {
    if (score >= limit) return score;
    const m = pass === 0 ? rows : rowsT;
    let n1 = 0;
    let n3 = 0;
    for (let r = 0; r < size; r++) {
      const base = r * rw;
      for (let p = 0; p < size; p += 16) {
        const w = window(m, base, p);
        // The module before the window: a run starting at column 0 counts as starting.
        const before = p === 0 ? ~w & 1 : (m[base + ((p - 1) >> 5)]! >>> ((p - 1) & 31)) & 1;
        const starts = w ^ ((w << 1) | before);
        const eq = ~(w ^ (w >>> 1));
        const five = eq & (eq >>> 1) & (eq >>> 2) & (eq >>> 3) & validStarts(size - 5 - p + 1);
        n1 += popcount(five) + 2 * popcount(five & starts);
        const valid11 = validStarts(size - 11 - p + 1);
        if (valid11) {
          // 0x5D0: dark light dark dark dark light dark, then four light; 0x05D: the same reversed.
          const x = w;
          const nx = ~w;
          const a =
            x &
            (nx >>> 1) &
            (x >>> 2) &
            (x >>> 3) &
            (x >>> 4) &
            (nx >>> 5) &
            (x >>> 6) &
            (nx >>> 7) &
            (nx >>> 8) &
            (nx >>> 9) &
            (nx >>> 10);
          const b =
            nx &
            (nx >>> 1) &
            (nx >>> 2) &
            (nx >>> 3) &
            (x >>> 4) &
            (nx >>> 5) &
            (x >>> 6) &
            (x >>> 7) &
            (x >>> 8) &
            (nx >>> 9) &
            (x >>> 10);
          n3 += popcount(a & valid11) + popcount(b & valid11);
        }
      }
    }
    score += n1 + n3 * 40;
  }
  if (score >= limit) return score;
  let n2 = 0;
  for (let r = 0; r < size - 1; r++) {
    for (let p = 0; p < size; p += 16) {
      const a = window(rows, r * rw, p);
      const b = window(rows, (r + 1) * rw, p);
      n2 += popcount(~(a ^ (a >>> 1)) & ~(a ^ b) & ~(b ^ (b >>> 1)) & validStarts(size - 2 - p + 1));
    }
  }
  return score + n2 * 3;
}

/** 32 modules of a bit row from column p (p a multiple of 16); columns past the row's end read as light. */
function window(m: Uint32Array, base: number, p: number): number {
  const j = base + (p >> 5);
  return p & 16 ? (m[j]! >>> 16) | (m[j + 1]! << 16) : m[j]!;
}

/** Bits for the first `count` starts of a window, at most 16. */
function validStarts(count: number): number {
  return count <= 0 ? 0 : count >= 16 ? 0xffff : (1 << count) - 1;
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Data bits as qrcode's createData lays them out, then its block split and interleaving with EC codewords. */
function encodeCodewords(segments: ReturnType<typeof Segments.fromString>, version: number, ecl: { bit: number }): Uint8Array {
  const buffer = new BitBuffer();
  for (const s of segments) {
    buffer.put(s.mode.bit, 4);
    buffer.put(s.getLength(), Mode.getCharCountIndicator(s.mode, version));
    s.write(buffer);
  }
  const total = Utils.getSymbolTotalCodewords(version);
  const ecTotal = ECCode.getTotalCodewordsCount(version, ecl);
  const dataBits = (total - ecTotal) * 8;
  if (buffer.getLengthInBits() + 4 <= dataBits) buffer.put(0, 4);
  while (buffer.getLengthInBits() % 8 !== 0) buffer.putBit(0);
  const pad = (dataBits - buffer.getLengthInBits()) / 8;
  for (let i = 0; i < pad; i++) buffer.put(i % 2 ? 0x11 : 0xec, 8);

  const blocks = ECCode.getBlocksCount(version, ecl);
  const group2 = total % blocks;
  const group1 = blocks - group2;
  const dataTotal = total - ecTotal;
  const data1 = Math.floor(dataTotal / blocks);
  const ecCount = Math.floor(total / blocks) - data1;
  const generator = generatorPolynomial(ecCount);
  const bytes = buffer.buffer;
  const out = new Uint8Array(total);
  const ec = new Uint8Array(blocks * ecCount);
  let offset = 0;
  let maxData = 0;
  const starts: number[] = [];
  const sizes: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const size = b < group1 ? data1 : data1 + 1;
    starts.push(offset);
    sizes.push(size);
    remainder(bytes, offset, size, generator, ec, b * ecCount);
    offset += size;
    if (size > maxData) maxData = size;
  }
  let index = 0;
  for (let i = 0; i < maxData; i++) for (let b = 0; b < blocks; b++) if (i < sizes[b]!) out[index++] = bytes[starts[b]! + i]!;
  for (let i = 0; i < ecCount; i++) for (let b = 0; b < blocks; b++) out[index++] = ec[b * ecCount + i]!;
  return out;
}

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}
const gfMul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);

/** Generator polynomials by degree (at most 30 in the standard's tables). */
const generators = new Map<number, Uint8Array>();

function generatorPolynomial(degree: number): Uint8Array {
  const cached = generators.get(degree);
  if (cached) return cached;
  let g: Uint8Array = new Uint8Array([1]);
  for (let i = 0; i < degree; i++) {
    const next = new Uint8Array(g.length + 1);
    for (let j = 0; j < g.length; j++) {
      next[j] = next[j]! ^ g[j]!;
      next[j + 1] = next[j + 1]! ^ gfMul(g[j]!, EXP[i]!);
    }
    g = next;
  }
  generators.set(degree, g);
  return g;
}

/** The remainder of data·x^degree divided by the generator (what qrcode's Polynomial.mod computes). */
function remainder(data: readonly number[], start: number, length: number, g: Uint8Array, out: Uint8Array, at: number): void {
  const degree = g.length - 1;
  const r = new Uint8Array(degree);
  for (let i = 0; i < length; i++) {
    const factor = (data[start + i] ?? 0) ^ r[0]!;
    r.copyWithin(0, 1);
    r[degree - 1] = 0;
    if (factor !== 0) for (let j = 0; j < degree; j++) r[j] = r[j]! ^ gfMul(g[j + 1]!, factor);
  }
  out.set(r, at);
}
