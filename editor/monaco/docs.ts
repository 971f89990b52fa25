import type { FilterSignature } from '../../variables/filters/signatures';
import { describeClass } from '../../variables/analyzer/scope';
import { typeName, type LocalizedText, type VarType, type Variable } from '../../variables/types';
import { describeType } from '../../templates/markup/values';
import type { AttributeSpec, ElementSpec } from '../../templates/markup/vocabulary';
import type { DocLanguage } from './types';

/** The editor's own words around the docs that come from the catalogue, the filters and the vocabulary. */
const WORDS = {
  en: {
    required: 'required',
    optional: 'optional',
    personal: 'personal data: kept out of public metadata',
    personalShort: 'personal',
    example: 'Example',
    accepts: 'Accepts',
    returns: 'Returns',
    sameType: 'the same type',
    item: 'one item',
    propertyList: 'a list',
    unknown: 'a value',
    value: 'Value',
    default: 'Default',
    attributes: 'Attributes',
    contains: 'Contains',
    nothing: 'nothing',
    loopVariable: 'loop variable',
    localVariable: 'assigned in the template',
    argument: 'argument of the partial',
    or: 'or',
  },
  fr: {
    required: 'obligatoire',
    optional: 'facultatif',
    personal: 'donnée personnelle : jamais dans les métadonnées publiques',
    personalShort: 'personnel',
    example: 'Exemple',
    accepts: 'Accepte',
    returns: 'Renvoie',
    sameType: 'le même type',
    item: 'un élément',
    propertyList: 'une liste',
    unknown: 'une valeur',
    value: 'Valeur',
    default: 'Par défaut',
    attributes: 'Attributs',
    contains: 'Contient',
    nothing: 'rien',
    loopVariable: 'variable de boucle',
    localVariable: 'affectée dans le modèle',
    argument: 'argument du fragment',
    or: 'ou',
  },
} as const;

export function words(language: DocLanguage): (typeof WORDS)[DocLanguage] {
  return WORDS[language];
}

export function localized(text: LocalizedText, language: DocLanguage): string {
  return text[language] || text.en;
}

/** `string · required · personal`: what completion shows next to a variable's name. */
export function variableDetail(type: VarType | undefined, flags: { optional: boolean; personal: boolean }, language: DocLanguage): string {
  const w = words(language);
  const parts = [type ? typeName(type) : '?', flags.optional ? w.optional : w.required];
  if (flags.personal) parts.push(w.personalShort);
  return parts.join(' · ');
}

export function variableDoc(
  path: string,
  type: VarType | undefined,
  flags: { optional: boolean; personal: boolean; origin?: string },
  variable: Variable | undefined,
  language: DocLanguage,
): string {
  const w = words(language);
  const lines = [`**${path}** \`${type ? typeName(type) : '?'}\` · ${flags.optional ? w.optional : w.required}`];
  if (flags.origin === 'loop') lines.push(`*${w.loopVariable}*`);
  else if (flags.origin === 'local') lines.push(`*${w.localVariable}*`);
  else if (flags.origin === 'argument') lines.push(`*${w.argument}*`);
  if (variable) lines.push(localized(variable.description, language));
  if (variable?.example !== undefined) lines.push(`${w.example}: \`${JSON.stringify(variable.example)}\``);
  if (flags.personal) lines.push(`⚠ ${w.personal}`);
  return lines.join('\n\n');
}

function returnsText(s: FilterSignature, language: DocLanguage): string {
  const w = words(language);
  if (s.returns === 'same') return w.sameType;
  if (s.returns === 'item') return w.item;
  if (s.returns === 'property-list') return w.propertyList;
  if (s.returns === 'unknown') return w.unknown;
  return typeName(s.returns);
}

/** How a filter is written: `date: format?`, `replace: search, replacement`, `upcase`. */
export function filterSignature(name: string, s: FilterSignature): string {
  const args = s.args.map((a) => `${a.name}${a.optional ? '?' : ''}`);
  return args.length ? `${name}: ${args.join(', ')}` : name;
}

export function filterDetail(name: string, s: FilterSignature, language: DocLanguage): string {
  return `${filterSignature(name, s)} → ${returnsText(s, language)}`;
}

export function filterDoc(name: string, s: FilterSignature, language: DocLanguage): string {
  const w = words(language);
  const accepts = s.input.map((c) => describeClass(c));
  const lines = [
    `\`\`\`liquid\n{{ value | ${filterSignature(name, s)} }}\n\`\`\``,
    localized(s.doc, language),
    `${w.accepts}: ${accepts.join(`, `)}. ${w.returns}: ${returnsText(s, language)}.`,
  ];
  for (const a of s.args)
    if (a.suggestions?.length) lines.push(`\`${a.name}\`: ${a.suggestions.map((v) => `"${v}"`).join(', ')}${a.closed ? '' : ', …'}`);
  return lines.join('\n\n');
}

export function elementDoc(name: string, spec: ElementSpec, language: DocLanguage): string {
  const w = words(language);
  const required = spec.attributes.filter((a) => a.required).map((a) => `\`${a.name}\``);
  const others = spec.attributes.filter((a) => !a.required).map((a) => `\`${a.name}\``);
  const lines = [`**<${name}>**`, localized(spec.doc, language)];
  if (spec.attributes.length) lines.push(`${w.attributes}: ${[...required.map((r) => `${r} (${w.required})`), ...others].join(', ')}`);
  lines.push(`${w.contains}: ${spec.children.length ? spec.children.map((c) => `<${c}>`).join(', ') : w.nothing}`);
  if (spec.example) lines.push('```xml\n' + spec.example + '\n```');
  return lines.join('\n\n');
}

export function attributeDetail(attribute: AttributeSpec): string {
  return attribute.type.kind === 'enum'
    ? attribute.type.values.join(' | ')
    : attribute.type.kind === 'name'
      ? attribute.type.of
      : attribute.type.kind;
}

export function attributeDoc(element: string, attribute: AttributeSpec, language: DocLanguage): string {
  const w = words(language);
  const lines = [
    `**${attribute.name}** on \`<${element}>\`${attribute.required ? ` · ${w.required}` : ''}`,
    localized(attribute.doc, language),
  ];
  lines.push(`${w.value}: ${describeType(attribute.type)}.`);
  if (attribute.default !== undefined) lines.push(`${w.default}: \`${attribute.default}\``);
  else if (attribute.defaultDoc) lines.push(`${w.default}: ${localized(attribute.defaultDoc, language)}`);
  return lines.join('\n\n');
}
