import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { completionsAt, diagnose, hoverAt, type CompletionItem, type Fix, type Position } from '../../editor/monaco/language';

/** A template around a body; `§` marks the cursor. */
const FRONT = `---
name: Test
locale: fr
fonts:
  title: { family: serif, weight: 700 }
assets:
  seal: assets/seal.png
  frame: assets/frame.pdf
  script: { path: fonts/script.ttf, type: font }
variables:
  session.place: string
---
`;

function cursor(text: string): { source: string; position: Position } {
  const at = text.indexOf('§');
  if (at < 0) throw new Error('no cursor in the test text');
  const source = text.slice(0, at) + text.slice(at + 1);
  const before = source.slice(0, at).split('\n');
  return { source, position: { line: before.length, column: before[before.length - 1]!.length + 1 } };
}

function complete(body: string, language: 'en' | 'fr' = 'en'): CompletionItem[] {
  const { source, position } = cursor(FRONT + body);
  return completionsAt(source, position, { language });
}

const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);
const item = (items: CompletionItem[], label: string): CompletionItem => {
  const found = items.find((i) => i.label === label);
  if (!found) throw new Error(`no completion "${label}" among ${labels(items).join(', ')}`);
  return found;
};

/** Applies a quick fix the way the editor does. */
function applyFix(source: string, fix: Fix): string {
  const lines = source.split('\n');
  const offset = (p: Position): number => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  return source.slice(0, offset(fix.range.start)) + fix.replacement + source.slice(offset(fix.range.end));
}

describe('completionsAt: Liquid', () => {
  it('offers the properties of learner after a dot, with their type and description', () => {
    const items = complete('<page>\n  <text x="1mm" y="1mm" width="90mm">{{ learner.§');
    const fullname = item(items, 'fullname');
    expect(fullname.kind).toBe('property');
    expect(fullname.detail).toContain('string');
    expect(fullname.detail).toContain('required');
    expect(fullname.documentation).toContain('Full name as it must be printed');
    expect(fullname.documentation).toContain('personal data');
    expect(labels(items)).toContain('email');
    expect(labels(items)).not.toContain('learner');
    // The range is the (empty) word being typed, right at the cursor.
    expect(fullname.range).toEqual({ start: { line: 14, column: 49 }, end: { line: 14, column: 49 } });
  });

  it('replaces the part of the property already typed', () => {
    const items = complete('<page><text x="1" y="1" width="9">{{ learner.ful§');
    expect(item(items, 'fullname').range.start.column).toBe(item(items, 'fullname').range.end.column - 3);
  });

  it('offers catalogue and declared variables, and docs in French when asked', () => {
    const items = complete('<page><text x="1" y="1" width="9">{{ §', 'fr');
    expect(labels(items)).toEqual(expect.arrayContaining(['learner', 'course', 'certificate', 'session']));
    expect(item(items, 'course').documentation).toContain('Le cours que le document atteste');
    expect(item(items, 'session').kind).toBe('variable');
  });

  it('offers the properties of a declared object', () => {
    expect(labels(complete('<page><text x="1" y="1" width="9">{{ session.§'))).toEqual(['place']);
  });

  it('offers the filters that fit a string after a pipe, not the number-only ones', () => {
    const items = complete('<page><text x="1" y="1" width="9">{{ learner.fullname | §');
    expect(labels(items)).toEqual(expect.arrayContaining(['upcase', 'capitalize', 'default', 'truncate', 'append']));
    for (const numberOnly of ['number', 'percent', 'duration', 'plus', 'round', 'date', 'join'])
      expect(labels(items)).not.toContain(numberOnly);
    expect(item(items, 'upcase').detail).toBe('upcase → string');
    // A filter with a required argument inserts a placeholder for it.
    expect(item(items, 'append')).toMatchObject({ insertText: 'append: "${1:text}"', snippet: true });
  });

  it('offers number filters for a number', () => {
    const items = labels(complete('<page><text x="1" y="1" width="9">{{ grade.value | §'));
    expect(items).toEqual(expect.arrayContaining(['number', 'percent', 'grade', 'round', 'plus']));
    expect(items).not.toContain('upcase');
  });

  it('knows the loop variable inside a for loop', () => {
    const items = complete('<page>{% for t in teachers %}<text x="1" y="1" width="9">{{ t.§');
    expect(labels(items).sort()).toEqual(['name', 'role']);
    expect(item(items, 'name').detail).toContain('string');
    expect(item(items, 'name').documentation).toContain('Full name of the teacher');
    // And t itself is offered as a name in scope, first.
    const names = complete('<page>{% for t in teachers %}<text x="1" y="1" width="9">{{ §');
    expect(item(names, 't')).toMatchObject({ kind: 'variable', preferred: true });
  });

  it('proposes the values of a filter argument', () => {
    const items = complete('<page><text x="1" y="1" width="9">{{ course.startdate | date: §');
    expect(labels(items)).toEqual(expect.arrayContaining(['"short"', '"long"', '"full"']));
  });

  it('offers Liquid tags after {%', () => {
    expect(labels(complete('<page>{% §'))).toEqual(expect.arrayContaining(['for', 'if', 'assign', 'render', 'unless']));
  });
});

