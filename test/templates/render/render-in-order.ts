/**
 * Renders documents in this fresh process, in the order given, and prints each one's SHA-256 on its own
 * line. Each argument is `template:learner name` where template is `reference` (bench/reference.liquid: a
 * background page, two faces, a QR code) or a bundled example's file name. Tests compare processes whose
 * histories differ: every cache a render fills must leave later documents' bytes as they would be.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileTemplate, type CompiledTemplate } from '../../../templates/compile';
import { compileTemplateFile, EXAMPLES_DIR, readAssetFile } from '../../../templates/files';
import { renderDocument } from '../../../templates/render';
import { findPersona } from '../../../variables/personas';
import { sha256Hex } from '../../../server/domain/hashing';

const templates = new Map<string, CompiledTemplate>();
async function template(name: string): Promise<CompiledTemplate> {
  let t = templates.get(name);
  if (!t) {
    const compiled =
      name === 'reference'
        ? await compileTemplate(readFileSync(new URL('../../../bench/reference.liquid', import.meta.url), 'utf8'), {
            loadAsset: (file) => readAssetFile(EXAMPLES_DIR, file),
          })
        : await compileTemplateFile(join(EXAMPLES_DIR, name));
    t = compiled.template!;
    templates.set(name, t);
  }
  return t;
}

const base = findPersona('oliver-bennett')!.data as Record<string, Record<string, unknown>>;
for (const [n, arg] of process.argv.slice(2).entries()) {
  const at = arg.indexOf(':');
  const fullname = arg.slice(at + 1);
  const code = `ORDER-${fullname.length}`;
  const r = renderDocument(await template(arg.slice(0, at)), {
    ...base,
    learner: { ...base.learner, firstname: undefined, lastname: undefined, fullname },
    certificate: { ...base.certificate, code, verification_url: `https://attest.example.org/v/${code}` },
  });
  if (!r.pdf) throw new Error(`document ${n} failed: ${JSON.stringify(r.diagnostics)}`);
  process.stdout.write(`${sha256Hex(r.pdf)}\n`);
}
