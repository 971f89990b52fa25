import { SaxesParser } from 'saxes';
import type { Diagnostic, Fix, Range } from '../../variables/diagnostics';
import { didYouMean } from '../../variables/suggest';
import { ENTITIES } from './entities';
import { DEFINITIONS } from '../elements/definitions';
import type { ElementDefinition } from '../elements/definition';
import type { InlineNode, MarkupDocument, PageNode, TableNode } from './types';
import { readValue } from './values';
import {
  fieldName,
  isElementName,
  parentsOf,
  TOP_LEVEL,
  VOCABULARY,
  type AttributeSpec,
  type ElementName,
  type ElementSpec,
} from './vocabulary';

export interface MarkupInput {
  markup: string;
  /** Maps [start, end) offsets of the rendered markup to a Range in the template file (1-based). May return
   *  undefined when a span came from data rather than the template. */
  locate(start: number, end: number): Range | undefined;
}

export interface MarkupResult {
  /** Undefined only when the markup is not well-formed XML. With other errors it holds every element that
   *  could be read (elements missing a required attribute are left out); do not draw it if there are errors. */
  document: MarkupDocument | undefined;
  diagnostics: Diagnostic[];
}

import { MARKUP_CODES } from './codes';

export { MARKUP_CODES };

/**
 * Elements inside elements, at most. A certificate needs a handful of levels (page, text, b, i, span);
 * layout walks the tree recursively, so thousands of nested tags would overflow the stack.
 */
export const MAX_MARKUP_DEPTH = 100;

/** Problems reported for one document's markup, at most. */
const MAX_MARKUP_DIAGNOSTICS = 200;

interface IndexedAttribute {
  spec: AttributeSpec;
  field: string;
  /** The parsed default, shared (frozen) between documents. */
  fallback: unknown;
}

/** The vocabulary arranged for lookups, built once per process. */
const INDEX: ReadonlyMap<string, ReadonlyMap<string, IndexedAttribute>> = new Map(
  Object.entries<ElementSpec>(VOCABULARY).map(([name, spec]) => [
    name,
    new Map(
      spec.attributes.map((a) => {
        let fallback: unknown;
        if (a.default !== undefined) {
          const read = readValue(a.type, a.default);
          if (!read.ok) throw new Error(`vocabulary: default of ${name}.${a.name} is invalid`);
          fallback = deepFreeze(read.value);
        }
        return [a.name, { spec: a, field: fieldName(a.name), fallback }];
      }),
    ),
  ]),
);

const ELEMENT_NAMES = Object.keys(VOCABULARY);

/** HTML habits, so "did you mean" can answer them. */
const HTML_NAMES: Readonly<Record<string, string>> = { strong: 'b', em: 'i', img: 'image', p: 'text', div: 'text', hr: 'line' };

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The same template renders the same attribute values for every learner, so readings are kept per process
 * (frozen, since documents share them). Bounded: values from data vary, and the cache is simply dropped
 * when full.
 */
const readings = new Map<IndexedAttribute, Map<string, ReturnType<typeof readValue>>>();
let cachedReadings = 0;
const MAX_READINGS = 20_000;

function cachedRead(attribute: IndexedAttribute, raw: string): ReturnType<typeof readValue> {
  let byValue = readings.get(attribute);
  const hit = byValue?.get(raw);
  if (hit) return hit;
  if (cachedReadings >= MAX_READINGS) {
    readings.clear();
    cachedReadings = 0;
    byValue = undefined;
  }
  if (!byValue) readings.set(attribute, (byValue = new Map<string, ReturnType<typeof readValue>>()));
  const read = deepFreeze(readValue(attribute.spec.type, raw));
  byValue.set(raw, read);
  cachedReadings++;
  return read;
}

interface RawAttribute {
  name: string;
  value: string;
  nameStart: number;
  valueStart: number;
  valueEnd: number;
}

/** Each element builds its own node (templates/elements/<name>/definition.ts); the parser only files it. */
const BUILDERS = DEFINITIONS as Readonly<Record<ElementName, ElementDefinition<readonly AttributeSpec[], object>>>;

type Child = object;

