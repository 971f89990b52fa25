import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { compileTemplate } from '../../../../templates/compile';
import { renderDocument } from '../../../../templates/render';
import { imageFromData } from '../../../../templates/assets';
import { DiagnosticError } from '../../../../variables/diagnostics';
import { findPersona } from '../../../../variables/personas';
import { run, writeTemp } from '../../pdf/helpers';
import { boxes, SEAL } from '../../layout/helpers';

const require = createRequire(import.meta.url);
const learner = findPersona('camille-martin')!.data;

describe('images from the data', () => {
  const text = `---\nname: T\n---\n<page>{% if certifier.signature %}<image x="10mm" y="10mm" width="40mm" src="{{ certifier.signature }}"/>{% endif %}</page>`;
  const seal = readFileSync(join(dirname(require.resolve('../../../../templates/files.ts')), 'examples', 'assets', 'seal.png'));

  it('a signature sent as a data: URL is drawn, decoded once per distinct image', async () => {
    const { template } = await compileTemplate(text);
    const data = {
      ...learner,
      certifier: { ...(learner.certifier as object), signature: `data:image/png;base64,${seal.toString('base64')}` },
    };
    const r = renderDocument(template!, data);
    expect(r.diagnostics).toEqual([]);
    const list = run('pdfimages', ['-list', writeTemp(r.pdf!)]);
    expect(list).toMatch(/\s240\s+240\s+rgb/);
  });

  it('a corrupt one is an error at the element, not a crash', async () => {
    const { template } = await compileTemplate(text);
    const broken = Buffer.from(seal);
    broken.fill(7, 30, 90);
    const data = {
      ...learner,
      certifier: { ...(learner.certifier as object), signature: `data:image/png;base64,${broken.toString('base64')}` },
    };
    const r = renderDocument(template!, data);
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([['ASSET_IMAGE_CORRUPT', 4]]);
  });

  const signed = (signature: string) => ({ ...learner, certifier: { ...(learner.certifier as object), signature } });

  it('is small-capped: over 1 MB the data is refused when bound, and at the element if it got that far', async () => {
    const { template } = await compileTemplate(text);
    const big = `data:image/png;base64,${Buffer.concat([seal, Buffer.alloc(1_100_000)]).toString('base64')}`;
    const r = renderDocument(template!, signed(big));
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([['BIND_IMAGE_TOO_LARGE', 'certifier.signature']]);
    const refused = (() => {
      try {
        imageFromData(big);
      } catch (e) {
        return (e as DiagnosticError).diagnostics[0]?.code;
      }
      return undefined;
    })();
    expect(refused).toBe('DATA_IMAGE_TOO_LARGE');
  });

  it('goes through the same bounds as assets: a decompression bomb is refused at the element', async () => {
    const { template } = await compileTemplate(text);
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const head = Buffer.alloc(4);
      head.writeUInt32BE(data.length);
      const tail = Buffer.alloc(4);
      tail.writeUInt32BE(crc32(body));
      return Buffer.concat([head, body, tail]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(1000, 0);
    ihdr.writeUInt32BE(1000, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    // 1000×1000 RGB declares 3 MB of rows; the 40 KB stream inflates to 40 MB.
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(40_000_000), { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(bomb.length).toBeLessThan(1_000_000);
    const r = renderDocument(template!, signed(`data:image/png;base64,${bomb.toString('base64')}`));
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([['ASSET_IMAGE_SIZE_MISMATCH', 4]]);
  });

  it('has a smaller pixel cap than assets: a small file declaring 5 megapixels is refused at the element', async () => {
    const { template } = await compileTemplate(text);
    const flat = new PNG({ width: 2500, height: 2000 });
    flat.data.fill(255);
    const bytes = PNG.sync.write(flat);
    expect(bytes.length).toBeLessThan(100_000);
    const r = renderDocument(template!, signed(`data:image/png;base64,${bytes.toString('base64')}`));
    expect(r.diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([['ASSET_IMAGE_TOO_LARGE', 4]]);
    expect(r.diagnostics[0]!.message).toContain('at most 4 megapixels');
  });

  it('is decoded once by content: the same bytes written two ways are one prepared image', () => {
    const plain = seal.toString('base64');
    const wrapped = plain.replace(/.{76}/g, '$&\n');
    expect(imageFromData(`data:image/png;base64,${wrapped}`)).toBe(imageFromData(`data:image/png;base64,${plain}`));
  });
});

describe('<image>: drawn boxes', () => {
  it('is as tall as the image is proportioned when no height is given', async () => {
    const drawn = (
      await boxes(
        '<page>\n<image x="10mm" y="10mm" width="30mm" src="seal"/>\n<image x="50mm" y="10mm" width="30mm" height="10mm" src="seal" fit="cover"/>\n</page>',
        { front: SEAL },
      )
    ).filter((b) => b.kind === 'image');
    // The seal is square.
    expect(drawn.map(({ x, y, width, height }) => [x, y, width, height])).toEqual([
      [10, 10, 30, 30],
      [50, 10, 30, 10],
    ]);
  });
});