describe('completionsAt: markup', () => {
  it('offers the attributes of <text> after its name, without those already written', () => {
    const items = complete('<page>\n  <text §');
    expect(labels(items)).toEqual(expect.arrayContaining(['x', 'y', 'width', 'align', 'font', 'size', 'fit', 'max-lines']));
    expect(item(items, 'x')).toMatchObject({ kind: 'attribute', preferred: true, insertText: 'x="$1"', snippet: true, retrigger: true });
    expect(item(items, 'align').preferred).toBeUndefined();
    expect(item(items, 'align').documentation).toContain('Horizontal alignment');
    expect(labels(complete('<page>\n  <text x="1mm" y="2mm" §'))).not.toContain('x');
  });

  it('offers the allowed values of an enum attribute', () => {
    const items = complete('<page>\n  <text x="1mm" align="§');
    expect(labels(items)).toEqual(['left', 'center', 'right', 'justify', 'start', 'end']);
    expect(labels(complete('<page>\n  <text x="1mm" align="ce§'))).toContain('center');
  });

  it('offers image assets for an image source and font roles for font', () => {
    expect(labels(complete('<page><image x="1" y="1" width="9" src="§'))).toEqual(['seal']);
    expect(labels(complete('<page><text font="§'))).toEqual(['body', 'title']);
    expect(labels(complete('<page background="§'))).toEqual(['seal', 'frame']);
  });

  it('offers elements after <, those allowed here first, with their required attributes', () => {
    const items = complete('<page>\n  <§');
    expect(labels(items)).toEqual(expect.arrayContaining(['text', 'image', 'qr', 'table']));
    expect(item(items, 'text')).toMatchObject({ preferred: true, insertText: 'text x="$1" y="$2" width="$3">$0</text>' });
    expect(item(items, 'image').insertText).toBe('image x="$1" y="$2" width="$3" src="$4"/>');
    expect(item(items, 'td').preferred).toBeUndefined();
    expect(item(complete('<§'), 'page').preferred).toBe(true);
    expect(labels(complete('<page><text x="1" y="1" width="9"></§'))).toEqual(['/text']);
  });

  it('offers <link> on a page and inside text, from its definition', () => {
    expect(item(complete('<page>\n  <§'), 'link')).toMatchObject({ preferred: true, insertText: 'link href="$1">$0</link>' });
    expect(item(complete('<page><text x="1" y="1" width="9">See <§'), 'link').preferred).toBe(true);
    expect(labels(complete('<page><link §'))).toEqual(['href', 'x', 'y', 'width', 'height']);
  });

  it('offers nothing in plain text', () => {
    expect(complete('<page><text x="1" y="1" width="9">Hello §')).toEqual([]);
  });

  it('offers asset names in the front matter where an asset or a font file is expected', () => {
    const { source, position } = cursor(
      FRONT.replace('fonts:\n', 'background: { asset: § }\nfonts:\n  name: { family: script }\n') + '<page/>',
    );
    expect(labels(completionsAt(source, position))).toEqual(['seal', 'frame']);
    const fonts = cursor(FRONT.replace('fonts:\n', 'fonts:\n  name: { family: § }\n') + '<page/>');
    expect(labels(completionsAt(fonts.source, fonts.position))).toEqual(['script']);
  });
});

