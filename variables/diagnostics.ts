/**
 * A diagnostic is what any stage of the pipeline says about a template or its data: a stable code that
 * tools and tests match on, a sentence a designer understands, and where in the template source it is.
 * Every stage (front matter, Liquid, analyzer, binding, markup, layout, draw) speaks this one shape so the
 * editor, the CLI and the API can show them the same way.
 */
export type Severity = 'error' | 'warning' | 'info';

export type Stage = 'source' | 'liquid' | 'analyze' | 'bind' | 'markup' | 'layout' | 'font' | 'asset' | 'draw';

/** 1-based line and column, as editors show them. `end` is exclusive. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A proposed edit that fixes the diagnostic, e.g. "did you mean learner.fullname?". */
export interface Fix {
  title: string;
  range: Range;
  replacement: string;
}

export interface Diagnostic {
  stage: Stage;
  /** Stable, SCREAMING_SNAKE_CASE; never reworded once shipped. */
  code: string;
  severity: Severity;
  message: string;
  /** Absent only when the problem has no place in the template (e.g. data sent by an LMS). */
  range?: Range;
  /** For data problems: the path in the data, e.g. `learner.email` or `teachers[2].name`. */
  path?: string;
  fixes?: Fix[];
}

/** Thrown (or returned) when a stage cannot go on; carries every diagnostic found so far. */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    super(first ? formatDiagnostic(first) : 'unknown error');
    this.name = 'DiagnosticError';
    this.diagnostics = diagnostics;
  }
  get code(): string {
    return this.diagnostics.find((d) => d.severity === 'error')?.code ?? 'UNKNOWN';
  }
}

export function formatDiagnostic(d: Diagnostic, file?: string): string {
  const where = d.range ? `${file ?? ''}${file ? ':' : ''}${d.range.start.line}:${d.range.start.column}` : (file ?? '');
  const path = d.path ? ` (${d.path})` : '';
  return `${where ? where + ' ' : ''}${d.severity} ${d.code}: ${d.message}${path}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Converts 0-based offsets in a text into 1-based positions; built once per text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
  offset(pos: Position): number {
    const start = this.starts[pos.line - 1] ?? this.text.length;
    return Math.min(start + pos.column - 1, this.text.length);
  }
}
