import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

/**
 * Vitest global setup of the editor's browser tests (the `editor` project in vitest.config.ts): the editor
 * is built once per run, by Vite as `npm run build:editor` builds it plus the test pages
 * (editor/vite.test.config.ts), into a temporary folder
 * every test file reads through `builtEditor()` (test/support/browser.ts). A run without those tests
 * does not build it.
 */
const CONFIG = fileURLToPath(new URL('../../editor/vite.test.config.ts', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the editor built for this run. */
    editorDir: string;
  }
}

/** Builds the editor into a fresh temporary folder and returns it. */
export async function buildEditor(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'attest-editor-build-'));
  await build({ configFile: CONFIG, logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
  return dir;
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = await buildEditor();
  project.provide('editorDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