describe('hoverAt', () => {
  const body =
    '<page>\n  <text x="1mm" y="1mm" width="90mm" align="center">{{ learner.fullname | upcase }} {{ course.startdate | date: "long" }}</text>\n</page>\n';
  const source = FRONT + body;
  const lines = source.split('\n');
  const hover = (word: string, nth = 0) => {
    const line = lines.findIndex((l) => l.includes(word));
    let column = -1;
    for (let i = 0; i <= nth; i++) column = lines[line]!.indexOf(word, column + 1);
    return hoverAt(source, { line: line + 1, column: column + 2 });
  };

  it('shows a filter with its signature and what it does', () => {
    const h = hover('date:');
    expect(h?.contents).toContain('date: format?');
    expect(h?.contents).toContain('Formats a date');
    expect(h?.contents).toContain('"short"');
    expect(hover('upcase')?.contents).toContain('Upper-cases the text');
  });

  it('shows a variable with its type, description, example and personal-data flag', () => {
    const h = hover('fullname');
    expect(h?.contents).toContain('**learner.fullname** `string` · required');
    expect(h?.contents).toContain('Full name as it must be printed');
    expect(h?.contents).toContain('Example: `"Camille Martin"`');
    expect(h?.contents).toContain('personal data');
    const line = lines.findIndex((l) => l.includes('fullname'));
    expect(h?.range).toEqual({
      start: { line: line + 1, column: lines[line]!.indexOf('fullname') + 1 },
      end: { line: line + 1, column: lines[line]!.indexOf('fullname') + 9 },
    });
    expect(hover('course')?.contents).not.toContain('personal data');
  });

  it('shows elements and attributes from the vocabulary', () => {
    expect(hover('text')?.contents).toContain('A box of text that wraps to its width');
    const align = hover('align');
    expect(align?.contents).toContain('**align** on `<text>`');
    expect(align?.contents).toContain('one of left, center, right, justify, start, end');
  });

  it('shows <link> and its href, in French too', () => {
    const { source, position } = cursor(
      FRONT + '<page><text x="1" y="1" width="9"><li§nk href="https://example.org">x</link></text></page>',
    );
    expect(hoverAt(source, position)?.contents).toContain('A clickable link to an http(s) or mailto address');
    expect(hoverAt(source, position, { language: 'fr' })?.contents).toContain('Un lien cliquable');
    const href = cursor(FRONT + '<page><text x="1" y="1" width="9"><link hr§ef="https://example.org">x</link></text></page>');
    expect(hoverAt(href.source, href.position)?.contents).toContain('**href** on `<link>` · required');
  });

  it('has nothing to say about plain text', () => {
    const { source: s, position } = cursor(FRONT + '<page><text x="1" y="1" width="9">Hel§lo</text></page>');
    expect(hoverAt(s, position)).toBeUndefined();
  });
});

