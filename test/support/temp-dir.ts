import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: every temporary file of a test run (PDFs written for poppler, CLI outputs) goes
 * under one folder that is removed when the run ends, so runs leave nothing behind on the machine.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'attest-test-run-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
