import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import type { EmbeddableFont, GlyphPlacement } from '../../../templates/fonts/types';

const FONT_FILES = {
  garamond: 'node_modules/@expo-google-fonts/eb-garamond/400Regular/EBGaramond_400Regular.ttf',
  sansBold: 'node_modules/@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  dejavu: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  hebrew: 'node_modules/@expo-google-fonts/noto-sans-hebrew/400Regular/NotoSansHebrew_400Regular.ttf',
} as const;

const loaded = new Map<string, EmbeddableFont>();

/** A font as the fonts module hands it over: parsed once, shared by every document. */
export function loadFont(which: keyof typeof FONT_FILES): EmbeddableFont {
  let f = loaded.get(which);
  if (!f) {
    const bytes = readFileSync(FONT_FILES[which]);
    f = { key: which, font: fontkit.create(bytes) as Font, bytes };
    loaded.set(which, f);
  }
  return f;
}

/** Shapes a run with fontkit and scales it to points, as the layout engine does. */
export function shape(font: EmbeddableFont, text: string, size: number, direction: 'ltr' | 'rtl' = 'ltr'): GlyphPlacement[] {
  const run = font.font.layout(text, undefined, undefined, undefined, direction);
  const k = size / font.font.unitsPerEm;
  return run.glyphs.map((g, i) => {
    const p = run.positions[i]!;
    return { id: g.id, text: String.fromCodePoint(...g.codePoints), advance: p.xAdvance * k, dx: p.xOffset * k, dy: p.yOffset * k };
  });
}

export const tmp = mkdtempSync(join(tmpdir(), 'attest-pdf-'));

let counter = 0;
export function writeTemp(bytes: Uint8Array, name = `doc${++counter}.pdf`): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** qpdf --check output; throws (failing the test) when qpdf finds errors or warnings. */
export function qpdfCheck(path: string): string {
  const out = run('qpdf', ['--check', path]);
  return out;
}

export function pdftotext(path: string, raw = false): string {
  return run('pdftotext', [...(raw ? ['-raw'] : []), '-enc', 'UTF-8', path, '-']);
}

export interface FontRow {
  name: string;
  type: string;
  emb: boolean;
  sub: boolean;
  uni: boolean;
}

export function pdffonts(path: string): FontRow[] {
  const lines = run('pdffonts', [path]).split('\n').slice(2).filter(Boolean);
  return lines.map((line) => {
    const cols = line.trim().split(/\s+/);
    // name type... encoding emb sub uni object ID
    const n = cols.length;
    return {
      name: cols[0]!,
      type: cols.slice(1, n - 6).join(' '),
      emb: cols[n - 5] === 'yes',
      sub: cols[n - 4] === 'yes',
      uni: cols[n - 3] === 'yes',
    };
  });
}

export interface ImageRow {
  type: string;
  width: number;
  height: number;
  color: string;
  comp: number;
  bpc: number;
  enc: string;
}

export function pdfimages(path: string): ImageRow[] {
  const lines = run('pdfimages', ['-list', path]).split('\n').slice(2).filter(Boolean);
  return lines.map((line) => {
    const c = line.trim().split(/\s+/);
    return { type: c[2]!, width: Number(c[3]), height: Number(c[4]), color: c[5]!, comp: Number(c[6]), bpc: Number(c[7]), enc: c[8]! };
  });
}

/**
 * A real baseline JPEG made by hand (no encoder on this machine): 8-bit, every block a flat mid-grey, coded
 * with one-symbol Huffman tables. `adobe` adds the APP14 marker Photoshop writes for CMYK files.
 */
export function handmadeJpeg(width: number, height: number, components: 1 | 3 | 4, adobe = components === 4): Uint8Array {
  const bytes: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]) => bytes.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body);
  segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]);
  if (adobe) segment(0xee, [...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, 0]);
  const ids = Array.from({ length: components }, (_, i) => i + 1);
  segment(0xc0, [8, height >> 8, height & 255, width >> 8, width & 255, components, ...ids.flatMap((id) => [id, 0x11, 0])]);
  const oneCodeTable = (classAndId: number) => [classAndId, 1, ...new Array<number>(15).fill(0), 0x00];
  segment(0xc4, oneCodeTable(0x00));
  segment(0xc4, oneCodeTable(0x10));
  segment(0xda, [components, ...ids.flatMap((id) => [id, 0x00]), 0, 63, 0]);
  // Each block: DC difference category 0 ("0") then end-of-block ("0"); pad the last byte with ones.
  const bits = Math.ceil(width / 8) * Math.ceil(height / 8) * components * 2;
  const full = Math.floor(bits / 8);
  for (let i = 0; i < full; i++) bytes.push(0x00);
  if (bits % 8) bytes.push(0xff >> (bits % 8));
  bytes.push(0xff, 0xd9);
  return Uint8Array.from(bytes);
}

/** Words with their boxes, from poppler: where things really are on the page. */
export function words(pdf: Uint8Array): { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const html = run('pdftotext', ['-bbox', writeTemp(pdf), '-']);
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: m[5]!,
  }));
}

/**
 * Counts objects in a file Attest wrote (plain objects, no object streams): Type0 fonts, form XObjects,
 * images, the distinct content streams pages point at, and pages.
 */
export function objectCounts(pdf: Uint8Array): { fonts: number; forms: number; images: number; contentStreams: number; pages: number } {
  const text = Buffer.from(pdf).toString('latin1');
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return {
    fonts: count(/\/Type \/Font \/Subtype \/Type0/g),
    forms: count(/\/Subtype \/Form/g),
    images: count(/\/Subtype \/Image/g),
    contentStreams: new Set([...text.matchAll(/\/Contents (\d+) 0 R/g)].map((m) => m[1])).size,
    pages: count(/\/Type \/Page\b(?!s)/g),
  };
}
