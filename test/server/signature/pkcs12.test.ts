import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../server/domain/errors';
import { openPkcs12 } from '../../../server/domain/signature/keys';
import { nameText, parseCertificate } from '../../../server/domain/signature/certificates';

/** Issue 17, PKCS#12 import: files made by OpenSSL 3, opened or refused with a problem saying why. */
const dir = mkdtempSync(join(tmpdir(), 'attest-p12-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

function p12(name: string, key: string[], options: { days?: string; extra?: string[]; subject?: string } = {}): Buffer {
  openssl(
    'req',
    '-x509',
    '-newkey',
    ...key,
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    options.days ?? '30',
    '-subj',
    options.subject ?? '/CN=Jeanne Signataire/O=Organisme Importé',
    '-utf8',
  );
  openssl(
    'pkcs12',
    '-export',
    '-inkey',
    `${name}.key`,
    '-in',
    `${name}.crt`,
    '-passout',
    'pass:secret-pw',
    '-out',
    `${name}.p12`,
    ...(options.extra ?? []),
  );
  return readFileSync(join(dir, `${name}.p12`));
}

async function problem(bytes: Uint8Array, password: string, now = new Date()): Promise<string | undefined> {
  try {
    await openPkcs12(bytes, password, now);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('PKCS12_INVALID');
    return (e as DomainError).extra.problems?.[0]?.code;
  }
}

describe('PKCS#12 import', () => {
  it('opens an ECDSA P-256 and an RSA 3072 file with the right password: one key, its certificate', async () => {
    for (const [name, key, algorithm] of [
      ['ec', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'ecdsa-p256'],
      ['rsa', ['rsa:3072'], 'rsa-3072'],
    ] as const) {
      const opened = await openPkcs12(p12(name, [...key]), 'secret-pw', new Date());
      expect(opened.algorithm).toBe(algorithm);
      expect(nameText(parseCertificate(opened.certificate).subject)).toContain('CN=Jeanne Signataire');
      expect(nameText(parseCertificate(opened.certificate).subject)).toContain('O=Organisme Importé');
    }
  });

  it('refuses a wrong password, garbage, an expired certificate, an unsupported key and a key with another certificate', async () => {
    const good = p12('good', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    expect(await problem(good, 'wrong')).toBe('PKCS12_PASSWORD_WRONG');
    expect(await problem(Buffer.from('not a pkcs12 file at all'), 'secret-pw')).toBe('PKCS12_UNREADABLE');
    expect(await problem(p12('small', ['rsa:1024']), 'secret-pw')).toBe('PKCS12_KEY_TYPE');
    // Not valid on the day it is imported: a 30-day certificate imported a year later, or the day before it starts.
    expect(await problem(good, 'secret-pw', new Date(Date.now() + 365 * 86_400_000))).toBe('PKCS12_CERTIFICATE_EXPIRED');
    expect(await problem(good, 'secret-pw', new Date(Date.now() - 86_400_000))).toBe('PKCS12_CERTIFICATE_EXPIRED');
    // A key with someone else's certificate.
    p12('other', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    openssl(
      'pkcs12',
      '-export',
      '-inkey',
      'good.key',
      '-in',
      'other.crt',
      '-passout',
      'pass:secret-pw',
      '-out',
      'mismatch.p12',
      '-nocerts',
    );
    const noCert = readFileSync(join(dir, 'mismatch.p12'));
    expect(await problem(noCert, 'secret-pw')).toBe('PKCS12_KEY_MISMATCH');
  });
});
