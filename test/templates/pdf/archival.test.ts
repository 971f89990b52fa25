import { PDFDocument, StandardFonts, cmyk, rgb } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import {
  ImportedPage,
  PdfDocument,
  PreparedImage,
  archivalConformance,
  prepareFont,
  type PdfDocumentOptions,
} from '../../../templates/pdf/index';
import { PdfArchivalError } from '../../../templates/pdf/archival';
import { SRGB_PROFILE_DESCRIPTION, srgbColorantsD50, srgbIccProfile } from '../../../templates/pdf/icc';
import { loadFont, shape, writeTemp } from './helpers';
import { checkPdfA } from './pdfa';

/** Issue 17, archival: our writer's PDF/A-3b, checked with everything a tool here can see. */
const issued = new Date(Date.UTC(2026, 1, 4, 0, 0, 0));

function certificate(options: Partial<PdfDocumentOptions> = {}, text = 'Élodie Müller & <Ωmega>') {
  const garamond = loadFont('garamond');
  const doc = new PdfDocument({
    documentId: 'ARCH-1',
    creationDate: issued,
    archival: true,
    info: {
      title: 'Attestation — Élodie & <Ωmega> "quoted"',
      author: 'Centre Ωmega',
      subject: 'Sauveteur secouriste',
      keywords: ['formation', 'sécurité'],
      creator: 'Attest',
      lang: 'fr-FR',
    },
    ...options,
  });
  const page = doc.addPage(842, 595);
  page.content.showGlyphs(garamond, 20, 60, 470, shape(garamond, text, 20));
  page.content.save().fillColor([0.1, 0.2, 0.6]).opacity(0.4).rect(40, 40, 762, 10).fill().restore();
  page.addLink({ x: 60, y: 100, width: 200, height: 20 }, 'https://verify.example.org/c/ABC-123');
  return doc;
}

function archivalCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof PdfArchivalError) return e.code;
    throw e;
  }
  return undefined;
}

describe('the sRGB ICC profile', () => {
  const icc = Buffer.from(srgbIccProfile());

  it('has a valid version 2 display RGB → XYZ header and its size', () => {
    expect(icc.readUInt32BE(0)).toBe(icc.length);
    expect(icc.readUInt8(8)).toBe(2);
    expect(icc.toString('latin1', 12, 16)).toBe('mntr');
    expect(icc.toString('latin1', 16, 20)).toBe('RGB ');
    expect(icc.toString('latin1', 20, 24)).toBe('XYZ ');
    expect(icc.toString('latin1', 36, 40)).toBe('acsp');
    // The PCS illuminant: D50.
    expect([68, 72, 76].map((o) => icc.readInt32BE(o) / 65536)).toEqual([0.9642, 1, 0.8249].map((v) => Math.round(v * 65536) / 65536));
  });

  it('lists the tags a matrix/TRC profile needs, each inside the file', () => {
    const count = icc.readUInt32BE(128);
    const tags = new Map<string, { offset: number; size: number }>();
    for (let i = 0; i < count; i++) {
      const at = 132 + i * 12;
      tags.set(icc.toString('latin1', at, at + 4), { offset: icc.readUInt32BE(at + 4), size: icc.readUInt32BE(at + 8) });
    }
    expect([...tags.keys()].sort()).toEqual(['bTRC', 'bXYZ', 'cprt', 'desc', 'gTRC', 'gXYZ', 'rTRC', 'rXYZ', 'wtpt']);
    for (const { offset, size } of tags.values()) expect(offset + size).toBeLessThanOrEqual(icc.length);
    const desc = tags.get('desc')!;
    expect(icc.toString('latin1', desc.offset, desc.offset + 4)).toBe('desc');
    expect(icc.toString('latin1', desc.offset + 12, desc.offset + 12 + SRGB_PROFILE_DESCRIPTION.length)).toBe(SRGB_PROFILE_DESCRIPTION);
    const trc = tags.get('rTRC')!;
    expect(icc.toString('latin1', trc.offset, trc.offset + 4)).toBe('curv');
    // The sRGB curve: 0 → 0, mid-grey (0.5 encoded) → 0.214 linear, 1 → 1.
    const entries = icc.readUInt32BE(trc.offset + 8);
    const at = (i: number) => icc.readUInt16BE(trc.offset + 12 + i * 2) / 65535;
    expect(at(0)).toBe(0);
    expect(at(entries - 1)).toBe(1);
    expect(at(Math.round((entries - 1) / 2))).toBeCloseTo(0.214, 2);
  });

  it('has the colorants of sRGB adapted to D50 (Bradford), which add up to the D50 white', () => {
    const { r, g, b } = srgbColorantsD50();
    // Published values (Lindbloom, sRGB D50 Bradford): the matrix every v4 sRGB profile carries.
    expect(r[0]).toBeCloseTo(0.4360747, 3);
    expect(g[1]).toBeCloseTo(0.7168786, 3);
    expect(b[2]).toBeCloseTo(0.7141733, 3);
    expect(r[0] + g[0] + b[0]).toBeCloseTo(0.9642, 4);
    expect(r[1] + g[1] + b[1]).toBeCloseTo(1, 4);
    expect(r[2] + g[2] + b[2]).toBeCloseTo(0.8249, 4);
  });

  it('is the same bytes every time', () => {
    expect(Buffer.compare(Buffer.from(srgbIccProfile()), icc)).toBe(0);
  });
});

