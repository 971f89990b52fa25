/**
 * The sRGB ICC profile a PDF/A document's output intent carries (templates/pdf/archival.ts).
 *
 * Built here rather than shipped as a file: nothing on npm that we depend on carries one under a licence
 * that says it may be redistributed, and an sRGB matrix/TRC profile is small and fully defined by public
 * numbers — IEC 61966-2-1's primaries, D65 white point and transfer curve — so the bytes are a function of
 * those numbers and the same in every build. It is a version 2.1 display-class ('mntr') RGB → XYZ profile,
 * the kind PDF/A-1 to -3 accept as a DestOutputProfile and every reader understands (v4 'para' curves are
 * not in v2; a 1024-entry 'curv' sampling the exact sRGB curve stands in, as HP's own sRGB profile does).
 */

/** CIE xy chromaticities of IEC 61966-2-1 (sRGB): red, green, blue, and the D65 white point. */
const PRIMARIES = { r: [0.64, 0.33], g: [0.3, 0.6], b: [0.15, 0.06] } as const;
const D65: readonly [number, number] = [0.3127, 0.329];
/** The profile connection space's illuminant (ICC.1: D50 as the header states it). */
const D50_XYZ: readonly [number, number, number] = [0.9642, 1.0, 0.8249];

type Vec3 = [number, number, number];
type Mat3 = [Vec3, Vec3, Vec3];

const xyToXYZ = ([x, y]: readonly [number, number]): Vec3 => [x / y, 1, (1 - x - y) / y];

