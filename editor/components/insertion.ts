import type { VarType } from '../../variables/types';

/**
 * What the variables panel inserts for a variable, as plain functions (no DOM): the panel shows them, and
 * test/editor/insertion.test.ts checks what they insert against the analyzer.
 */

/** The loop variable when the list's name gives no better one (or gives a name already in use). */
const ITEM = 'item';

/** The name a list's items take in its loop: `module` for `modules`, `activity` for `activities`. */
export function loopVariable(path: string, taken: ReadonlySet<string>): string {
  const last = path.slice(path.lastIndexOf('.') + 1);
  const singular = /ies$/.test(last) ? `${last.slice(0, -3)}y` : /[^s]s$/.test(last) && last.length > 3 ? last.slice(0, -1) : '';
  // A name already in scope would be hidden inside the loop (`courses` → `course` hides course.*).
  for (const name of [singular, ITEM, 'entry']) if (/^[a-z_]\w*$/i.test(name) && !taken.has(name)) return name;
  return `${ITEM}_${taken.size}`;
}

/** How one value prints: a date or a date and time in the document's language, anything else as it is. */
function output(expr: string, type: VarType): string {
  if (type.kind === 'date' || type.kind === 'datetime') return `{{ ${expr} | ${type.kind}: "long" }}`;
  return `{{ ${expr} }}`;
}

const printable = (type: VarType): boolean => type.kind !== 'list' && type.kind !== 'object' && type.kind !== 'map';

/**
 * The text inserted for a variable. A list prints item by item, so it becomes a loop: over a list of
 * objects, the loop prints each field of the item (`{{ item }}` would print nothing); over a list of
 * values, the item itself. `taken` are the names in scope, which the loop variable must not hide.
 */
export function insertionText(path: string, type: VarType, taken: ReadonlySet<string>): string {
  if (type.kind !== 'list') return output(path, type);
  const x = loopVariable(path, taken);
  const item = type.of;
  let body: string;
  if (item.kind === 'object') {
    const fields = Object.entries(item.fields).filter(([, v]) => printable(v.type));
    body = fields.length > 0 ? fields.map(([name, v]) => output(`${x}.${name}`, v.type)).join(', ') : `{{ ${x} }}`;
  } else body = output(x, item);
  return `{% for ${x} in ${path} %}${body}{% endfor %}`;
}