describe('PDF/A-3b documents', () => {
  it('declare part 3, conformance B, with the Info values escaped in the XMP; output intent, fonts, links, structure', () => {
    const path = writeTemp(certificate().save(), 'archival.pdf');
    const { xmp, info } = checkPdfA(path);
    expect(xmp.get('dc:title')).toBe('Attestation — Élodie & <Ωmega> "quoted"');
    expect(info.get('Title')).toBe('Attestation — Élodie & <Ωmega> "quoted"');
    expect(xmp.get('pdf:Keywords')).toBe('formation, sécurité');
    expect(xmp.get('xmp:CreateDate')).toBe('2026-02-04T00:00:00Z');
    expect(xmp.get('xmp:MetadataDate')).toBe('2026-02-04T00:00:00Z');
    expect(xmp.get('dc:format')).toBe('application/pdf');
  });

  it('are deterministic, and say so of themselves; an ordinary document does not', () => {
    const a = certificate().save();
    expect(Buffer.compare(Buffer.from(a), Buffer.from(certificate().save()))).toBe(0);
    expect(archivalConformance(a)).toBe('PDF/A-3b');
    const plain = certificate({ archival: false }).save();
    expect(archivalConformance(plain)).toBeUndefined();
    expect(Buffer.from(plain).toString('latin1')).not.toContain('/OutputIntents');
  });

  it('carry embedded files declared with their relationship (pdfdetach lists them)', () => {
    const doc = certificate({
      attachments: [
        { name: 'credential.json', mimeType: 'application/ld+json', bytes: Buffer.from('{"a":1}'), relationship: 'Alternative' },
        { name: 'données.csv', mimeType: 'text/csv', bytes: Buffer.from('a;b\n1;2\n'), relationship: 'Data', description: 'The data' },
      ],
    });
    const { attachments } = checkPdfA(writeTemp(doc.save(), 'archival-attachments.pdf'));
    expect(attachments).toEqual([
      { name: 'credential.json', relationship: '/Alternative', subtype: '/application/ld+json' },
      { name: 'données.csv', relationship: '/Data', subtype: '/text/csv' },
    ]);
  });

  it('are never encrypted: asking for both is refused', () => {
    const protection = { cipher: 'aes-128' as const, permissions: {}, secret: Buffer.alloc(32, 1) };
    expect(archivalCode(() => certificate({ protection }).save())).toBe('ARCHIVAL_PROTECTED');
  });

  it('refuse a character no font covers (PDF/A forbids .notdef) instead of drawing an empty box', () => {
    expect(archivalCode(() => certificate({}, 'Name 漢字').save())).toBe('ARCHIVAL_GLYPH_MISSING');
    expect(archivalCode(() => certificate({ archival: false }, 'Name 漢字').save())).toBeUndefined();
  });

  it('refuse a CMYK JPEG (device CMYK under an sRGB output intent)', () => {
    // SOI, a baseline frame header with four components (1×1), EOI: the writer passes JPEG data through.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0, 20, 8, 0, 1, 0, 1, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0, 0xff, 0xd9]);
    const image = PreparedImage.fromBytes(jpeg);
    expect(image.cmyk).toBe(true);
    const doc = certificate();
    doc.addPage(100, 100).content.drawImage(image, 0, 0, 10, 10);
    expect(archivalCode(() => doc.save())).toBe('ARCHIVAL_IMAGE_CMYK');
  });

  it('refuse a background page with a font not embedded or CMYK colour, and take one that has neither', async () => {
    const helvetica = await PDFDocument.create();
    helvetica.addPage([200, 100]).drawText('Standard 14', { font: await helvetica.embedFont(StandardFonts.Helvetica), x: 10, y: 50 });
    const cmykPage = await PDFDocument.create();
    cmykPage.addPage([200, 100]).drawRectangle({ x: 0, y: 0, width: 50, height: 50, color: cmyk(0, 1, 1, 0) });
    const rgbPage = await PDFDocument.create();
    rgbPage.addPage([200, 100]).drawRectangle({ x: 0, y: 0, width: 50, height: 50, color: rgb(1, 0, 0) });
    // Text with an embedded font, from our own writer.
    const ours = new PdfDocument({ documentId: 'bg' });
    const sans = loadFont('sansBold');
    ours.addPage(200, 100).content.showGlyphs(sans, 12, 10, 50, shape(sans, 'Embedded', 12));

    const backgrounds = {
      helvetica: await ImportedPage.fromPdf(await helvetica.save()),
      cmyk: await ImportedPage.fromPdf(await cmykPage.save()),
      rgb: await ImportedPage.fromPdf(await rgbPage.save()),
      ours: await ImportedPage.fromPdf(ours.save()),
    };
    expect(backgrounds.helvetica.archivalProblems.join(' ')).toContain('Helvetica without embedding it');
    expect(backgrounds.cmyk.archivalProblems.join(' ')).toContain('CMYK');
    expect(backgrounds.rgb.archivalProblems).toEqual([]);
    expect(backgrounds.ours.archivalProblems).toEqual([]);
    for (const [which, page] of Object.entries(backgrounds)) {
      const doc = certificate();
      doc.addPage(200, 100).content.drawPage(page, 0, 0, 1, 1);
      const code = archivalCode(() => doc.save());
      if (which === 'helvetica' || which === 'cmyk') expect(code, which).toBe('ARCHIVAL_BACKGROUND_NOT_CONFORMING');
      else {
        expect(code, which).toBeUndefined();
        checkPdfA(writeTemp(doc.save(), `archival-background-${which}.pdf`));
      }
    }
  });

  it('keep no standard-14 path: every font goes through prepareFont as an embedded subset', () => {
    const sans = loadFont('sansBold');
    const prepared = prepareFont(sans);
    expect(prepared.kind).toBe('TrueType');
    const doc = certificate();
    doc.addPage(100, 100).content.showGlyphs(prepared, 10, 10, 10, shape(sans, 'Prepared', 10));
    checkPdfA(writeTemp(doc.save(), 'archival-prepared.pdf'));
  });
});
