import { readFile } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../variables/diagnostics';
import { compileTemplate, type CompileResult } from './compile';
import { MAX_ASSET_BYTES } from './assets';

/**
 * Templates as files on disk (the CLI and the bundled examples): a template's assets are files named in
 * its front matter, relative to the template and never outside its folder.
 */
export async function compileTemplateFile(path: string): Promise<CompileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const d: Diagnostic = {
      stage: 'source',
      code: 'SOURCE_UNREADABLE',
      severity: 'error',
      message: `Cannot read the template "${path}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
    };
    return { diagnostics: [d] };
  }
  const folder = dirname(resolve(path));
  return compileTemplate(text, { loadAsset: (file) => readAssetFile(folder, file) });
}

/** Reads an asset file for a template in `folder`; undefined when it is missing or not allowed. */
export function readAssetFile(folder: string, file: string): Uint8Array | { error: string } {
  if (isAbsolute(file)) return { error: 'asset paths are relative to the template' };
  const full = resolve(folder, file);
  const rel = relative(folder, full);
  if (rel.startsWith('..') || isAbsolute(rel)) return { error: 'asset paths may not leave the template folder' };
  try {
    const size = statSync(full).size;
    if (size > MAX_ASSET_BYTES)
      return { error: `the file is ${Math.round(size / 1e6)} MB; assets are limited to ${MAX_ASSET_BYTES / 1e6} MB` };
    return readFileSync(full);
  } catch (e) {
    return { error: `cannot read "${file}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
}

export const EXAMPLES_DIR = fileURLToPath(new URL('./examples/', import.meta.url));

/** The bundled example templates, in a stable order. */
export function bundledExamples(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((n) => n.endsWith('.liquid'))
    .sort()
    .map((n) => join(EXAMPLES_DIR, n));
}
