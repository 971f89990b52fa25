import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTemplate, type CompiledTemplate } from '../../../templates/compile';
import { trialRenders } from '../../../templates/check';
import { EXAMPLES_DIR, bundledExamples, compileTemplateFile, readAssetFile } from '../../../templates/files';
import { renderDocument } from '../../../templates/render';
import { renderBatch } from '../../../templates/render-batch';
import { findPersona, personas } from '../../../variables/personas';
import { previewData } from '../../../variables/samples';
import { bind } from '../../../variables/bind';
import { writeTemp } from '../pdf/helpers';

/**
 * Issue 17, tagged PDF: the structure is read back with poppler (`pdfinfo -struct-text`: elements in
 * reading order with their text) and qpdf (`--json=2`: each element's /Alt, /Lang and /ActualText), for
 * every bundled example with every sample learner and for the hard personas.
 */
const compiled = new Map<string, CompiledTemplate>();
beforeAll(async () => {
  for (const file of bundledExamples()) compiled.set(basename(file, '.liquid'), (await compileTemplateFile(file)).template!);
});

const tool = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

interface Element {
  type: string;
  alt?: string;
  lang?: string;
  actualText?: string;
}

/** Every structure element of the file, by qpdf, with its strings decoded. */
function elements(path: string): Element[] {
  const json = JSON.parse(tool('qpdf', ['--json=2', '--json-key=qpdf', path])) as { qpdf: [unknown, Record<string, { value?: unknown }>] };
  const text = (v: unknown) => (typeof v === 'string' && v.startsWith('u:') ? v.slice(2) : undefined);
  const out: Element[] = [];
  for (const o of Object.values(json.qpdf[1])) {
    const v = o.value as Record<string, unknown> | undefined;
    if (!v || v['/Type'] !== '/StructElem') continue;
    const e: Element = { type: String(v['/S']).slice(1) };
    const alt = text(v['/Alt']);
    const lang = text(v['/Lang']);
    const actual = text(v['/ActualText']);
    if (alt !== undefined) e.alt = alt;
    if (lang !== undefined) e.lang = lang;
    if (actual !== undefined) e.actualText = actual;
    out.push(e);
  }
  return out;
}

function tagged(example: string, personaId: string, options: { specimen?: boolean } = {}) {
  const template = compiled.get(example)!;
  const persona = findPersona(personaId)!;
  const r = renderDocument(template, previewData(template.declared, persona.data), { tagged: true, ...options });
  expect(r.pdf, `${example} ${personaId}`).toBeDefined();
  const path = writeTemp(r.pdf!, `tagged-${example}-${personaId}.pdf`);
  expect(tool('qpdf', ['--check', path])).toContain('No syntax or stream encoding errors');
  return { path, pdf: r.pdf!, struct: tool('pdfinfo', ['-struct-text', path]), elements: elements(path), template, persona };
}

/** The quoted texts of the structure, in reading order. */
const texts = (struct: string) => [...struct.matchAll(/^\s*"(.*)"$/gmu)].map((m) => m[1]!);

const HEADINGS: Record<string, string[]> = {
  'attestation-fr': ['ATTESTATION DE FORMATION'],
  'diploma-background': ['Diploma'],
  'transcript-en': ['Certificate of Completion', 'Transcript'],
};
const FIGURES: Record<string, string[]> = {
  'attestation-fr': ['Sceau de l’organisme de formation', 'Signature du responsable de la formation'],
  'diploma-background': ['Seal of the organisation'],
  'transcript-en': ['Seal of the organisation'],
};

