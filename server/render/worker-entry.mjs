// Workers start as plain Node. They load the worker's TypeScript as one JavaScript bundle that esbuild makes
// once per change of its sources (cached under node_modules/.cache/attest), instead of every worker
// transpiling every module through tsx; tsx, as bin/attest.mjs uses it, remains the fallback.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const START = fileURLToPath(new URL('./worker-start.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = `${ROOT}node_modules/.cache/attest/`;
/** Raise when the bundle's build options change: older bundles are then rebuilt. */
const FORMAT = 1;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
// One manifest per checkout (worktrees share node_modules): the bundle it names and the sources it was made of.
const MANIFEST = `${CACHE}worker-${sha256(`${FORMAT}:${START}`).slice(0, 16)}.json`;

function readManifest() {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
}

function isCurrent(manifest) {
  if (!manifest) return false;
  try {
    return Object.entries(manifest.inputs).every(([file, hash]) => sha256(readFileSync(file)) === hash);
  } catch {
    return false;
  }
}

/** Writes to a private name, then renames: a worker never imports a half-written file. */
function writeAtomically(file, contents) {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temp, contents);
  renameSync(temp, file);
}

async function build(previous) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [START],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages load from node_modules as they are: the bundle is only this repository's code.
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        // A module finds its files next to itself (examples, fonts): each keeps its own import.meta.url.
        name: 'own-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => ({
            contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  const code = result.outputFiles[0].contents;
  const bundle = `worker-${sha256(code).slice(0, 16)}.mjs`;
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) inputs[resolve(ROOT, file)] = sha256(readFileSync(resolve(ROOT, file)));
  mkdirSync(CACHE, { recursive: true });
  writeAtomically(CACHE + bundle, code);
  writeAtomically(MANIFEST, JSON.stringify({ bundle, inputs }));
  if (previous && previous.bundle !== bundle) rmSync(CACHE + previous.bundle, { force: true });
  return bundle;
}

async function bundled() {
  const manifest = readManifest();
  const bundle = isCurrent(manifest) ? manifest.bundle : await build(manifest);
  await import(pathToFileURL(CACHE + bundle).href);
}

let loaded = false;
try {
  await bundled();
  loaded = true;
} catch {
  // No esbuild, a read-only node_modules, or a bundle another process just replaced: transpile through tsx.
}
if (!loaded) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker-start.ts');
}
