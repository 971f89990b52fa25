import type { Fragment } from '../../variables/analyzer';
import { parseDeclarations } from '../../variables/declarations';
import type { Diagnostic } from '../../variables/diagnostics';
import type { Schema } from '../../variables/types';
import { parseTemplateSource, type TemplateSource } from './front-matter';

/**
 * A template's data contract: what data it expects and where it reads it. The compiler, the server (bind
 * on issue, sample data on preview) and the editor (completion, the sample panel, the variables panel)
 * all read it here, so they cannot disagree on what a template declares. Browser-safe: front matter and
 * variables/ only.
 */
export interface TemplateContract {
  /** The catalogue plus the template's own declarations: what bind() checks data against, what the analyzer types references with. */
  schema: Schema;
  /** Only the template's own declarations (`variables:`). */
  declared: Schema;
  locale: string;
  /** Problems of the `variables:` declarations, placed in the template file. */
  diagnostics: Diagnostic[];
  /** Liquid outside the body that reads data: the PDF metadata fields, public (anyone holding the PDF reads them). */
  fragments: MetadataFragment[];
}

export const METADATA_FIELDS = ['title', 'author', 'subject', 'creator'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

export interface MetadataFragment extends Fragment {
  field: MetadataField;
}

/** The contract of a template whose front matter has been read. */
export function readContract(source: TemplateSource): TemplateContract {
  const fm = source.frontMatter;
  const declarations = parseDeclarations(fm.variables ?? {}, { at: ['variables'], locate: (p) => source.locate(p) });
  return {
    schema: declarations.schema,
    declared: declarations.declared,
    locale: fm.locale,
    // `yamlPath` is the declarations' own detail (how to find the key); a template diagnostic has `range`.
    diagnostics: declarations.diagnostics.map(({ yamlPath: _ignored, ...d }) => d),
    fragments: metadataFragments(source),
  };
}

/** The contract of a template text; undefined when its front matter cannot be read. */
export function contractOfText(text: string): TemplateContract | undefined {
  const parsed = parseTemplateSource(text);
  return parsed.source ? readContract(parsed.source) : undefined;
}

function metadataFragments(source: TemplateSource): MetadataFragment[] {
  const out: MetadataFragment[] = [];
  for (const field of METADATA_FIELDS) {
    const value = source.frontMatter.metadata[field];
    if (value === undefined) continue;
    const start = source.valueStart(['metadata', field]) ?? source.locate(['metadata', field])?.start ?? { line: 1, column: 1 };
    out.push({ name: `metadata.${field}`, field, text: value, start, public: true });
  }
  return out;
}
