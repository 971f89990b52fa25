import type { FontRoles } from '../fonts/roles';
import type { GlyphPlacement } from '../fonts/types';
import { reorderLine } from './bidi';
import type { Itemized, Piece } from './itemize';
import { itemize, makePiece, pickFace } from './itemize';
import { Lru } from './lru';
import type { Breaking, LinePlan } from './lines';
import { breakLines, contentWidth, splitToFit, trimTrailing } from './lines';
import type { LaidOutLine, LaidOutRun, LaidOutText, ParagraphOptions, TextSpan } from './types';

const EPSILON = 1e-6;
const DEFAULT_LINE_HEIGHT = 1.2;
const DEFAULT_MIN_SIZE = 6;
const SHRINK_STEPS = 14;

interface LineMetrics {
  /** Height of the line box. */
  box: number;
  /** From the top of the line box. */
  baseline: number;
}

/**
 * Lays out the text of one box: itemize and shape once (cached per word), then break lines, shrink and
 * cut as asked, and place every glyph. Positions are in points from the box's top-left corner.
 */
/** Lines of one box, at most: a box without a height still ends somewhere (pages are 14,400 pt at most). */
const MAX_LINES = 2000;

export function layoutParagraph(spans: readonly TextSpan[], roles: FontRoles, options: ParagraphOptions): LaidOutText {
  const { pieces, baseLevel, warnings } = itemizeCached(spans, roles, options.direction ?? 'auto');
  const lineHeight = options.lineHeight ?? DEFAULT_LINE_HEIGHT;
  const width = options.width;
  // Loops rather than Math.min(...spans): a text of a hundred thousand spans would overflow the stack.
  let smallest = Infinity;
  for (const s of spans) if (s.text.length > 0) smallest = Math.min(smallest, s.style.size);
  /** How many lines could possibly be of use at a scale: more never fit, so breaking stops there. */
  const limitAt = (scale: number): number => {
    let limit = options.maxLines ?? MAX_LINES;
    if (options.height !== undefined && Number.isFinite(smallest))
      limit = Math.min(limit, Math.ceil(options.height / (smallest * scale * lineHeight)) + 1);
    return Math.max(1, limit);
  };
  const fits = (b: Breaking, scale: number): boolean =>
    !b.stopped &&
    !b.cutWords &&
    (options.maxLines === undefined || b.lines.length <= options.maxLines) &&
    (options.height === undefined || totalHeight(b.lines, scale, lineHeight) <= options.height + EPSILON);

  let scale = 1;
  if (options.fit === 'shrink' && pieces.length > 0 && !fits(breakLines(pieces, width, 1, false, limitAt(1)), 1)) {
    let largest = -Infinity;
    for (const s of spans) if (s.text.length > 0) largest = Math.max(largest, s.style.size);
    let lo = Math.min(1, (options.minSize ?? DEFAULT_MIN_SIZE) / largest);
    if (fits(breakLines(pieces, width, lo, false, limitAt(lo)), lo)) {
      // Binary search for the largest fitting scale; line breaking is arithmetic on pre-shaped pieces.
      let hi = 1;
      for (let step = 0; step < SHRINK_STEPS; step++) {
        const mid = (lo + hi) / 2;
        if (fits(breakLines(pieces, width, mid, false, limitAt(mid)), mid)) lo = mid;
        else hi = mid;
      }
    }
    scale = lo;
  }

  const breaking = breakLines(pieces, width, scale, true, limitAt(scale));
  let lines = breaking.lines;
  let truncated = false;
  let tooWide = breaking.tooWide;
  // Text past what the box could show is not laid out; the box reports an overflow instead.
  const cutShort = breaking.stopped && options.maxLines === undefined;
  if (options.maxLines !== undefined && lines.length > Math.max(1, options.maxLines)) {
    const keep = Math.max(1, options.maxLines);
    lines = lines.slice(0, keep);
    const ellipsized = ellipsize(lines[keep - 1]!, roles, baseLevel, width, scale);
    lines[keep - 1] = ellipsized.line;
    tooWide ||= ellipsized.tooWide;
    truncated = true;
  }

  const height = totalHeight(lines, scale, lineHeight);
  const overflow = tooWide || cutShort || (options.height !== undefined && height > options.height + EPSILON);
  let top = 0;
  if (options.height !== undefined && !overflow) {
    const free = options.height - height;
    top = options.valign === 'middle' ? free / 2 : options.valign === 'bottom' ? free : 0;
  }

  const laidOut: LaidOutLine[] = [];
  for (const plan of lines) {
    const m = lineMetrics(plan, scale, lineHeight);
    laidOut.push(placeLine(plan, top + m.baseline, baseLevel, width, scale, options));
    top += m.box;
  }
  return { lines: laidOut, height, scale, overflow, truncated, warnings };
}