function mul(m: Mat3, v: Vec3): Vec3 {
  return [0, 1, 2].map((i) => m[i]![0] * v[0] + m[i]![1] * v[1] + m[i]![2] * v[2]) as Vec3;
}
function mulM(a: Mat3, b: Mat3): Mat3 {
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => a[i]![0] * b[0][j]! + a[i]![1] * b[1][j]! + a[i]![2] * b[2][j]!)) as Mat3;
}
function inverse(m: Mat3): Mat3 {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

/** Bradford cone response matrix: the chromatic adaptation ICC.1 Annex E recommends. */
const BRADFORD: Mat3 = [
  [0.8951, 0.2664, -0.1614],
  [-0.7502, 1.7135, 0.0367],
  [0.0389, -0.0685, 1.0296],
];

/**
 * The red, green and blue colorants as XYZ under D50 (the rXYZ/gXYZ/bXYZ tags): sRGB's RGB → XYZ matrix
 * from its primaries and white, adapted from D65 to D50 with Bradford. Columns are the colorants.
 */
export function srgbColorantsD50(): { r: Vec3; g: Vec3; b: Vec3 } {
  const [r, g, b] = [xyToXYZ(PRIMARIES.r), xyToXYZ(PRIMARIES.g), xyToXYZ(PRIMARIES.b)];
  const p: Mat3 = [
    [r[0], g[0], b[0]],
    [r[1], g[1], b[1]],
    [r[2], g[2], b[2]],
  ];
  const s = mul(inverse(p), xyToXYZ(D65));
  const rgbToXyz: Mat3 = [0, 1, 2].map((i) => [p[i]![0] * s[0], p[i]![1] * s[1], p[i]![2] * s[2]]) as Mat3;
  const src = mul(BRADFORD, xyToXYZ(D65));
  const dst = mul(BRADFORD, [...D50_XYZ]);
  const scale: Mat3 = [
    [dst[0] / src[0], 0, 0],
    [0, dst[1] / src[1], 0],
    [0, 0, dst[2] / src[2]],
  ];
  const adapted = mulM(mulM(mulM(inverse(BRADFORD), scale), BRADFORD), rgbToXyz);
  const col = (j: number): Vec3 => [adapted[0][j]!, adapted[1][j]!, adapted[2][j]!];
  return { r: col(0), g: col(1), b: col(2) };
}

/** IEC 61966-2-1's decoding curve: encoded value 0..1 → linear light 0..1. */
export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

const TRC_ENTRIES = 1024;

class Bytes {
  private readonly parts: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.parts.push(b);
    this.length += b.length;
  }
  pad4(): void {
    if (this.length % 4) this.push(Buffer.alloc(4 - (this.length % 4)));
  }
  concat(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
/** s15Fixed16Number (ICC.1 §4.6). */
const s15 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(Math.round(n * 65536));
  return b;
};
const sig = (s: string) => Buffer.from(s, 'latin1');

function xyzTag(v: readonly number[]): Buffer {
  return Buffer.concat([sig('XYZ '), u32(0), s15(v[0]!), s15(v[1]!), s15(v[2]!)]);
}

function textTag(text: string): Buffer {
  return Buffer.concat([sig('text'), u32(0), Buffer.from(text + '\0', 'latin1')]);
}

/** textDescriptionType (ICC.1:2001 §6.5.17): ASCII, then empty Unicode and ScriptCode parts. */
function descTag(text: string): Buffer {
  const ascii = Buffer.from(text + '\0', 'latin1');
  const scriptcode = Buffer.alloc(2 + 1 + 67);
  return Buffer.concat([sig('desc'), u32(0), u32(ascii.length), ascii, u32(0), u32(0), scriptcode]);
}

function curveTag(): Buffer {
  const b = Buffer.alloc(12 + TRC_ENTRIES * 2);
  b.write('curv', 0, 'latin1');
  b.writeUInt32BE(TRC_ENTRIES, 8);
  for (let i = 0; i < TRC_ENTRIES; i++) b.writeUInt16BE(Math.round(srgbToLinear(i / (TRC_ENTRIES - 1)) * 65535), 12 + i * 2);
  return b;
}

export const SRGB_PROFILE_DESCRIPTION = 'sRGB IEC61966-2.1';

let built: Uint8Array | undefined;

/** The profile's bytes: deterministic, built once per process. */
export function srgbIccProfile(): Uint8Array {
  if (built) return built;
  const { r, g, b } = srgbColorantsD50();
  const trc = curveTag();
  const tags: [string, Buffer][] = [
    ['desc', descTag(SRGB_PROFILE_DESCRIPTION)],
    ['cprt', textTag('No copyright: built by Attest from the public IEC 61966-2-1 parameters')],
    // v2 convention (as HP's and Microsoft's sRGB profiles): the media white point is the display's, D65.
    ['wtpt', xyzTag(xyToXYZ(D65))],
    ['rXYZ', xyzTag(r)],
    ['gXYZ', xyzTag(g)],
    ['bXYZ', xyzTag(b)],
    ['rTRC', trc],
    ['gTRC', trc],
    ['bTRC', trc],
  ];
  const tableSize = 4 + tags.length * 12;
  const data = new Bytes();
  const entries: Buffer[] = [];
  const placed = new Map<Buffer, number>();
  for (const [name, body] of tags) {
    let offset = placed.get(body);
    if (offset === undefined) {
      data.pad4();
      offset = 128 + tableSize + data.length;
      placed.set(body, offset);
      data.push(body);
    }
    entries.push(Buffer.concat([sig(name), u32(offset), u32(body.length)]));
  }
  data.pad4();
  const size = 128 + tableSize + data.length;
  const header = Buffer.alloc(128);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(0x02100000, 8); // version 2.1.0
  header.write('mntr', 12, 'latin1');
  header.write('RGB ', 16, 'latin1');
  header.write('XYZ ', 20, 'latin1');
  // Creation date: fixed (IEC 61966-2-1 was published 1999-10-18), so the bytes never depend on a clock.
  [1999, 10, 18, 0, 0, 0].forEach((v, i) => header.writeUInt16BE(v, 24 + i * 2));
  header.write('acsp', 36, 'latin1');
  header.writeUInt32BE(0, 64); // rendering intent: perceptual
  s15(D50_XYZ[0]).copy(header, 68);
  s15(D50_XYZ[1]).copy(header, 72);
  s15(D50_XYZ[2]).copy(header, 76);
  built = new Uint8Array(Buffer.concat([header, u32(tags.length), ...entries, data.concat()]));
  return built;
}
