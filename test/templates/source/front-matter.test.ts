import { describe, expect, it } from 'vitest';
import { parseTemplateSource } from '../../../templates/source/front-matter';
import { cpuMillis } from '../../support/cpu';

const body = '<page></page>\n';

describe('front matter', () => {
  it('splits front matter and body, applies defaults and knows where the body starts', () => {
    const r = parseTemplateSource(`---\nname: X\nlocale: fr\n---\n${body}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.source?.body).toBe(body);
    expect(r.source?.bodyStart).toEqual({ line: 5, column: 1 });
    expect(r.source?.frontMatter.page).toEqual({ size: 'A4', orientation: 'portrait', margin: '15mm' });
    expect(r.source?.frontMatter.locale).toBe('fr');
  });

  it('accepts a byte order mark and CRLF line ends', () => {
    const r = parseTemplateSource(`\uFEFF---\r\nname: X\r\n---\r\n${body}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.source?.frontMatter.name).toBe('X');
  });

  it('refuses __proto__, constructor and prototype as names anywhere, at the key', () => {
    const cases: [string, string, number][] = [
      ['variables:\n  __proto__:\n    type: string\n', 'variables.__proto__', 4],
      [
        'variables:\n  course:\n    type: object\n    properties:\n      constructor: { type: string }\n',
        'variables.course.properties.constructor',
        7,
      ],
      ['assets:\n  __proto__: a.png\n', 'assets.__proto__', 4],
      ['partials:\n  prototype: "x"\n', 'partials.prototype', 4],
      ['fonts:\n  constructor: Foo\n', 'fonts.constructor', 4],
      ['metadata:\n  __proto__: { title: x }\n', 'metadata.__proto__', 4],
      ['__proto__: { name: Y }\n', '__proto__', 3],
    ];
    for (const [yaml, path, line] of cases) {
      const r = parseTemplateSource(`---\nname: X\n${yaml}---\n${body}`);
      expect(r.source, path).toBeUndefined();
      expect(
        r.diagnostics.map((d) => [d.code, d.path, d.range?.start.line]),
        path,
      ).toEqual([['SOURCE_FORBIDDEN_NAME', path, line]]);
    }
  });

  it('refuses a YAML alias bomb (billion laughs) with a diagnostic, quickly', () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [i, n] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries())
      rows.push(`${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`);
    const started = cpuMillis();
    const r = parseTemplateSource(`---\nname: X\n${rows.join('\n')}\n---\n${body}`);
    expect(cpuMillis() - started).toBeLessThan(1_000);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SOURCE_YAML_ALIASES']);
    // An anchor used a few times is ordinary YAML.
    const shared = parseTemplateSource(`---\nname: &n X\ndescription: *n\n---\n${body}`);
    expect(shared.diagnostics).toEqual([]);
    expect(shared.source?.frontMatter.description).toBe('X');
  });

  it('requires front matter', () => {
    const r = parseTemplateSource(body);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SOURCE_NO_FRONT_MATTER']);
    expect(parseTemplateSource('---\nname: X\n').diagnostics.map((d) => d.code)).toEqual(['SOURCE_UNCLOSED_FRONT_MATTER']);
  });

  it('reports YAML syntax errors at their line in the file', () => {
    const r = parseTemplateSource(`---\nname: X\npage: [A4,\n---\n${body}`);
    expect(r.diagnostics[0]?.code).toBe('SOURCE_YAML_SYNTAX');
    expect(r.diagnostics[0]?.range?.start.line).toBeGreaterThanOrEqual(3);
  });

  it('lists every unknown field with a suggestion, placed on the key', () => {
    const r = parseTemplateSource(`---\nname: X\npagee: 1\npage:\n  orientaton: landscape\n---\n${body}`);
    const codes = r.diagnostics.map((d) => [d.code, d.path, d.range?.start.line, d.range?.start.column]);
    expect(codes).toContainEqual(['SOURCE_UNKNOWN_FIELD', 'pagee', 3, 1]);
    expect(codes).toContainEqual(['SOURCE_UNKNOWN_FIELD', 'page.orientaton', 5, 3]);
    expect(r.diagnostics.find((d) => d.path === 'page.orientaton')?.message).toContain('Did you mean "orientation"?');
  });

  it('reports a missing name and an invalid locale together', () => {
    const r = parseTemplateSource(`---\nlocale: "no such locale!"\n---\n${body}`);
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['SOURCE_INVALID_FIELD', 'SOURCE_MISSING_FIELD']);
    expect(r.diagnostics.find((d) => d.code === 'SOURCE_INVALID_FIELD')?.range?.start).toEqual({ line: 2, column: 9 });
  });

  it('refuses wrong types with the field path', () => {
    const r = parseTemplateSource(`---\nname: X\npage:\n  orientation: sideways\nfonts:\n  title: 12\n---\n${body}`);
    expect(r.diagnostics.map((d) => d.path).sort()).toEqual(['fonts.title', 'page.orientation']);
  });

  it('knows where a metadata value starts, for Liquid positions inside it', () => {
    const r = parseTemplateSource(`---\nname: X\nmetadata:\n  title: "Hi {{ x }}"\n  subject: |\n    block {{ y }}\n---\n${body}`);
    expect(r.source?.valueStart(['metadata', 'title'])).toEqual({ line: 4, column: 11 });
    expect(r.source?.valueStart(['metadata', 'subject'])).toEqual({ line: 6, column: 5 });
  });
});
