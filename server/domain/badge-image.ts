import { PNG } from 'pngjs';
import { crc32 } from 'node:zlib';

/**
 * The badge image a credential is baked into (Open Badges 3.0, "Baking"): a PNG drawn from the tenant's
 * colour and logo, the credential's JSON in an iTXt chunk with the keyword `openbadgecredential`. Drawn
 * here, pixel by pixel, so the same brand gives the same bytes (no clock, no font rasteriser, pngjs's
 * deflate at a fixed level); a badge is small, so it costs little to draw again.
 */
export const BADGE_KEYWORD = 'openbadgecredential';

export interface BadgeLook {
  /** #rrggbb; the default accent when absent. */
  colour?: string;
  /** A data:image/png URL (the organisation's logo); drawn in the middle when it decodes. */
  logo?: string;
}

const SIZE = 256;
const DEFAULT_COLOUR = '#1f3a5f';

function rgb(colour: string | undefined): [number, number, number] {
  const hex = colour && /^#[0-9a-f]{6}$/i.test(colour) ? colour : DEFAULT_COLOUR;
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

/** The logo's pixels, when it is a PNG data URL pngjs reads; anything else (JPEG, an asset name) draws the tick. */
function logoImage(logo: string | undefined): PNG | undefined {
  const m = logo ? /^data:image\/png;base64,(.*)$/is.exec(logo) : null;
  if (!m) return undefined;
  try {
    return PNG.sync.read(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  } catch {
    return undefined;
  }
}

/**
 * A round seal in the organisation's colour with a white ring; inside, the logo (scaled to fit, on white)
 * or a white tick. Edges are antialiased by each pixel's distance to them, so the seal looks drawn.
 */
export function badgePng(look: BadgeLook): Uint8Array {
  // A tenant's badges all look the same: drawn once per look (the logo is at most 200 KB of text).
  const key = `${look.colour ?? ''}\0${look.logo ?? ''}`;
  let drawn = drawnBadges.get(key);
  if (!drawn) {
    drawn = drawBadge(look);
    if (drawnBadges.size >= 32) drawnBadges.delete(drawnBadges.keys().next().value!);
    drawnBadges.set(key, drawn);
  }
  return drawn;
}
const drawnBadges = new Map<string, Uint8Array>();

function drawBadge(look: BadgeLook): Uint8Array {
  const png = new PNG({ width: SIZE, height: SIZE });
  const [r, g, b] = rgb(look.colour);
  const logo = logoImage(look.logo);
  const c = SIZE / 2;
  const outer = c - 4;
  const ringOut = outer - 10;
  const ringIn = ringOut - 6;
  const inner = ringIn - 8;
  const tick = (x: number, y: number): number => {
    // The distance to a tick's two strokes (drawn 18 px wide) through (-50,0)→(-12,38)→(55,-40) around the centre.
    const d = (ax: number, ay: number, bx: number, by: number) => {
      const vx = bx - ax;
      const vy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
      return Math.hypot(x - (ax + t * vx), y - (ay + t * vy));
    };
    return Math.min(d(-50, 0, -12, 38), d(-12, 38, 55, -40));
  };
  const box = Math.floor(inner * Math.SQRT1_2 * 2) - 8;
  const scale = logo ? Math.min(box / logo.width, box / logo.height) : 0;
  const lw = logo ? Math.max(1, Math.round(logo.width * scale)) : 0;
  const lh = logo ? Math.max(1, Math.round(logo.height * scale)) : 0;
  // Coverage of a pixel by a shape whose edge is `inside` px away from its centre (negative: outside).
  const cover = (inside: number) => Math.max(0, Math.min(1, inside + 0.5));
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const px = x + 0.5 - c;
      const py = y + 0.5 - c;
      const dist = Math.hypot(px, py);
      const a = cover(outer - dist);
      const ring = Math.min(cover(ringOut - dist), cover(dist - ringIn));
      const centre = dist > inner + 1 ? 0 : Math.min(cover(inner - dist), logo ? 1 : cover(9 - tick(px, py)));
      const w = Math.max(ring, centre);
      const i = (y * SIZE + x) * 4;
      png.data[i] = Math.round(r + (255 - r) * w);
      png.data[i + 1] = Math.round(g + (255 - g) * w);
      png.data[i + 2] = Math.round(b + (255 - b) * w);
      png.data[i + 3] = Math.round(255 * a);
    }
  }
  if (logo) {
    // Nearest neighbour over the white centre, the logo's own alpha blended in.
    const ox = Math.round(c - lw / 2);
    const oy = Math.round(c - lh / 2);
    for (let y = 0; y < lh; y++) {
      for (let x = 0; x < lw; x++) {
        const sx = Math.min(logo.width - 1, Math.floor(x / scale));
        const sy = Math.min(logo.height - 1, Math.floor(y / scale));
        const s = (sy * logo.width + sx) * 4;
        const d = ((oy + y) * SIZE + ox + x) * 4;
        const la = logo.data[s + 3]! / 255;
        for (let k = 0; k < 3; k++) png.data[d + k] = Math.round(logo.data[s + k]! * la + png.data[d + k]! * (1 - la));
      }
    }
  }
  return new Uint8Array(PNG.sync.write(png, { deflateLevel: 9, filterType: 4 }));
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Chunk {
  type: string;
  data: Buffer;
  /** Where the chunk starts (its length field) and ends (after its CRC). */
  start: number;
  end: number;
}

function chunks(png: Uint8Array): Chunk[] {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('Not a PNG file.');
  const out: Chunk[] = [];
  let at = 8;
  while (at + 12 <= buf.length) {
    const length = buf.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > buf.length) throw new Error('A PNG chunk runs past the end of the file.');
    out.push({ type: buf.toString('latin1', at + 4, at + 8), data: buf.subarray(at + 8, at + 8 + length), start: at, end });
    at = end;
  }
  return out;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** iTXt: keyword, NUL, compression flag 0 (the text is left as it is), method 0, empty language and translated keyword. */
function iTXt(keyword: string, text: string): Buffer {
  return chunk('iTXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]));
}

function isBadgeChunk(c: Chunk): boolean {
  return c.type === 'iTXt' && c.data.subarray(0, BADGE_KEYWORD.length + 1).equals(Buffer.from(`${BADGE_KEYWORD}\0`, 'latin1'));
}

/**
 * The image with the credential baked in: one iTXt chunk `openbadgecredential` holding the credential's
 * JSON, right before IEND; a credential baked before is replaced, never doubled (the specification allows one).
 */
export function bakeCredential(png: Uint8Array, credentialJson: string): Uint8Array {
  const all = chunks(png);
  const end = all.find((c) => c.type === 'IEND');
  if (!end) throw new Error('The PNG has no IEND chunk.');
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const kept = all.filter((c) => c.type !== 'IEND' && !isBadgeChunk(c)).map((c) => buf.subarray(c.start, c.end));
  return new Uint8Array(Buffer.concat([SIGNATURE, ...kept, iTXt(BADGE_KEYWORD, credentialJson), buf.subarray(end.start, end.end)]));
}

/** The credential JSON baked into a PNG, or undefined when it has none (or is not a PNG). */
export function bakedCredential(png: Uint8Array): string | undefined {
  let all: Chunk[];
  try {
    all = chunks(png);
  } catch {
    return undefined;
  }
  const c = all.find(isBadgeChunk);
  if (!c) return undefined;
  const rest = c.data.subarray(BADGE_KEYWORD.length + 1);
  const compressed = rest[0] === 1;
  // After the flags: language tag NUL, translated keyword NUL, then the text.
  const lang = rest.indexOf(0, 2);
  const translated = lang < 0 ? -1 : rest.indexOf(0, lang + 1);
  if (translated < 0 || compressed) return undefined;
  return rest.subarray(translated + 1).toString('utf8');
}
