import type { Range } from '../../variables/diagnostics';
import { DEFINITIONS, type ElementName } from '../../templates/elements/definitions';
import type { ElementDefinition } from '../../templates/elements/definition';
import { elementAt, refuse, setAttributes, type EditResult } from './edits';
import { readStartTag, type StartTag } from './tags';

/**
 * An element's content as written between its tags (a text's words and Liquid), and where a bound
 * variable goes: into the content of an element that holds text, into the attribute that holds its
 * value otherwise (a QR code's `value`, a link's `href`, an image's `src`). Pure and browser-safe.
 */
export interface Content {
  start: number;
  end: number;
  text: string;
}

/** The content of a non-empty element, undefined for one that closes itself or holds no text. */
export function contentOf(source: string, tag: StartTag): Content | undefined {
  if (tag.selfClosing) return undefined;
  const def = Object.hasOwn(DEFINITIONS, tag.name) ? DEFINITIONS[tag.name as ElementName] : undefined;
  if (!def || def.text === 'none') return undefined;
  // Elements that hold text do not nest in themselves (a <text> in a <text> is refused by the parser).
  const close = source.indexOf(`</${tag.name}>`, tag.end);
  if (close < 0) return undefined;
  return { start: tag.end, end: close, text: source.slice(tag.end, close) };
}

/** The attribute a variable is bound to on an element without text content. */
export function valueAttribute(name: string): string | undefined {
  const def: ElementDefinition | undefined = Object.hasOwn(DEFINITIONS, name) ? DEFINITIONS[name as ElementName] : undefined;
  if (!def || def.text !== 'none') return undefined;
  return def.attributes.find((a) => a.required && (a.type.kind === 'text' || a.type.kind === 'url'))?.name;
}

/** Replaces the content of an element (what the property panel's content field writes). */
export function setContent(source: string, range: Range, text: string): EditResult {
  const tag = elementAt(source, range);
  if ('ok' in tag) return tag;
  const content = contentOf(source, tag);
  if (!content) return refuse('canvas.fixed', { reason: `<${tag.name}>` }, `A <${tag.name}> holds no text.`);
  if (content.text === text) return { ok: true, edits: [], changed: {} };
  return { ok: true, edits: [{ start: content.start, end: content.end, text }], changed: { content: [content.text, text] } };
}

/**
 * Binds a variable: `{{ path }}` in the content (appended, or replacing it) or as the value attribute.
 */
export function bindVariable(source: string, range: Range, path: string, how: 'append' | 'replace'): EditResult {
  const tag = elementAt(source, range);
  if ('ok' in tag) return tag;
  const output = `{{ ${path} }}`;
  const content = contentOf(source, tag);
  if (content) {
    if (how === 'replace') return setContent(source, range, output);
    const sep = content.text === '' || /\s$/.test(content.text) ? '' : ' ';
    return {
      ok: true,
      edits: [{ start: content.end, end: content.end, text: `${sep}${output}` }],
      changed: { content: [content.text, content.text + sep + output] },
    };
  }
  const attribute = valueAttribute(tag.name);
  if (!attribute) return refuse('canvas.fixed', { reason: `<${tag.name}>` }, `A <${tag.name}> holds no value to bind.`);
  return setAttributes(source, range, { [attribute]: output });
}

/** The element (start tag) whose source holds `offset`, among the tags at `ranges` offsets: the innermost. */
export function elementAtOffset(source: string, starts: readonly number[], offset: number): number | undefined {
  let best: { start: number; size: number } | undefined;
  for (const start of starts) {
    if (start > offset) continue;
    const tag = readStartTag(source, start);
    if (!tag) continue;
    const end = tag.selfClosing
      ? tag.end
      : (() => {
          const close = source.indexOf(`</${tag.name}>`, tag.end);
          return close < 0 ? tag.end : close + tag.name.length + 3;
        })();
    if (offset > end) continue;
    if (!best || end - start < best.size) best = { start, size: end - start };
  }
  return best?.start;
}