interface Frame {
  name: string;
  /** Undefined inside an unknown element: its content is skipped rather than reported piece by piece. */
  spec: Pick<ElementSpec, 'children' | 'text'> | undefined;
  /** Where child nodes (and, in inline content, character data) go. Frames are plain data rather than
   *  closures: a few hundred of them per document are made and dropped. */
  children?: Child[];
  /** Character data of a plain-text element (a watermark). */
  plain?: string[];
  /** Set on a <table>'s frame, for its <thead> and <tbody>. */
  table?: TableNode;
  node?: Child;
  /** Its definition, for what happens at the closing tag. */
  definition?: ElementDefinition<readonly AttributeSpec[], object>;
  /** The opening tag, for "never closed" reports. */
  range?: Range;
  /** Where the first child that does not belong here starts, and the reports about such children: when
   *  this element turns out never to be closed, those children were meant to follow it, not be inside. */
  strayAt?: number;
  strays?: Diagnostic[];
}

class Abort extends Error {}

const TOP = '(top level)';

export function parseMarkup(input: MarkupInput): MarkupResult {
  return new MarkupReader(input).read();
}

class MarkupReader {
  private readonly markup: string;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly pages: PageNode[] = [];
  private readonly stack: Frame[];
  private readonly parser = new SaxesParser({ fragment: true });
  private readonly syntaxErrors: { message: string; at: number }[] = [];
  private pending: RawAttribute[] = [];
  /** End of the last tag, comment or other non-text construct: where character data starts. */
  private lastEnd = 0;
  /** The element that was open when a closing tag did not match it, and the closing tag written. */
  private mismatched: { frame: Frame; written: string; at: number } | undefined;
  private tooDeep = false;

  constructor(private readonly input: MarkupInput) {
    this.markup = input.markup;
    this.stack = [
      {
        name: TOP,
        spec: { children: TOP_LEVEL, text: 'none' },
        children: this.pages,
      },
    ];
  }

  read(): MarkupResult {
    const p = this.parser;
    p.ENTITIES = ENTITIES;
    // Seven handlers at most: with an eighth, saxes runs several times slower on V8 (measured: 0.3 → 1.8 ms
    // on 15 KB). Processing instructions and doctypes are therefore not watched; they are allowed and ignored.
    p.on('attribute', (a) => this.onAttribute(a, p.position));
    p.on('opentag', (tag) => this.onOpen(tag, p.position));
    p.on('closetag', () => this.onClose(p.position));
    p.on('text', (text) => this.onText(text, p.position));
    p.on('cdata', (text) => this.onText(text, p.position));
    p.on('comment', () => this.skipTo('-->', p.position - 3));
    p.on('error', (error) => this.onError(error.message, p.position));
    try {
      p.write(this.markup).close();
    } catch (error) {
      if (!(error instanceof Abort)) throw error;
    }
    if (this.tooDeep) return { document: undefined, diagnostics: this.diagnostics };
    if (this.syntaxErrors.length > 0) {
      this.reportSyntax();
      return { document: undefined, diagnostics: this.diagnostics };
    }
    if (this.pages.length === 0) {
      this.report(
        MARKUP_CODES.empty,
        'The markup has no <page>: wrap the certificate in <page> … </page>.',
        this.input.locate(0, this.markup.length),
      );
    }
    return { document: { pages: this.pages }, diagnostics: this.diagnostics };
  }

  // ── XML events ────────────────────────────────────────────────────────────────────────────────────

  private onAttribute(a: { name: string; value: string }, position: number): void {
    // The event fires after the closing quote; the value cannot contain its own quote character.
    const quote = this.markup[position - 1] ?? '"';
    const valueEnd = position - 1;
    const valueStart = this.markup.lastIndexOf(quote, valueEnd - 1) + 1;
    let nameEnd = valueStart - 1;
    while (nameEnd > 0 && /[\s=]/.test(this.markup[nameEnd - 1]!)) nameEnd--;
    this.pending.push({ name: a.name, value: a.value, nameStart: nameEnd - a.name.length, valueStart, valueEnd });
  }

