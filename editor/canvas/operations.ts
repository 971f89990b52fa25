import type { Range } from '../../variables/diagnostics';
import {
  changeTagLengths,
  editorSpec,
  elementAt,
  lengthOf,
  type EditResult,
  type LengthChange,
  type PageSizeMm,
  type Refusal,
} from './edits';
import { isComputed, type StartTag } from './tags';

/**
 * What the canvas does to one element, as edits of its start tag: move, resize, and what it can tell
 * about it beforehand (may it be dragged, and if not, why). How an element moves and resizes is its
 * definition's (`editor.move`, `editor.resize` in templates/elements/<name>/definition.ts).
 */

/** A tag the definitions do not know is moved by x and y, and refused if it has none. */
const DEFAULT_MOVE = { h: ['x'], v: ['y'] } as const;

/** The edges of a box moved by a resize, in millimetres (left and top grow to the left and up when negative). */
export interface EdgeDeltas {
  left?: number;
  top?: number;
  right?: number;
  bottom?: number;
}

export function moveTag(tag: StartTag, dxMm: number, dyMm: number, page?: PageSizeMm): EditResult {
  const axes = editorSpec(tag.name)?.move ?? DEFAULT_MOVE;
  return changeTagLengths(
    tag,
    [...axes.h.map((attribute) => ({ attribute, by: dxMm })), ...axes.v.map((attribute) => ({ attribute, by: dyMm }))],
    page,
  );
}

export function moveBy(source: string, range: Range, dxMm: number, dyMm: number, page?: PageSizeMm): EditResult {
  const tag = elementAt(source, range);
  return 'ok' in tag ? tag : moveTag(tag, dxMm, dyMm, page);
}

/**
 * Resizes by moving edges: the left and top edges move the element (its `move` attributes) and take as
 * much from its size (its `resize` attributes); the right and bottom edges change the size alone. `box` is
 * the size drawn now, in millimetres: a text without a height gets the one it had on the page.
 */
export function resizeBy(
  source: string,
  range: Range,
  edges: EdgeDeltas,
  box: { width: number; height: number },
  page?: PageSizeMm,
): EditResult {
  const tag = elementAt(source, range);
  if ('ok' in tag) return tag;
  const spec = editorSpec(tag.name);
  if (!spec?.resize) return refuse(tag.name);
  const { left = 0, top = 0, right = 0, bottom = 0 } = edges;
  const dw = right - left;
  const dh = bottom - top;
  const sizes = new Map<string, LengthChange>();
  const grow = (names: readonly string[], by: number, drawn: number) => {
    for (const attribute of names) {
      const before = sizes.get(attribute);
      // One attribute for both axes (a square): the larger change wins, so the corner follows the hand.
      if (before && Math.abs(before.by ?? 0) >= Math.abs(by)) continue;
      sizes.set(attribute, { attribute, by, whenAbsent: attribute === 'height' ? drawn : undefined });
    }
  };
  grow(spec.resize.w, dw, box.width);
  grow(spec.resize.h, dh, box.height);
  const changes: LengthChange[] = [
    ...spec.move.h.map((attribute) => ({ attribute, by: left })),
    ...spec.move.v.map((attribute) => ({ attribute, by: top })),
  ];
  // A move attribute that is also a size (a line's x2) adds both changes.
  for (const c of sizes.values()) {
    const same = changes.find((m) => m.attribute === c.attribute);
    if (same) same.by = (same.by ?? 0) + (c.by ?? 0);
    else changes.push(c);
  }
  return changeTagLengths(tag, changes, page);
}

function refuse(name: string): Refusal {
  return { ok: false, reason: 'canvas.fixed', params: { reason: `<${name}>` }, message: `A <${name}> cannot be resized on the page.` };
}

/** What the canvas may do with an element, decided from its source: drag (or why not) and resize. */
export interface Handling {
  name: string;
  move: true | Refusal;
  resize: boolean;
}

export function handlingOf(source: string, range: Range, page?: PageSizeMm): Handling | Refusal {
  const tag = elementAt(source, range);
  if ('ok' in tag) return tag;
  const spec = editorSpec(tag.name);
  const axes = spec?.move ?? DEFAULT_MOVE;
  let move: true | Refusal = true;
  for (const name of [...axes.h, ...axes.v]) {
    const l = lengthOf(tag, name, page);
    if ('ok' in l) {
      move = l;
      break;
    }
  }
  const resize =
    move === true &&
    !!spec?.resize &&
    [...spec.resize.w, ...spec.resize.h].every((n) => {
      const a = tag.attributes.find((b) => b.name === n);
      return a ? !isComputed(tag, a) : n === 'height';
    });
  return { name: tag.name, move, resize };
}
