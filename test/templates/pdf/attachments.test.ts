import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PdfAttachmentError, PdfDocument, type PdfAttachment, type PdfProtection } from '../../../templates/pdf/index';
import { loadFont, qpdfCheck, run, shape, tmp, writeTemp } from './helpers';

const CREDENTIAL = Buffer.from(
  JSON.stringify({ '@context': ['https://www.w3.org/ns/credentials/v2'], name: 'Sécurité — niveau 2' }),
  'utf8',
);
const ISSUED = new Date(Date.UTC(2026, 2, 14, 9, 0, 0));

function document(attachments: PdfAttachment[], protection?: PdfProtection): Uint8Array {
  const font = loadFont('garamond');
  const doc = new PdfDocument({
    documentId: 'ATT-1',
    creationDate: ISSUED,
    info: { title: 'With a credential' },
    attachments,
    ...(protection ? { protection } : {}),
  });
  doc.addPage(595, 842).content.showGlyphs(font, 14, 60, 700, shape(font, 'Attestation', 14));
  return doc.save();
}

/** The objects of a file as qpdf's JSON shows them (strings decoded, streams' dictionaries only). */
function objects(path: string): Record<string, { value?: Record<string, unknown>; stream?: { dict: Record<string, unknown> } }> {
  const json = JSON.parse(run('qpdf', ['--json=2', '--json-key=qpdf', path])) as { qpdf: [unknown, Record<string, never>] };
  return json.qpdf[1];
}

describe('attachments (associated files)', () => {
  const credential: PdfAttachment = {
    name: 'credential.json',
    mimeType: 'application/ld+json',
    bytes: CREDENTIAL,
    description: 'Open Badges 3.0 credential',
    relationship: 'Data',
  };
  const second: PdfAttachment = {
    name: 'données élève.csv',
    mimeType: 'text/csv',
    bytes: Buffer.from('a;b\n1;2\n'),
    relationship: 'Source',
  };

  it('are listed and saved back byte for byte by pdfdetach, and qpdf finds nothing wrong', () => {
    const path = writeTemp(document([credential, second]));
    qpdfCheck(path);
    const list = run('pdfdetach', ['-list', '-enc', 'UTF-8', path]);
    expect(list).toContain('2 embedded files');
    expect(list).toContain('credential.json');
    expect(list).toContain('données élève.csv');
    const out = join(tmp, 'saved-credential.json');
    run('pdfdetach', ['-save', '1', '-o', out, path]);
    // pdfdetach numbers files in the name tree's order: "credential.json" sorts before "données…".
    expect(readFileSync(out)).toEqual(CREDENTIAL);
  });

  it('each file specification states its relationship, MIME type, size, date and checksum; the catalog lists them in /AF', () => {
    const path = writeTemp(document([credential, second]));
    const all = Object.values(objects(path));
    const specs = all.map((o) => o.value).filter((v): v is Record<string, unknown> => v?.['/Type'] === '/Filespec');
    expect(specs.map((s) => s['/AFRelationship']).sort()).toEqual(['/Data', '/Source']);
    const data = specs.find((s) => s['/AFRelationship'] === '/Data')!;
    expect(data['/UF']).toBe('u:credential.json');
    expect(data['/Desc']).toBe('u:Open Badges 3.0 credential');
    const files = all.map((o) => o.stream?.dict).filter((d): d is Record<string, unknown> => d?.['/Type'] === '/EmbeddedFile');
    const json = files.find((d) => d['/Subtype'] === '/application/ld+json')!;
    const params = json['/Params'] as Record<string, unknown>;
    expect(params['/Size']).toBe(CREDENTIAL.length);
    expect(params['/ModDate']).toBe('u:D:20260314090000Z');
    expect(typeof params['/CheckSum']).toBe('string');
    const catalog = all.map((o) => o.value).find((v) => v?.['/Type'] === '/Catalog')!;
    expect((catalog['/AF'] as unknown[]).length).toBe(2);
  });

  it('are the same bytes for the same inputs, and a document without any is unchanged', () => {
    expect(Buffer.from(document([credential]))).toEqual(Buffer.from(document([credential])));
    expect(Buffer.from(document([]))).not.toEqual(Buffer.from(document([credential])));
    expect(Buffer.from(document([])).includes('/EmbeddedFiles')).toBe(false);
  });

  it('are encrypted with the document and read back with its password', () => {
    const protection: PdfProtection = { cipher: 'aes-256', permissions: {}, userPassword: 'sésame', secret: Buffer.alloc(32, 7) };
    const path = writeTemp(document([credential], protection));
    expect(readFileSync(path).includes(Buffer.from('niveau'))).toBe(false);
    const out = join(tmp, 'decrypted-credential.json');
    run('pdfdetach', ['-upw', 'sésame', '-save', '1', '-o', out, path]);
    expect(readFileSync(out)).toEqual(CREDENTIAL);
  });

  it('refuse duplicate names, path-like names and malformed MIME types with their codes', () => {
    const code = (attachments: PdfAttachment[]) => {
      try {
        document(attachments);
      } catch (e) {
        return e instanceof PdfAttachmentError ? e.code : String(e);
      }
      return 'saved';
    };
    expect(code([credential, { ...second, name: 'credential.json' }])).toBe('ATTACHMENT_NAME_DUPLICATE');
    expect(code([{ ...credential, name: '../etc/passwd' }])).toBe('ATTACHMENT_NAME_INVALID');
    expect(code([{ ...credential, name: '' }])).toBe('ATTACHMENT_NAME_INVALID');
    expect(code([{ ...credential, mimeType: 'json' }])).toBe('ATTACHMENT_MIME_INVALID');
  });
});
