import { Option } from 'commander';
import { rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  examples,
  jsonOption,
  oneTenant,
  progress,
  selectionFrom,
  selectionOptions,
  systemActor,
  tenantOptions,
  withServices,
  type JsonOption,
  type Register,
  type SelectionOptions,
  type TenantOptions,
} from '../framework';
import { ioError } from './shared';
import { CliError, EXIT } from '../output';
import { batchDocument } from '../../domain/batch-print';
import { PRIVATE_FILE } from '../../storage/documents';

/**
 * `attest batch`: one print-ready PDF of a certificate's delivered documents (a session's batch), every
 * learner's pages in order, fonts and background embedded once (server/domain/batch-print.ts says which
 * documents and why one template version per file).
 */
interface BatchOptions extends TenantOptions, SelectionOptions, JsonOption {
  out: string;
  code?: string[];
  print: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const register: Register = (program, cli) => {
  const cmd = program
    .command('batch')
    .description("write one print-ready PDF of a certificate's delivered documents (fonts and background once, each page its own code)")
    .requiredOption('--out <file>', 'the PDF to write (replaced if it exists)')
    .addOption(new Option('--code <code>', 'exactly this document, pages in the order given (repeatable)').argParser(collect))
    .option('--no-print', 'no print boxes (CropBox, TrimBox) on the pages');
  tenantOptions(cmd, { single: true });
  selectionOptions(cmd);
  jsonOption(cmd);
  examples(cmd, [
    'attest batch --tenant campus-nord --certificate 5f0c… --issued-from 2026-03-02 --issued-to 2026-03-06 --out session.pdf',
    'attest batch --tenant campus-nord --certificate 5f0c… --code K7M2-… --code Q0HN-… --out two.pdf --json',
  ]);
  cmd.action((opts: BatchOptions) =>
    cli.run(async () => {
      const { certificateIds, ...selection } = selectionFrom(opts);
      if (certificateIds?.length !== 1) throw new CliError('say which certificate: --certificate ID, once', EXIT.usage);
      if (opts.code && Object.keys(selection).length)
        throw new CliError('give either --code or selection flags (--learner, --issued-from, …), not both', EXIT.usage);
      const out = resolve(opts.out);
      const result = await withServices({ ...opts, render: { size: 1 } }, async (services) => {
        const tenant = await oneTenant(services, opts);
        const bar = progress(cli.io, 'batch', 1, opts);
        try {
          const b = await batchDocument(services, systemActor(tenant), certificateIds[0]!, {
            ...(opts.code ? { codes: opts.code } : { selection }),
            print: opts.print,
          });
          bar.tick();
          // Learners' names: written as a private file, complete or not at all.
          const partial = `${out}.partial`;
          try {
            await writeFile(partial, b.pdf, { mode: PRIVATE_FILE });
            await rename(partial, out);
          } catch (e) {
            await rm(partial, { force: true });
            throw ioError(e);
          }
          return b;
        } finally {
          bar.stop();
        }
      });
      const report = {
        out,
        documents: result.codes.length,
        pages: result.pageCount,
        leftOut: result.leftOut,
        templateVersion: result.templateVersion,
        size: result.pdf.length,
        sha256: result.sha256,
        ms: Math.round(result.ms),
        codes: result.codes,
      };
      if (opts.json) cli.io.out(`${JSON.stringify(report, null, 2)}\n`);
      else
        cli.io.out(
          `wrote ${report.documents} document${report.documents === 1 ? '' : 's'} (${report.pages} pages, template version ${report.templateVersion}, ` +
            `${(report.size / 1e6).toFixed(2)} MB) to ${out}; ${report.leftOut} left out (locked or revoked)\n`,
        );
      return EXIT.ok;
    }),
  );
};
