import { readFileSync } from 'node:fs';
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts, degrees, rgb, type PDFDict } from '@cantoo/pdf-lib';
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ImportedPage, PdfAssetError, PdfDocument } from '../../../templates/pdf/index';
import { pdftotext, qpdfCheck, run, writeTemp } from './helpers';

/** A background as a designer would upload it: made by another PDF library, fonts and all. */
async function sourcePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const helvetica = await doc.embedFont(StandardFonts.Helvetica);
  const p1 = doc.addPage([300, 200]);
  p1.drawText('Background Frame', { x: 40, y: 100, size: 18, font: helvetica });
  p1.drawRectangle({ x: 0, y: 0, width: 20, height: 20, color: rgb(1, 0, 0) });
  const p2 = doc.addPage([200, 100]);
  p2.drawRectangle({ x: 0, y: 0, width: 20, height: 20, color: rgb(1, 0, 0) });
  p2.setRotation(degrees(90));
  const p3 = doc.addPage([300, 300]);
  p3.drawRectangle({ x: 50, y: 50, width: 20, height: 20, color: rgb(0, 0, 1) });
  p3.setCropBox(50, 50, 200, 100);
  return doc.save();
}

function pixels(path: string, dpi = 72) {
  run('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', path, path]);
  const png = PNG.sync.read(readFileSync(path + '.png'));
  return (x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)];
}

async function assetError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(PdfAssetError);
    expect((e as PdfAssetError).diagnostics[0]!.stage).toBe('asset');
    return (e as PdfAssetError).code;
  }
  throw new Error('expected an error');
}

