import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { EXAMPLES_DIR, readAssetFile } from '../../../templates/files';
import { findPersona } from '../../../variables/personas';
import type { Diagnostic } from '../../../variables/diagnostics';
import { cpuMillis } from '../../support/cpu';

const learner = findPersona('camille-martin')!.data;
const loadAsset = (file: string) => readAssetFile(EXAMPLES_DIR, file);

function template(body: string, front = ''): string {
  return `---\nname: Test\nlocale: fr\n${front}---\n${body}`;
}

async function run(text: string, data: unknown = learner): Promise<Diagnostic[]> {
  const compiled = await compileTemplate(text, { loadAsset });
  if (!compiled.template) return compiled.diagnostics;
  return [...compiled.diagnostics, ...renderDocument(compiled.template, data).diagnostics];
}

const at = (d: Diagnostic | undefined) => d && [d.code, d.range?.start.line, d.range?.start.column];

describe('every stage reports its problems at their place in the template', () => {
  it('YAML', async () => {
    const d = await run('---\nname: Test\npage: { size: A4\n---\n<page></page>');
    expect(d[0]?.code).toBe('SOURCE_YAML_SYNTAX');
    expect(d[0]?.range?.start.line).toBeGreaterThanOrEqual(3);
  });

  it('markup nested too deep: MARKUP_TOO_DEEP at the element, not a stack overflow', async () => {
    const d = await run(
      template(
        '<page>\n<text x="0" y="0" width="10mm">{% for i in (1..10000) %}<i>{% endfor %}x{% for i in (1..10000) %}</i>{% endfor %}</text>\n</page>',
      ),
    );
    expect(d.map((x) => x.code)).toEqual(['MARKUP_TOO_DEEP']);
    expect(d[0]?.range?.start.line).toBe(6);
  });

  it('very large markup is a template problem, never a crash: 150,000 rows, 120,000 spans, 100,000 mistakes', async () => {
    const rows = await run(
      template(
        `<page><table x="10mm" y="10mm" width="150mm">{% for i in (1..3000) %}${'<tr><td>Row</td></tr>'.repeat(50)}{% endfor %}</table></page>`,
      ),
    );
    expect(rows.map((x) => x.code)).toEqual(['LAYOUT_TOO_MANY_PAGES']);
    const spans = await run(
      template(
        `<page><text x="0" y="0" width="100mm" height="20mm" fit="shrink">{% for i in (1..1200) %}${'<b>x</b>'.repeat(100)}{% endfor %}</text></page>`,
      ),
    );
    expect(spans.filter((x) => x.severity === 'error')).toEqual([]);
    const mistakes = await run(template(`<page>{% for i in (1..1000) %}${'<txt/>'.repeat(100)}{% endfor %}</page>`));
    expect(mistakes).toHaveLength(200);
    expect(new Set(mistakes.map((x) => x.code))).toEqual(new Set(['MARKUP_UNKNOWN_ELEMENT']));
  }, 60_000);

  it('Liquid syntax', async () => {
    const d = await run(template('<page>\n  <text x="0" y="0" width="10mm">{% if learner.fullname %}x</text>\n</page>'));
    expect(d.find((x) => x.code === 'LIQUID_SYNTAX')?.range?.start.line).toBe(6);
  });

  it('markup: an unknown element inside a loop points at the template, not the rendered output', async () => {
    const d = await run(template('<page>\n{% for t in teachers %}\n  <txt x="0" y="0"/>\n{% endfor %}\n</page>'));
    expect(at(d.find((x) => x.code === 'MARKUP_UNKNOWN_ELEMENT'))).toEqual(['MARKUP_UNKNOWN_ELEMENT', 7, 4]);
  });

  it('markup: a bad value that came from data points at the {{ … }} that printed it', async () => {
    const body = '<page>\n  <rect x="{{ extra.left }}" y="0" width="10mm" height="10mm"/>\n</page>';
    const data = { ...learner, extra: { left: 'left' } };
    const d = await run(template(body), data);
    expect(at(d.find((x) => x.code === 'MARKUP_INVALID_VALUE'))).toEqual(['MARKUP_INVALID_VALUE', 6, 12]);
  });

  it('assets: a missing file, an unknown image name with a suggestion, a page out of range', async () => {
    const front =
      'assets:\n  seal: assets/seal.png\n  gone: assets/nope.png\n  frame: assets/guilloche-frame.pdf\nbackground: { asset: frame, page: 3 }\n';
    const d = await run(template('<page><image x="0" y="0" width="10mm" src="seel"/></page>', front));
    expect(at(d.find((x) => x.code === 'ASSET_MISSING'))?.slice(0, 2)).toEqual(['ASSET_MISSING', 6]);
    expect(d.find((x) => x.code === 'ASSET_PDF_PAGE_OUT_OF_RANGE')).toBeDefined();
    const img = await run(template('<page><image x="0" y="0" width="10mm" src="seel"/></page>', 'assets:\n  seal: assets/seal.png\n'));
    const unknown = img.find((x) => x.code === 'ASSET_UNKNOWN');
    expect(unknown?.message).toContain('Did you mean "seal"?');
    expect(unknown?.range?.start.line).toBe(7);
  });

  it('assets: a corrupt image is refused at compile time with a typed error', async () => {
    const png = PNG.sync.write(new PNG({ width: 4, height: 4 }));
    const corrupt = Buffer.from(png);
    corrupt.fill(0x41, 40, 60);
    const compiled = await compileTemplate(template('<page></page>', 'assets:\n  logo: logo.png\n'), { loadAsset: () => corrupt });
    expect(compiled.template).toBeUndefined();
    expect(compiled.diagnostics.map((x) => x.code)).toContain('ASSET_IMAGE_CORRUPT');
  });

  it('fonts: an unknown family in the front matter, an unknown role in the markup', async () => {
    const d = await run(template('<page></page>', 'fonts:\n  title: { family: garamont }\n'));
    const family = d.find((x) => x.code === 'FONT_UNKNOWN_FAMILY');
    expect(family?.range?.start.line).toBe(5);
    const role = await run(template('<page>\n<text x="0" y="0" width="50mm" font="titel">x</text>\n</page>'));
    expect(at(role.find((x) => x.code === 'FONT_UNKNOWN_ROLE'))?.slice(0, 2)).toEqual(['FONT_UNKNOWN_ROLE', 6]);
  });

  it('layout: text that cannot fit its box is a warning at the element, and the PDF is still made', async () => {
    const text = template(
      '<page>\n<text x="0" y="0" width="20mm" height="5mm">{{ course.fullname }} {{ course.fullname }}</text>\n</page>',
    );
    const compiled = await compileTemplate(text, { loadAsset });
    const r = renderDocument(compiled.template!, learner);
    expect(r.pdf).toBeDefined();
    expect(at(r.diagnostics.find((x) => x.code === 'LAYOUT_TEXT_OVERFLOW'))?.slice(0, 2)).toEqual(['LAYOUT_TEXT_OVERFLOW', 6]);
  });

  it('binding: every missing or ill-typed field at once, with its path, and no PDF', async () => {
    const compiled = await compileTemplate(template('<page></page>'), { loadAsset });
    const bad = { ...learner, learner: {}, course: { fullname: 12, startdate: 'yesterday' } };
    const r = renderDocument(compiled.template!, bad);
    expect(r.pdf).toBeUndefined();
    const paths = r.diagnostics.filter((x) => x.severity === 'error').map((x) => x.path);
    expect(paths).toEqual(expect.arrayContaining(['learner.fullname', 'course.startdate']));
  });

  it('Liquid limits: a runaway loop fails fast with LIQUID_LIMIT', async () => {
    const compiled = await compileTemplate(template('<page>{% for i in (1..100000000) %}{{ i }}{% endfor %}</page>'), { loadAsset });
    const started = cpuMillis();
    const r = renderDocument(compiled.template!, learner);
    expect(r.diagnostics.map((x) => x.code)).toContain('LIQUID_LIMIT');
    expect(cpuMillis() - started).toBeLessThan(3000);
  });

  it('a table fed a huge list stops at the page limit instead of making an endless PDF', async () => {
    const body =
      '<page><table x="10mm" y="10mm" width="100mm">{% for i in (1..20000) %}<tr><td>{{ i }}</td></tr>{% endfor %}</table></page>';
    const compiled = await compileTemplate(template(body), { loadAsset });
    const r = renderDocument(compiled.template!, learner);
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics.map((x) => x.code)).toContain('LAYOUT_TOO_MANY_PAGES');
  });
});

