import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileLiquid, createEngine, LiquidStageError } from '../../templates/liquid/engine';
import { analyzeTemplate, type AnalyzeInput } from '../../variables/analyzer';
import { catalogue } from '../../variables/catalogue';
import { CHECK_CODES } from '../../variables/analyzer/codes';
import { variablesMarkdown } from '../../variables/docs';
import { dateFormatProblem } from '../../variables/filters';

/** What issue 14 found the checks missing: unreadable date formats, raw dates, and French diagnostics. */
const analyze = (body: string, extra: Partial<AnalyzeInput> = {}) =>
  analyzeTemplate({ body, bodyStart: { line: 3, column: 1 }, schema: catalogue, ...extra });

describe('DATE_FORMAT_UNKNOWN in the analyzer', () => {
  it('points at the format argument and offers the style that was meant', () => {
    const body = 'Le {{ completion.date | default: certificate.issued | date: "longg" }}';
    const [d, ...rest] = analyze(body);
    expect(rest).toEqual([]);
    const at = body.indexOf('"longg"');
    expect(d).toMatchObject({
      stage: 'analyze',
      code: 'DATE_FORMAT_UNKNOWN',
      severity: 'error',
      message:
        '"longg" is not a date format: use "short", "medium", "long", "full", or a pattern such as "dd/MM/yyyy". Did you mean "long"?',
      range: { start: { line: 3, column: at + 1 }, end: { line: 3, column: at + 8 } },
      fixes: [
        {
          title: 'Replace with "long"',
          replacement: '"long"',
          range: { start: { line: 3, column: at + 1 }, end: { line: 3, column: at + 8 } },
        },
      ],
    });
  });

  it('repairs patterns: letters in the wrong case, words left unquoted, strftime', () => {
    const fix = (format: string) => analyze(`{{ certificate.issued | datetime: "${format}" }}`)[0]?.fixes?.[0]?.replacement;
    expect(fix('DD/MM/YYYY')).toBe('"dd/MM/yyyy"');
    expect(fix('d de MMMM')).toBe(`"d 'de' MMMM"`);
    expect(fix('%d %B %Y')).toBe('"dd MMMM yyyy"');
    expect(fix('%B %d, %Y à %H:%M')).toBe('"MMMM dd, yyyy à HH:mm"');
    expect(fix('le %d/%m')).toBe(`"'le 'dd/MM"`);
    for (const format of ['', ' - ', "'le'"]) expect(dateFormatProblem(format), format).toEqual({ kind: 'style' });
    expect(analyze('{{ certificate.issued | date: "%Q" }}').map((d) => [d.code, d.fixes])).toEqual([['DATE_FORMAT_UNKNOWN', undefined]]);
  });

  it('accepts every style and the patterns the filter reads', () => {
    for (const format of ['short', 'medium', 'long', 'full', 'dd/MM/yyyy', "EEEE d MMMM yyyy 'à' HH:mm", 'h:mm a', "''yy''"])
      expect(dateFormatProblem(format), format).toBeUndefined();
    expect(analyze('{{ certificate.issued | date: "dd/MM/yyyy" }}{{ certificate.issued | date }}')).toEqual([]);
  });
});

