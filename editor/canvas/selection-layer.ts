import { html, nothing, svg } from 'lit';
import type { Distance, Guide, Rect } from './geometry';
import { ct, type CanvasMessageKey } from './messages';
import { formatInUnit } from './units';

/**
 * What the canvas draws over the page, as Lit templates the preview puts in its sheet: the selection's
 * outline and resize handles, and while dragging the alignment guides and the distances. Coordinates in
 * CSS pixels of the sheet (`scale` pixels per millimetre).
 */
export type Handle = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw';
export const HANDLES: readonly Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

/** The edges a handle moves, as signs: -1 moves the start edge (left/top), 1 the end edge. */
export function handleEdges(handle: Handle): { x: -1 | 0 | 1; y: -1 | 0 | 1 } {
  return {
    x: handle.includes('w') ? -1 : handle.includes('e') ? 1 : 0,
    y: handle.includes('n') ? -1 : handle.includes('s') ? 1 : 0,
  };
}

function position(handle: Handle, r: Rect): { left: number; top: number } {
  const e = handleEdges(handle);
  return { left: r.x + ((e.x + 1) / 2) * r.width, top: r.y + ((e.y + 1) / 2) * r.height };
}

/**
 * Handles around a selected box (pixels); `onDown` starts a resize. Only the handles the element can use
 * are drawn: a table has no height to drag.
 */
export function renderHandles(r: Rect, handles: readonly Handle[], onDown: (event: PointerEvent, handle: Handle) => void): unknown {
  return handles.map((h) => {
    const p = position(h, r);
    return html`<div
      class="handle handle-${h}"
      data-handle=${h}
      role="presentation"
      title=${ct('canvas.handle', { side: ct(`canvas.side.${h}` as CanvasMessageKey) })}
      style=${`left:${p.left}px;top:${p.top}px`}
      @pointerdown=${(e: PointerEvent) => onDown(e, h)}
    ></div>`;
  });
}

/** Guides and distance labels, in an SVG over the whole sheet; `k` converts millimetres to pixels. */
export function renderGuides(
  guides: readonly Guide[],
  distances: readonly Distance[],
  k: number,
  size: { width: number; height: number },
): unknown {
  if (!guides.length && !distances.length) return nothing;
  return html`<svg class="guides" width=${size.width} height=${size.height} aria-hidden="true">
    ${guides.map((g) =>
      g.axis === 'x'
        ? svg`<line class="guide ${g.kind}" x1=${g.at * k} x2=${g.at * k} y1=${g.from * k} y2=${g.to * k}></line>`
        : svg`<line class="guide ${g.kind}" y1=${g.at * k} y2=${g.at * k} x1=${g.from * k} x2=${g.to * k}></line>`,
    )}
    ${distances.map((d) => {
      const mid = ((d.from + d.to) / 2) * k;
      const label = `${formatInUnit(d.mm, 'mm')} mm`;
      return d.axis === 'y'
        ? svg`<g class="distance"><line x1=${d.at * k} x2=${d.at * k} y1=${d.from * k} y2=${d.to * k}></line><text x=${d.at * k + 4} y=${mid}>${label}</text></g>`
        : svg`<g class="distance"><line y1=${d.at * k} y2=${d.at * k} x1=${d.from * k} x2=${d.to * k}></line><text x=${mid} y=${d.at * k - 4} text-anchor="middle">${label}</text></g>`;
    })}
  </svg>`;
}

/** The styles of the above, for the preview's shadow root. */
export const selectionStyles = `
  .box.selected { border: 1.5px solid #1a73e8; background: rgba(26, 115, 232, 0.06); }
  .box.fixed { cursor: not-allowed; }
  .box.fixed.selected { border-style: dotted; border-color: #b26a00; }
  .handle { position: absolute; width: 9px; height: 9px; margin: -5px 0 0 -5px; background: white; border: 1.5px solid #1a73e8; box-sizing: border-box; z-index: 4; }
  .handle-n, .handle-s { cursor: ns-resize; }
  .handle-e, .handle-w { cursor: ew-resize; }
  .handle-ne, .handle-sw { cursor: nesw-resize; }
  .handle-nw, .handle-se { cursor: nwse-resize; }
  .guides { position: absolute; left: 0; top: 0; pointer-events: none; z-index: 5; overflow: visible; }
  .guide { stroke: #e8398a; stroke-width: 1; }
  .guide.margin { stroke-dasharray: 4 3; }
  .distance line { stroke: #e8398a; stroke-width: 1; }
  .distance text { fill: #c2185b; font: 11px system-ui, sans-serif; paint-order: stroke; stroke: white; stroke-width: 3px; }
  .boxes.placing { cursor: crosshair; }
  .boxes.placing .box { pointer-events: none; }
  .fixed-reason { position: absolute; z-index: 6; max-width: 280px; padding: 4px 8px; background: #fff8d6; border: 1px solid #e0c96b; border-radius: 4px; font-size: 12px; pointer-events: none; }
`;
