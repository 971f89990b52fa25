import { randomBytes } from 'node:crypto';
import { CliError, EXIT } from '../output';

/**
 * Small pieces the command groups share (not a command group itself: commands/index.ts lists those).
 */

/** "a, b,c" → ["a", "b", "c"]: roles and capabilities are given as one comma-separated flag. */
export const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** on/off, yes/no, true/false: what an operator types for a switch setting. */
export function onOff(flag: string): (value: string) => boolean {
  return (value) => {
    const v = value.trim().toLowerCase();
    if (['on', 'yes', 'true', '1'].includes(v)) return true;
    if (['off', 'no', 'false', '0'].includes(v)) return false;
    throw new CliError(`${flag} is on or off, not "${value}"`, EXIT.usage);
  };
}

/**
 * A password from ATTEST_PASSWORD (never the command line: other users of the machine see argv), or one
 * made here; `shown` says whether it must be printed (once: only its hash is stored).
 */
export function newPassword(): { password: string; shown: boolean } {
  const given = process.env.ATTEST_PASSWORD;
  if (given !== undefined && given !== '') return { password: given, shown: false };
  return { password: randomBytes(12).toString('base64url'), shown: true };
}

/** "(dry run) " before what a dry run would do, so a log never reads as if it had happened. */
export const dryLabel = (dryRun: boolean | undefined): string => (dryRun ? '(dry run, nothing written) ' : '');

/** A file-system failure (ENOENT, EACCES, ENOSPC…) as the CLI reports it: exit 3 with the code and path. */
export function ioError(e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (e instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code))
    return new CliError(`cannot write: ${code} ${(e as NodeJS.ErrnoException).path ?? ''}`.trim(), EXIT.io);
  return e;
}