/**
 * Static paragraphs (labels, course titles) are the same in every document of a template: their pieces
 * are kept per roles object, keyed by the spans' text and style. Warnings are re-attached to this
 * call's origins, which differ per document.
 */
const prepared = new WeakMap<FontRoles, Lru<string, Itemized>>();
const PARAGRAPHS_PER_TEMPLATE = 2_000;

function itemizeCached(spans: readonly TextSpan[], roles: FontRoles, direction: 'auto' | 'ltr' | 'rtl'): Itemized {
  let cache = prepared.get(roles);
  if (!cache) {
    cache = new Lru(PARAGRAPHS_PER_TEMPLATE);
    prepared.set(roles, cache);
  }
  let key = direction;
  for (const { text, style: s } of spans) {
    key += `\u0000${s.role}\u0001${s.bold ? 1 : 0}${s.italic ? 1 : 0}${s.underline ? 1 : 0}\u0001${s.size}\u0001${s.letterSpacing}\u0001${s.color[0]},${s.color[1]},${s.color[2]}\u0001${s.link ?? ''}\u0001${s.lang ?? ''}\u0001${text}`;
  }
  let found = cache.get(key);
  if (!found) {
    found = itemize(spans, roles, direction);
    cache.set(key, found);
  }
  if (found.warnings.length === 0) return found;
  return { ...found, warnings: found.warnings.map((w) => ({ ...w, origin: spans[w.span]?.origin })) };
}

function lineMetrics(plan: LinePlan, scale: number, lineHeight: number): LineMetrics {
  let size = 0;
  let ascent = 0;
  let descent = 0;
  for (const p of plan.pieces) {
    if (p.kind === 'newline' && plan.pieces.length > 1) continue;
    const s = p.style.size * scale;
    const k = s / p.metrics.unitsPerEm;
    size = Math.max(size, s);
    ascent = Math.max(ascent, p.metrics.ascent * k);
    descent = Math.max(descent, p.metrics.descent * k);
  }
  const box = size * lineHeight;
  // CSS-like half-leading: the glyphs' ascent+descent is centred in the line box.
  return { box, baseline: (box - (ascent + descent)) / 2 + ascent };
}

function totalHeight(lines: readonly LinePlan[], scale: number, lineHeight: number): number {
  let height = 0;
  for (const line of lines) height += lineMetrics(line, scale, lineHeight).box;
  return height;
}

