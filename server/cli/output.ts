import { readFile } from 'node:fs/promises';
import { formatDiagnostic, type Diagnostic } from '../../variables/diagnostics';

/** Exit codes are part of the CLI's contract: scripts branch on them. */
export const EXIT = {
  ok: 0,
  /** The template or the data has errors (diagnostics were printed). */
  invalid: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** A file could not be read or written, or a database or service could not be reached. */
  io: 3,
  /** The work ran but some items could not be done; the report lists them (migration, regeneration). */
  partial: 4,
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export interface IO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Standard error when it is a terminal: where progress bars are drawn. Absent, commands stay quiet. */
  terminal?: NodeJS.WriteStream;
}

export async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${what} "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.io);
  }
}

export async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readText(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError(`${what} "${path}" is not valid JSON: ${(e as Error).message}`, EXIT.invalid);
  }
}

export function printDiagnostics(io: IO, diagnostics: readonly Diagnostic[], file: string): void {
  for (const d of diagnostics) {
    io.err(`${formatDiagnostic(d, file)}\n`);
    for (const f of d.fixes ?? []) io.err(`  fix: ${f.title}\n`);
  }
}
