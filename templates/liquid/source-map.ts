import type { Range } from '../../variables/diagnostics';
import { LineIndex } from '../../variables/diagnostics';

/**
 * Where each stretch of rendered markup came from in the template. Static text maps character for
 * character; the output of a `{{ … }}` or a tag maps to that tag as a whole. Later stages (markup, layout,
 * the editor's click-to-source) use it to speak in template positions rather than rendered positions.
 */
export interface Segment {
  outStart: number;
  outEnd: number;
  srcStart: number;
  srcEnd: number;
  /** Static text maps offsets one to one; anything else maps to the whole source span. */
  literal: boolean;
}

export class SourceMap {
  private sorted: Segment[] | undefined;
  constructor(
    private readonly segments: Segment[],
    private readonly lines: LineIndex,
    /** Offset of the Liquid body in the template file. */
    private readonly bodyOffset: number,
  ) {}

  /** The template offset for a rendered offset, or undefined if it came from nowhere in the template. */
  sourceOffset(out: number): number | undefined {
    const seg = this.innermost(out);
    if (!seg) return undefined;
    const local = seg.literal ? Math.min(seg.srcStart + (out - seg.outStart), seg.srcEnd) : seg.srcStart;
    return this.bodyOffset + local;
  }

  locate(start: number, end: number): Range | undefined {
    const s = this.innermost(start);
    if (!s) return undefined;
    if (!s.literal) return this.lines.range(this.bodyOffset + s.srcStart, this.bodyOffset + s.srcEnd);
    const a = this.sourceOffset(start)!;
    const b = end > start ? this.sourceOffset(end - 1) : a;
    return this.lines.range(a, (b ?? a) + 1);
  }

  private innermost(out: number): Segment | undefined {
    const segs = (this.sorted ??= [...this.segments].sort((x, y) => x.outStart - y.outStart || y.outEnd - x.outEnd));
    // Binary search for the last segment starting at or before `out`, then walk back over the few enclosing
    // ones; segments never partially overlap (they nest), so the shortest containing one is the innermost.
    let lo = 0;
    let hi = segs.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid]!.outStart <= out) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let best: Segment | undefined;
    for (let i = idx; i >= 0 && i > idx - 64; i--) {
      const s = segs[i]!;
      if (s.outStart <= out && out < s.outEnd && (!best || s.outEnd - s.outStart < best.outEnd - best.outStart)) best = s;
    }
    return best;
  }
}
