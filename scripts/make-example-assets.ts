/**
 * Draws the bundled examples' assets (a guilloché frame PDF, a rosette seal and a signature PNG) from code,
 * so their origin and licence are this repository's. Run: node --import tsx scripts/make-example-assets.ts
 * The outputs are committed; the script exists so they can be remade or changed.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { PNG } from 'pngjs';
import { PDFDocument, rgb } from '@cantoo/pdf-lib';

const out = new URL('../templates/examples/assets/', import.meta.url);
mkdirSync(out, { recursive: true });

async function frame(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  doc.setProducer('Attest example assets');
  doc.setCreator('scripts/make-example-assets.ts');
  const W = 841.89;
  const H = 595.28;
  const page = doc.addPage([W, H]);
  page.drawRectangle({ x: 0, y: 0, width: W, height: H, color: rgb(0.985, 0.978, 0.955) });
  const teal = rgb(0.09, 0.33, 0.36);
  const gold = rgb(0.72, 0.58, 0.27);
  // A guilloché band: several phase-shifted sine waves running round the page between two rules.
  const band = (inset: number, depth: number, waves: number, color: ReturnType<typeof rgb>, phase: number) => {
    const x0 = inset,
      y0 = inset,
      x1 = W - inset,
      y1 = H - inset;
    const per = (x1 - x0 + y1 - y0) * 2;
    const steps = 1400;
    let d = '';
    for (let i = 0; i <= steps; i++) {
      const t = (i / steps) * per;
      let x: number, y: number, nx: number, ny: number;
      if (t < x1 - x0) {
        x = x0 + t;
        y = y0;
        nx = 0;
        ny = 1;
      } else if (t < x1 - x0 + (y1 - y0)) {
        x = x1;
        y = y0 + (t - (x1 - x0));
        nx = -1;
        ny = 0;
      } else if (t < 2 * (x1 - x0) + (y1 - y0)) {
        x = x1 - (t - (x1 - x0) - (y1 - y0));
        y = y1;
        nx = 0;
        ny = -1;
      } else {
        x = x0;
        y = y1 - (t - 2 * (x1 - x0) - (y1 - y0));
        nx = 1;
        ny = 0;
      }
      const off = depth * (0.5 + 0.5 * Math.sin((t / per) * waves * 2 * Math.PI + phase));
      // pdf-lib's SVG path has y pointing down.
      d += `${i === 0 ? 'M' : 'L'}${(x + nx * off).toFixed(2)},${(H - (y + ny * off)).toFixed(2)} `;
    }
    page.drawSvgPath(d, { x: 0, y: H, borderColor: color, borderWidth: 0.35 });
  };
  for (let k = 0; k < 6; k++) band(22, 9, 96, k % 2 ? gold : teal, (k * Math.PI) / 3);
  page.drawRectangle({ x: 18, y: 18, width: W - 36, height: H - 36, borderColor: teal, borderWidth: 1.2 });
  page.drawRectangle({ x: 37, y: 37, width: W - 74, height: H - 74, borderColor: gold, borderWidth: 0.6 });
  // Corner rosettes.
  for (const [cx, cy] of [
    [37, 37],
    [W - 37, 37],
    [37, H - 37],
    [W - 37, H - 37],
  ] as const) {
    for (let r = 3; r <= 12; r += 3) page.drawCircle({ x: cx, y: cy, size: r, borderColor: r % 2 ? teal : gold, borderWidth: 0.5 });
  }
  return doc.save({ useObjectStreams: false });
}

/** Supersampled drawing onto an RGBA PNG: `ink(x, y)` gives coverage 0..1 and a colour. */
function png(width: number, height: number, ink: (x: number, y: number) => [number, [number, number, number]]): Buffer {
  const img = new PNG({ width, height });
  const ss = 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let a = 0,
        r = 0,
        g = 0,
        b = 0;
      for (let sy = 0; sy < ss; sy++)
        for (let sx = 0; sx < ss; sx++) {
          const [cov, c] = ink(x + (sx + 0.5) / ss, y + (sy + 0.5) / ss);
          a += cov;
          r += c[0] * cov;
          g += c[1] * cov;
          b += c[2] * cov;
        }
      const i = (y * width + x) * 4;
      const n = ss * ss;
      img.data[i] = a ? Math.round(r / a) : 0;
      img.data[i + 1] = a ? Math.round(g / a) : 0;
      img.data[i + 2] = a ? Math.round(b / a) : 0;
      img.data[i + 3] = Math.round((a / n) * 255);
    }
  }
  return PNG.sync.write(img);
}

function seal(): Buffer {
  const S = 240,
    c = S / 2;
  const gold: [number, number, number] = [176, 141, 62];
  const teal: [number, number, number] = [23, 84, 92];
  return png(S, S, (x, y) => {
    const dx = x - c,
      dy = y - c;
    const r = Math.hypot(dx, dy);
    const th = Math.atan2(dy, dx);
    const scallop = 112 + 4 * Math.cos(th * 36);
    if (r > scallop) return [0, gold];
    if (r > 100) return [1, gold];
    if (r > 96) return [1, [250, 246, 235]];
    if (r > 92) return [1, teal];
    const petals = 60 + 22 * Math.abs(Math.cos(th * 4));
    if (r < petals && r > 18) return [Math.abs(Math.sin(th * 24 + r / 6)) > 0.35 ? 1 : 0.25, teal];
    if (r <= 18) return [1, gold];
    return [1, [250, 246, 235]];
  });
}

function signature(): Buffer {
  const W = 360,
    H = 120;
  const ink: [number, number, number] = [20, 30, 70];
  // A hand-drawn-looking signature: a tall opening loop, a run of slanted, shrinking letter loops, and an
  // underline flourish swinging back under them. Each stroke is a parametric curve traced by a round pen.
  const pts: [number, number][] = [];
  const slant = 0.35;
  const push = (x: number, y: number) => pts.push([x - slant * (y - 60), y]);
  for (let t = 0; t <= 1; t += 0.002) {
    const a = t * 2 * Math.PI;
    push(60 + 22 * Math.sin(a) * (1 - 0.3 * t), 55 - 38 * Math.cos(a) * (0.6 + 0.4 * t));
  }
  for (let t = 0; t <= 1; t += 0.0008) {
    const x = 70 + t * 210;
    const loops = 7;
    const h = 26 * (1 - 0.55 * t);
    push(
      x + 9 * Math.sin(t * loops * 2 * Math.PI),
      66 - h * Math.abs(Math.sin(t * loops * Math.PI)) + 6 * Math.cos(t * loops * 2 * Math.PI),
    );
  }
  for (let t = 0; t <= 1; t += 0.001) {
    push(300 - t * 270 + 20 * Math.sin(t * Math.PI), 84 + 10 * Math.sin(t * Math.PI * 1.5) - 8 * t);
  }
  return png(W, H, (x, y) => {
    let best = Infinity;
    for (let i = 0; i < pts.length; i += 2) {
      const p = pts[i]!;
      const d = (p[0] - x) ** 2 + (p[1] - y) ** 2;
      if (d < best) best = d;
    }
    return [best < 2.6 ? 1 : 0, ink];
  });
}

writeFileSync(new URL('guilloche-frame.pdf', out), await frame());
writeFileSync(new URL('seal.png', out), seal());
writeFileSync(new URL('signature.png', out), signature());
console.log('wrote templates/examples/assets/{guilloche-frame.pdf,seal.png,signature.png}');
