/**
 * Writes a typical one-page certificate many times and prints the median time per document.
 * Run: node --import tsx templates/pdf/bench.ts
 * Fonts, the image and the background page are prepared once, as the server does; the loop is only what
 * a document costs: content streams, the glyphs actually used, the copy of ready objects, the xref.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { PDFDocument, StandardFonts, rgb } from '@cantoo/pdf-lib';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import type { EmbeddableFont, GlyphPlacement } from '../fonts/types';
import { ImportedPage, PdfDocument, PreparedImage, prepareFont, type PdfProtection } from './index';

function load(key: string, path: string): EmbeddableFont {
  const bytes = readFileSync(path);
  return { key, font: fontkit.create(bytes) as Font, bytes };
}
function shape(font: EmbeddableFont, text: string, size: number): GlyphPlacement[] {
  const run = font.font.layout(text);
  const k = size / font.font.unitsPerEm;
  return run.glyphs.map((g, i) => {
    const p = run.positions[i]!;
    return { id: g.id, text: String.fromCodePoint(...g.codePoints), advance: p.xAdvance * k, dx: p.xOffset * k, dy: p.yOffset * k };
  });
}

const t0 = performance.now();
const serif = load('serif', 'node_modules/@expo-google-fonts/eb-garamond/400Regular/EBGaramond_400Regular.ttf');
const sans = load('sans-bold', 'node_modules/@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf');
prepareFont(serif);
prepareFont(sans);
const t1 = performance.now();
const logoPng = new PNG({ width: 120, height: 60 });
for (let i = 0; i < logoPng.data.length; i += 4) logoPng.data.set([20, 60, (i / 4) % 255, i % 7 ? 255 : 128], i);
const logo = PreparedImage.fromBytes(PNG.sync.write(logoPng));
const src = await PDFDocument.create();
const helvetica = await src.embedFont(StandardFonts.Helvetica);
const bgPage = src.addPage([842, 595]);
bgPage.drawRectangle({ x: 20, y: 20, width: 802, height: 555, borderColor: rgb(0.6, 0.5, 0.2), borderWidth: 6 });
bgPage.drawText('Organisme de formation agréé', { x: 40, y: 40, size: 9, font: helvetica });
const background = await ImportedPage.fromPdf(await src.save());
const t2 = performance.now();

const lines = Array.from(
  { length: 30 },
  (_, i) => [i % 3 ? serif : sans, `Ligne ${i + 1} : formation « Sécurité incendie » suivie avec succès`] as const,
);
const shaped = lines.map(([font, text]) => [font, shape(font, text, 11)] as const);
const qr = QRCode.create('https://verify.example.org/c/7F3K-9QX2-ABCD', { errorCorrectionLevel: 'M' }).modules;

function certificate(n: number, protection?: PdfProtection, tagged = false): Uint8Array {
  const doc = new PdfDocument({
    ...(protection ? { protection } : {}),
    ...(tagged ? { tagged: true } : {}),
    documentId: `issue-${n}`,
    creationDate: new Date(Date.UTC(2026, 5, 1)),
    info: { title: `Attestation ${n}`, author: 'Attest', lang: 'fr-FR' },
  });
  const page = doc.addPage(842, 595);
  const c = page.content;
  // Tagged (issue 17): what the layout does for a certificate, the background an artifact, each line a P.
  const tags = page.tags;
  const tag = (type: 'P' | 'H1' | 'Figure' | 'Link', draw: () => void, alt?: string) => {
    if (!tags) return draw();
    tags.open(type, alt ? { alt } : {});
    draw();
    tags.close();
  };
  c.drawPage(background, 0, 0, 1, 1);
  tag('Figure', () => c.drawImage(logo, 60, 480, 120, 60), 'Logo');
  tag('H1', () => c.showGlyphs(sans, 26, 60, 420, shape(sans, `Jeanne Dupont-${n % 100}`, 26)));
  shaped.forEach(([font, glyphs], i) => tag('P', () => c.showGlyphs(font, 11, 60, 380 - i * 11, glyphs)));
  tag('Link', () => {
    tag(
      'Figure',
      () => {
        c.fillColor([0, 0, 0]);
        for (let y = 0; y < qr.size; y++)
          for (let x = 0; x < qr.size; x++) if (qr.get(x, y)) c.rect(700 + x * 3, 60 + (qr.size - y) * 3, 3, 3);
        c.fill();
      },
      'QR code',
    );
    page.addLink({ x: 700, y: 60, width: qr.size * 3, height: qr.size * 3 }, 'https://verify.example.org/c/7F3K-9QX2-ABCD', 'QR code');
  });
  return doc.save();
}

let bytes = 0;
for (let i = 0; i < 200; i++) bytes = certificate(i).length; // warm-up
/** Median milliseconds per document over 7 runs of `perRun`. */
function medianOf(make: (i: number) => Uint8Array, perRun: number): { median: number; runs: number[] } {
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = performance.now();
    for (let i = 0; i < perRun; i++) make(i);
    runs.push((performance.now() - start) / perRun);
  }
  runs.sort((a, b) => a - b);
  return { median: runs[runs.length >> 1]!, runs };
}
const { median, runs } = medianOf(certificate, 500);
console.log(`prepare fonts: ${(t1 - t0).toFixed(1)} ms, image + background: ${(t2 - t1).toFixed(1)} ms (once per process)`);
console.log(`document: ${bytes} bytes, ${qr.size}×${qr.size} QR, 31 text runs, 2 fonts, 1 image, 1 imported page`);
console.log(
  `median ${median.toFixed(3)} ms per document (${Math.round(1000 / median)} documents/s), runs: ${runs.map((r) => r.toFixed(3)).join(' ')}`,
);
// Protection (issue 17): the same document encrypted, per cipher.
const secret = Buffer.alloc(32, 7);
const protections: [string, PdfProtection][] = [
  ['aes-128', { cipher: 'aes-128', permissions: { print: true }, secret }],
  ['aes-256', { cipher: 'aes-256', permissions: { print: true }, secret }],
  ['aes-256 + user password', { cipher: 'aes-256', permissions: { print: true }, userPassword: 'pw', secret }],
];
for (const [label, protection] of protections) {
  for (let i = 0; i < 50; i++) certificate(i, protection);
  const m = medianOf((i) => certificate(i, protection), 200).median;
  console.log(`protected (${label}): median ${m.toFixed(3)} ms per document (+${(m - median).toFixed(3)} ms)`);
}
// Tagged PDF (issue 17): the same document with its structure tree, and tagged and protected.
for (let i = 0; i < 50; i++) certificate(i, undefined, true);
const taggedRun = medianOf((i) => certificate(i, undefined, true), 200).median;
const taggedBytes = certificate(0, undefined, true).length;
console.log(
  `tagged: median ${taggedRun.toFixed(3)} ms per document (+${(taggedRun - median).toFixed(3)} ms), ${taggedBytes} bytes (+${taggedBytes - bytes})`,
);
const both = medianOf((i) => certificate(i, protections[1]![1], true), 200).median;
console.log(`tagged + protected (aes-256): median ${both.toFixed(3)} ms per document (+${(both - median).toFixed(3)} ms)`);
