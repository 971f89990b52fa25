import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../../variables/diagnostics';
import { FontLibrary } from '../../../templates/fonts/library';
import { GLOBAL_FALLBACK } from '../../../templates/fonts/bundled';
import { resolveRoles } from '../../../templates/fonts/roles';

const require = createRequire(import.meta.url);
const dejavuSerif = (): Uint8Array =>
  new Uint8Array(readFileSync(join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSerif.ttf')));

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DiagnosticError);
    const d = (error as DiagnosticError).diagnostics[0]!;
    expect(d.stage).toBe('font');
    return d.code;
  }
  throw new Error('expected a DiagnosticError');
}

const PROMISED: Record<string, string> = {
  vietnamese: 'Nguyễn Thị Ngọc Ánh Đặng Hoàng Phước Lữ Ỷ ỹ ự ữ ằ ẳ ẵ ặ ấ ầ ẩ ẫ ậ ế ề ể ễ ệ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ứ ừ ử',
  accents: 'àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆñÑåÅøØßąęłńśźżŁŃŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽőűŐŰ',
  greek: 'Αλέξανδρος Παπαδόπουλος ΐΰ ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ αβγδεζηθικλμνξοπρστυφχψως',
  cyrillic: 'Ёлкин Щукин Жанна Юрьевна АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ абвгдежзийклмнопрстуфхцчшщъыьэюяіїєґ',
  turkish: 'Şükrü Çağlar İğdır ı Ğ ş',
  punctuation: '…–—“”‘’«»€№°',
};

function uncovered(face: { covers(c: number): boolean }, text: string): string {
  return [...text].filter((c) => c !== ' ' && !face.covers(c.codePointAt(0)!)).join('');
}

describe('bundled fonts', () => {
  const library = new FontLibrary();

  it.each(['serif', 'sans'])('%s covers Latin with accents incl. Vietnamese, Greek, Cyrillic, Turkish in all four styles', (family) => {
    for (const weight of [400, 700]) {
      for (const style of ['normal', 'italic'] as const) {
        const face = library.resolve(family, weight, style);
        expect(face.weight).toBe(weight);
        expect(face.style).toBe(style);
        for (const [name, sample] of Object.entries(PROMISED)) expect(uncovered(face, sample), `${face.key} ${name}`).toBe('');
      }
    }
  });

  it('fallback faces cover Arabic, Hebrew and symbols', () => {
    expect(uncovered(library.resolve('Noto Sans Arabic'), 'محمد بن سلمان عبد الله ٠١٢٣٤٥٦٧٨٩')).toBe('');
    expect(uncovered(library.resolve('Noto Sans Hebrew', 700), 'דוד כהן שָׁלוֹם')).toBe('');
    expect(uncovered(library.resolve('DejaVu Sans'), '✓★☎→∑√∞')).toBe('');
    expect(library.resolve('script').covers('É'.codePointAt(0)!)).toBe(true);
  });

  it('parses each face once per process and shares it between libraries', () => {
    const a = library.resolve('serif', 700, 'italic');
    const b = new FontLibrary().resolve('EB Garamond', 700, 'italic');
    expect(b).toBe(a);
    expect(a.key).toBe('serif-700-italic');
    expect(a.bytes.length).toBeGreaterThan(100_000);
    expect(a.font.familyName).toMatch(/EB Garamond/);
  });

  it('exposes the metrics layout needs', () => {
    const face = library.resolve('serif');
    expect(face.unitsPerEm).toBe(1000);
    expect(face.ascent).toBeGreaterThan(700);
    expect(face.descent).toBeGreaterThan(100);
    expect(face.capHeight).toBeGreaterThan(500);
    expect(face.underlinePosition).toBeGreaterThan(0);
    expect(face.underlineThickness).toBeGreaterThan(0);
  });

  it('resolves to the nearest weight and style when the exact face is absent', () => {
    expect(library.resolve('script', 700).key).toBe('script-400-normal');
    expect(library.resolve('script', 400, 'italic').key).toBe('script-400-normal');
    expect(library.resolve('serif', 900).weight).toBe(800);
    expect(library.resolve('serif', 300).weight).toBe(400);
    expect(library.resolve('sans', 650).weight).toBe(700);
    expect(library.resolve('Noto Sans Hebrew', 450).weight).toBe(500);
    expect(library.resolve('DejaVu Sans', 600, 'italic').key).toBe('dejavu-sans-700-italic');
  });

  it('names unknown families with a suggestion', () => {
    expect(codeOf(() => library.resolve('Garamon'))).toBe('FONT_UNKNOWN_FAMILY');
    expect(() => library.resolve('Great Vibe')).toThrow('Did you mean "Great Vibes"?');
  });
});

