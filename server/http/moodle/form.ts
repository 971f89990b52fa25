import type { Problem } from '../../domain/errors';

/**
 * Moodle's parameters as PHP reads them from a form-encoded body or a query string: `uids[0]=7&uids[1]=9`
 * is the list ["7", "9"], `a[b]=1` the structure { b: "1" }, `a[]=x` appends. PHP silently keeps the last
 * of two values given for one name, or turns a value into a list when both are sent; here each of those is
 * a problem of its own, so a client's encoding bug is said instead of half-read. Lists come back as arrays
 * when every key is a number (in the order sent, as PHP keeps them), structures as objects.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

/** PHP's max_input_vars and a nesting far beyond what any function here takes. */
export const MAX_FORM_PAIRS = 1000;
export const MAX_FORM_DEPTH = 5;

type Node = string | Map<string, Node>;

export interface ParsedForm {
  values: Record<string, FormValue>;
  problems: Problem[];
}

/** The name and its bracketed keys (`uids[0]` → ["uids", "0"]), or undefined when the brackets do not close. */
function keysOf(name: string): string[] | undefined {
  const open = name.indexOf('[');
  if (open < 0) return [name];
  const keys = [name.slice(0, open)];
  let rest = name.slice(open);
  while (rest.length) {
    const m = /^\[([^[\]]*)\]/.exec(rest);
    if (!m) return undefined;
    keys.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  return keys;
}

const decode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};

export function parseForm(text: string, where: 'query' | 'body'): ParsedForm {
  const root = new Map<string, Node>();
  const problems: Problem[] = [];
  const problem = (path: string, code: string, message: string) => problems.push({ path, code, message });
  const pairs = text.split('&').filter((p) => p !== '');
  if (pairs.length > MAX_FORM_PAIRS)
    problem('', 'MOODLE_FORM_TOO_MANY', `The ${where} has ${pairs.length} parameters; at most ${MAX_FORM_PAIRS} are read.`);
  for (const pair of pairs.slice(0, MAX_FORM_PAIRS)) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (name === undefined || value === undefined) {
      problem('', 'MOODLE_FORM_ENCODING', `"${pair.slice(0, 80)}" is not valid percent-encoded UTF-8.`);
      continue;
    }
    const keys = keysOf(name);
    if (!keys || keys[0] === '') {
      problem(name.slice(0, 200), 'MOODLE_FORM_NAME', `"${name.slice(0, 80)}" is not a parameter name with [key] brackets that close.`);
      continue;
    }
    if (keys.length - 1 > MAX_FORM_DEPTH) {
      problem(keys[0]!, 'MOODLE_FORM_TOO_DEEP', `"${name.slice(0, 80)}" nests deeper than ${MAX_FORM_DEPTH} levels.`);
      continue;
    }
    let node = root;
    let path = '';
    for (let i = 0; i < keys.length; i++) {
      let key = keys[i]!;
      // `a[]=x`: the next position, as PHP appends.
      if (key === '' && i > 0)
        key = String([...node.keys()].filter((k) => /^\d+$/.test(k)).reduce((n, k) => Math.max(n, Number(k) + 1), 0));
      path = i === 0 ? key : /^\d+$/.test(key) ? `${path}[${key}]` : `${path}.${key}`;
      const last = i === keys.length - 1;
      const existing = node.get(key);
      if (last) {
        if (existing !== undefined) {
          problem(
            path,
            'MOODLE_FORM_CONFLICT',
            typeof existing === 'string' ? `${path} is given twice.` : `${path} is given both as a value and as a list or structure.`,
          );
          break;
        }
        node.set(key, value);
        break;
      }
      if (typeof existing === 'string') {
        problem(path, 'MOODLE_FORM_CONFLICT', `${path} is given both as a value and as a list or structure.`);
        break;
      }
      const child = existing ?? new Map<string, Node>();
      node.set(key, child);
      node = child;
    }
  }
  const values: Record<string, FormValue> = {};
  for (const [k, v] of root) own(values, k, toValue(v));
  return { values, problems };
}

function toValue(node: Node): FormValue {
  if (typeof node === 'string') return node;
  const entries = [...node];
  if (entries.every(([k]) => /^\d+$/.test(k))) return entries.map(([, v]) => toValue(v));
  const out: Record<string, FormValue> = {};
  for (const [k, v] of entries) own(out, k, toValue(v));
  return out;
}

/** A key of the caller's, set as an own property: `__proto__` is a name like any other, never a prototype. */
function own(o: Record<string, FormValue>, key: string, value: FormValue): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}
