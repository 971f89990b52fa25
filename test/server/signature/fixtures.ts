import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { compileTemplateFile, bundledExamples } from '../../../templates/files';
import type { CompiledTemplate } from '../../../templates/compile';
import { sha256, type KeyAlgorithm } from '../../../server/domain/signature/cms';
import { newSelfSignedKey } from '../../../server/domain/signature/keys';
import { sealBytes } from '../../../server/domain/sealing';
import type { SigningKeyTable } from '../../../server/storage/schema';

export const SECRET = 'installation key for the signature tests';

/** A tenant's key row as migration 016 keeps it, sealed with SECRET (set ATTEST_SECRET_KEY to it). */
export async function keyRow(algorithm: KeyAlgorithm, organisation = 'Organisme de test'): Promise<SigningKeyTable> {
  const now = new Date();
  const { certificate, pkcs8 } = await newSelfSignedKey(algorithm, organisation, now);
  return {
    id: randomUUID(),
    tenant_id: 't',
    algorithm,
    source: 'generated',
    subject: `CN=${organisation}`,
    certificate: Buffer.from(certificate).toString('base64'),
    fingerprint: sha256(certificate).toString('hex'),
    private_key: sealBytes('signing key', pkcs8, SECRET),
    not_after: now.toISOString(),
    state: 'active',
    created_at: now.toISOString(),
    retired_at: null,
  };
}

export async function compiledExamples(): Promise<Map<string, CompiledTemplate>> {
  const compiled = new Map<string, CompiledTemplate>();
  for (const file of bundledExamples()) compiled.set(basename(file, '.liquid'), (await compileTemplateFile(file)).template!);
  return compiled;
}