describe('the bundled examples, tagged, with every sample learner', () => {
  for (const example of ['attestation-fr', 'diploma-background', 'transcript-en']) {
    it(`${example}: headings, figures with alt, the QR code as a link, reading order, no artifacts in the structure`, () => {
      for (const persona of personas) {
        const { struct, elements: els, template, pdf } = tagged(example, persona.id, { specimen: true });
        const where = `${example} ${persona.id}`;
        expect(struct.startsWith('Document\n'), where).toBe(true);
        for (const h of HEADINGS[example]!) expect(struct, where).toMatch(new RegExp(`H[12] \\(block\\)\\n\\s+"${h}"`));
        // The seal and signature say what they are; the QR code says where it leads, inside its Link.
        const figures = els.filter((e) => e.type === 'Figure').map((e) => e.alt);
        const url = String((previewData(template.declared, persona.data).certificate as { verification_url?: string }).verification_url);
        const qrAlt = `${template.locale.startsWith('fr') ? 'Code QR' : 'QR code'}: ${url}`;
        expect(figures.sort(), where).toEqual([...FIGURES[example]!, qrAlt].sort());
        expect(struct, where).toMatch(/Link \(inline\)\n\s+Figure:/);
        // Decoration is not read: the SPECIMEN mark, the background, rules and borders are artifacts.
        expect(struct, where).not.toContain('SPECIMEN');
        expect(tool('pdftotext', [writeTemp(pdf, `tagged-${example}.pdf`), '-']).replace(/\s/g, '')).toContain('SPECIMEN');
        // The learner's name comes after the sentence that announces it, and the organisation before both.
        const order = texts(struct);
        const name = String((persona.data.learner as { fullname?: string } | undefined)?.fullname ?? '');
        const at = (s: string) => order.findIndex((t) => t.includes(s));
        const heading = at(HEADINGS[example]![0]!);
        expect(heading, where).toBeGreaterThanOrEqual(0);
        // Right-to-left names are checked with the hard personas (their glyphs are in visual order).
        if (name && !/[\u0590-\u08ff]/u.test(name)) expect(at(name.split(' ')[0]!), where).toBeGreaterThan(heading);
      }
    });
  }

  it('transcript-en: a table with column header cells, body cells, and its header drawn again on page 2 read once', () => {
    const { struct } = tagged('transcript-en', 'camille-martin');
    expect(struct).toMatch(/Table \(block\)\n\s+THead\n\s+TR\n\s+TH:\n\s+\/Scope \/Column\n\s+"#"/);
    expect((struct.match(/"Module"/g) ?? []).length).toBe(1);
    expect(struct).toMatch(/TBody\n\s+TR\n\s+TD\n\s+"1"\n\s+TD\n\s+"Foundations of workplace safety"/);
    expect(struct).toContain('"Capstone: a site safety plan, written and defended"');
    expect(
      tool('pdfinfo', [
        '-struct-text',
        writeTemp(
          renderDocument(
            compiled.get('transcript-en')!,
            previewData(compiled.get('transcript-en')!.declared, findPersona('camille-martin')!.data),
            { tagged: true },
          ).pdf!,
          'tr.pdf',
        ),
      ]),
    ).toBe(struct);
  });
});

describe('the hard personas', () => {
  it('Arabic and Hebrew names: the paragraph in the learner’s language, right to left, its text in reading order', () => {
    for (const [id, lang] of [
      ['arabic', 'ar'],
      ['hebrew', 'he'],
    ] as const) {
      for (const example of ['attestation-fr', 'diploma-background', 'transcript-en']) {
        const { struct, elements: els, persona } = tagged(example, id);
        const name = String((persona.data.learner as { fullname: string }).fullname);
        const p = els.find((e) => e.lang === lang);
        expect(p, `${example} ${id}`).toEqual({ type: 'P', lang, actualText: name });
        expect(struct, `${example} ${id}`).toMatch(/P \(block\):\n\s+\/WritingMode \/RlTb/);
      }
    }
  });

  it('Japanese: the name paragraph says ja; its text reads as written', () => {
    for (const example of ['attestation-fr', 'diploma-background', 'transcript-en']) {
      const { struct, elements: els } = tagged(example, 'japanese');
      expect(els.filter((e) => e.lang === 'ja').map((e) => e.type)).toEqual(['P']);
      expect(struct).toContain('"山田 花子"');
    }
  });
});

async function template(body: string, front = ''): Promise<CompiledTemplate> {
  const r = await compileTemplate(`---\nname: T\nlocale: en\nassets:\n  seal: assets/seal.png\n${front}---\n${body}`, {
    loadAsset: (f) => readAssetFile(EXAMPLES_DIR, f),
  });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.template!;
}
const learner = findPersona('camille-martin')!.data;

