/**
 * The type system of certificate data. A template's data is one object whose shape is the catalogue
 * (variables/catalogue.ts) extended by the template's own declarations (front matter `variables:`).
 *
 * Values after binding (variables/bind.ts) are plain JSON, normalised so filters and the renderer never
 * guess: date → "YYYY-MM-DD", datetime → ISO 8601 in UTC ("2026-03-01T09:30:00Z"), duration → seconds
 * (number), image → an asset name or data: URL string, everything else as JSON has it.
 */
export type ScalarKind =
  | 'string'
  | 'text'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'duration'
  | 'email'
  | 'url'
  | 'image';

export type VarType =
  | { kind: ScalarKind }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; of: VarType }
  | { kind: 'object'; fields: Readonly<Record<string, Variable>> }
  /** Keyed by an id the LMS chooses (activity id, custom field shortname): every value has one type. */
  | { kind: 'map'; of: VarType };

export interface LocalizedText {
  en: string;
  fr: string;
}

export interface Variable {
  type: VarType;
  required: boolean;
  description: LocalizedText;
  example?: unknown;
  /** Personal data: never in public metadata, shown on the verification page only if the tenant allows. */
  personal?: boolean;
}

/** The whole data contract of one template: the catalogue's namespaces plus the template's own. */
export type Schema = Readonly<Record<string, Variable>>;

export function typeName(t: VarType): string {
  switch (t.kind) {
    case 'enum':
      return `enum(${t.values.join('|')})`;
    case 'list':
      return `list<${typeName(t.of)}>`;
    case 'map':
      return `map<${typeName(t.of)}>`;
    default:
      return t.kind;
  }
}
