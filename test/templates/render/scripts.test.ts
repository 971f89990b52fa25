import { beforeAll, describe, expect, it } from 'vitest';
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
      // Right-to-left names come out in reading order word by word; compare words.
      for (const word of name.normalize('NFC').split(' ')) expect(text).toContain(word);
    });
  }
});