describe('markup for tagging', () => {
  it('a <span lang> is a Span with its language; a text link is a Link holding its words and its annotation', async () => {
    const t = await template(
      '<page><text x="20mm" y="20mm" width="150mm">Hello <span lang="ar">مرحبا</span> and <span lang="ja">こんにちは</span>, see <link href="https://example.org/a">our site</link>.</text></page>',
    );
    const r = renderDocument(t, learner, { tagged: true });
    const path = writeTemp(r.pdf!, 'tagged-span.pdf');
    expect(tool('qpdf', ['--check', path])).toContain('No syntax or stream encoding errors');
    const struct = tool('pdfinfo', ['-struct-text', path]);
    expect(struct).toContain(
      'P (block)\n    "Hello "\n    Span (inline):\n       /WritingMode /RlTb\n      "ابحرم"\n    " and "\n    Span (inline)\n      "こんにちは"\n    ", see "\n    Link (inline)\n',
    );
    expect(struct).toMatch(/Link \(inline\)\n\s+Object \d+ 0\n\s+"our site"/);
    const els = elements(path);
    expect(els.filter((e) => e.type === 'Span').map((e) => e.lang)).toEqual(['ar', 'ja']);
    const raw = tool('qpdf', ['--qdf', '--object-streams=disable', path, '-']);
    expect(raw).toMatch(/\/Contents \(our site\)/);
    expect(raw).toMatch(/\/StructParent 1/);
    expect(raw).toMatch(/\/Tabs \/S/);
    expect(Buffer.from(r.pdf!).includes('/MarkInfo << /Marked true >>')).toBe(true);
  });

  it('tag="artifact" text and alt="" images stay out of the structure; an image without alt is a figure without one', async () => {
    const t = await template(
      '<page><image x="10mm" y="10mm" width="20mm" src="seal" alt=""/><image x="40mm" y="10mm" width="20mm" src="seal"/><text x="10mm" y="50mm" width="100mm" tag="artifact">Page 1</text><text x="10mm" y="60mm" width="100mm" tag="h3">Section</text></page>',
    );
    const path = writeTemp(renderDocument(t, learner, { tagged: true }).pdf!, 'tagged-artifacts.pdf');
    const struct = tool('pdfinfo', ['-struct-text', path]);
    expect(struct).not.toContain('Page 1');
    expect(struct).toContain('H3 (block)\n    "Section"');
    expect(elements(path).filter((e) => e.type === 'Figure')).toEqual([{ type: 'Figure' }]);
  });

  it('the analyzer warns of an informative image without alt (MARKUP_ALT_MISSING), not of alt="" nor of alt="…"', async () => {
    const warned = trialRenders(await template('<page><image x="10mm" y="10mm" width="20mm" src="seal"/></page>'));
    expect(warned.map((d) => [d.code, d.severity, d.range?.start.line])).toEqual([['MARKUP_ALT_MISSING', 'warning', 7]]);
    for (const alt of ['', 'The seal'])
      expect(trialRenders(await template(`<page><image x="10mm" y="10mm" width="20mm" src="seal" alt="${alt}"/></page>`))).toEqual([]);
  });
});

describe('bytes', () => {
  it('untagged is the default and unchanged by the option being off; tagged is deterministic', () => {
    const t = compiled.get('attestation-fr')!;
    const data = previewData(t.declared, learner);
    const plain = renderDocument(t, data).pdf!;
    expect(Buffer.from(renderDocument(t, data, { tagged: false }).pdf!).equals(Buffer.from(plain))).toBe(true);
    expect(Buffer.from(plain).includes('StructTreeRoot')).toBe(false);
    const a = renderDocument(t, data, { tagged: true }).pdf!;
    expect(Buffer.from(renderDocument(t, data, { tagged: true }).pdf!).equals(Buffer.from(a))).toBe(true);
  });

  it('tagged and protected: qpdf checks it and reads the alt texts back decrypted', () => {
    const t = compiled.get('attestation-fr')!;
    const r = renderDocument(t, previewData(t.declared, learner), {
      tagged: true,
      protection: { cipher: 'aes-256', permissions: { print: true, extractForAccessibility: true }, secret: Buffer.alloc(32, 3) },
    });
    const path = writeTemp(r.pdf!, 'tagged-protected.pdf');
    expect(tool('qpdf', ['--check', path])).toContain('No syntax or stream encoding errors');
    expect(elements(path).map((e) => e.alt)).toContain('Sceau de l’organisme de formation');
  });

  it('batch print is never tagged: a print file, whose shared drawings cannot carry marked content', () => {
    const t = compiled.get('attestation-fr')!;
    const items = personas.slice(0, 3).map((p) => bind(t.schema, previewData(t.declared, p.data)).data);
    const r = renderBatch(t, items);
    expect(Buffer.from(r.pdf!).includes('StructTreeRoot')).toBe(false);
  });
});