describe('custom faces', () => {
  it('adds a TTF asset under its own family, parsed once for identical bytes', () => {
    const library = new FontLibrary();
    const face = library.addFace(dejavuSerif(), { family: 'House Serif', weight: 400 });
    expect(library.resolve('house serif', 700)).toBe(face);
    expect(face.key).toMatch(/^asset-[0-9a-f]{24}-400-normal$/);
    expect(new FontLibrary().addFace(dejavuSerif(), { family: 'House Serif' })).toBe(face);
    expect(() => new FontLibrary().resolve('House Serif')).toThrow(DiagnosticError);
  });

  it('can add a weight to a bundled family', () => {
    const library = new FontLibrary();
    const face = library.addFace(dejavuSerif(), { family: 'serif', weight: 300 });
    expect(library.resolve('serif', 300)).toBe(face);
    expect(library.resolve('serif', 400).key).toBe('serif-400-normal');
  });

  it('refuses web fonts and collections with FONT_UNSUPPORTED_FORMAT', () => {
    const library = new FontLibrary();
    const woff2 = new Uint8Array([0x77, 0x4f, 0x46, 0x32, 0, 1, 0, 0, 0, 0, 0, 0]);
    const woff = new Uint8Array([0x77, 0x4f, 0x46, 0x46, 0, 1, 0, 0, 0, 0, 0, 0]);
    const ttc = new Uint8Array([0x74, 0x74, 0x63, 0x66, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(codeOf(() => library.addFace(woff2, { family: 'Web' }))).toBe('FONT_UNSUPPORTED_FORMAT');
    expect(codeOf(() => library.addFace(woff, { family: 'Web' }))).toBe('FONT_UNSUPPORTED_FORMAT');
    expect(codeOf(() => library.addFace(ttc, { family: 'Web' }))).toBe('FONT_UNSUPPORTED_FORMAT');
    expect(library.hasFamily('Web')).toBe(false);
  });

  it('turns corrupt or non-font bytes into FONT_INVALID, never a crash', () => {
    const library = new FontLibrary();
    const bytes = dejavuSerif();
    const truncated = bytes.slice(0, 3000);
    const scrambled = bytes.slice();
    for (let i = 12; i < 400; i++) scrambled[i] = (i * 37) & 0xff;
    expect(codeOf(() => library.addFace(new TextEncoder().encode('<html>not a font</html>'), { family: 'X' }))).toBe('FONT_INVALID');
    expect(codeOf(() => library.addFace(new Uint8Array(), { family: 'X' }))).toBe('FONT_INVALID');
    expect(codeOf(() => library.addFace(truncated, { family: 'X' }))).toBe('FONT_INVALID');
    expect(codeOf(() => library.addFace(scrambled, { family: 'X' }))).toBe('FONT_INVALID');
  });
});

describe('font roles', () => {
  const library = new FontLibrary();

  it('are shared by libraries holding the same faces (a template compiled again), never by others', () => {
    const specs = { body: { family: 'House Serif', fallback: ['serif'] } };
    const first = new FontLibrary();
    first.addFace(dejavuSerif(), { family: 'House Serif' });
    const roles = resolveRoles(first, specs);
    const again = new FontLibrary();
    again.addFace(dejavuSerif(), { family: 'House Serif' });
    expect(resolveRoles(again, specs)).toBe(roles);
    // Another family name for the same bytes is another library: its own roles.
    const renamed = new FontLibrary();
    renamed.addFace(dejavuSerif(), { family: 'Other Serif' });
    expect(codeOf(() => resolveRoles(renamed, specs))).toBe('FONT_UNKNOWN_FAMILY');
    // A face added to the first library afterwards does not reach the roles it shares.
    first.addFace(dejavuSerif(), { family: 'House Serif', weight: 700 });
    expect(roles.chain('body', true, false)[0]!.key).not.toBe(resolveRoles(first, specs).chain('body', true, false)[0]!.key);
  });

  it('defaults body to serif, with the global fallback chain after it', () => {
    const roles = resolveRoles(library, {});
    const faceKey = (family: string) => `${family.toLowerCase().replace(/\s+/g, '-')}-400-normal`;
    expect(roles.chain('body', false, false).map((f) => f.key)).toEqual(['serif-400-normal', ...GLOBAL_FALLBACK.map(faceKey)]);
    expect(GLOBAL_FALLBACK.slice(0, 2)).toEqual(['Noto Sans Arabic', 'Noto Sans Hebrew']);
    expect(GLOBAL_FALLBACK.at(-1)).toBe('Noto Emoji');
    expect(roles.chain('body', true, true).map((f) => f.key)[0]).toBe('serif-700-italic');
  });

  it('gives the script family the serif as its own fallback (Great Vibes has Latin only)', () => {
    const roles = resolveRoles(library, { name: { family: 'script' } });
    expect(
      roles
        .chain('name', false, false)
        .map((f) => f.key)
        .slice(0, 2),
    ).toEqual(['script-400-normal', 'serif-400-normal']);
  });

  it("puts a role's own fallbacks before the global chain, without duplicates", () => {
    const roles = resolveRoles(library, {
      name: { family: 'script', fallback: ['serif', 'DejaVu Sans'] },
      title: { family: 'sans', weight: 'bold' },
    });
    const keys = roles.chain('name', false, false).map((f) => f.key);
    expect(keys.slice(0, 5)).toEqual([
      'script-400-normal',
      'serif-400-normal',
      'dejavu-sans-400-normal',
      'noto-sans-arabic-400-normal',
      'noto-sans-hebrew-400-normal',
    ]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k === 'dejavu-sans-400-normal')).toHaveLength(1);
    expect(roles.chain('title', false, false)[0]!.key).toBe('sans-700-normal');
    expect(roles.has('title')).toBe(true);
    expect(roles.has('footer')).toBe(false);
    expect(roles.chain('footer', false, false)[0]!.key).toBe('serif-400-normal');
    expect(roles.chain('name', false, false)).toBe(roles.chain('name', false, false));
  });

  it('reports every unknown family at once', () => {
    try {
      resolveRoles(library, { body: { family: 'Helvetica' }, name: { family: 'sans', fallback: ['Comic'] } });
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(DiagnosticError);
      const diagnostics = (error as DiagnosticError).diagnostics;
      expect(diagnostics.map((d) => [d.code, d.path])).toEqual([
        ['FONT_UNKNOWN_FAMILY', 'fonts.body'],
        ['FONT_UNKNOWN_FAMILY', 'fonts.name'],
      ]);
    }
  });
});

describe('LICENSES.md', () => {
  it('lists the source and licence of every bundled package', () => {
    const text = readFileSync(new URL('../../../templates/fonts/LICENSES.md', import.meta.url), 'utf8');
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const fontPackages = Object.keys(pkg.dependencies).filter((d) => d.startsWith('@expo-google-fonts/') || d === 'dejavu-fonts-ttf');
    expect(fontPackages.length).toBeGreaterThanOrEqual(7);
    for (const name of fontPackages) expect(text).toContain(name);
    expect(text).toContain('Open Font License');
  });
});
