import { typeAt } from '../../variables/analyzer';
import { filterSignatures } from '../../variables/filters/signatures';
import type { Position } from '../../variables/diagnostics';
import { isElementName, VOCABULARY, type ElementSpec } from '../../templates/markup/vocabulary';
import { attributeDoc, elementDoc, filterDoc, variableDoc } from './docs';
import { markupWordAt } from './markup-context';
import { liquidRegions, maskLiquid, regionAt } from './regions';
import { readTemplate, type TemplateView } from './template';
import type { DocLanguage, HoverInfo, LanguageOptions } from './types';

const SPECS = VOCABULARY as Readonly<Record<string, ElementSpec>>;

/** The docs of what is under the cursor: a variable or property, a filter, an element or an attribute. */
export function hoverAt(source: string, position: Position, options: LanguageOptions = {}): HoverInfo | undefined {
  const language = options.language ?? 'en';
  const view = readTemplate(source);
  const offset = view.lines.offset(position);
  if (view.bodyOffset === undefined || offset < view.bodyOffset) return undefined;
  const local = offset - view.bodyOffset;
  const regions = liquidRegions(view.body);
  const region = regionAt(regions, local) ?? regionAt(regions, local + 1);
  if (region) return liquidHover(view, region.start, local, language);
  const word = markupWordAt(maskLiquid(view.body, regions), local);
  if (!word) return undefined;
  const range = view.lines.range(view.bodyOffset + word.start, view.bodyOffset + word.end);
  if (word.kind === 'element')
    return isElementName(word.name) ? { range, contents: elementDoc(word.name, SPECS[word.name]!, language) } : undefined;
  if (!isElementName(word.element)) return undefined;
  const attribute = SPECS[word.element]!.attributes.find((a) => a.name === word.name);
  return attribute ? { range, contents: attributeDoc(word.element, attribute, language) } : undefined;
}

function liquidHover(view: TemplateView, regionStart: number, local: number, language: DocLanguage): HoverInfo | undefined {
  const body = view.body;
  let start = local;
  let end = local;
  while (start > regionStart && /[\w-]/.test(body[start - 1]!)) start--;
  while (end < body.length && /[\w-]/.test(body[end]!)) end++;
  if (start === end) return undefined;
  const name = body.slice(start, end);
  const range = view.lines.range(view.bodyOffset! + start, view.bodyOffset! + end);
  const lead = body.slice(regionStart, start);
  if (/\|\s*$/.test(lead)) {
    return Object.hasOwn(filterSignatures, name) ? { range, contents: filterDoc(name, filterSignatures[name]!, language) } : undefined;
  }
  // Ask the analyzer what could be typed where the word starts: the word is then one of its answers,
  // with the scope (loops, assigns) and the type that the analyzer knows there.
  const at = view.lines.position(view.bodyOffset! + start);
  const info = typeAt({ body, bodyStart: view.bodyStart!, schema: view.schema, partials: view.partials, locale: view.locale }, at);
  if (info.context === 'property') {
    const p = info.properties?.find((q) => q.name === name);
    if (!p) return undefined;
    const path = /([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*)\.$/.exec(lead)?.[1] ?? '';
    const flags = { optional: p.variable ? !p.variable.required : false, personal: !!p.variable?.personal };
    return { range, contents: variableDoc(`${path}.${name}`, p.type, flags, p.variable, language) };
  }
  if (info.context === 'variable') {
    const v = info.variables.find((e) => e.name === name);
    if (!v) return undefined;
    return {
      range,
      contents: variableDoc(name, v.type, { optional: v.optional, personal: v.personal, origin: v.origin }, v.variable, language),
    };
  }
  return undefined;
}