/** A tiny deterministic PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('hostile templates', () => {
  const source = readFileSync(join(EXAMPLES_DIR, 'attestation-fr.liquid'), 'utf8');
  const snippets = [
    '<',
    '>',
    '"',
    '{%',
    '%}',
    '{{',
    '}}',
    '</text>',
    '<page>',
    '&',
    '&bogus;',
    '---',
    ':',
    '\n',
    '{% for x in y %}',
    'x="-5"',
    '\u0000',
    '🎓',
    '\uD800',
  ];

  it('300 seeded mutations of an example never crash compile or render: each gives a PDF or placed errors', async () => {
    const random = prng(20261125);
    for (let i = 0; i < 300; i++) {
      let text = source;
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
        const pos = Math.floor(random() * text.length);
        const op = random();
        if (op < 0.4) text = text.slice(0, pos) + text.slice(pos + 1 + Math.floor(random() * 20));
        else text = text.slice(0, pos) + snippets[Math.floor(random() * snippets.length)] + text.slice(pos);
      }
      const compiled = await compileTemplate(text, { loadAsset });
      let diagnostics = compiled.diagnostics;
      let pdf: Uint8Array | undefined;
      if (compiled.template) {
        const r = renderDocument(compiled.template, learner);
        diagnostics = [...diagnostics, ...r.diagnostics];
        pdf = r.pdf;
      }
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (!pdf) expect(errors.length, `mutation ${i} gave neither a PDF nor an error`).toBeGreaterThan(0);
      const lines = text.split('\n').length;
      for (const d of errors) {
        expect(typeof d.code).toBe('string');
        if (d.range) expect(d.range.start.line).toBeLessThanOrEqual(lines + 1);
      }
    }
  }, 120_000);
});

describe('pathological values render in bounded time', () => {
  it('the longest allowed text, one endless word or 50,000 Arabic letters, into a small box', async () => {
    const text = template(
      '<page>\n<text x="10mm" y="10mm" width="120mm" height="40mm" fit="shrink">{{ course.summary }}</text>\n<text x="10mm" y="60mm" width="120mm" max-lines="2">{{ learner.fullname }}</text>\n</page>',
    );
    const compiled = await compileTemplate(text, { loadAsset });
    const cases = [
      { summary: 'مرحبا '.repeat(8000), fullname: 'x'.repeat(2000) },
      { summary: 'W'.repeat(50_000), fullname: 'Zoë '.repeat(500) },
    ];
    for (const c of cases) {
      const data = {
        ...learner,
        learner: { ...(learner.learner as object), fullname: c.fullname },
        course: { ...(learner.course as object), summary: c.summary },
      };
      const started = cpuMillis();
      const r = renderDocument(compiled.template!, data);
      expect(r.pdf).toBeDefined();
      expect(r.diagnostics.map((d) => d.code)).toContain('LAYOUT_TEXT_OVERFLOW');
      expect(cpuMillis() - started).toBeLessThan(5000);
    }
  });
});

describe('the analyzer inside compile speaks in file positions', () => {
  it('personal data in the public PDF title, at its place in the front matter', async () => {
    const text = `---\nname: T\nmetadata:\n  title: "Certificate of {{ learner.fullname }}"\n---\n<page></page>`;
    const { diagnostics } = await compileTemplate(text);
    const d = diagnostics.find((x) => x.code === 'PERSONAL_DATA_IN_PUBLIC');
    expect(d?.range?.start).toEqual({ line: 4, column: 29 });
  });

  it('an unknown variable in the body, with a fix that names the right one', async () => {
    const text = template('<page>\n  <text x="0" y="0" width="50mm">{{ learner.fulname }}</text>\n</page>');
    const { diagnostics, template: compiled } = await compileTemplate(text);
    const d = diagnostics.find((x) => x.code === 'UNKNOWN_PROPERTY');
    expect(d?.range?.start).toEqual({ line: 6, column: 45 });
    expect(d?.fixes?.[0]?.replacement).toBe('fullname');
    // An unknown variable is an error: the template does not compile into something that would print nothing.
    expect(d?.severity).toBe('error');
    expect(compiled).toBeUndefined();
  });
});
