import { describe, expect, it } from 'vitest';
import { align, distribute, snap, snapTargets, type PageFrame } from '../../../editor/canvas/geometry';
import { applyEdits } from '../../../editor/canvas/edits';
import { INSERTABLE, insertElement } from '../../../editor/canvas/insert';

const PAGE: PageFrame = { width: 297, height: 210, margins: { top: 15, right: 15, bottom: 15, left: 15 } };

describe('snapping', () => {
  const other = { x: 100, y: 20, width: 50, height: 10 };
  const targets = snapTargets(PAGE, [other]);

  it('snaps a moved box’s left edge to the margin within the threshold, with a guide across the page', () => {
    const s = snap({ x: 30, y: 120, width: 40, height: 10 }, -14, 0, targets, 2, undefined, PAGE);
    expect(s.dx).toBeCloseTo(-15);
    expect(s.dy).toBe(0);
    expect(s.guides).toEqual([{ axis: 'x', at: 15, from: 0, to: 210, kind: 'margin' }]);
  });

  it('snaps centres to the page centre and to another element’s centre, and measures the gap to it', () => {
    const s = snap({ x: 10, y: 60, width: 40, height: 10 }, 89.2, 0, targets, 2, undefined, PAGE);
    // 10 + 89.2 = 99.2 → the other box's left edge at 100.
    expect(s.dx).toBeCloseTo(90);
    expect(s.guides.map((g) => g.at)).toContain(100);
    expect(s.distances).toEqual([{ axis: 'y', from: 30, to: 60, at: 100, mm: 30 }]);
    const centred = snap({ x: 0, y: 0, width: 40, height: 10 }, 128, 0, targets, 2, undefined, PAGE);
    expect(centred.dx).toBeCloseTo(128.5);
    expect(centred.guides.some((g) => g.kind === 'centre' && g.at === 148.5)).toBe(true);
  });

  it('leaves a move alone beyond the threshold, and snaps only the edge being resized', () => {
    expect(snap({ x: 30, y: 120, width: 40, height: 10 }, 5, 5, targets, 2, undefined, PAGE)).toEqual({
      dx: 5,
      dy: 5,
      guides: [],
      distances: [],
    });
    // The right edge at 30 + 40 + 29 = 99 snaps to 100; the left edge is not considered.
    const r = snap({ x: 30, y: 120, width: 40, height: 10 }, 29, 0, targets, 2, { x: ['end'], y: [] }, PAGE);
    expect(r.dx).toBeCloseTo(30);
  });
});

describe('align and distribute', () => {
  const boxes = [
    { x: 10, y: 10, width: 20, height: 10 },
    { x: 50, y: 30, width: 40, height: 20 },
    { x: 120, y: 15, width: 10, height: 10 },
  ];
  it('aligns on the selection’s bounds', () => {
    expect(align(boxes, 'left').map((m) => m.dx)).toEqual([0, -40, -110]);
    expect(align(boxes, 'right').map((m) => m.dx)).toEqual([100, 40, 0]);
    expect(align(boxes, 'center').map((m) => m.dx)).toEqual([50, 0, -55]);
    expect(align(boxes, 'top').map((m) => m.dy)).toEqual([0, -20, -5]);
    expect(align(boxes, 'bottom').map((m) => m.dy)).toEqual([30, 0, 25]);
    expect(align(boxes, 'middle').map((m) => m.dy)).toEqual([15, -10, 10]);
  });
  it('spaces the gaps evenly, keeping the outer boxes', () => {
    // 10..130 holds 70 mm of boxes: two gaps of 25 mm.
    expect(distribute(boxes, 'x')).toEqual([
      { dx: 0, dy: 0 },
      { dx: 5, dy: 0 },
      { dx: 0, dy: 0 },
    ]);
    expect(distribute(boxes.slice(0, 2), 'y')).toEqual([
      { dx: 0, dy: 0 },
      { dx: 0, dy: 0 },
    ]);
  });
});

describe('the palette', () => {
  const SOURCE = '---\nname: P\n---\n<page>\n  <text x="1mm" y="1mm" width="9mm">a</text>\n</page>\n';
  it('offers the positioned elements that say how to insert them', () => {
    expect(INSERTABLE).toEqual(['text', 'image', 'qr', 'line', 'rect', 'link', 'table']);
  });
  it('puts the new element on its own line before </page>, at the point clicked', () => {
    const r = insertElement(SOURCE, 'qr', { x: 20.04, y: 30 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(applyEdits(SOURCE, r.edits)).toBe(
      '---\nname: P\n---\n<page>\n  <text x="1mm" y="1mm" width="9mm">a</text>\n  <qr x="20mm" y="30mm" size="25mm" value="{{ certificate.verification_url }}"/>\n</page>\n',
    );
    const line = insertElement('<page></page>', 'line', { x: 10, y: 20 });
    expect(line.ok && applyEdits('<page></page>', line.edits)).toBe('<page>\n  <line x1="10mm" y1="20mm" x2="70mm" y2="20mm"/>\n</page>');
    expect(insertElement('no page', 'text', { x: 0, y: 0 })).toMatchObject({ ok: false, reason: 'canvas.noPage' });
  });
});