describe('ImportedPage', () => {
  it('copies a page made by pdf-lib into a form XObject whose text poppler still extracts', async () => {
    const source = await sourcePdf();
    expect(await ImportedPage.pageCount(source)).toBe(3);
    const background = await ImportedPage.fromPdf(source, 0);
    expect([background.width, background.height]).toEqual([300, 200]);
    const render = (id: string) => {
      const doc = new PdfDocument({ documentId: id });
      doc.addPage(300, 200).content.drawPage(background, 0, 0, 1, 1);
      doc.addPage(600, 400).content.drawPage(background, 0, 0, 2, 2);
      return doc.save();
    };
    const bytes = render('bg');
    const path = writeTemp(bytes);
    expect(qpdfCheck(path)).toContain('No syntax or stream encoding errors');
    expect(pdftotext(path).match(/Background Frame/g)).toHaveLength(2);
    expect(Buffer.from(bytes).equals(Buffer.from(render('bg')))).toBe(true);
    // The form is written once for both pages.
    expect(
      Buffer.from(bytes)
        .toString('latin1')
        .match(/\/Subtype \/Form/g),
    ).toHaveLength(1);
    const at = pixels(path);
    expect(at(5, 195)).toEqual([255, 0, 0]); // the red square, bottom-left
  });

  it('turns a /Rotate 90 page the way viewers show it', async () => {
    const source = await sourcePdf();
    const rotated = await ImportedPage.fromPdf(source, 1);
    expect([rotated.width, rotated.height]).toEqual([100, 200]);
    const doc = new PdfDocument({ documentId: 'rot' });
    doc.addPage(100, 200).content.drawPage(rotated, 0, 0, 1, 1);
    const ours = pixels(writeTemp(doc.save()));
    // poppler's own rendering of the source page, rotated as a viewer shows it, is the reference.
    const sourcePath = writeTemp(source, 'rotated-source.pdf');
    run('pdftoppm', ['-r', '72', '-png', '-singlefile', '-f', '2', '-l', '2', sourcePath, sourcePath]);
    const reference = PNG.sync.read(readFileSync(sourcePath + '.png'));
    expect([reference.width, reference.height]).toEqual([100, 200]);
    const theirs = (x: number, y: number) => [...reference.data.subarray((y * 100 + x) * 4, (y * 100 + x) * 4 + 3)];
    for (const [x, y] of [
      [5, 5],
      [95, 5],
      [5, 195],
      [95, 195],
      [15, 15],
      [25, 25],
    ] as const)
      expect(ours(x, y)).toEqual(theirs(x, y));
    expect(
      [
        [5, 5],
        [95, 5],
        [5, 195],
        [95, 195],
      ].some(([x, y]) => ours(x!, y!)[1] === 0),
    ).toBe(true); // the red corner is somewhere
  });

  it('shows only the CropBox, with its corner at the origin', async () => {
    const cropped = await ImportedPage.fromPdf(await sourcePdf(), 2);
    expect([cropped.width, cropped.height]).toEqual([200, 100]);
    const doc = new PdfDocument({ documentId: 'crop' });
    doc.addPage(200, 100).content.drawPage(cropped, 0, 0, 1, 1);
    const at = pixels(writeTemp(doc.save()));
    expect(at(5, 95)).toEqual([0, 0, 255]);
    expect(at(25, 75)).toEqual([255, 255, 255]);
  });

  it('refuses damaged, encrypted and out-of-range sources with typed errors', async () => {
    const source = await sourcePdf();
    expect(await assetError(ImportedPage.fromPdf(Buffer.from('this is not a pdf')))).toBe('ASSET_PDF_CORRUPT');
    expect(await assetError(ImportedPage.fromPdf(new Uint8Array()))).toBe('ASSET_PDF_CORRUPT');
    expect(await assetError(ImportedPage.fromPdf(source.subarray(0, 200)))).toBe('ASSET_PDF_CORRUPT');
    expect(await assetError(ImportedPage.fromPdf(source, 3))).toBe('ASSET_PDF_PAGE_OUT_OF_RANGE');
    expect(await assetError(ImportedPage.fromPdf(source, -1))).toBe('ASSET_PDF_PAGE_OUT_OF_RANGE');
    const plain = writeTemp(source, 'plain.pdf');
    for (const user of ['secret', '']) {
      const locked = `${plain}.${user || 'empty'}.locked.pdf`;
      run('qpdf', ['--encrypt', user, 'owner', '256', '--', plain, locked]);
      expect(await assetError(ImportedPage.fromPdf(readFileSync(locked)))).toBe('ASSET_PDF_ENCRYPTED');
    }
  });

  it('copies only what drawing needs: a hostile background brings no JavaScript, Launch or other action', async () => {
    const drawn = await PDFDocument.create();
    drawn.addPage([300, 200]).drawText('Hostile Frame', { x: 40, y: 100, size: 18, font: await drawn.embedFont(StandardFonts.Helvetica) });
    // Reloaded, so the drawing is in the page's content streams before the hostile parts are added.
    const doc = await PDFDocument.load(await drawn.save());
    const page = doc.getPage(0);
    const ctx = doc.context;
    const js = (code: string) => ctx.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of(code) });
    const launch = () => ctx.obj({ S: 'Launch', F: PDFString.of('calc.exe'), Win: ctx.obj({ F: PDFString.of('cmd.exe') }) });
    // Where readers run things: the catalogue, the page, its annotations.
    doc.catalog.set(PDFName.of('OpenAction'), ctx.register(js('app.alert("open")')));
    doc.catalog.set(
      PDFName.of('Names'),
      ctx.obj({ JavaScript: ctx.obj({ Names: [PDFHexString.fromText('x'), ctx.register(js('app.alert("names")'))] }) }),
    );
    page.node.set(PDFName.of('AA'), ctx.obj({ O: launch(), C: js('app.alert("close")') }));
    page.node.set(
      PDFName.of('Annots'),
      ctx.obj([ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 100, 100], A: launch() }))]),
    );
    // And where only a copier looks: inside the resources, a kind that is not a resource, actions tucked
    // into a graphics state, marked-content properties and a nested form's own resources.
    const resources = page.node.Resources()!;
    resources.set(PDFName.of('JavaScript'), ctx.register(js('app.alert("resource")')));
    resources.set(
      PDFName.of('ExtGState'),
      ctx.obj({ G0: ctx.obj({ Type: 'ExtGState', CA: 0.5, AA: ctx.obj({ O: launch() }), JS: PDFString.of('app.alert("gs")') }) }),
    );
    resources.set(
      PDFName.of('Properties'),
      ctx.obj({ MC0: ctx.obj({ Type: 'OCG', Name: PDFString.of('layer'), A: ctx.register(launch()) }) }),
    );
    const innerResources = ctx.obj({
      Font: (resources.get(PDFName.of('Font')) as PDFDict).clone(ctx),
      Names: ctx.obj({ JavaScript: js('app.alert("form")') }),
    });
    const font = [...(resources.get(PDFName.of('Font')) as PDFDict).keys()][0]!.toString();
    const form = ctx.register(
      ctx.stream(`BT ${font} 8 Tf 10 10 Td (inner) Tj ET`, {
        Type: 'XObject',
        Subtype: 'Form',
        BBox: [0, 0, 300, 200],
        Resources: innerResources,
        OpenAction: launch(),
      }),
    );
    const xobjects = (resources.get(PDFName.of('XObject')) as PDFDict | undefined) ?? ctx.obj({});
    xobjects.set(PDFName.of('F0'), form);
    resources.set(PDFName.of('XObject'), xobjects);
    const extra = ctx.register(ctx.flateStream('q /G0 gs /OC /MC0 BDC /F0 Do EMC Q'));
    const contents = page.node.get(PDFName.of('Contents'))!;
    page.node.set(
      PDFName.of('Contents'),
      contents instanceof PDFArray ? ctx.obj([...contents.asArray(), extra]) : ctx.obj([contents, extra]),
    );
    const hostile = await doc.save({ useObjectStreams: false });
    expect(Buffer.from(hostile).includes('/Launch')).toBe(true);

    const background = await ImportedPage.fromPdf(hostile);
    const out = new PdfDocument({ documentId: 'hostile' });
    out.addPage(300, 200).content.drawPage(background, 0, 0, 1, 1);
    const path = writeTemp(out.save());
    expect(qpdfCheck(path)).toContain('No syntax or stream encoding errors');
    run('qpdf', ['--qdf', '--object-streams=disable', path, `${path}.qdf`]);
    const expanded = readFileSync(`${path}.qdf`, 'latin1');
    for (const word of ['/JavaScript', '/JS', '/Launch', '/AA', '/OpenAction', '/Annots', '/Names', 'app.alert', 'calc.exe'])
      expect(expanded, word).not.toContain(word);
    // Drawing survives: the text of the page and of the nested form, the graphics state, the layer.
    expect(pdftotext(path)).toContain('Hostile Frame');
    expect(pdftotext(path)).toContain('inner');
    expect(expanded).toMatch(/\/G0 \d+ 0 R|\/G0 <</);
    expect(expanded).toContain('/MC0');
  });

  it('refuses a page whose drawing decompresses past the cap, without decoding it all', async () => {
    const bomb = async (bytes: number) => {
      const doc = await PDFDocument.create();
      const page = doc.addPage([300, 200]);
      // Spaces are valid content (no operators): a legal page whose drawing is all padding.
      const raw = doc.context.register(doc.context.stream(deflateSync(Buffer.alloc(bytes, 0x20), { level: 9 }), { Filter: 'FlateDecode' }));
      page.node.set(PDFName.of('Contents'), raw);
      return doc.save();
    };
    const small = await bomb(300_000);
    expect((await ImportedPage.fromPdf(small)).width).toBe(300);
    expect(await assetError(ImportedPage.fromPdf(small, 0, { maxContentBytes: 100_000 }))).toBe('ASSET_PDF_TOO_LARGE');
    const huge = await bomb(25_000_000);
    expect(huge.length).toBeLessThan(100_000);
    expect(await assetError(ImportedPage.fromPdf(huge))).toBe('ASSET_PDF_TOO_LARGE');
  });

  it('refuses object streams that decompress past the cap before the parser inflates them, however their names are spelled', async () => {
    const handmade = (type: string, payload: Buffer) => {
      const parts: (string | Buffer)[] = [
        '%PDF-1.7\n',
        '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n',
        '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n',
        '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] >> endobj\n',
        `4 0 obj << /Type ${type} /N 1 /First 4 /Filter /FlateDecode /Length ${payload.length} >> stream\n`,
        payload,
        '\nendstream endobj\ntrailer << /Root 1 0 R /Size 5 >>\n%%EOF\n',
      ];
      return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
    };
    const bomb = deflateSync(Buffer.concat([Buffer.from('5 0 '), Buffer.alloc(60_000_000, 0x20)]), { level: 9 });
    for (const type of ['/ObjStm', '/#4FbjStm']) {
      const pdf = handmade(type, bomb);
      expect(pdf.length).toBeLessThan(200_000);
      expect(await assetError(ImportedPage.fromPdf(pdf)), type).toBe('ASSET_PDF_TOO_LARGE');
    }
    // An ordinary object stream passes the check.
    expect((await ImportedPage.fromPdf(handmade('/ObjStm', deflateSync(Buffer.from('5 0 << /A 1 >>'))))).width).toBe(300);
  });
});
