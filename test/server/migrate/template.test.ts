import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import type { ModCertificateInstance } from '../../../server/migrate/mod-certificate/instance';
import {
  templateFromInstance,
  type ImageFile,
  type ImageKind,
  type InstanceImages,
  type MigratedTemplate,
} from '../../../server/migrate/mod-certificate/template';
import { checkMigratedTemplate } from '../../../server/migrate/mod-certificate/check';
import { convertCustomText } from '../../../server/migrate/mod-certificate/html';
import { renderDocument } from '../../../templates/render';
import { checkCommand } from '../../../server/cli/check';
import { EXIT } from '../../../server/cli/output';
import { findPersona } from '../../../variables/personas';
import { previewData } from '../../../variables/samples';
import { handmadeJpeg, pdffonts, pdfimages, pdftotext, qpdfCheck, run, words, writeTemp } from '../../templates/pdf/helpers';

/** A row of `certificate` as the plugin's form saves it by default, with nothing printed but the basics. */
function instance(overrides: Partial<ModCertificateInstance> = {}): ModCertificateInstance {
  return {
    id: 12,
    course: 4,
    name: 'Certificate',
    intro: '<p>Get your certificate</p>',
    introformat: 1,
    emailteachers: 0,
    emailothers: '',
    savecert: 1,
    reportcert: 0,
    delivery: 0,
    requiredtime: 0,
    certificatetype: 'A4_embedded',
    orientation: 'L',
    borderstyle: '0',
    bordercolor: '0',
    printwmark: '0',
    printdate: 0,
    datefmt: 1,
    printnumber: 0,
    printgrade: 0,
    gradefmt: 1,
    printoutcome: 0,
    printhours: '',
    printteacher: 0,
    customtext: '',
    printsignature: '0',
    printseal: '0',
    timecreated: 1_700_000_000,
    timemodified: 1_700_000_000,
    ...overrides,
  };
}

/** Everything the plugin can print, on. */
const EVERYTHING: Partial<ModCertificateInstance> = {
  printdate: 2,
  datefmt: 1,
  printnumber: 1,
  printgrade: 1,
  gradefmt: 1,
  printoutcome: 9,
  printhours: '14',
  printteacher: 1,
  customtext: '<p>Signed on behalf of the <b>board</b></p>',
  bordercolor: '3',
  borderstyle: 'Fancy1-blue.jpg',
  printwmark: 'Crest.png',
  printsignature: 'Line.png',
  printseal: 'Logo.png',
};

function png(width: number, height: number, rgb: [number, number, number], alpha = 255): ImageFile {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([...rgb, alpha], i * 4);
  return { bytes: PNG.sync.write(image), mediaType: 'image/png' };
}
const jpeg = (width: number, height: number): ImageFile => ({ bytes: handmadeJpeg(width, height, 3), mediaType: 'image/jpeg' });

/** Distinct sizes, so pdfimages tells the four apart. */
const ALL_IMAGES: InstanceImages = {
  found: {
    border: jpeg(64, 48),
    watermark: png(40, 30, [200, 30, 30], 160),
    signature: png(120, 30, [0, 0, 0]),
    seal: png(50, 50, [30, 30, 200]),
  },
  missing: {},
};
const SIZES: Record<ImageKind, [number, number]> = { border: [64, 48], watermark: [40, 30], signature: [120, 30], seal: [50, 50] };

const english = findPersona('oliver-bennett')!.data;
const french = findPersona('camille-martin')!.data;

async function migrate(
  overrides: Partial<ModCertificateInstance>,
  images: InstanceImages = { found: {}, missing: {} },
  context: Partial<Parameters<typeof templateFromInstance>[2]> = {},
): Promise<{ migrated: MigratedTemplate; check: Awaited<ReturnType<typeof checkMigratedTemplate>> }> {
  const migrated = templateFromInstance(instance(overrides), images, { courseName: 'Workplace First Aid', locale: 'en', ...context });
  const check = await checkMigratedTemplate(migrated);
  return { migrated, check };
}

