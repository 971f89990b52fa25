import { readFileSync } from 'node:fs';
import {
  examples,
  jsonOption,
  oneTenant,
  print,
  selectTenants,
  systemActor,
  tenantOptions,
  withServices,
  type JsonOption,
  type Register,
  type TenantOptions,
} from '../framework';
import { CliError, EXIT } from '../output';
import { KEY_ALGORITHMS, generateSigningKey, importSigningKey, listSigningKeys, type SigningKeyView } from '../../domain/signature/keys';
import type { KeyAlgorithm } from '../../domain/signature/cms';

/**
 * `attest signing-key …`: the keys a tenant signs its documents with (PAdES). Generating or importing one
 * rotates: the new key is active, the one before retired and still verifying. The PKCS#12 password is read
 * from an environment variable, never from the command line (which other users of the machine can see).
 */
const line = (tenant: string, k: SigningKeyView) =>
  `${tenant}\t${k.id}\t${k.state}\t${k.algorithm}\t${k.source}\t${k.subject}\tuntil ${k.notAfter}`;

export const register: Register = (program, cli) => {
  const key = examples(program.command('signing-key').description('signing keys of a tenant (digital signature of documents)'), [
    'attest signing-key generate --tenant campus-nord --algorithm ecdsa-p256',
    'ATTEST_PKCS12_PASSWORD=… attest signing-key import organisme.p12 --tenant campus-nord',
    'attest signing-key list --tenant campus-nord',
  ]);

  examples(
    jsonOption(tenantOptions(key.command('list').description('the keys of the given tenants: the active one, then the retired ones'))),
    ['attest signing-key list --tenant campus-nord', 'attest signing-key list --all-tenants --json'],
  ).action((opts: TenantOptions & JsonOption) =>
    cli.run(() =>
      withServices(opts, async (services) => {
        const rows: (SigningKeyView & { tenant: string })[] = [];
        for (const t of await selectTenants(services, opts))
          for (const k of await listSigningKeys(services, systemActor(t))) rows.push({ tenant: t.slug, ...k });
        print(cli.io, opts.json, rows, () => (rows.length ? rows.map((r) => line(r.tenant, r)).join('\n') : 'no signing keys'));
        return EXIT.ok;
      }),
    ),
  );

  examples(
    jsonOption(
      tenantOptions(
        key
          .command('generate')
          .description('a new key and self-signed certificate in the organisation’s name; it becomes the active key')
          .option('--algorithm <name>', `one of ${KEY_ALGORITHMS.join(', ')}`, 'rsa-2048'),
        { single: true },
      ),
    ),
    ['attest signing-key generate --tenant campus-nord', 'attest signing-key generate --tenant campus-nord --algorithm ecdsa-p384 --json'],
  ).action((opts: TenantOptions & JsonOption & { algorithm: string }) =>
    cli.run(() => {
      if (!(KEY_ALGORITHMS as readonly string[]).includes(opts.algorithm))
        throw new CliError(`--algorithm must be one of ${KEY_ALGORITHMS.join(', ')}, not "${opts.algorithm}".`, EXIT.usage);
      return withServices(opts, async (services) => {
        const t = await oneTenant(services, opts);
        const k = await generateSigningKey(services, systemActor(t), { algorithm: opts.algorithm as KeyAlgorithm });
        print(cli.io, opts.json, { tenant: t.slug, key: k }, () => `active: ${line(t.slug, k)}\n${k.certificate}`);
        return EXIT.ok;
      });
    }),
  );

  examples(
    jsonOption(
      tenantOptions(
        key
          .command('import')
          .description('a key and its certificate from a PKCS#12 file; it becomes the active key')
          .argument('<file>', 'the .p12 / .pfx file')
          .option('--password-env <name>', 'the environment variable holding its password', 'ATTEST_PKCS12_PASSWORD'),
        { single: true },
      ),
    ),
    ['ATTEST_PKCS12_PASSWORD=… attest signing-key import organisme.p12 --tenant campus-nord'],
  ).action((file: string, opts: TenantOptions & JsonOption & { passwordEnv: string }) =>
    cli.run(() => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new CliError(`cannot read ${file}`, EXIT.usage);
      }
      const password = process.env[opts.passwordEnv] ?? '';
      return withServices(opts, async (services) => {
        const t = await oneTenant(services, opts);
        const k = await importSigningKey(services, systemActor(t), { pkcs12: bytes.toString('base64'), password });
        print(cli.io, opts.json, { tenant: t.slug, key: k }, () => `active: ${line(t.slug, k)}`);
        return EXIT.ok;
      });
    }),
  );
};
