import type { Range } from '../../variables/diagnostics';
import { MOVABLE } from '../../templates/markup/vocabulary';
import { applyEdits, type PageSizeMm, type Refusal, type SourceEdit } from '../canvas/edits';
import { moveBy } from '../canvas/operations';
import type { MessageKey } from '../i18n';

/**
 * Moving an element from the preview: the designer drags a box, and its new position is written back into
 * the template source, in the unit the designer wrote, so the source stays theirs. Only literal lengths are
 * rewritten; a position computed by Liquid (`x="{{ left }}mm"`) or absent is refused with a reason, since
 * guessing would change what the designer meant. (The canvas's other changes are in editor/canvas/.)
 *
 * Pure: no DOM, no Monaco; the preview and the tests call it the same way.
 */
/** A move is refused only for the reasons of the shared UI strings (`move.*` in editor/i18n.ts). */
export interface MoveRefusal extends Refusal {
  reason: MessageKey;
}

export interface MoveSuccess {
  ok: true;
  source: string;
  /** The attributes rewritten, old and new text, e.g. { x: ['20mm', '30mm'] }. */
  changed: Readonly<Record<string, readonly [string | undefined, string]>>;
  /** The same as the smallest edits of the source (what the editor applies, as one undo step). */
  edits: SourceEdit[];
}

export type MoveResult = MoveSuccess | MoveRefusal;

export type { PageSizeMm };

/**
 * The kinds of drawn boxes a designer may drag: the elements whose definition says how they move
 * (templates/elements/<name>/definition.ts, `editor.move`).
 */
export const MOVABLE_KINDS: ReadonlySet<string> = MOVABLE;

/**
 * Moves the element whose start tag begins at `range.start` by (dxMm, dyMm), x to the right and y down
 * (as markup measures them). `page` is needed only for positions written in percent.
 */
export function moveElement(source: string, range: Range, dxMm: number, dyMm: number, page?: PageSizeMm): MoveResult {
  const r = moveBy(source, range, dxMm, dyMm, page);
  // moveBy refuses only with the `move.*` keys (editor/canvas/edits.ts elementAt and lengthOf).
  if (!r.ok) return r as MoveRefusal;
  return { ok: true, source: applyEdits(source, r.edits), changed: r.changed, edits: r.edits };
}