  private onOpen(tag: { name: string }, position: number): void {
    const pending = this.pending;
    this.pending = [];
    if (this.syntaxErrors.length > 0) return;
    // Attribute values cannot contain "<", so the last one before the tag's end starts the tag.
    const start = this.markup.lastIndexOf('<', position - 2);
    this.lastEnd = position;
    const parent = this.stack[this.stack.length - 1]!;
    const name = tag.name;
    // The stack holds the top level too: its length is the depth of the element being opened.
    if (this.stack.length > MAX_MARKUP_DEPTH) {
      this.tooDeep = true;
      this.report(
        MARKUP_CODES.tooDeep,
        `<${name}> is nested ${this.stack.length} elements deep; markup may nest at most ${MAX_MARKUP_DEPTH} levels. Close elements before opening new ones (a loop may be opening tags it never closes).`,
        this.input.locate(start, position),
      );
      throw new Abort();
    }
    if (!parent.spec) return void this.stack.push({ name, spec: undefined });
    if (!isElementName(name)) {
      const hint = didYouMean(name, parent.spec.children) ?? HTML_NAMES[name.toLowerCase()] ?? didYouMean(name, ELEMENT_NAMES);
      this.report(
        MARKUP_CODES.unknownElement,
        `<${name}> is not a certificate element.${hint ? ` Did you mean <${hint}>?` : ` Inside <${parent.name}> you can use ${list(parent.spec.children)}.`}`,
        this.input.locate(start + 1, start + 1 + name.length),
      );
      return void this.stack.push({ name, spec: undefined });
    }
    const range = this.input.locate(start, position);
    const placed = parent.spec.children.includes(name);
    if (!placed) {
      parent.strayAt ??= start;
      this.reportStray(
        parent,
        MARKUP_CODES.misplacedElement,
        misplacedMessage(name, parent.name),
        this.input.locate(start + 1, start + 1 + name.length),
      );
    }
    const { values, complete } = this.readAttributes(name, pending, range);
    const frame = this.build(name, range, values);
    if (placed && complete && frame.node) parent.children?.push(frame.node);
    if (range) frame.range = range;
    this.stack.push(frame);
  }

  private onClose(position: number): void {
    if (this.syntaxErrors.length > 0 || this.mismatched) return;
    this.lastEnd = position;
    const frame = this.stack[this.stack.length - 1]!;
    // On a wrong closing tag saxes first closes the open element, then complains; note which one it was.
    if (this.markup[position - 2] !== '/') {
      const written = this.markup.slice(this.markup.lastIndexOf('</', position - 1) + 2, position - 1).trim();
      if (written !== frame.name) {
        this.mismatched = { frame, written, at: this.markup.lastIndexOf('</', position - 1) };
        return;
      }
    }
    this.stack.pop();
    if (frame.node && frame.definition?.close) frame.definition.close(frame.node, frame.plain?.join(''));
  }

  private onText(text: string, position: number): void {
    const end = this.markup[position - 1] === '<' ? position - 1 : position;
    const start = this.lastEnd;
    this.lastEnd = end;
    if (this.syntaxErrors.length > 0) return;
    const frame = this.stack[this.stack.length - 1]!;
    if (!frame.spec) return;
    if (frame.spec.text === 'inline') {
      const run: InlineNode = { kind: 'text', text };
      const range = this.input.locate(start, end);
      if (range) run.range = range;
      frame.children!.push(run);
    } else if (frame.plain) {
      frame.plain.push(text);
    } else if (/[^ \t\n\r]/.test(text)) {
      const raw = this.markup.slice(start, end);
      const lead = raw.length - raw.trimStart().length;
      const trail = raw.length - raw.trimEnd().length;
      frame.strayAt ??= start + lead;
      this.reportStray(
        frame,
        MARKUP_CODES.misplacedElement,
        strayTextMessage(frame.name, text.trim()),
        this.input.locate(start + lead, end - trail),
      );
    }
  }

  private skipTo(terminator: string, from: number): void {
    const at = this.markup.indexOf(terminator, Math.max(0, from));
    this.lastEnd = at < 0 ? this.markup.length : at + terminator.length;
  }

