import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import {
  ImportedPage,
  PdfDocument,
  PdfProtectionError,
  PreparedImage,
  permissionFlags,
  type PdfCipher,
  type PdfProtection,
} from '../../../templates/pdf/index';
import { loadFont, run, shape, tmp, writeTemp } from './helpers';

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
const NAME = 'Élodie Müller-Łukasiewicz';

function certificate(documentId: string, protection: PdfProtection): Uint8Array {
  const garamond = loadFont('garamond');
  const doc = new PdfDocument({
    documentId,
    creationDate: new Date(Date.UTC(2026, 0, 31, 12, 30, 5)),
    info: { title: 'Attestation de formation — Élodie (test)', author: 'Centre Ωmega', lang: 'fr-FR' },
    protection,
  });
  const page = doc.addPage(842, 595);
  page.content.showGlyphs(garamond, 20, 60, 470, shape(garamond, NAME, 20));
  page.content.drawImage(PreparedImage.fromBytes(readFileSync(new URL('./fixtures/python.jpg', import.meta.url))), 60, 100, 50, 50);
  page.addLink({ x: 60, y: 100, width: 200, height: 20 }, 'https://verify.example.org/c/ABC-123?n=é');
  return doc.save();
}

/** qpdf exits 3 for warnings: a warning is a failure here too. */
function qpdf(args: string[]): string {
  return execFileSync('qpdf', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function fails(cmd: string, args: string[]): string {
  try {
    execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
  throw new Error(`${cmd} ${args.join(' ')} succeeded`);
}

const EXPECTED: Record<PdfCipher, { R: number; V: number; method: string }> = {
  'aes-256': { R: 6, V: 5, method: 'AESv3' },
  'aes-128': { R: 4, V: 4, method: 'AESv2' },
};

describe.each(['aes-256', 'aes-128'] as const)('PDF protection with %s', (cipher) => {
  const permissions = { print: true, printHighQuality: false, copy: false, modify: false, annotate: true, extractForAccessibility: true };

  it('without a user password: anyone opens it, the permissions and R/V are what was asked, qpdf checks it', () => {
    const path = writeTemp(certificate(`open-${cipher}`, { cipher, permissions, secret: SECRET }));
    const shown = qpdf(['--show-encryption', path]);
    expect(shown).toContain(`R = ${EXPECTED[cipher].R}`);
    const json = JSON.parse(qpdf(['--json', '--json-key=encrypt', path])) as {
      encrypt: {
        parameters: { R: number; V: number; bits: number };
        capabilities: Record<string, boolean>;
        userpasswordmatched: boolean;
        ownerpasswordmatched: boolean;
      };
    };
    expect(json.encrypt.parameters).toMatchObject({ R: EXPECTED[cipher].R, V: EXPECTED[cipher].V, bits: cipher === 'aes-256' ? 256 : 128 });
    expect(json.encrypt.capabilities).toEqual({
      accessibility: true,
      extract: false,
      modify: false,
      modifyannotations: true,
      modifyassembly: false,
      modifyforms: false,
      modifyother: false,
      printhigh: false,
      printlow: true,
    });
    // Opened with the empty user password; the owner password (derived from the secret) is not the empty one.
    expect(json.encrypt.userpasswordmatched).toBe(true);
    expect(json.encrypt.ownerpasswordmatched).toBe(false);
    expect(shown).toContain(`P = ${permissionFlags(permissions)}`);
    expect(shown).toContain('extract for accessibility: allowed');
    expect(shown).toContain('extract for any purpose: not allowed');
    expect(shown).toContain('print low resolution: allowed');
    expect(shown).toContain('print high resolution: not allowed');
    expect(shown).toContain('modify annotations: allowed');
    expect(shown).toContain('modify other: not allowed');
    expect(shown).toContain(`stream encryption method: ${EXPECTED[cipher].method}`);
    expect(shown).toContain(`string encryption method: ${EXPECTED[cipher].method}`);
    expect(qpdf(['--check', path])).toContain('No syntax or stream encoding errors');
    expect(run('pdftotext', ['-enc', 'UTF-8', path, '-'])).toContain(NAME);
    // The strings are encrypted: the title is nowhere in clear.
    expect(Buffer.from(readFileSync(path)).includes('Attestation de formation')).toBe(false);
  });

  it('with a user password: opens only with it, decrypts with qpdf, pdftotext -upw extracts the name', () => {
    const protection = {
      cipher,
      permissions: { print: true, printHighQuality: true },
      userPassword: 'learner-pw',
      ownerPassword: 'owner-pw',
      secret: SECRET,
    };
    const path = writeTemp(certificate(`locked-${cipher}`, protection));
    expect(qpdf(['--show-encryption', path])).toContain('Incorrect password supplied');
    expect(fails('qpdf', ['--check', path])).toMatch(/invalid password/i);
    const shown = qpdf(['--password=learner-pw', '--show-encryption', path]);
    expect(shown).toContain(`R = ${EXPECTED[cipher].R}`);
    expect(shown).toContain('print high resolution: allowed');
    expect(shown).toContain('extract for any purpose: not allowed');
    expect(qpdf(['--password=owner-pw', '--show-encryption', path])).toContain('Supplied password is owner password');
    expect(qpdf(['--password=learner-pw', '--check', path])).toContain('No syntax or stream encoding errors');
    const clear = `${tmp}/clear-${cipher}.pdf`;
    qpdf(['--password=learner-pw', '--decrypt', path, clear]);
    expect(qpdf(['--show-encryption', clear])).toContain('File is not encrypted');
    expect(run('pdftotext', ['-enc', 'UTF-8', clear, '-'])).toContain(NAME);
    expect(run('pdftotext', ['-enc', 'UTF-8', '-upw', 'learner-pw', path, '-'])).toContain(NAME);
    expect(fails('pdftotext', ['-enc', 'UTF-8', path, '-'])).toMatch(/password/i);
    expect(fails('pdftotext', ['-enc', 'UTF-8', '-upw', 'wrong', path, '-'])).toMatch(/password/i);
  });

  it('gives the same bytes for the same input, different bytes for another document or secret', () => {
    const p: PdfProtection = { cipher, permissions, userPassword: 'pw', secret: SECRET };
    const a = certificate('same', p);
    expect(Buffer.from(certificate('same', p)).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(certificate('other', p)).equals(Buffer.from(a))).toBe(false);
    expect(Buffer.from(certificate('same', { ...p, secret: Buffer.from('another secret of 32 bytes......') })).equals(Buffer.from(a))).toBe(
      false,
    );
  });
});

describe('PDF protection of every object', () => {
  it('encrypts strings (read back decrypted by poppler) and an imported background page, whose text still extracts', async () => {
    const source = await PDFDocument.create();
    const helvetica = await source.embedFont(StandardFonts.Helvetica);
    source.addPage([300, 200]).drawText('Background Frame', { x: 40, y: 100, size: 18, font: helvetica });
    const background = await ImportedPage.fromPdf(await source.save(), 0);
    const doc = new PdfDocument({
      documentId: 'bg',
      info: { title: 'Attestation (a) \\ b) ( of Camille', author: 'Centre Ωmega' },
      protection: { cipher: 'aes-256', permissions: { print: true }, userPassword: 'pw', secret: SECRET },
    });
    doc.addPage(300, 200).content.drawPage(background, 0, 0, 1, 1);
    const path = writeTemp(doc.save());
    expect(qpdf(['--password=pw', '--check', path])).toContain('No syntax or stream encoding errors');
    expect(run('pdftotext', ['-upw', 'pw', path, '-'])).toContain('Background Frame');
    const info = run('pdfinfo', ['-enc', 'UTF-8', '-upw', 'pw', path]);
    expect(info).toMatch(/Title:\s+Attestation \(a\) \\ b\) \( of Camille/);
    expect(info).toMatch(/Author:\s+Centre Ωmega/);
    expect(info).toMatch(/Encrypted:\s+yes \(print:yes copy:no change:no addNotes:no algorithm:AES-256\)/);
  });
});

describe('PDF protection inputs', () => {
  it('refuses short key material and non-Latin-1 AES-128 passwords with stable codes', () => {
    const base = { permissions: {}, secret: SECRET };
    expect(() => certificate('x', { ...base, cipher: 'aes-256', secret: Buffer.from('short') })).toThrow(PdfProtectionError);
    try {
      certificate('x', { ...base, cipher: 'aes-128', userPassword: 'пароль' });
      expect.unreachable();
    } catch (e) {
      expect((e as PdfProtectionError).code).toBe('PDF_PROTECTION_PASSWORD_NOT_LATIN1');
    }
  });

  it('AES-256 takes a non-ASCII user password (UTF-8)', () => {
    const path = writeTemp(certificate('utf8', { cipher: 'aes-256', permissions: {}, userPassword: 'mötdepässe', secret: SECRET }));
    expect(qpdf(['--password=mötdepässe', '--check', path])).toContain('No syntax or stream encoding errors');
  });
});
