import { compileTemplateFile } from '../../templates/files';
import { catalogue } from '../../variables/catalogue';
import { toJsonSchema } from '../../variables/json-schema';
import { hasErrors } from '../../variables/diagnostics';
import { EXIT, printDiagnostics, type IO } from './output';

/** The data contract as JSON Schema: the catalogue, or a template's (catalogue + its own declarations). */
export async function schemaCommand(templatePath: string | undefined, opts: { lms?: boolean }, io: IO): Promise<number> {
  let schema = catalogue;
  let title = 'Attest certificate data';
  if (templatePath) {
    const compiled = await compileTemplateFile(templatePath);
    if (!compiled.template || hasErrors(compiled.diagnostics)) {
      printDiagnostics(io, compiled.diagnostics, templatePath);
      return compiled.diagnostics.some((d) => d.code === 'SOURCE_UNREADABLE') ? EXIT.io : EXIT.invalid;
    }
    schema = compiled.template.schema;
    title = `${compiled.template.frontMatter.name}: certificate data`;
  }
  // What an LMS sends: the server fills certificate.* (code, dates, verification URL) itself.
  const json = toJsonSchema(schema, { title, ...(opts.lms ? { serverFilled: ['certificate'] } : {}) });
  io.out(JSON.stringify(json, null, 2) + '\n');
  return EXIT.ok;
}