  private onError(message: string, at: number): void {
    // saxes goes on after an error, but what follows is guesswork: keep the reports made at the first bad
    // spot (several may describe it, the last is the most precise) and stop at the next one.
    const first = this.syntaxErrors[0];
    if (first && first.at !== at) throw new Abort();
    this.syntaxErrors.push({ message: message.replace(/^\d+:\d+:\s*/, ''), at });
  }

  private reportSyntax(): void {
    const last = this.syntaxErrors[this.syntaxErrors.length - 1]!;
    const at = Math.min(last.at, this.markup.length);
    let from = Math.max(0, Math.min(at - 1, this.markup.length - 1));
    let to = Math.max(from + 1, at);
    let range: Range | undefined;
    /** The element never closed, and where its closing tag would most likely go. */
    let culprit: { frame: Frame; closeAt: number; closes: string } | undefined;
    let syntax = last.message;
    if (/^unclosed tag: (.+)$/.test(syntax)) {
      // The markup ended with elements open. saxes names the outermost; the innermost is the one to close
      // first (or one that swallowed the elements after it), and the rest close after it at the end.
      const open = this.stack.slice(1).reverse();
      const frame = open.find((f) => f.strays?.length) ?? open[0];
      if (frame) {
        syntax = `unclosed tag: ${frame.name}`;
        range = frame.range;
        culprit =
          frame.strayAt !== undefined
            ? { frame, closeAt: frame.strayAt, closes: `</${frame.name}>` }
            : { frame, closeAt: this.markup.length, closes: open.map((f) => `</${f.name}>`).join('') };
      }
    } else if (last.message === 'unexpected close tag.' && this.mismatched) {
      range = this.mismatched.frame.range;
      const frame = this.mismatched.frame;
      culprit = { frame, closeAt: frame.strayAt ?? this.mismatched.at, closes: `</${frame.name}>` };
    } else if (/clos(e|ing) tag/.test(last.message) && this.markup.lastIndexOf('</', at - 1) >= 0)
      from = this.markup.lastIndexOf('</', at - 1);
    else if (/entity/.test(last.message) && this.markup.lastIndexOf('&', at - 1) >= 0)
      [from, to] = [this.markup.lastIndexOf('&', at - 1), at];
    const strays = culprit?.frame.strays?.length ? culprit.frame.name : undefined;
    const message = strays
      ? `<${strays}> is never closed: add </${strays}> where its content ends (the elements after it are not meant to be inside it).`
      : this.readableSyntax(syntax, at);
    const root: Diagnostic = { stage: 'markup', code: MARKUP_CODES.syntax, severity: 'error', message };
    const where = range ?? this.input.locate(from, to);
    if (where) root.range = where;
    if (culprit) {
      // What looked misplaced inside the unclosed element only followed it: one cause, one report.
      const cascade = new Set(culprit.frame.strays);
      const kept = this.diagnostics.filter((d) => !cascade.has(d));
      this.diagnostics.length = 0;
      this.diagnostics.push(...kept);
      const fix = this.closingFix(culprit.frame.name, culprit.closes, culprit.closeAt);
      if (fix) root.fixes = [fix];
    }
    // The cause first: everything else read before the parse stopped comes after it.
    this.diagnostics.unshift(root);
  }

  /**
   * Inserts the missing closing tag where the element's own content ends: before the first child that
   * does not belong in it (on its own line when that child starts a line), or before the closing tag of
   * its parent.
   */
  private closingFix(name: string, closes: string, at: number): Fix | undefined {
    const range = this.input.locate(at, at);
    if (!range || range.start.line !== range.end.line || range.start.column !== range.end.column) return undefined;
    const lineStart = this.markup.lastIndexOf('\n', at - 1) + 1;
    const indent = this.markup.slice(lineStart, at);
    const ownLine = at < this.markup.length && lineStart > 0 && /^[ \t]*$/.test(indent);
    return { title: `Close <${name}> here`, range, replacement: ownLine ? `${closes}\n${indent}` : closes };
  }

