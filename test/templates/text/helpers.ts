import { FontLibrary } from '../../../templates/fonts/library';
import { resolveRoles } from '../../../templates/fonts/roles';
import { layoutParagraph } from '../../../templates/text/paragraph';
import type { LaidOutLine, LaidOutText, ParagraphOptions, TextSpan, TextStyle } from '../../../templates/text/types';

export const library = new FontLibrary();
export const roles = resolveRoles(library, {
  title: { family: 'sans', weight: 700 },
  name: { family: 'script', fallback: ['serif'] },
  sans: { family: 'sans' },
});

export function style(overrides: Partial<TextStyle> = {}): TextStyle {
  return { role: 'body', bold: false, italic: false, underline: false, size: 12, color: [0, 0, 0], letterSpacing: 0, ...overrides };
}

export function span(text: string, overrides: Partial<TextStyle> = {}, origin?: unknown): TextSpan {
  return { text, style: style(overrides), origin };
}

export function layout(
  text: string | TextSpan[],
  options: Partial<ParagraphOptions> = {},
  overrides: Partial<TextStyle> = {},
): LaidOutText {
  const spans = typeof text === 'string' ? [span(text, overrides)] : text;
  return layoutParagraph(spans, roles, { width: 200, ...options });
}

/** Glyph texts of a line in drawing order, left to right. */
export function drawn(line: LaidOutLine): string {
  return line.runs.flatMap((r) => r.glyphs.map((g) => g.text)).join('');
}

/** Logical text of a line (run texts are logical within a run; runs are visual). */
export function lineText(line: LaidOutLine): string {
  return line.runs.map((r) => r.text).join('');
}

export function runsWidth(line: LaidOutLine): number {
  return line.runs.reduce((sum, r) => sum + r.width, 0);
}

export const SENTENCE =
  'Attestation de formation délivrée à Jean-Pierre Dupont pour avoir suivi avec assiduité le module « Sécurité des systèmes ' +
  "d'information » du 3 au 7 mars 2026, d'une durée totale de trente-cinq heures, organisé par l'Institut de formation continue.";
