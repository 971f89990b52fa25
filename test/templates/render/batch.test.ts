import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { compileTemplateFile, EXAMPLES_DIR } from '../../../templates/files';
import type { CompiledTemplate } from '../../../templates/compile';
import { renderBound } from '../../../templates/render';
import { renderBatch } from '../../../templates/render-batch';
import { bind } from '../../../variables/bind';
import { findPersona } from '../../../variables/personas';
import type { BoundData } from '../../../variables/types';
import { objectCounts, pdffonts, pdftotext, qpdfCheck, run, writeTemp } from '../pdf/helpers';

/** Each page's content stream, decompressed, in page order. */
function contentStreams(pdf: Uint8Array): string[] {
  const text = Buffer.from(pdf).toString('latin1');
  return [...text.matchAll(/\/Contents (\d+) 0 R/g)].map((m) => {
    const at = text.indexOf(`\n${m[1]} 0 obj\n`);
    const head = /<< \/Filter \/FlateDecode \/Length (\d+) >>\nstream\n/.exec(text.slice(at, at + 200))!;
    const start = at + head.index + head[0].length;
    return inflateSync(Buffer.from(pdf.subarray(start, start + Number(head[1])))).toString('latin1');
  });
}

/** A session of learners named in several scripts, from the bundled personas, each with a code of its own. */
const PERSONAS = ['accents', 'greek', 'cyrillic', 'arabic', 'japanese'];

let template: CompiledTemplate;
const learners = (n: number): { data: BoundData; name: string; code: string }[] =>
  Array.from({ length: n }, (_, k) => {
    const persona = findPersona(PERSONAS[k % PERSONAS.length]!)!.data as Record<string, Record<string, unknown>>;
    const code = `ATT-B${String(k).padStart(3, '0')}-TEST`;
    const data = { ...persona, certificate: { ...persona.certificate, code, verification_url: `https://attest.example.org/v/${code}` } };
    const bound = bind(template.schema, data);
    expect(bound.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return { data: bound.data, name: String(persona.learner!.fullname), code };
  });

beforeAll(async () => {
  // Over a background PDF page, with a PNG seal, three faces and a QR code per learner.
  template = (await compileTemplateFile(join(EXAMPLES_DIR, 'diploma-background.liquid'))).template!;
});

describe('a batch of 50 learners in one PDF', () => {
  it('has every learner’s page in order, each font and the background once, text that extracts, the same bytes twice', () => {
    const session = learners(50);
    const r = renderBatch(
      template,
      session.map((l) => l.data),
      { print: true },
    );
    expect(r.failures).toEqual([]);
    expect(r.pageCount).toBe(50);
    expect(r.documents.map((d) => d.firstPage)).toEqual(session.map((_, k) => k));
    const path = writeTemp(r.pdf!, 'batch-50.pdf');
    qpdfCheck(path);
    const info = run('pdfinfo', ['-box', path]);
    expect(info).toMatch(/^Pages:\s+50$/m);
    expect(info).toMatch(/^Title:\s+batch of 50$/m);
    // Print boxes: the trim is the page (written in the file: see the next test for without).
    expect(info).toMatch(/^TrimBox:\s+0\.00\s+0\.00\s+841\.89\s+595\.28$/m);

    // Each font once: no two fonts with one name, and as many Type0 fonts in the file as pdffonts lists.
    const fonts = pdffonts(path);
    const names = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(new Set(names).size).toBe(names.length);
    for (const f of fonts) expect(f).toMatchObject({ emb: true, sub: true, uni: true });
    const counts = objectCounts(r.pdf!);
    expect(counts.fonts).toBe(fonts.length);
    // The background page is one form XObject; the seal one image with its soft mask; 50 page objects.
    expect(counts).toMatchObject({ forms: 1, images: 2, pages: 50, contentStreams: 50 });

    for (const k of [0, 1, 2, 3, 4, 17, 49]) {
      const page = run('pdftotext', ['-f', String(k + 1), '-l', String(k + 1), '-enc', 'UTF-8', path, '-']).normalize('NFC');
      expect(page).toContain(session[k]!.code);
      for (const word of session[k]!.name.normalize('NFC').split(' ')) expect(page).toContain(word);
    }

    const again = renderBatch(
      template,
      learners(50).map((l) => l.data),
      { print: true },
    );
    expect(Buffer.from(again.pdf!).equals(Buffer.from(r.pdf!))).toBe(true);
  });

  it('is far smaller than the separate documents, and the whole text of all pages reads in order', () => {
    const session = learners(10);
    const r = renderBatch(
      template,
      session.map((l) => l.data),
    );
    const separate = session.reduce((sum, l) => sum + renderBound(template, l.data).pdf!.length, 0);
    expect(r.pdf!.length).toBeLessThan(separate / 4);
    const text = pdftotext(writeTemp(r.pdf!));
    const positions = session.map((l) => text.indexOf(l.code));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Without `print`, no trim box is written (it defaults to the page either way).
    expect(Buffer.from(r.pdf!).toString('latin1')).not.toContain('/TrimBox');
  });

  it('draws each page as its learner’s own document draws it (elements met before are replayed, not redrawn)', () => {
    const [a, , , b] = learners(4);
    const batch = renderBatch(template, [a!.data, b!.data, a!.data, b!.data]);
    const pages = contentStreams(batch.pdf!);
    expect(pages[2]).toBe(contentStreams(renderBound(template, a!.data).pdf!)[0]);
    expect(pages[2]).toBe(pages[0]);
    expect(pages[3]).toBe(pages[1]);
  });

  it('shares identical pages’ content streams, and reports a data set that fails by its place', () => {
    const one = learners(1)[0]!;
    const same = renderBatch(template, [one.data, one.data, one.data]);
    expect(objectCounts(same.pdf!)).toMatchObject({ pages: 3, contentStreams: 1 });
    const broken = { ...one.data, certificate: { ...(one.data.certificate as object), verification_url: 'x'.repeat(5000) } };
    const r = renderBatch(template, [one.data, broken]);
    expect(r.pdf).toBeUndefined();
    expect(r.failures.map((f) => f.index)).toEqual([1]);
  });
});
