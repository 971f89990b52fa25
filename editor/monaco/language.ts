/**
 * The template language for the editor, as pure functions of the text: no Monaco, no DOM, so they run in
 * Node tests, in the page (completion, hover) and in the diagnostics worker alike. Positions are 1-based
 * lines and columns, as variables/diagnostics.ts and Monaco both count them.
 */
export { completionsAt } from './completions';
export { hoverAt } from './hover';
export { diagnose } from './diagnose';
export type {
  CompletionItem,
  CompletionKind,
  DocLanguage,
  EditorDiagnostic,
  Fix,
  HoverInfo,
  LanguageOptions,
  Position,
  Range,
} from './types';