describe('diagnose', () => {
  const page = (inner: string): string => `${FRONT}<page>\n  <text x="1mm" y="1mm" width="90mm">${inner}</text>\n</page>\n`;

  it('finds nothing wrong in the bundled examples', () => {
    for (const name of ['attestation-fr', 'diploma-background', 'transcript-en']) {
      expect(diagnose(readFileSync(new URL(`../../templates/examples/${name}.liquid`, import.meta.url), 'utf8')), name).toEqual([]);
    }
  });

  it('reports an unknown variable with a quick fix that makes it learner.fullname', () => {
    const source = page('{{ lerner.fullname }}');
    const [d, ...rest] = diagnose(source);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'UNKNOWN_VARIABLE',
      severity: 'error',
      range: { start: { line: 14, column: 41 }, end: { line: 14, column: 47 } },
    });
    expect(d!.message).toContain('Did you mean "learner"?');
    expect(applyFix(source, d!.fixes![0]!)).toBe(page('{{ learner.fullname }}'));
    const property = diagnose(page('{{ learner.fulname }}'))[0]!;
    expect(property.code).toBe('UNKNOWN_PROPERTY');
    expect(applyFix(page('{{ learner.fulname }}'), property.fixes![0]!)).toBe(page('{{ learner.fullname }}'));
  });

  it('reports a filter on the wrong type and an unknown filter', () => {
    expect(diagnose(page('{{ learner.fullname | number }}')).map((d) => d.code)).toEqual(['FILTER_TYPE_MISMATCH']);
    const unknown = diagnose(page('{{ learner.fullname | upcse }}'))[0]!;
    expect(unknown.code).toBe('FILTER_UNKNOWN');
    expect(unknown.fixes?.[0]?.replacement).toBe('upcase');
  });

  it('places front matter errors on the field', () => {
    const yaml = diagnose('---\nname: T\nlocale: [\n---\n<page/>\n');
    expect(yaml).toHaveLength(1);
    expect(yaml[0]).toMatchObject({ code: 'SOURCE_YAML_SYNTAX', severity: 'error' });
    expect(yaml[0]!.range.start.line).toBeGreaterThanOrEqual(3);
    const unknown = diagnose('---\nname: T\ncolour: red\n---\n<page/>\n');
    expect(unknown).toEqual([
      expect.objectContaining({ code: 'SOURCE_UNKNOWN_FIELD', range: { start: { line: 3, column: 1 }, end: { line: 3, column: 7 } } }),
    ]);
    const declaration = diagnose('---\nname: T\nvariables:\n  level: strng\n---\n<page/>\n');
    expect(declaration[0]).toMatchObject({ code: 'VARIABLE_TYPE_UNKNOWN', range: { start: { line: 4 } } });
    expect(diagnose('---\nname: T\npage: { size: A9 }\n---\n<page/>\n')[0]).toMatchObject({
      code: 'SOURCE_INVALID_FIELD',
      range: { start: { line: 3 } },
    });
    expect(diagnose('---\nname: T\nbackground: frme\nassets: { frame: a.pdf }\n---\n<page/>\n')[0]).toMatchObject({
      code: 'ASSET_UNKNOWN',
      range: { start: { line: 3 } },
    });
  });

  it('checks the markup as written: names, values, required attributes, nesting', () => {
    const source = `${FRONT}<page>
  <text x="1mm" y="1mm" width="90mm" alig="center" font="titl">{{ learner.fullname }}</text>
  <text x="1mm" y="9mm" width="90mm" align="centre">Hi</text>
  <image x="1mm" y="20mm" width="20mm" src="seel"/>
  <qr x="1mm" y="40mm" value="{{ certificate.verification_url }}"/>
  <td>cell</td>
</page>
`;
    const found = diagnose(source).map((d) => [d.code, d.range.start.line, d.fixes?.[0]?.replacement]);
    expect(found).toEqual([
      ['MARKUP_UNKNOWN_ATTRIBUTE', 14, 'align'],
      ['FONT_UNKNOWN_ROLE', 14, 'title'],
      ['MARKUP_INVALID_VALUE', 15, undefined],
      ['ASSET_UNKNOWN', 16, 'seal'],
      ['MARKUP_MISSING_ATTRIBUTE', 17, undefined],
      ['MARKUP_MISPLACED_ELEMENT', 18, undefined],
    ]);
  });

  it('does not judge values computed by Liquid, nor markup that a tag may change', () => {
    const source = `${FRONT}<page>
  <text x="{{ session.place | size }}mm" y="1mm" width="90mm" {% if grade.passed %}color="green"{% endif %}>x</text>
  {% if certifier %}<image x="1mm" y="2mm" width="9mm" src="{{ certifier.signature }}"/>{% endif %}
</page>
`;
    expect(diagnose(source).filter((d) => d.stage === 'markup')).toEqual([]);
  });

  it('refuses a link to anything but http(s) or mailto while typing, and leaves a computed one to the render', () => {
    const source = `${FRONT}<page>
  <link x="1mm" y="1mm" width="9mm" height="9mm" href="javascript:alert(1)"/>
  <link x="1mm" y="1mm" width="9mm" height="9mm" href="{{ certificate.verification_url }}"/>
  <text x="1mm" y="1mm" width="90mm"><link href="mailto:office@example.org">Write</link></text>
</page>
`;
    expect(diagnose(source).map((d) => [d.code, d.range.start.line])).toEqual([['MARKUP_URL_REFUSED', 14]]);
  });

  it('reports Liquid syntax errors where they are', () => {
    const [d] = diagnose(page('{% if learner.email %}x'));
    expect(d).toMatchObject({ code: 'LIQUID_SYNTAX', range: { start: { line: 14, column: 38 } } });
  });
});
