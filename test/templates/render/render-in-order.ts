/**
 * Renders documents in this fresh process, in the order given, and prints each one's SHA-256 on its own
 * line. Each argument is `template:learner name` where template is `reference` (bench/reference.liquid: a
 * background page, two faces, a QR code) or a bundled example's file name, optionally followed by `~n`:
 * that template compiled again with one more text drawn (edit n), as the live preview compiles a source
 * being typed. Tests compare processes whose
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
async function template(spec: string): Promise<CompiledTemplate> {
  let t = templates.get(spec);
  if (!t) {
    const [name = '', edit] = spec.split('~');
    const compiled =
      edit !== undefined
        ? await edited(name, edit)
        : name === 'reference'
          ? await compileTemplate(readFileSync(new URL('../../../bench/reference.liquid', import.meta.url), 'utf8'), {
              loadAsset: (file) => readAssetFile(EXAMPLES_DIR, file),
            })
          : await compileTemplateFile(join(EXAMPLES_DIR, name));
    t = compiled.template!;
    templates.set(spec, t);
  }
  return t;
}

function edited(name: string, edit: string) {
  const text = readFileSync(
    name === 'reference' ? new URL('../../../bench/reference.liquid', import.meta.url) : join(EXAMPLES_DIR, name),
    'utf8',
  );
  const end = text.lastIndexOf('</page>');
  const drawn = `<text x="12mm" y="12mm" width="80mm" size="7">Draft ${edit} of a source being typed</text>\n`;
  return compileTemplate(text.slice(0, end) + drawn + text.slice(end), { loadAsset: (file) => readAssetFile(EXAMPLES_DIR, file) });
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
