import type { InputClass } from '../filters/signatures';
import type { Schema, VarType, Variable } from '../types';

/** What the analyzer knows about the value of an expression. */
export interface Ty {
  /** Undefined when it cannot be known statically (a `group_by` result, a dynamic key): nothing is checked. */
  type?: VarType;
  /** May be missing (null) when a document is rendered. */
  optional: boolean;
  /** Carries personal data about the learner or another named person. */
  personal: boolean;
  /** The data path or local name it reads, as if-guards name it (`learner.email`, `teachers[0]`). */
  path?: string;
  /** The literals nil, empty and blank. */
  nil?: boolean;
  /** A literal's value, for arguments such as `map: "name"` or `duration: "hours"`. */
  literal?: string | number;
}

export const UNKNOWN: Ty = Object.freeze({ optional: false, personal: false });

export type Origin = 'data' | 'local' | 'loop' | 'argument';

export interface Binding {
  ty: Ty;
  origin: Origin;
  /** For catalogue and declared data: its description and example, for hover. */
  variable?: Variable;
}

/**
 * Names visible at a point of a template. Liquid has one flat scope per rendered template (assign and
 * capture write to it from anywhere) plus one pushed scope per loop and include; `render` starts a new,
 * isolated root that sees only its arguments.
 */
export class Scope {
  private readonly names = new Map<string, Binding>();
  constructor(
    private readonly parent: Scope | undefined,
    /** The data a root scope sees under everything else: the schema, or nothing inside `render`. */
    private readonly schema?: Schema,
    readonly root = parent === undefined,
  ) {}

  set(name: string, binding: Binding): void {
    this.names.set(name, binding);
  }

  lookup(name: string): Binding | undefined {
    const own = this.names.get(name);
    if (own) return own;
    if (this.parent) return this.parent.lookup(name);
    if (this.schema && Object.hasOwn(this.schema, name)) {
      const variable = this.schema[name]!;
      return {
        ty: { type: variable.type, optional: !variable.required, personal: !!variable.personal, path: name },
        origin: 'data',
        variable,
      };
    }
    return undefined;
  }

  /** Where assign and capture write: the root of the template being rendered. */
  bottom(): Scope {
    return this.root || !this.parent ? this : this.parent.bottom();
  }

  /** Every visible name, innermost first, for completion and "did you mean". */
  all(): Map<string, Binding> {
    const out = new Map<string, Binding>();
    const chain: Scope[] = [this];
    for (let p = this.parent; p; p = p.parent) chain.push(p);
    for (const s of chain) {
      for (const [name, b] of s.names) if (!out.has(name)) out.set(name, b);
      if (!s.parent && s.schema) for (const name of Object.keys(s.schema)) if (!out.has(name)) out.set(name, s.lookup(name)!);
    }
    return out;
  }
}

/** How a filter table entry sees a type. Durations are seconds, so numbers; enums, emails and URLs are text. */
export function inputClass(type: VarType): InputClass {
  switch (type.kind) {
    case 'string':
    case 'text':
    case 'email':
    case 'url':
    case 'enum':
    case 'image':
      return 'string';
    case 'number':
    case 'integer':
    case 'duration':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'list':
      return 'list';
    case 'object':
    case 'map':
      return 'object';
  }
}

/** The language a diagnostic is written in: the designer's interface language, not the document's. */
export type Language = 'en' | 'fr';

const ARTICLE: Record<Language, Record<InputClass, string>> = {
  en: {
    any: 'a value',
    string: 'a text',
    number: 'a number',
    boolean: 'a yes/no value',
    date: 'a date',
    datetime: 'a date and time',
    list: 'a list',
    object: 'an object',
  },
  fr: {
    any: 'une valeur',
    string: 'un texte',
    number: 'un nombre',
    boolean: 'une valeur oui/non',
    date: 'une date',
    datetime: 'une date et heure',
    list: 'une liste',
    object: 'un objet',
  },
};

export function describeClass(c: InputClass, lang: Language = 'en'): string {
  return ARTICLE[lang][c];
}

export function describeType(type: VarType, lang: Language = 'en'): string {
  if (type.kind === 'duration') return lang === 'fr' ? 'une durée' : 'a duration';
  if (type.kind === 'integer') return lang === 'fr' ? 'un entier' : 'an integer';
  return ARTICLE[lang][inputClass(type)];
}

/** forloop.* inside for, tablerowloop.* inside tablerow: Liquid's own loop variables. */
const field = (kind: 'integer' | 'boolean' | 'string', en: string, fr: string): Variable => ({
  type: { kind },
  required: true,
  description: { en, fr },
});

const FORLOOP_FIELDS: Record<string, Variable> = {
  index: field('integer', 'Position of the item, from 1.', 'Position de l’élément, à partir de 1.'),
  index0: field('integer', 'Position of the item, from 0.', 'Position de l’élément, à partir de 0.'),
  rindex: field('integer', 'Items left, counting this one.', 'Éléments restants, celui-ci compris.'),
  rindex0: field('integer', 'Items left after this one.', 'Éléments restants après celui-ci.'),
  first: field('boolean', 'Whether this is the first item.', 'Si c’est le premier élément.'),
  last: field('boolean', 'Whether this is the last item.', 'Si c’est le dernier élément.'),
  length: field('integer', 'Number of items in the loop.', 'Nombre d’éléments de la boucle.'),
  name: field('string', 'The loop’s name.', 'Le nom de la boucle.'),
};

export const FORLOOP: VarType = { kind: 'object', fields: FORLOOP_FIELDS };

export const TABLEROWLOOP: VarType = {
  kind: 'object',
  fields: {
    ...FORLOOP_FIELDS,
    col: field('integer', 'Column of the cell, from 1.', 'Colonne de la cellule, à partir de 1.'),
    col0: field('integer', 'Column of the cell, from 0.', 'Colonne de la cellule, à partir de 0.'),
    row: field('integer', 'Row of the cell, from 1.', 'Ligne de la cellule, à partir de 1.'),
    col_first: field('boolean', 'Whether the cell is the first of its row.', 'Si la cellule est la première de sa ligne.'),
    col_last: field('boolean', 'Whether the cell is the last of its row.', 'Si la cellule est la dernière de sa ligne.'),
  },
};
