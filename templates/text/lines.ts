import type { FontFace } from '../fonts/face';
import type { Piece } from './itemize';
import { makePiece } from './itemize';

/** One line as planned, pieces in logical order. */
export interface LinePlan {
  pieces: Piece[];
  /** Ends a paragraph (a line break or the end of the text): justify leaves such lines alone. */
  last: boolean;
}

export interface Breaking {
  lines: LinePlan[];
  /** A word had to be cut because it is wider than the box. */
  cutWords: boolean;
  /** Even a single character is wider than the box. */
  tooWide: boolean;
  /** Breaking stopped at the caller's line limit: there is more text than lines. */
  stopped: boolean;
}

const EPSILON = 1e-6;

/** Width of the drawn part of a line: trailing spaces and the line break hang outside the box. */
export function contentWidth(pieces: readonly Piece[], scale: number): number {
  let end = pieces.length;
  while (end > 0 && pieces[end - 1]!.kind !== 'word') end--;
  let width = 0;
  for (let i = 0; i < end; i++) width += pieces[i]!.width;
  return width * scale;
}

export function trimTrailing(pieces: readonly Piece[]): Piece[] {
  let end = pieces.length;
  while (end > 0 && pieces[end - 1]!.kind !== 'word') end--;
  return pieces.slice(0, end);
}

/**
 * Greedy first-fit line breaking in logical order. With `cut` false (the tries of shrink-to-fit) a word
 * wider than the box is only reported, not cut, so no try reshapes anything.
 */
/**
 * `limit`: stop once more lines than this exist. A box can only show so many lines, and laying out the rest
 * of an absurdly long value (a 100,000-character "name") line by line is wasted work that callers repeat at
 * every shrink-to-fit try; `Breaking.stopped` says the text went on.
 */
export function breakLines(pieces: readonly Piece[], width: number, scale: number, cut: boolean, limit = Infinity): Breaking {
  const lines: LinePlan[] = [];
  let cutWords = false;
  let tooWide = false;
  let line: Piece[] = [];
  let lineWidth = 0;
  /** Length of `line` just after the last break opportunity, or 0. */
  let breakAt = 0;
  let pending: Piece | undefined;

  const push = (pieces: Piece[], last: boolean): void => {
    lines.push({ pieces, last });
  };

  let i = 0;
  while ((pending || i < pieces.length) && lines.length <= limit) {
    const piece = pending ?? pieces[i++]!;
    pending = undefined;
    if (piece.kind === 'newline') {
      line.push(piece);
      push(line, true);
      line = [];
      lineWidth = 0;
      breakAt = 0;
      continue;
    }
    const w = piece.width * scale;
    if (piece.kind === 'space' || lineWidth + w <= width + EPSILON) {
      line.push(piece);
      lineWidth += w;
      // A break after leading spaces would leave an empty line.
      const hasWord = line.some((p) => p.kind === 'word');
      if (!hasWord) continue;
      if (piece.breakAfter === 'allowed') breakAt = line.length;
      else if (piece.breakAfter === 'hyphen' && lineWidth + hyphenFor(piece).width * scale <= width + EPSILON) breakAt = line.length;
      continue;
    }
    if (breakAt > 0) {
      const kept = line.slice(0, breakAt);
      const before = kept[kept.length - 1]!;
      if (before.breakAfter === 'hyphen') kept.push(hyphenFor(before));
      push(kept, false);
      line = line.slice(breakAt);
      lineWidth = line.reduce((sum, p) => sum + p.width * scale, 0);
      breakAt = 0;
      pending = piece;
      continue;
    }
    // No opportunity since the line started: the word is wider than the box.
    cutWords = true;
    if (!cut) {
      line.push(piece);
      lineWidth += w;
      if (piece.breakAfter !== 'none') breakAt = line.length;
      continue;
    }
    const split = splitToFit(piece, width - lineWidth, scale);
    if (split) {
      line.push(split[0]);
      push(line, false);
      pending = split[1];
    } else if (line.some((p) => p.kind === 'word')) {
      push(line, false);
      pending = piece;
    } else {
      // Not even one cluster fits: put one per line anyway, and say so.
      tooWide = true;
      const forced = splitAfterClusters(piece, 1);
      line.push(forced ? forced[0] : piece);
      push(line, false);
      pending = forced?.[1];
    }
    line = [];
    lineWidth = 0;
    breakAt = 0;
  }
  const stopped = lines.length > limit;
  if (stopped) return { lines, cutWords, tooWide, stopped };
  if (line.length > 0) push(line, true);
  else if (lines.length > 0) lines[lines.length - 1]!.last = true;
  return { lines, cutWords, tooWide, stopped };
}

const hyphens = new WeakMap<Piece, Piece>();

/** The hyphen shown when a line breaks at a soft hyphen. */
export function hyphenFor(piece: Piece): Piece {
  let hyphen = hyphens.get(piece);
  if (!hyphen) {
    const face: FontFace = piece.face.covers(0x2d) ? piece.face : piece.metrics;
    hyphen = makePiece({ ...piece, kind: 'word', text: '-', source: '-', face, breakAfter: 'none', clusters: [0, 1] });
    hyphens.set(piece, hyphen);
  }
  return hyphen;
}

/** Splits a word after `count` clusters (reshaping both halves); undefined if that is not a real split. */
export function splitAfterClusters(piece: Piece, count: number): [Piece, Piece] | undefined {
  const n = piece.clusters.length - 1;
  if (count <= 0 || count >= n) return undefined;
  const at = piece.clusters[count]!;
  // `source` may differ from `text` (soft hyphens, mirroring); keep the same proportion of clusters of it.
  const sourceAt = piece.source.length === piece.text.length ? at : Math.min(piece.source.length, at);
  const head = makePiece({
    ...piece,
    text: piece.text.slice(0, at),
    source: piece.source.slice(0, sourceAt),
    breakAfter: 'none',
    clusters: piece.clusters.slice(0, count + 1),
  });
  const tail = makePiece({
    ...piece,
    text: piece.text.slice(at),
    source: piece.source.slice(sourceAt),
    clusters: piece.clusters.slice(count).map((c) => c - at),
  });
  return [head, tail];
}

/** The longest head of the word (whole clusters, at least one) that fits in `available` points. */
export function splitToFit(piece: Piece, available: number, scale: number): [Piece, Piece] | undefined {
  const n = piece.clusters.length - 1;
  let lo = 0;
  let hi = n - 1;
  let best: [Piece, Piece] | undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const split = splitAfterClusters(piece, mid);
    if (split && split[0].width * scale <= available + EPSILON) {
      best = split;
      lo = mid;
    } else hi = mid - 1;
  }
  return best;
}
