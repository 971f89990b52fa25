import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { compileTemplateFile, EXAMPLES_DIR } from '../../../templates/files';
import { renderDocument } from '../../../templates/render';
import type { CompiledTemplate } from '../../../templates/compile';
import { findPersona } from '../../../variables/personas';
import { pdffonts, pdftotext, qpdfCheck, writeTemp } from '../pdf/helpers';

/** A learner's name in each widely written script: every one must be drawn with real glyphs and extract back. */
const NAMES: Record<string, string> = {
  Latin: 'Łukasz Żółkiewski-Nuñez',
  Vietnamese: 'Nguyễn Thị Ánh Tuyết',
  Greek: 'Ελένη Παπαδοπούλου',
  Cyrillic: 'Дмитрий Шостакович',
  Armenian: 'Արամ Խաչատրյան',
  Georgian: 'ნინო ბერიძე',
  Hebrew: 'נועה כהן',
  Arabic: 'فاطمة الزهراء',
  // Fully vowelled, ending with a mark: the leftmost drawn glyph is a mark, which extractors used to leave behind.
  'Arabic with vowels': 'مُحَمَّدُ عَلِيّ',
  Devanagari: 'प्रिया शर्मा',
  Bengali: 'সৌরভ গঙ্গোপাধ্যায়',
  Gurmukhi: 'ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ',
  Gujarati: 'હેતલ પટેલ',
  Tamil: 'முத்துலட்சுமி ரெட்டி',
  Telugu: 'వెంకటేశ్వర రావు',
  Kannada: 'ಸುಧಾ ಮೂರ್ತಿ',
  Malayalam: 'മോഹൻലാൽ വിശ്വനാഥൻ',
  Sinhala: 'සුනිල් පෙරේරා',
  Thai: 'สมชาย ใจดี',
  Lao: 'ສົມສັກ ພົມມະວົງ',
  Khmer: 'សុខ សំណាង',
  Myanmar: 'အောင် ဆန်း',
  Ethiopic: 'አበበ ቢቂላ',
  Odia: 'ବିଜୁ ପଟ୍ଟନାୟକ',
  Tibetan: 'བསྟན་འཛིན་ རྒྱ་མཚོ',
  Thaana: 'މުހައްމަދު ނަޝީދު',
  Syriac: 'ܐܦܪܝܡ ܣܘܪܝܝܐ',
  "N'Ko": 'ߛߎߟߋߦߡߊߣ ߞߊߣߕߋ',
  Tifinagh: 'ⵉⴷⵉⵔ ⴰⵎⴰⵣⵉⵖ',
  'Ol Chiki': 'ᱨᱜᱩᱱᱟᱛᱷ ᱢᱩᱨᱢᱩ',
  Cherokee: 'ᏎᏏᏉᏯ ᎠᏂᏴᏫᏯ',
  'Canadian syllabics': 'ᓯᐊᕙ ᐊᒃᐸᓕᐊᒃ',
  Japanese: '山田 花子',
  Korean: '김민준',
  Chinese: '王小明 刘洋',
};

let template: CompiledTemplate;
beforeAll(async () => {
  template = (await compileTemplateFile(join(EXAMPLES_DIR, 'attestation-fr.liquid'))).template!;
});

describe('names in every script', () => {
  const base = findPersona('camille-martin')!.data;
  for (const [script, name] of Object.entries(NAMES)) {
    it(`${script}: drawn with real glyphs, embedded, and extracted back`, () => {
      const data = { ...base, learner: { ...(base.learner as object), fullname: name } };
      const r = renderDocument(template, data);
      expect(r.diagnostics).toEqual([]);
      const path = writeTemp(r.pdf!, `script-${script}.pdf`);
      qpdfCheck(path);
      for (const f of pdffonts(path)) expect(f).toMatchObject({ emb: true, sub: true, uni: true });
      const text = pdftotext(path).normalize('NFC');
      // Right-to-left names come out in reading order word by word; compare words. Poppler's bidi table
      // predates N'Ko (Unicode 5.0): it gives N'Ko back in drawing order, so that is what is compared there.
      const drawingOrder = script === "N'Ko";
      for (const word of name.normalize('NFC').split(' ')) expect(text).toContain(drawingOrder ? [...word].reverse().join('') : word);
    });
  }

  it('a document does not depend on what its process rendered before (fontkit caches glyphs by first use)', () => {
    // Two render workers with different histories must make the same bytes. A fresh process renders the
    // names first; another renders names of the same scripts and text that makes subsets scan whole cmap
    // ranges (Arabic presentation forms, the lam-alef ligature typed as one character) before them.
    const names = ['فَاطِمَة الزَّهْرَاء', 'ބަޝީރު', 'ପଟ୍ଟନାୟକ'];
    const run = (...sequence: string[]) =>
      execFileSync(process.execPath, ['--import', 'tsx', 'test/support/render-sequence.ts', ...sequence], { encoding: 'utf8' })
        .trim()
        .split('\n');
    const fresh = run(...names);
    const after = run('مُحَمَّدُ لا إله', 'ﻻ ﺎﻓ', 'މުހައްމަދު', 'ବିଜୁ', ...names).slice(-names.length);
    expect(after).toEqual(fresh);
  }, 60_000);
});
