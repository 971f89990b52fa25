import { readFileSync } from 'node:fs';
import { PDFDocument, StandardFonts, degrees, rgb } from '@cantoo/pdf-lib';
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
    expect(Buffer.from(bytes).toString('latin1').match(/\/Subtype \/Form/g)).toHaveLength(1);
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
    for (const [x, y] of [[5, 5], [95, 5], [5, 195], [95, 195], [15, 15], [25, 25]] as const) expect(ours(x, y)).toEqual(theirs(x, y));
    expect([[5, 5], [95, 5], [5, 195], [95, 195]].some(([x, y]) => ours(x!, y!)[1] === 0)).toBe(true); // the red corner is somewhere
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
});