  private readableSyntax(message: string, at: number): string {
    const open = this.mismatched?.frame.name ?? (this.stack.length > 1 ? this.stack[this.stack.length - 1]!.name : undefined);
    let m: RegExpExecArray | null;
    if (message === 'undefined entity.' || message === 'disallowed character in entity name.') {
      const amp = this.markup.lastIndexOf('&', at - 1);
      const entity = amp >= 0 ? this.markup.slice(amp, at) : '&';
      return `Unknown entity ${entity}. Write a plain & as &amp;, use a known name such as &nbsp; &mdash; &copy; (the docs list them all), or a number such as &#160;.`;
    }
    if ((m = /^unmatched closing tag: (.+)\.$/.exec(message))) {
      return open
        ? `</${m[1]}> does not close the open <${open}>: close <${open}> first, or check the spelling.`
        : `</${m[1]}> closes an element that was never opened.`;
    }
    if (message === 'unexpected close tag.') {
      const m = this.mismatched;
      return m
        ? `<${m.frame.name}> is never closed: add </${m.frame.name}> before </${m.written}>.`
        : 'This closing tag closes an element that was never opened.';
    }
    if ((m = /^unclosed tag: (.+)$/.exec(message)))
      return `<${m[1]}> is never closed: add </${m[1]}>, or write <${m[1]} … /> if it is empty.`;
    if (message === 'unexpected end.') return 'The markup ends in the middle of a tag or comment.';
    if ((m = /^duplicate attribute: (.+)\.$/.exec(message))) return `The attribute ${m[1]} is written twice in the same tag.`;
    if (message === 'unquoted attribute value.' || message === 'value must be quoted.')
      return 'Attribute values must be in quotes, e.g. size="12".';
    if (message === 'attribute without value.' || message === 'value required.')
      return 'Every attribute needs a value in quotes, e.g. fit="shrink".';
    if (
      message === 'disallowed character in tag name' ||
      message === 'disallowed character in tag name.' ||
      message === 'disallowed character in closing tag.'
    ) {
      return 'A "<" starts a tag: write a literal < as &lt; (and & as &amp;).';
    }
    if (message === 'disallowed character in attribute name.' || message === 'no whitespace between attributes.')
      return 'Attributes are written name="value", separated by spaces.';
    if (message === 'malformed character entity.')
      return 'A numeric entity such as &#233; or &#xE9; names a character that XML does not allow.';
    if (message === 'disallowed character.') return 'A character that XML does not allow (a control character) is in the markup.';
    if (message === 'malformed comment.') return 'Comments are written <!-- like this --> and may not contain "--".';
    if (message === 'forward-slash in opening tag not followed by >.') return 'A "/" in a tag must be followed by ">", as in <br/>.';
    return `The markup is not well-formed XML (${message.replace(/\.$/, '')}).`;
  }

  // ── Attributes and nodes ─────────────────────────────────────────────────────────────────────────

  private readAttributes(
    element: ElementName,
    pending: readonly RawAttribute[],
    tagRange: Range | undefined,
  ): { values: Record<string, unknown>; complete: boolean } {
    const index = INDEX.get(element)!;
    const values: Record<string, unknown> = {};
    let complete = true;
    const written = new Set<string>();
    for (const raw of pending) {
      const known = index.get(raw.name);
      if (!known) {
        const hint = didYouMean(raw.name, index.keys());
        const nameRange = this.input.locate(raw.nameStart, raw.nameStart + raw.name.length);
        const fixes =
          hint && nameRange && spans(nameRange, raw.name.length)
            ? [{ title: `Rename to ${hint}`, range: nameRange, replacement: hint }]
            : undefined;
        const accepted = index.size ? `<${element}> accepts ${list([...index.keys()])}.` : `<${element}> takes no attributes.`;
        this.report(
          MARKUP_CODES.unknownAttribute,
          `<${element}> has no attribute "${raw.name}".${hint ? ` Did you mean "${hint}"?` : ` ${accepted}`}`,
          nameRange,
          fixes,
        );
        continue;
      }
      written.add(raw.name);
      const read = cachedRead(known, raw.value);
      if (read.ok) {
        values[known.field] = read.value;
      } else {
        if (known.spec.required) complete = false;
        const hint = read.suggestion ? ` Did you mean "${read.suggestion}"?` : '';
        this.report(
          known.spec.type.kind === 'url' ? MARKUP_CODES.urlRefused : MARKUP_CODES.invalidValue,
          `${raw.name}="${raw.value}" on <${element}> is not valid: expected ${read.expected}.${hint}`,
          this.input.locate(raw.valueStart, raw.valueEnd) ?? tagRange,
        );
      }
    }
    for (const known of index.values()) {
      if (known.field in values) continue;
      if (known.fallback !== undefined) values[known.field] = known.fallback;
      else if (known.spec.required && !written.has(known.spec.name)) {
        complete = false;
        this.report(MARKUP_CODES.missingAttribute, `<${element}> needs a ${known.spec.name} attribute: ${known.spec.doc.en}`, tagRange);
      }
    }
    return { values, complete };
  }

