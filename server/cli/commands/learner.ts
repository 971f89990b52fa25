import { open, rename, rm } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  examples,
  jsonOption,
  oneTenant,
  print,
  systemActor,
  tenantOptions,
  withServices,
  type JsonOption,
  type Register,
  type TenantOptions,
} from '../framework';
import { CliError, EXIT } from '../output';
import { eraseLearner, exportLearner } from '../../domain/privacy';
import { DomainError } from '../../domain/errors';
import { PRIVATE_FILE } from '../../storage/documents';
import { ioError } from './shared';

/**
 * `attest learner export|erase`: a learner's data on request (GDPR access and erasure), by the learner id
 * the LMS sends, in one tenant. The same domain functions as the API's /learners/:id/export and /erase.
 */
interface LearnerOptions extends TenantOptions, JsonOption {
  learner: string;
}

export const register: Register = (program, cli) => {
  const learner = examples(program.command('learner').description('a learner’s data: export everything held about them, or erase it'), [
    'attest learner export --tenant campus-nord --learner 42 --out learner-42.zip',
    'attest learner erase --tenant campus-nord --learner 42 --yes',
  ]);
  const one = (cmd: Command) =>
    jsonOption(tenantOptions(cmd, { single: true })).requiredOption('--learner <id>', 'the learner id, as the LMS sends it');

  examples(
    one(
      learner.command('export').description('write everything held about the learner as one ZIP (README and manifest inside)'),
    ).requiredOption('--out <file.zip>', 'where to write the archive (not overwritten if it exists)'),
    ['attest learner export --tenant campus-nord --learner 42 --out learner-42.zip'],
  ).action((opts: LearnerOptions & { out: string }) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const t = await oneTenant(services, opts);
        const archive = await exportLearner(services, systemActor(t), opts.learner);
        await writePrivate(opts.out, archive.zip);
        print(cli.io, opts.json, { file: opts.out, size: archive.zip.length, files: archive.files }, () =>
          [`${opts.out}: ${archive.files.length} files, ${archive.zip.length} bytes`, ...archive.files.map((f) => `  ${f.path}`)].join(
            '\n',
          ),
        );
        return EXIT.ok;
      }),
    ),
  );

  examples(
    one(
      learner
        .command('erase')
        .description('erase the learner: documents and personal data everywhere; their codes then verify as withdrawn')
        .option('--yes', 'confirm: an erasure cannot be undone'),
    ),
    ['attest learner erase --tenant campus-nord --learner 42 --yes', 'attest learner erase --tenant campus-nord --learner 42 --yes --json'],
  ).action((opts: LearnerOptions & { yes?: boolean }) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        if (!opts.yes) throw new CliError('an erasure cannot be undone: add --yes to confirm', EXIT.usage);
        const t = await oneTenant(services, opts);
        let result;
        try {
          result = await eraseLearner(services, systemActor(t), opts.learner, { confirm: opts.learner });
        } catch (e) {
          // Erasing twice is harmless: the second time says there was nothing left, and succeeds.
          if (!(e instanceof DomainError && e.code === 'LEARNER_NOTHING_HELD')) throw e;
          const message = `Nothing is held about learner "${opts.learner}" in ${t.slug}: nothing to erase.`;
          print(cli.io, opts.json, { status: 'nothing-held', message }, () => message);
          return EXIT.ok;
        }
        print(
          cli.io,
          opts.json,
          result,
          () =>
            `learner erased from ${t.slug}: ${result.issues} issue(s), ${result.documents} document revision(s); ${result.withdrawnCodes} code(s) now verify as withdrawn (audit: erasure ${result.erasure})`,
        );
        return EXIT.ok;
      }),
    ),
  );
};

/** Written aside and renamed: a stopped export leaves no half archive under the name asked for. */
async function writePrivate(path: string, bytes: Uint8Array): Promise<void> {
  const partial = `${path}.partial`;
  try {
    const file = await open(partial, 'wx', PRIVATE_FILE);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await open(path, 'r').then((f) => f.close());
      throw new CliError(`${path} exists: not overwritten`, EXIT.io);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await rename(partial, path);
  } catch (e) {
    await rm(partial, { force: true });
    throw ioError(e);
  }
}
