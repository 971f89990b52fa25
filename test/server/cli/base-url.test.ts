import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../../server/cli/start';
import { CliError } from '../../../server/cli/output';
import { call, list } from '../../support/http';
import { learnerData } from '../../support/storage';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';

process.env.LOG_LEVEL ??= 'warn';

/** `attest start` and the address documents print for verifying them. */
describe('attest start and the public address', () => {
  const database = () => join(mkdtempSync(join(tmpdir(), 'attest-base-')), 'attest.sqlite');
  /** Issues a document with the demo tenant's LMS token; the text of the first PDF that prints its verification address. */
  const issuedText = async (url: string, out: string): Promise<{ code: string; text: string }> => {
    const token = /LMS API token\s+(att_\S+)/.exec(out)![1]!;
    for (const cert of list((await call(url, 'GET', '/api/v1/certificates', { token })).json)) {
      const issued = await call(url, 'POST', `/api/v1/certificates/${String(cert.id)}/issues`, {
        token,
        body: { learner_id: 'L-base', available: true, data: learnerData() },
      });
      if (issued.status !== 201) continue;
      const code = String(issued.json.issue?.code);
      const text = pdftotext(writeTemp((await call(url, 'GET', `/api/v1/issues/${code}/document`, { token })).bytes));
      if (text.includes('/verify/')) return { code, text: text.replace(/\s+/g, '') };
    }
    throw new Error('no demo document prints its verification address');
  };

  it('prints --base-url in documents, and warns when documents would print a loopback address', async () => {
    let out = '';
    let err = '';
    const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s) };
    const local = await startCommand({ port: '0', host: '127.0.0.1', database: database(), workers: '1' }, io);
    try {
      expect(err).toMatch(/^Warning: .*loopback address.*--base-url.*PUBLIC_BASE_URL/m);
      const { code, text } = await issuedText(local.url, out);
      expect(text).toContain(`${local.url}/verify/${code}`);
    } finally {
      await local.close();
    }
    out = '';
    err = '';
    const served = await startCommand(
      { port: '0', host: '127.0.0.1', database: database(), workers: '1', baseUrl: 'https://certs.example.org/' },
      io,
    );
    try {
      expect(err).not.toContain('Warning');
      expect(served.url).toBe('https://certs.example.org');
      const { code, text } = await issuedText(served.listening, out);
      expect(text).toContain(`https://certs.example.org/verify/${code}`);
    } finally {
      await served.close();
    }
  }, 60_000);

  it('refuses a --base-url (or PUBLIC_BASE_URL) that is not a plain web address', async () => {
    const io = { out: () => {}, err: () => {} };
    for (const baseUrl of [
      'ftp://certs.example.org',
      'https://admin:secret@certs.example.org',
      'https://certs.example.org/#top',
      'certs.example.org',
    ]) {
      const e = await startCommand({ port: '0', host: '127.0.0.1', database: database(), workers: '1', baseUrl }, io).then(
        async (s) => (await s.close(), undefined),
        (x: unknown) => x,
      );
      expect(e, baseUrl).toBeInstanceOf(CliError);
      expect(String((e as Error).message)).toMatch(/^--base-url \(or PUBLIC_BASE_URL\) /);
    }
    process.env.PUBLIC_BASE_URL = 'javascript:alert(1)';
    try {
      await expect(startCommand({ port: '0', host: '127.0.0.1', database: database(), workers: '1' }, io)).rejects.toThrow(
        /must be an https:\/\/ \(or http:\/\/\) address/,
      );
    } finally {
      delete process.env.PUBLIC_BASE_URL;
    }
  });
});