  private build(name: ElementName, range: Range | undefined, values: Record<string, unknown>): Frame {
    const definition = BUILDERS[name];
    const parent = this.stack[this.stack.length - 1]!;
    this.tagRange = range;
    const built = definition.build({
      fields: range ? { range, ...values } : values,
      parent: parent.name,
      table: parent.table,
      inside: this.isOpen,
      report: this.reportAtTag,
    });
    const frame: Frame = { name, spec: built.content ?? VOCABULARY[name], definition };
    if (built.node) frame.node = built.node;
    if (built.children) frame.children = built.children as Child[];
    if (built.plain) frame.plain = [];
    if (built.table) frame.table = built.table;
    return frame;
  }

  // Made once per parse, not per element: a document opens thousands of elements, and each closure made
  // per element cost a fifth of the parse (measured with the markup bench).
  /** The range of the tag being built, for `reportAtTag`. */
  private tagRange: Range | undefined;
  private readonly isOpen = (element: string): boolean => this.stack.some((f) => f.name === element);
  private readonly reportAtTag = (code: string, message: string): void => this.report(code, message, this.tagRange);

  /** A report about a child (or text) that does not belong in `frame`, kept with it for `reportSyntax`. */
  private reportStray(frame: Frame, code: string, message: string, range: Range | undefined): void {
    const before = this.diagnostics.length;
    this.report(code, message, range);
    if (this.diagnostics.length > before) (frame.strays ??= []).push(this.diagnostics[before]!);
  }

  private report(code: string, message: string, range: Range | undefined, fixes?: Fix[]): void {
    // A loop can repeat one mistake a hundred thousand times: the first few hundred say all there is.
    if (this.diagnostics.length >= MAX_MARKUP_DIAGNOSTICS) return;
    const d: Diagnostic = { stage: 'markup', code, severity: 'error', message };
    if (range) d.range = range;
    if (fixes) d.fixes = fixes;
    this.diagnostics.push(d);
  }
}

/** A fix may only rewrite a name when the range is exactly that name in the template (not a `{{ }}`). */
function spans(range: Range, length: number): boolean {
  return range.start.line === range.end.line && range.end.column - range.start.column === length;
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? 'nothing') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function misplacedMessage(name: string, parent: string): string {
  if (name === 'page' && parent !== TOP)
    return '<page> cannot be inside another element: close the current page first, or use <page-break/> to continue on a new page.';
  const parents = parentsOf(name);
  const inside = parents.filter((p) => p !== TOP).map((p) => `<${p}>`);
  const places = [...(parents.includes(TOP) ? ['at the top level'] : []), ...(inside.length ? [`inside ${list(inside)}`] : [])];
  return `<${name}> cannot go ${parent === TOP ? 'at the top level' : `inside <${parent}>`}: it goes ${places.join(' or ') || 'nowhere'}.`;
}

function strayTextMessage(parent: string, text: string): string {
  const shown = text.length > 30 ? `${text.slice(0, 30)}…` : text;
  if (parent === TOP || parent === 'page') return `Text "${shown}" must be inside a <text> element, which says where it goes on the page.`;
  if (['table', 'thead', 'tbody', 'tr'].includes(parent)) return `Text "${shown}" in a table must be inside a <td> or <th> cell.`;
  return `<${parent}> cannot contain text ("${shown}").`;
}
