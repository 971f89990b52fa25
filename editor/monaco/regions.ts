/**
 * Where the Liquid is in a body. The markup checks and the markup completion look at the body as if the
 * Liquid were not there; Liquid completion and hover only look inside it. Offsets are 0-based in the body.
 */
export interface LiquidRegion {
  kind: 'output' | 'tag';
  start: number;
  /** Exclusive; the end of the text when the region is not closed yet (the designer is typing it). */
  end: number;
  closed: boolean;
  /** The tag's name (`for`, `if`, `endfor`, …) for tags. */
  tag?: string;
}

/** Tags whose content is not markup either: everything up to their end tag belongs to the region. */
const OPAQUE = new Set(['comment', 'raw']);

export function liquidRegions(body: string): LiquidRegion[] {
  const out: LiquidRegion[] = [];
  let i = 0;
  while (i < body.length) {
    const open = nextOpener(body, i);
    if (open < 0) break;
    const isOutput = body[open + 1] === '{';
    const closer = isOutput ? '}}' : '%}';
    const end = findCloser(body, open + 2, closer);
    const closed = end >= 0;
    const region: LiquidRegion = { kind: isOutput ? 'output' : 'tag', start: open, end: closed ? end + 2 : body.length, closed };
    if (!isOutput) {
      const tag = /^-?\s*(\w+)/.exec(body.slice(open + 2, region.end))?.[1];
      if (tag) region.tag = tag;
      if (tag && OPAQUE.has(tag) && closed) {
        const endTag = new RegExp(`\\{%-?\\s*end${tag}\\s*-?%\\}`, 'g');
        endTag.lastIndex = region.end;
        const m = endTag.exec(body);
        region.end = m ? m.index + m[0].length : body.length;
        region.closed = m !== null;
      }
    }
    out.push(region);
    i = region.end;
  }
  return out;
}

function nextOpener(body: string, from: number): number {
  const a = body.indexOf('{{', from);
  const b = body.indexOf('{%', from);
  if (a < 0) return b;
  if (b < 0) return a;
  return Math.min(a, b);
}

/** The closer outside quoted strings, as liquidjs's tokenizer reads them. */
function findCloser(body: string, from: number, closer: string): number {
  let quote: string | undefined;
  for (let i = from; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === closer[0] && body[i + 1] === closer[1]) return i;
  }
  // An unbalanced quote should not swallow the rest of the template: fall back to the first closer.
  const plain = body.indexOf(closer, from);
  return quote ? plain : -1;
}

/** The region containing an offset (a cursor just after `}}` is outside it). */
export function regionAt(regions: readonly LiquidRegion[], offset: number): LiquidRegion | undefined {
  return regions.find((r) => r.start < offset && (offset < r.end || (!r.closed && offset === r.end)));
}

/**
 * The body with every Liquid region blanked (same length, line breaks kept), so an XML reader sees the
 * markup around it at the same offsets.
 */
export function maskLiquid(body: string, regions: readonly LiquidRegion[]): string {
  let out = '';
  let at = 0;
  for (const r of regions) {
    out += body.slice(at, r.start) + body.slice(r.start, r.end).replace(/[^\n\r]/g, ' ');
    at = r.end;
  }
  return out + body.slice(at);
}