/** `attest check`'s verdict: no error from compiling nor from rendering each sample learner; nor a warning. */
function expectClean(check: Awaited<ReturnType<typeof checkMigratedTemplate>>): void {
  expect(check.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  expect(check.template).toBeDefined();
}

interface Rendered {
  text: string;
  path: string;
  pdf: Uint8Array;
}

function render(check: Awaited<ReturnType<typeof checkMigratedTemplate>>, data: Readonly<Record<string, unknown>>): Rendered {
  const template = check.template!;
  const r = renderDocument(template, previewData(template.declared, data));
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const path = writeTemp(r.pdf!);
  qpdfCheck(path);
  // One space between words, whatever the layout: lines are compared as phrases.
  return { text: pdftotext(path).replace(/\s+/g, ' '), path, pdf: r.pdf! };
}

function pageSize(path: string): string {
  return /Page size:\s+([\d.]+ x [\d.]+) pts/.exec(run('pdfinfo', [path]))![1]!;
}

const PAGE: Record<string, string> = {
  'A4 L': '841.89 x 595.276',
  'A4 P': '595.276 x 841.89',
  'letter L': '792 x 612',
  'letter P': '612 x 792',
};

describe('each type and orientation', () => {
  for (const type of ['A4_embedded', 'A4_non_embedded', 'letter_embedded', 'letter_non_embedded']) {
    for (const orientation of ['L', 'P']) {
      const paper = type.startsWith('A4') ? 'A4' : 'letter';
      it(`${type} ${orientation}: everything printed, every image given`, async () => {
        const { migrated, check } = await migrate({ ...EVERYTHING, certificatetype: type, orientation }, ALL_IMAGES, {
          outcomeName: 'Alert',
        });
        expect(migrated.warnings).toEqual([
          { field: 'bordercolor', message: expect.stringContaining('Both a border image and border lines') },
          { field: 'customtext', message: expect.stringContaining('follows them') },
        ]);
        expectClean(check);
        const { text, path } = render(check, english);
        expect(pageSize(path)).toBe(PAGE[`${paper} ${orientation}`]);
        for (const line of [
          'Certificate of Achievement',
          'This certifies that',
          'Oliver Bennett',
          'has successfully completed the course',
          'Workplace First Aid — Initial Training',
          'February 3, 2026',
          'Course grade: 77.50%',
          'Alert: Achieved',
          'Credit hours: 14',
          'Certificate code: ATT-',
          'Harriet Cole',
          'Signed on behalf of the board',
        ])
          expect(text).toContain(line);
        expect(text).not.toContain('Protect: Achieved');
        const rows = pdfimages(path).filter((r) => r.type === 'image');
        expect(rows.map((r) => [r.width, r.height]).sort()).toEqual(Object.values(SIZES).sort());
        expect(Object.keys(migrated.assets).sort()).toEqual([
          'assets/border.jpg',
          'assets/seal.png',
          'assets/signature.png',
          'assets/watermark.png',
        ]);
      });

      it(`${type} ${orientation}: nothing optional, no image`, async () => {
        const { migrated, check } = await migrate({ certificatetype: type, orientation });
        expect(migrated.warnings).toEqual([]);
        expectClean(check);
        const { text, path } = render(check, french);
        expect(pageSize(path)).toBe(PAGE[`${paper} ${orientation}`]);
        expect(text).toContain('Camille Martin');
        expect(text).toContain('Sauveteur secouriste du travail');
        for (const absent of ['2026', 'grade', 'Credit', 'code', 'Julien Moreau', 'Protéger', 'Acquis']) expect(text).not.toContain(absent);
        expect(pdfimages(path)).toEqual([]);
        expect(migrated.assets).toEqual({});
      });
    }
  }

  it('written to files, passes `attest check` itself (every sample learner rendered)', async () => {
    const { migrated } = await migrate({ ...EVERYTHING, customtext: '<p>{{ 7*7 }} &lt;b&gt;</p>' }, ALL_IMAGES);
    const folder = mkdtempSync(join(tmpdir(), 'attest-migrated-'));
    const file = join(folder, 'certificate.liquid');
    writeFileSync(file, migrated.source);
    for (const [name, asset] of Object.entries(migrated.assets)) {
      mkdirSync(dirname(join(folder, name)), { recursive: true });
      writeFileSync(join(folder, name), asset.bytes);
    }
    const out: string[] = [];
    const code = await checkCommand([file], { personas: true }, { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(out.join('')).toContain('0 errors, 0 warnings');
    expect(code).toBe(EXIT.ok);
  });

  it('puts the lines where the plugin did: A4 in millimetres, letter in points', async () => {
    const mm = 72 / 25.4;
    const top = (pdf: Uint8Array, word: string) => words(pdf).find((w) => w.text === word)!.yMin;
    const a4 = render((await migrate({ printnumber: 1 })).check, english);
    // The plugin's title cell starts at y = 30 mm and the code's at 175 mm (poppler's word boxes are the
    // font's ascent to descent, so they start a little above or below the box's top).
    expect(top(a4.pdf, 'Certificate') / mm).toBeGreaterThan(28);
    expect(top(a4.pdf, 'Certificate') / mm).toBeLessThan(33);
    expect(top(a4.pdf, 'ATT-3H8D-5R2T') / mm).toBeGreaterThan(174);
    expect(top(a4.pdf, 'ATT-3H8D-5R2T') / mm).toBeLessThan(178);
    const letter = render((await migrate({ printnumber: 1, certificatetype: 'letter_embedded', orientation: 'P' })).check, english);
    expect(top(letter.pdf, 'Certificate')).toBeGreaterThan(165);
    expect(top(letter.pdf, 'Certificate')).toBeLessThan(182);
    expect(top(letter.pdf, 'ATT-3H8D-5R2T')).toBeGreaterThan(657);
    expect(top(letter.pdf, 'ATT-3H8D-5R2T')).toBeLessThan(668);
  });

  it('sets the lines in the faces of the type: sans and serif roles, both always embedded', async () => {
    for (const type of ['A4_non_embedded', 'letter_embedded']) {
      const { migrated, check } = await migrate({ certificatetype: type, printnumber: 1 });
      const { path } = render(check, english);
      const fonts = pdffonts(path);
      expect(fonts.some((f) => /NotoSans-/.test(f.name))).toBe(true);
      expect(fonts.some((f) => /NotoSerif/.test(f.name))).toBe(true);
      for (const f of fonts) expect(f).toMatchObject({ emb: true, sub: true });
      // letter_embedded sets the name in the serif face; the others in the sans.
      const nameLine = migrated.source.split('\n').find((l) => l.includes('learner.fullname'))!;
      expect(nameLine).toContain(type === 'letter_embedded' ? 'font="serif"' : 'font="sans"');
    }
  });

  it('an unknown type (a folder added to the site) gets the nearest layout and a warning; so does a bad orientation', async () => {
    const { migrated, check } = await migrate({ certificatetype: 'letter_fancy', orientation: 'X' });
    expect(migrated.warnings.map((w) => w.field)).toEqual(['certificatetype', 'orientation']);
    expectClean(check);
    expect(pageSize(render(check, english).path)).toBe(PAGE['letter P']);
  });
});

describe('images', () => {
  for (const kind of ['border', 'watermark', 'signature', 'seal'] as const) {
    it(`only the ${kind}: drawn at the plugin's size`, async () => {
      const column = { border: 'borderstyle', watermark: 'printwmark', signature: 'printsignature', seal: 'printseal' }[kind];
      const { migrated, check } = await migrate({ [column]: `${kind}.png` }, { found: { [kind]: ALL_IMAGES.found[kind] }, missing: {} });
      expect(migrated.warnings).toEqual([]);
      expectClean(check);
      const { path } = render(check, english);
      expect(
        pdfimages(path)
          .filter((r) => r.type === 'image')
          .map((r) => [r.width, r.height]),
      ).toEqual([SIZES[kind]]);
      const element = migrated.source.split('\n').find((l) => l.includes(`src="${kind}"`))!;
      if (kind === 'border') expect(element).toContain('x="0mm" y="0mm" width="297mm" height="210mm"');
      if (kind === 'watermark') expect(element).toContain('opacity="0.2"');
      // One point per pixel, as TCPDF places an image given no size: 50 px = 50 pt = 17.64 mm.
      if (kind === 'seal') expect(element).toContain('x="230mm" y="150mm" width="17.64mm" height="17.64mm"');
    });

    it(`the ${kind} named but not found: a warning, the element left out, the template still renders`, async () => {
      const column = { border: 'borderstyle', watermark: 'printwmark', signature: 'printsignature', seal: 'printseal' }[kind];
      const { migrated, check } = await migrate(
        { [column]: `${kind}.png`, printnumber: 1 },
        { found: {}, missing: { [kind]: 'not in moodledata' } },
      );
      expect(migrated.warnings).toEqual([
        { field: column, message: expect.stringMatching(new RegExp(`${kind} image "${kind}.png" was not found \\(not in moodledata\\)`)) },
      ]);
      expect(migrated.source).not.toContain(`src="${kind}"`);
      expectClean(check);
      const { path, text } = render(check, english);
      expect(pdfimages(path)).toEqual([]);
      expect(text).toContain('Certificate code: ATT-3H8D-5R2T');
    });
  }

  it('an image the caller did not report at all counts as missing', async () => {
    const { migrated } = await migrate({ printseal: 'Logo.png' });
    expect(migrated.warnings).toEqual([{ field: 'printseal', message: expect.stringContaining('"Logo.png" was not found') }]);
    // A caller that reports the file name as the reason does not get it twice.
    const named = await migrate({ printseal: 'Logo.png' }, { found: {}, missing: { seal: 'Logo.png' } });
    expect(named.migrated.warnings[0]!.message).toBe('The seal image "Logo.png" was not found: the template is migrated without it.');
  });

  it('a file that is not an image, or a damaged one, is left out with a warning', async () => {
    const damaged = Buffer.from(png(20, 20, [1, 2, 3]).bytes);
    damaged.fill(7, 30, 60);
    const { migrated, check } = await migrate(
      { printseal: 'Logo.png', printsignature: 'Sig.gif' },
      {
        found: { seal: { bytes: damaged, mediaType: 'image/png' }, signature: { bytes: Buffer.from('GIF89a...'), mediaType: 'image/gif' } },
        missing: {},
      },
    );
    expect(migrated.warnings.map((w) => [w.field, w.message.replace(/\(.*\)/, '(…)')])).toEqual([
      ['printsignature', 'The signature image "Sig.gif" is not a PNG or a JPEG (…): the template is migrated without it.'],
      ['printseal', 'The seal image "Logo.png" cannot be read (…): the template is migrated without it.'],
    ]);
    expect(migrated.assets).toEqual({});
    expectClean(check);
  });

  it('a signature too large for the page at one point per pixel is made smaller, keeping its proportions', async () => {
    const { migrated, check } = await migrate(
      { printsignature: 'Huge.png' },
      { found: { signature: png(2000, 500, [0, 0, 0]) }, missing: {} },
    );
    expect(migrated.warnings).toEqual([{ field: 'printsignature', message: expect.stringContaining('is made') }]);
    // 2000 × 500 pt from (47 mm, 155 mm): the page's bottom, 55 mm below, decides; a quarter as wide as high.
    expect(migrated.source).toContain('<image x="47mm" y="155mm" width="220mm" height="55mm" fit="fill" src="signature" alt="Signature"/>');
    expectClean(check);
  });
});

describe('border lines', () => {
  /** The colour drawn on the outer frame line, halfway along its top edge, from a 72 dpi raster of the page. */
  function frameColour(pdf: Uint8Array, yPt: number): [number, number, number] {
    const path = writeTemp(pdf);
    const out = `${path}.raster`;
    run('pdftoppm', ['-r', '72', '-png', '-singlefile', path, out]);
    const image = PNG.sync.read(readFileSync(`${out}.png`));
    const i = (Math.round(yPt) * image.width + Math.round(image.width / 2)) * 4;
    return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
  }
  const near = (got: number[], want: number[]) => got.every((v, i) => Math.abs(v - want[i]!) <= 40);

  const colours: [string, string, [number, number, number]][] = [
    ['1', 'black', [0, 0, 0]],
    ['2', 'brown', [153, 102, 51]],
    ['3', 'blue', [0, 51, 204]],
    ['4', 'green', [0, 180, 0]],
  ];
  for (const [value, name, rgb] of colours) {
    for (const type of ['A4_embedded', 'letter_non_embedded']) {
      it(`bordercolor ${value} draws the plugin's three ${name} lines (${type})`, async () => {
        const { migrated, check } = await migrate({ bordercolor: value, certificatetype: type });
        expect(migrated.warnings).toEqual([]);
        expect(migrated.source.match(/<rect /g)).toHaveLength(3);
        expectClean(check);
        const { pdf } = render(check, english);
        // The outer line's top edge: y = 10 mm (A4) or 28 pt (letter).
        expect(near(frameColour(pdf, type.startsWith('A4') ? (10 * 72) / 25.4 : 28), rgb)).toBe(true);
      });
    }
  }

  it('bordercolor 0 draws none; a value the plugin does not know draws none and says so', async () => {
    const none = await migrate({ bordercolor: '0' });
    expect(none.migrated.source).not.toContain('<rect');
    expect(near(frameColour(render(none.check, english).pdf, (10 * 72) / 25.4), [255, 255, 255])).toBe(true);
    const odd = await migrate({ bordercolor: '7' });
    expect(odd.migrated.source).not.toContain('<rect');
    expect(odd.migrated.warnings).toEqual([{ field: 'bordercolor', message: expect.stringContaining('"7"') }]);
  });
});

describe('what is printed', () => {
  it('printdate: the issue date, the completion date (else the issue date), a module’s completion date (else the issue date)', async () => {
    const cases: [number, Readonly<Record<string, unknown>>, string][] = [
      [1, english, 'February 4, 2026'],
      [2, english, 'February 3, 2026'],
      [2, { ...english, completion: null }, 'February 4, 2026'],
      [42, english, 'February 2, 2026'],
      [77, english, 'February 4, 2026'],
    ];
    for (const [printdate, data, expected] of cases) {
      const { check } = await migrate({ printdate });
      expectClean(check);
      expect(render(check, data).text).toContain(expected);
    }
  });

  it('datefmt 1–5 in English and in French', async () => {
    const cases: [number, 'en' | 'fr', string][] = [
      [1, 'en', 'February 3, 2026'],
      [2, 'en', 'February 3rd, 2026'],
      [3, 'en', '3 February 2026'],
      [4, 'en', 'February 2026'],
      [5, 'en', 'February 3, 2026'],
      [1, 'fr', 'février 3, 2026'],
      [2, 'fr', '3 février 2026'],
      [3, 'fr', '3 février 2026'],
      [4, 'fr', 'février 2026'],
      [5, 'fr', '3 février 2026'],
    ];
    for (const [datefmt, locale, expected] of cases) {
      const { migrated, check } = await migrate({ printdate: 2, datefmt }, undefined, { locale });
      expect(migrated.warnings).toEqual([]);
      expectClean(check);
      expect(render(check, locale === 'en' ? english : french).text).toContain(expected);
    }
  });

  it('datefmt 2 gives every day its English ordinal, and the French 1er', async () => {
    const { check } = await migrate({ printdate: 2, datefmt: 2 });
    const fr = await migrate({ printdate: 2, datefmt: 2 }, undefined, { locale: 'fr' });
    const on = (date: string) => ({ ...english, completion: { date } });
    for (const [date, expected] of [
      ['2026-03-01', 'March 1st, 2026'],
      ['2026-03-02', 'March 2nd, 2026'],
      ['2026-03-03', 'March 3rd, 2026'],
      ['2026-03-11', 'March 11th, 2026'],
      ['2026-03-12', 'March 12th, 2026'],
      ['2026-03-13', 'March 13th, 2026'],
      ['2026-03-21', 'March 21st, 2026'],
      ['2026-03-22', 'March 22nd, 2026'],
      ['2026-03-23', 'March 23rd, 2026'],
      ['2026-03-31', 'March 31st, 2026'],
    ])
      expect(render(check, on(date!)).text).toContain(expected);
    expect(render(fr.check, on('2026-03-01')).text).toContain('1er mars 2026');
    expect(render(fr.check, on('2026-03-02')).text).toContain('2 mars 2026');
  });

  it('a date format the plugin does not have prints the first one, with a warning', async () => {
    const { migrated, check } = await migrate({ printdate: 1, datefmt: 0 });
    expect(migrated.warnings).toEqual([{ field: 'datefmt', message: expect.stringContaining('Date format 0') }]);
    expect(render(check, english).text).toContain('February 4, 2026');
  });

  it('gradefmt: percentage, points, letter; of the course, of a module, of a grade category', async () => {
    const cases: [Partial<ModCertificateInstance>, string, string?][] = [
      [{ printgrade: 1, gradefmt: 1 }, 'Course grade: 77.50%'],
      [{ printgrade: 1, gradefmt: 2 }, 'Course grade: 15.50'],
      [{ printgrade: 1, gradefmt: 3 }, 'Course grade: B'],
      [{ printgrade: 43, gradefmt: 1 }, 'Final quiz grade: 90.00%', 'Final quiz'],
      [{ printgrade: 43, gradefmt: 2 }, 'Final quiz grade: 9.00', 'Final quiz'],
      [{ printgrade: 42, gradefmt: 3 }, 'Grade: B'],
    ];
    for (const [settings, expected, gradeActivityName] of cases) {
      const { migrated, check } = await migrate(settings, undefined, gradeActivityName ? { gradeActivityName } : {});
      expect(migrated.warnings.length).toBe(gradeActivityName || settings.printgrade === 1 ? 0 : 1);
      expectClean(check);
      expect(render(check, english).text).toContain(expected);
    }
    // No grade sent: no line (the plugin printed a dash).
    const { check } = await migrate({ printgrade: 1 });
    expect(render(check, { ...english, grade: null }).text).not.toContain('Course grade');
  });

  it('a grade category: the template declares grade_category, printed when the LMS sends it', async () => {
    const { migrated, check } = await migrate({ printgrade: -5, gradefmt: 1 });
    expect(migrated.warnings).toEqual([{ field: 'printgrade', message: expect.stringContaining('"grade_category"') }]);
    expectClean(check);
    expect(render(check, { ...english, grade_category: { percent: 66.5 } }).text).toContain('66.50%');
    // Without previewData's samples for declared variables: what an LMS that sends no category grade gets.
    const r = renderDocument(check.template!, english);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(pdftotext(writeTemp(r.pdf!))).not.toContain('%');
  });

  it('printoutcome: the named outcome, else the first, with its grade', async () => {
    const named = await migrate({ printoutcome: 9 }, undefined, { outcomeName: 'Alert' });
    expect(named.migrated.warnings).toEqual([]);
    expectClean(named.check);
    expect(render(named.check, english).text).toContain('Alert: Achieved');
    expect(render(named.check, english).text).not.toContain('Protect');
    // A name with quotes, braces and markup is matched as written, inside a Liquid string it cannot leave.
    const odd = 'Protect "the" {{ scene }} <now> % \\';
    const quoted = await migrate({ printoutcome: 9, printgrade: 43 }, undefined, {
      outcomeName: odd,
      gradeActivityName: 'Quiz <1> {{ x }}',
    });
    expectClean(quoted.check);
    const oddText = render(quoted.check, {
      ...english,
      outcomes: [
        { name: 'Protect', grade: 'No' },
        { name: odd, grade: 'Yes' },
      ],
    }).text;
    expect(oddText).toContain(`${odd}: Yes`);
    expect(oddText).toContain('Quiz <1> {{ x }} grade: 90.00%');
    expect(oddText).not.toContain('Protect: No');
    const first = await migrate({ printoutcome: 9 }, undefined, { locale: 'fr' });
    expect(first.migrated.warnings.map((w) => w.field)).toEqual(['printoutcome']);
    expect(render(first.check, french).text).toContain('Protéger : Acquis');
    expect(render(first.check, { ...french, outcomes: [] }).text).not.toContain('Acquis');
  });

  it('printhours: a number becomes the certificate’s credit hours (a learner’s own replace them); text prints as written; "0" prints nothing', async () => {
    const hours = await migrate({ printhours: '7.5' });
    expect(hours.migrated.certificateSettings.credit_hours).toBe(7.5);
    expectClean(hours.check);
    const data = { ...english, credit_hours: undefined, learner: { ...(english.learner as object), credit_hours: undefined } };
    expect(render(hours.check, { ...data, certificate: { ...(english.certificate as object), credit_hours: 7.5 } }).text).toContain(
      'Credit hours: 7.5',
    );
    expect(render(hours.check, english).text).toContain('Credit hours: 14');
    const text = await migrate({ printhours: '3 CEU {{ x }}' });
    expect(text.migrated.warnings.map((w) => w.field)).toEqual(['printhours']);
    expect(text.migrated.certificateSettings.credit_hours).toBeUndefined();
    expectClean(text.check);
    expect(render(text.check, english).text).toContain('Credit hours: 3 CEU {{ x }}');
    for (const printhours of ['0', '', null]) {
      const none = await migrate({ printhours });
      expect(none.migrated.source).not.toContain('Credit hours');
    }
  });

  it('printnumber prints the code; printteacher the teachers, one per line, or nothing when there are none', async () => {
    const { check } = await migrate({ printnumber: 1, printteacher: 1 }, undefined, { locale: 'fr' });
    expectClean(check);
    const { text } = render(check, french);
    expect(text).toContain('Code du certificat : ATT-7Q4K-2M9P');
    expect(text).toContain('Julien Moreau Sophie Lambert');
    expect(render(check, { ...french, teachers: [] }).text).not.toContain('Julien');
  });

  it('French wording in a French instance', async () => {
    const { check } = await migrate({ ...EVERYTHING, customtext: '' }, ALL_IMAGES, { locale: 'fr' });
    expectClean(check);
    const { text } = render(check, french);
    for (const line of [
      'Certificat de réussite',
      'Nous certifions que',
      'a suivi avec succès le cours',
      'Note du cours : 77,50 %',
      'Heures créditées : 14',
    ])
      expect(text).toContain(line);
  });
});

describe('the custom text', () => {
  it('keeps simple HTML as inline markup: paragraphs and breaks as lines, bold, italic, underline, colour, links', () => {
    expect(
      convertCustomText(
        '<p>Signed by <strong>J. Doe</strong>, <em>Director</em></p><p>Line<br>two <u>under</u> <font color="#ff0000">red</font></p>',
      ),
    ).toEqual({
      markup: 'Signed by <b>J. Doe</b>, <i>Director</i><br/>Line<br/>two <u>under</u> <span color="#ff0000">red</span>',
      dropped: [],
    });
    expect(convertCustomText('<a href="https://example.org/?a=1&amp;b=2">site</a> &eacute;t&eacute; &#8364;').markup).toBe(
      '<link href="https://example.org/?a=1&amp;b=2">site</link> été €',
    );
    expect(convertCustomText('<ul><li>one</li><li>two</li></ul>').markup).toBe('• one<br/>• two');
    expect(convertCustomText('   ').markup).toBe('');
    expect(convertCustomText('<b>unclosed <i>nested').markup).toBe('<b>unclosed <i>nested</i></b>');
    expect(convertCustomText('stray</i> a < b').markup).toBe('stray a &lt; b');
  });

  it('reports what it drops', () => {
    const r = convertCustomText(
      '<img src="x.png" width="10"/><script>alert(1)</script><a href="javascript:alert(1)">click</a><marquee>m</marquee>',
    );
    expect(r.markup).toBe('clickm');
    expect(r.dropped).toEqual([
      expect.stringContaining('<img>'),
      '<script> and its content',
      expect.stringContaining('javascript:alert(1)'),
      '<marquee>',
    ]);
  });

  const HOSTILE = [
    '&lt;b&gt;not bold&lt;/b&gt;',
    '{{ 7*7 }}',
    '{% assign x = 1 %}{%- raw -%}',
    '}} %} {{',
    '&#123;&#123; 6*6 &#125;&#125;',
    '</text><image x="0" y="0" width="10" height="10" src="seal"/><text x="0" y="0" width="10">',
    '<page><watermark>SPECIMEN</watermark></page>',
    "<font color='\"><b>'>quoted</font>",
    '<tcpdf method="AddPage" />',
    '<script>{{ 8*8 }}</script>',
    '<a href="javascript:alert(1)">click</a>',
    '\u0000\u0007control',
  ].join(' ');

  it('hostile text stays text: no Liquid runs, no markup gets in, every character prints as written', async () => {
    const { migrated, check } = await migrate({ customtext: HOSTILE, printsignature: '0' });
    expectClean(check);
    const { text, path } = render(check, english);
    for (const literal of [
      '<b>not bold</b>',
      '{{ 7*7 }}',
      '{% assign x = 1 %}{%- raw -%}',
      '}} %} {{',
      '{{ 6*6 }}',
      'quoted',
      'click',
      'control',
    ])
      expect(text).toContain(literal);
    for (const absent of ['49', '36', '64', 'alert'] as const) expect(text).not.toContain(absent);
    // The tags' words are text like the rest; no element came in with them.
    expect(text).toContain('SPECIMEN');
    const page = migrated.source.slice(migrated.source.indexOf('<page>'));
    expect(page.match(/<(\w+)/g)!.sort()).toEqual(['<page', '<text', '<text', '<text', '<text', '<text', '<text']);
    expect(pdfimages(path)).toEqual([]);
    // One page, one custom text box, nothing else added.
    expect(run('pdfinfo', [path])).toMatch(/Pages:\s+1\n/);
    expect(migrated.warnings.every((w) => w.field === 'customtext')).toBe(true);
  });

  it('a hostile instance name stays text in the PDF title', async () => {
    const name = 'Cert "{{ 7*7 }}" {% raw %} \\u0041 <b>';
    const { check } = await migrate({ name });
    expectClean(check);
    expect(run('pdfinfo', [render(check, english).path])).toContain(`Title:           ${name}`);
  });
});

describe('certificate settings', () => {
  it('delivery, required time and what Attest does not do', async () => {
    const { migrated } = await migrate({ delivery: 2, requiredtime: 90, emailteachers: 1, emailothers: 'a@example.org' });
    expect(migrated.certificateSettings).toEqual({ delivery: 'download', min_time_spent_minutes: 90 });
    expect(migrated.warnings.map((w) => w.field)).toEqual(['delivery', 'emailteachers', 'emailothers']);
    expect((await migrate({ delivery: 0 })).migrated.certificateSettings).toEqual({ delivery: 'inline' });
    expect((await migrate({ delivery: 1 })).migrated.certificateSettings).toEqual({ delivery: 'download' });
  });

  it('the template is named after the instance and its course', async () => {
    const { migrated } = await migrate({ name: 'Final certificate' });
    expect(migrated.name).toBe('Final certificate — Workplace First Aid');
    expect(migrated.source).toContain('name: "Final certificate — Workplace First Aid"');
  });
});