describe('DATE_FORMAT_UNKNOWN when a document is made', () => {
  const render = (body: string, data: Record<string, unknown>) => {
    const engine = createEngine({ locale: 'fr', mode: 'markup' });
    const text = `---\nname: x\n---\n${body}`;
    const { compiled, diagnostics } = compileLiquid(engine, body, { fileText: text, bodyOffset: text.length - body.length });
    expect(diagnostics).toEqual([]);
    return compiled!.render(data).output;
  };

  it('stops the render with the code and the place, never printing the format name', () => {
    // A format from data cannot be checked before the document: the render refuses it.
    const body = 'Fait le {{ d | date: f }}';
    expect(render(body, { d: '2026-03-01', f: 'long' })).toBe('Fait le 1 mars 2026');
    let error: unknown;
    try {
      render(body, { d: '2026-03-01', f: 'longg' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LiquidStageError);
    expect((error as LiquidStageError).diagnostics).toEqual([
      {
        stage: 'liquid',
        code: 'DATE_FORMAT_UNKNOWN',
        severity: 'error',
        message:
          '"longg" is not a date format: use "short", "medium", "long", "full", or a pattern such as "dd/MM/yyyy". Did you mean "long"?',
        range: { start: { line: 4, column: 9 }, end: { line: 4, column: 26 } },
      },
    ]);
  });

  it('still prints a value that is not a date as it is (the analyzer warns about those)', () => {
    expect(render('{{ d | date: "long" }}', { d: 'bientôt' })).toBe('bientôt');
  });
});

describe('DATE_PRINTED_RAW', () => {
  it('warns about a date printed without a format in a French template, with the filter to add', () => {
    const body = 'Achevé le {{ completion.date | default: certificate.issued }}.';
    const ds = analyze(body, { locale: 'fr' });
    expect(ds.map((d) => d.code)).toEqual(['DATE_PRINTED_RAW']);
    const end = body.indexOf(' }}');
    expect(ds[0]).toMatchObject({
      severity: 'warning',
      fixes: [
        {
          title: 'Add | date: "long"',
          replacement: ' | date: "long"',
          range: { start: { line: 3, column: end + 1 }, end: { line: 3, column: end + 1 } },
        },
      ],
    });
    const fixed = body.slice(0, end) + ds[0]!.fixes![0]!.replacement + body.slice(end);
    expect(analyze(fixed, { locale: 'fr' })).toEqual([]);
  });

  it('proposes datetime for a date and time, and says nothing where dates are written as the data holds them', () => {
    const schema = { ...catalogue, at: { type: { kind: 'datetime' as const }, required: true, description: { en: 'x', fr: 'x' } } };
    expect(analyze('{{ at }}', { locale: 'en', schema })[0]?.fixes?.[0]?.replacement).toBe(' | datetime: "long"');
    expect(analyze('{{ certificate.issued }}', { locale: 'sv-SE' })).toEqual([]);
    expect(analyze('{{ certificate.issued | date: "short" }}', { locale: 'fr' })).toEqual([]);
  });
});

describe('diagnostics in the interface language', () => {
  it('says every analyzer diagnostic in French when the designer works in French', () => {
    const body =
      '{{ learner.fulname }}{{ certificat.code }}{{ course.fullname | date: "long" }}{{ course.fullname | upcse }}' +
      '{% for x in course.fullname %}{% endfor %}{{ certificate.issued | date: "longg" }}{{ course.startdate }}{% iff %}';
    const en = analyze(body, { locale: 'fr' });
    const fr = analyze(body, { locale: 'fr', language: 'fr' });
    expect(fr.map((d) => d.code)).toEqual(en.map((d) => d.code));
    expect(fr.map((d) => d.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('Balise inconnue "iff". Vouliez-vous dire "if" ?')]),
    );
    const body2 =
      '{{ learner.fulname }}{{ certificat.code }}{{ course.fullname | date: "long" }}{{ course.fullname | upcse }}' +
      '{% for x in course.fullname %}{% endfor %}{{ certificate.issued | date: "longg" }}{{ course.startdate }}';
    expect(analyze(body2, { locale: 'fr', language: 'fr' }).map((d) => [d.code, d.message, d.fixes?.[0]?.title])).toEqual([
      ['UNKNOWN_PROPERTY', '"fulname" n’est pas une propriété de learner. Vouliez-vous dire "fullname" ?', 'Remplacer par "fullname"'],
      ['UNKNOWN_VARIABLE', 'Variable inconnue "certificat". Vouliez-vous dire "certificate" ?', 'Remplacer par "certificate"'],
      [
        'FILTER_TYPE_MISMATCH',
        '"date" s’applique à une date, une date et heure ou un nombre, mais course.fullname est un texte.',
        undefined,
      ],
      ['FILTER_UNKNOWN', 'Filtre inconnu "upcse". Vouliez-vous dire "upcase" ?', 'Remplacer par "upcase"'],
      ['LOOP_NOT_LIST', 'course.fullname est un texte, pas une liste : {% for %} ne parcourt que des listes.', undefined],
      [
        'DATE_FORMAT_UNKNOWN',
        '"longg" n’est pas un format de date : utilisez "short", "medium", "long", "full", ou un motif comme "dd/MM/yyyy". Vouliez-vous dire "long" ?',
        'Remplacer par "long"',
      ],
      [
        'DATE_PRINTED_RAW',
        'course.startdate est une date imprimée telle que la donnée la contient (2026-03-01), ce qui n’est pas l’écriture des dates en français : formatez-la avec | date: "long".',
        'Ajouter | date: "long"',
      ],
      [
        'OPTIONAL_WITHOUT_DEFAULT',
        'course.startdate est facultatif et peut manquer : imprimez-le avec | default: "…" ou dans {% if course.startdate %}.',
        'Ajouter | default: ""',
      ],
    ]);
  });
});

describe('the checks’ codes', () => {
  it('registers every code the analyzer and the Liquid stage give, and documents each', () => {
    const dir = new URL('../../variables/analyzer/', import.meta.url);
    const texts = [
      ...readdirSync(dir)
        .filter((f) => f.endsWith('.ts') && f !== 'codes.ts')
        .map((f) => readFileSync(new URL(f, dir), 'utf8')),
      readFileSync(new URL('../../variables/liquid.ts', import.meta.url), 'utf8'),
    ];
    const used = new Set(texts.flatMap((t) => [...t.matchAll(/'([A-Z]+(?:_[A-Z]+)+)'/g)].map((m) => m[1]!)));
    expect([...used].filter((c) => !Object.hasOwn(CHECK_CODES, c))).toEqual([]);
    const doc = variablesMarkdown();
    for (const [c, entry] of Object.entries(CHECK_CODES)) {
      expect(doc, c).toContain(`| \`${c}\` | ${entry.severity} |`);
      expect(entry.meaning.fr, c).not.toBe(entry.meaning.en);
    }
  });
});
