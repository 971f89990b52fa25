import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (...documents: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'test/templates/render/render-in-order.ts', ...documents], { encoding: 'utf8' })
    .trim()
    .split('\n');

describe("a document's bytes do not depend on what its process rendered before", () => {
  it('render caches: shaped words and reused glyphs, subsets, ready object bytes, QR symbol templates', () => {
    // A alone in a fresh process, against A after documents that fill every cache differently: words A
    // shares (shaped once, kept), the same glyphs asked for with other code points (Arabic forms, Greek
    // and Cyrillic letters that look Latin), a fallback face drawn before the background page (so the
    // page's ready objects get other numbers than in A), other QR versions, another template.
    const a = 'reference:Zoë Brontë 2026';
    const history = [
      'reference:فاطمة الزهراء',
      'reference:Αλέξανδρος Παπαδόπουλος',
      'reference:Анастасия Кузнецова Zoë',
      `reference:${'Maximiliane Josefine Adelheid '.repeat(3)}Brontë`,
      'attestation-fr.liquid:Zoë Brontë 2026',
      'diploma-background.liquid:ﻻ Zoë',
    ];
    const fresh = run(a);
    const after = run(...history, a, ...history.slice(0, 2), a);
    expect(after[history.length]).toBe(fresh[0]);
    expect(after[after.length - 1]).toBe(fresh[0]);
  }, 120_000);

  it('compile caches: a background PDF, font roles and laid-out static paragraphs kept across compiles of a source being edited', () => {
    // The live preview compiles a new source at every keystroke; what it keeps from earlier compiles (the
    // background's pages, the roles object and the static paragraphs laid out for it) must make the same
    // bytes as a first compile, whichever version of the source came first.
    const documents = ['diploma-background.liquid:Zoë Brontë', 'attestation-fr.liquid:Zoë Brontë', 'reference~1:Zoë Brontë'];
    const history = [
      'diploma-background.liquid~1:Anastasia',
      'reference:فاطمة الزهراء',
      'attestation-fr.liquid~1:Αλέξανδρος',
      'attestation-fr.liquid~2:Zoë Brontë',
      'reference~2:Zoë',
    ];
    const fresh = documents.map((d) => run(d)[0]);
    const after = run(...history, ...documents).slice(history.length);
    expect(after).toEqual(fresh);
    // The edited source draws its text: it is not the document the cache held for another compile.
    expect(new Set([...fresh, ...run('reference:Zoë Brontë')]).size).toBe(4);
  }, 120_000);
});