/** Ends the line with "…", dropping words (or, for a lone word, clusters) until it fits. */
function ellipsize(
  plan: LinePlan,
  roles: FontRoles,
  baseLevel: number,
  width: number,
  scale: number,
): { line: LinePlan; tooWide: boolean } {
  let pieces = trimTrailing(plan.pieces);
  const last = pieces[pieces.length - 1] ?? plan.pieces[0]!;
  const chain = roles.chain(last.style.role, last.style.bold, last.style.italic);
  const face = pickFace('\u2026', chain, undefined, last.face, () => undefined);
  const mark = face.covers(0x2026) ? '\u2026' : '...';
  const ellipsis = makePiece({
    ...last,
    kind: 'word',
    text: mark,
    source: mark,
    face,
    level: baseLevel,
    breakAfter: 'none',
    clusters: [0, mark.length],
  });
  const room = width - ellipsis.width * scale;
  while (pieces.length > 1 && contentWidth(pieces, scale) > room + EPSILON) pieces = trimTrailing(pieces.slice(0, -1));
  let tooWide = false;
  if (pieces.length > 0 && contentWidth(pieces, scale) > room + EPSILON) {
    const only = pieces[0]!;
    const head = splitToFit(only, room, scale)?.[0];
    pieces = head ? [head] : [];
  }
  if (pieces.length === 0 && ellipsis.width * scale > width + EPSILON) tooWide = true;
  return { line: { pieces: [...pieces, ellipsis], last: true }, tooWide };
}

function placeLine(
  plan: LinePlan,
  baseline: number,
  baseLevel: number,
  width: number,
  scale: number,
  options: ParagraphOptions,
): LaidOutLine {
  const content = trimTrailing(plan.pieces);
  const lineWidth = contentWidth(content, scale);
  const rtl = baseLevel % 2 === 1;
  let align = options.align ?? 'start';
  let stretch = 0;
  if (align === 'justify') {
    let spaces = 0;
    for (const p of content) if (p.kind === 'space') spaces += p.shaped.glyphs.length;
    if (!plan.last && spaces > 0 && lineWidth < width) stretch = (width - lineWidth) / spaces;
    align = 'start';
  }
  const side = align === 'start' ? (rtl ? 'right' : 'left') : align === 'end' ? (rtl ? 'left' : 'right') : align;
  let x = stretch > 0 || side === 'left' ? 0 : side === 'center' ? (width - lineWidth) / 2 : width - lineWidth;

  const runs: LaidOutRun[] = [];
  let run: LaidOutRun | undefined;
  let runPiece: Piece | undefined;
  for (const piece of reorderLine(content)) {
    const size = piece.style.size * scale;
    const k = size / piece.face.unitsPerEm;
    const spacing = piece.spaced ? piece.style.letterSpacing * scale : 0;
    const extra = piece.kind === 'space' ? stretch : 0;
    if (!run || !runPiece || !sameRun(runPiece, piece)) {
      run = {
        face: piece.face,
        size,
        color: piece.style.color,
        x,
        width: 0,
        glyphs: [],
        text: '',
        bidiLevel: piece.level,
      };
      if (piece.style.link !== undefined) run.link = piece.style.link;
      if (piece.style.lang !== undefined) run.lang = piece.style.lang;
      if (piece.style.underline) {
        const m = piece.metrics;
        const mk = size / m.unitsPerEm;
        run.underline = { y: baseline + m.underlinePosition * mk, thickness: m.underlineThickness * mk };
      }
      runs.push(run);
      runPiece = piece;
    }
    // Right-to-left pieces arrive in visual order, so their logical text goes in front.
    run.text = piece.level % 2 === 1 ? piece.source + run.text : run.text + piece.source;
    for (const g of piece.shaped.glyphs) {
      const advance = g.advance * k + (g.advance !== 0 ? spacing : 0) + extra;
      const placed: GlyphPlacement = { id: g.id, text: g.text, advance, dx: g.dx * k, dy: g.dy * k };
      run.glyphs.push(placed);
      run.width += advance;
      x += advance;
    }
  }
  return { baseline, width: stretch > 0 ? width : lineWidth, runs };
}

function sameRun(a: Piece, b: Piece): boolean {
  const sa = a.style;
  const sb = b.style;
  return (
    a.face === b.face &&
    a.level === b.level &&
    sa.size === sb.size &&
    sa.underline === sb.underline &&
    sa.link === sb.link &&
    sa.lang === sb.lang &&
    sa.color[0] === sb.color[0] &&
    sa.color[1] === sb.color[1] &&
    sa.color[2] === sb.color[2]
  );
}
