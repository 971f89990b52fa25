import type { Diagnostic, Position, Range } from '../../variables/diagnostics';

export type { Diagnostic, Fix, Position, Range } from '../../variables/diagnostics';

/** The language docs and labels are shown in; the catalogue, filters and vocabulary speak both. */
export type DocLanguage = 'en' | 'fr';

export interface LanguageOptions {
  language?: DocLanguage;
}

export type CompletionKind = 'variable' | 'property' | 'filter' | 'tag' | 'element' | 'attribute' | 'value' | 'asset' | 'font-role';

/**
 * One proposal. Every proposal at a position shares the same `range` (the word being typed), and the list
 * is not narrowed to that word: the editor filters and ranks as the designer types.
 */
export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line: the type of a variable, a filter's signature, an attribute's kind of value. */
  detail: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** `insertText` has snippet placeholders (`$1`, `${1:name}`, `$0`). */
  snippet?: boolean;
  range: Range;
  /** Sorts before the rest (required attributes, elements allowed here, values that fit). */
  preferred?: boolean;
  /** Accepting it leads straight to more proposals (an attribute name leads to its values). */
  retrigger?: boolean;
}

export interface HoverInfo {
  range: Range;
  /** Markdown. */
  contents: string;
}

/** A diagnostic as the editor shows it: always placed, so it can become a squiggle. */
export type EditorDiagnostic = Diagnostic & { range: Range };

export type { Position as SourcePosition };
