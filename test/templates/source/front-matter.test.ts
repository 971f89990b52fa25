import { describe, expect, it } from 'vitest';
import { parseTemplateSource } from '../../../templates/source/front-matter';

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
