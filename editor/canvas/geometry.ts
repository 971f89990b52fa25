/**
 * The canvas's geometry in millimetres from the page's top-left corner (y down, as markup measures):
 * snapping a moved or resized box to the page's margins and centre and to the other elements' edges and
 * centres (with the guides to draw and the distances to tell), and aligning and distributing a
 * selection. Pure and browser-safe.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Guide {
  /** 'x': a vertical line at x = `at`; 'y': a horizontal line at y = `at`. */
  axis: 'x' | 'y';
  at: number;
  /** Its extent along the other axis. */
  from: number;
  to: number;
  /** What it aligns to. */
  kind: 'margin' | 'centre' | 'element';
}

/** A gap between the moved box and the element it lines up with, drawn as a measured segment. */
export interface Distance {
  axis: 'x' | 'y';
  from: number;
  to: number;
  /** Where the segment sits along the other axis. */
  at: number;
  mm: number;
}

export interface PageFrame {
  width: number;
  height: number;
  margins: { top: number; right: number; bottom: number; left: number };
}

interface Target {
  at: number;
  kind: Guide['kind'];
  /** The element it comes from (for the guide's extent and the distance), absent for the page's lines. */
  rect?: Rect;
}

/** The lines a box snaps to: the page's margins and centre, and each other element's edges and centre. */
export function snapTargets(page: PageFrame, others: readonly Rect[]): { x: Target[]; y: Target[] } {
  const { width, height, margins: m } = page;
  const x: Target[] = [
    { at: m.left, kind: 'margin' },
    { at: width - m.right, kind: 'margin' },
    { at: width / 2, kind: 'centre' },
  ];
  const y: Target[] = [
    { at: m.top, kind: 'margin' },
    { at: height - m.bottom, kind: 'margin' },
    { at: height / 2, kind: 'centre' },
  ];
  for (const r of others) {
    for (const at of [r.x, r.x + r.width / 2, r.x + r.width]) x.push({ at, kind: 'element', rect: r });
    for (const at of [r.y, r.y + r.height / 2, r.y + r.height]) y.push({ at, kind: 'element', rect: r });
  }
  return { x, y };
}

export interface Snapped {
  dx: number;
  dy: number;
  guides: Guide[];
  distances: Distance[];
}

/** The lines of a box along one axis that may snap, by which edges move: all three when it moves. */
type Edges = readonly ('start' | 'middle' | 'end')[];

function snapAxis(
  start: number,
  size: number,
  delta: number,
  edges: Edges,
  targets: readonly Target[],
  threshold: number,
): { delta: number; hits: Target[]; lineAt: number[] } {
  let best: { shift: number; hits: Target[]; lines: number[] } | undefined;
  for (const edge of edges) {
    // Where this edge lands after the hand's move (a resize moves only its own edge).
    const line = edge === 'start' ? start + delta : edge === 'middle' ? start + delta + size / 2 : start + size + delta;
    for (const t of targets) {
      const shift = t.at - line;
      if (Math.abs(shift) > threshold) continue;
      if (!best || Math.abs(shift) < Math.abs(best.shift) - 1e-9) best = { shift, hits: [t], lines: [t.at] };
      else if (Math.abs(shift - best.shift) < 1e-9) {
        best.hits.push(t);
        best.lines.push(t.at);
      }
    }
  }
  return best ? { delta: delta + best.shift, hits: best.hits, lineAt: best.lines } : { delta, hits: [], lineAt: [] };
}

/**
 * Snaps a box moved by (dx, dy) — or, for a resize, only the edges given — to the nearest target within
 * `threshold` millimetres on each axis; returns the snapped move and what to draw.
 */
