/**
 * Renders the French attestation for each name given, in order, in this fresh process, and prints each
 * document's SHA-256 on its own line: tests compare processes whose histories differ.
 */
import { join } from 'node:path';
import { compileTemplateFile, EXAMPLES_DIR } from '../../templates/files';
import { renderDocument } from '../../templates/render';
import { findPersona } from '../../variables/personas';
import { sha256Hex } from '../../server/domain/hashing';

const template = (await compileTemplateFile(join(EXAMPLES_DIR, 'attestation-fr.liquid'))).template!;
const base = findPersona('camille-martin')!.data;
for (const fullname of process.argv.slice(2)) {
  const pdf = renderDocument(template, { ...base, learner: { ...(base.learner as object), fullname } }).pdf!;
  process.stdout.write(`${sha256Hex(pdf)}\n`);
}