export function snap(
  box: Rect,
  dx: number,
  dy: number,
  targets: { x: readonly Target[]; y: readonly Target[] },
  threshold: number,
  edges: { x: Edges; y: Edges } = { x: ['start', 'middle', 'end'], y: ['start', 'middle', 'end'] },
  page?: { width: number; height: number },
): Snapped {
  const sx = snapAxis(box.x, box.width, dx, edges.x, targets.x, threshold);
  const sy = snapAxis(box.y, box.height, dy, edges.y, targets.y, threshold);
  const moved: Rect = { x: box.x + sx.delta, y: box.y + sy.delta, width: box.width, height: box.height };
  const guides: Guide[] = [];
  const distances: Distance[] = [];
  for (const t of sx.hits) {
    const span = t.rect
      ? [Math.min(t.rect.y, moved.y), Math.max(t.rect.y + t.rect.height, moved.y + moved.height)]
      : [0, page?.height ?? moved.y + moved.height];
    guides.push({ axis: 'x', at: t.at, from: span[0]!, to: span[1]!, kind: t.kind });
    if (t.rect) {
      const d = gap(moved.y, moved.height, t.rect.y, t.rect.height);
      if (d) distances.push({ axis: 'y', ...d, at: t.at, mm: d.to - d.from });
    }
  }
  for (const t of sy.hits) {
    const span = t.rect
      ? [Math.min(t.rect.x, moved.x), Math.max(t.rect.x + t.rect.width, moved.x + moved.width)]
      : [0, page?.width ?? moved.x + moved.width];
    guides.push({ axis: 'y', at: t.at, from: span[0]!, to: span[1]!, kind: t.kind });
    if (t.rect) {
      const d = gap(moved.x, moved.width, t.rect.x, t.rect.width);
      if (d) distances.push({ axis: 'x', ...d, at: t.at, mm: d.to - d.from });
    }
  }
  return { dx: sx.delta, dy: sy.delta, guides: dedupe(guides), distances: dedupe(distances) };
}

/** The empty space between two spans on one axis, if they do not overlap. */
function gap(aStart: number, aSize: number, bStart: number, bSize: number): { from: number; to: number } | undefined {
  if (aStart + aSize <= bStart) return { from: aStart + aSize, to: bStart };
  if (bStart + bSize <= aStart) return { from: bStart + bSize, to: aStart };
  return undefined;
}

function dedupe<T>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const key = JSON.stringify(x);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type Alignment = 'left' | 'center' | 'right' | 'top' | 'middle' | 'bottom';

/** The move of each box that aligns a selection on the selection's bounds (as drawing programs do). */
export function align(boxes: readonly Rect[], how: Alignment): { dx: number; dy: number }[] {
  if (boxes.length === 0) return [];
  const left = Math.min(...boxes.map((b) => b.x));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const top = Math.min(...boxes.map((b) => b.y));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return boxes.map((b) => {
    switch (how) {
      case 'left':
        return { dx: left - b.x, dy: 0 };
      case 'right':
        return { dx: right - (b.x + b.width), dy: 0 };
      case 'center':
        return { dx: (left + right) / 2 - (b.x + b.width / 2), dy: 0 };
      case 'top':
        return { dx: 0, dy: top - b.y };
      case 'bottom':
        return { dx: 0, dy: bottom - (b.y + b.height) };
      case 'middle':
        return { dx: 0, dy: (top + bottom) / 2 - (b.y + b.height / 2) };
    }
  });
}

/**
 * The move of each box that spaces a selection evenly along an axis: the first and last (by position)
 * stay, the gaps between neighbours become equal. Fewer than three boxes do not move.
 */
export function distribute(boxes: readonly Rect[], axis: 'x' | 'y'): { dx: number; dy: number }[] {
  const moves = boxes.map(() => ({ dx: 0, dy: 0 }));
  if (boxes.length < 3) return moves;
  const pos = (b: Rect) => (axis === 'x' ? b.x : b.y);
  const size = (b: Rect) => (axis === 'x' ? b.width : b.height);
  const order = boxes.map((b, i) => ({ b, i })).sort((p, q) => pos(p.b) - pos(q.b));
  const first = order[0]!.b;
  const last = order[order.length - 1]!.b;
  const total = pos(last) + size(last) - pos(first);
  const sizes = order.reduce((s, o) => s + size(o.b), 0);
  const space = (total - sizes) / (order.length - 1);
  let at = pos(first);
  for (const { b, i } of order) {
    const shift = at - pos(b);
    moves[i] = axis === 'x' ? { dx: shift, dy: 0 } : { dx: 0, dy: shift };
    at += size(b) + space;
  }
  return moves;
}
