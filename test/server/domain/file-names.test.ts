import { describe, expect, it } from 'vitest';
import {
  contentDisposition,
  documentFileName,
  fileNamePatternProblems,
  MAX_FILE_NAME_BYTES,
  safeFileName,
  UniqueNames,
} from '../../../server/domain/file-names';

/**
 * The one place that names files: whatever a learner is called or a pattern prints, the result is a name
 * every file system takes (Windows, macOS, Linux, a ZIP reader). Property-style: the same laws checked over
 * thousands of hostile names drawn from every script, emoji, bidirectional marks, paths and device names.
 */

/** A small deterministic generator (mulberry32): the same names on every run and machine. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'Nguyễn Thị Ánh',
  'محمد بن سلمان',
  'שרה לוי',
  '山田 太郎',
  '김민준',
  'Ελένη Παπαδοπούλου',
  'Дмитрий Иванов',
  'ชนินทร์',
  'देवनागरी',
  'e\u0301cole',
  '👩🏽‍🚒',
  '🏳️‍🌈',
  '\u200F',
  '\u202E',
  '\u202Dexe.fdp',
  '\u2066',
  '\uFEFF',
  '\u0000',
  '\u001b[31m',
  '\r\n',
  '\t',
  '../../etc/passwd',
  '..\\..\\boot.ini',
  'C:',
  '<>:"/\\|?*',
  'CON',
  'prn',
  'AUX',
  'Nul',
  'COM1',
  'LPT9',
  'com¹',
  '.',
  '..',
  ' ',
  '...',
  '.pdf',
  '.PDF',
  '%2e%2e%2f',
  "O'Brien (née) *",
  '\uD800',
  '\uDFFF',
  '\uE000',
  'a'.repeat(300),
  'é'.repeat(150),
  '𝕬'.repeat(70),
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357',
];

function hostileName(next: () => number): string {
  const n = 1 + Math.floor(next() * 6);
  let s = '';
  for (let i = 0; i < n; i++) {
    if (next() < 0.15) s += String.fromCodePoint(Math.floor(next() * 0x2ffff));
    else s += PIECES[Math.floor(next() * PIECES.length)]!;
  }
  return s;
}

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)$/i;

/** The laws a safe name obeys, as the list of those it breaks (empty when it is safe). */
function brokenLaws(name: string): string[] {
  const base = name.slice(0, -4);
  const laws: [string, boolean][] = [
    ['ends in .pdf', name.endsWith('.pdf')],
    ['fits the byte limit', Buffer.byteLength(name) <= MAX_FILE_NAME_BYTES],
    ['is NFC', name === name.normalize('NFC')],
    ['has no forbidden character', !/[<>:"/\\|?*]/.test(name)],
    ['has no control, surrogate, private or unassigned character', !/[\p{Cc}\p{Cs}\p{Co}\p{Cn}\u2028\u2029]/u.test(name)],
    ['has no bidi mark or override', !/[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/.test(name)],
    ['is not empty', base.length > 0],
    ['neither starts nor ends with a dot or space', !/^[\s.]|[\s.]$/u.test(base)],
    ['is no device name', !RESERVED.test(base.split('.')[0]!.trim())],
    ['is one component', name.split(/[/\\]/).length === 1],
    ['is well-formed UTF-16', Buffer.from(name, 'utf8').toString('utf8') === name],
    ['stays as it is when made safe again', safeFileName(name, 'X') === name],
  ];
  return laws.filter(([, ok]) => !ok).map(([law]) => law);
}

describe('safeFileName', () => {
  it('holds its laws for each hostile piece alone', () => {
    for (const piece of PIECES) expect(brokenLaws(safeFileName(piece, 'AB12')), JSON.stringify(piece)).toEqual([]);
  });

  it('keeps ordinary names of every script as they are, with .pdf once', () => {
    expect(safeFileName('Nguyễn Thị Ánh Tuyết', 'C')).toBe('Nguyễn Thị Ánh Tuyết.pdf');
    expect(safeFileName('محمد بن سلمان.pdf', 'C')).toBe('محمد بن سلمان.pdf');
    expect(safeFileName('山田 太郎.PDF', 'C')).toBe('山田 太郎.pdf');
    expect(safeFileName('Martin-SST-2026', 'C')).toBe('Martin-SST-2026.pdf');
    expect(safeFileName('👩🏽‍🚒 Camille', 'C')).toBe('👩🏽‍🚒 Camille.pdf');
  });

  it('refuses paths, device names, controls, bidi overrides and trailing dots', () => {
    expect(safeFileName('../../etc/passwd', 'C')).toBe('_.._etc_passwd.pdf');
    expect(safeFileName('CON', 'C')).toBe('_CON.pdf');
    expect(safeFileName('con.pdf', 'C')).toBe('_con.pdf');
    expect(safeFileName('COM1.txt', 'C')).toBe('_COM1.txt.pdf');
    expect(safeFileName('console', 'C')).toBe('console.pdf');
    expect(safeFileName('a\u0000b', 'C')).toBe('ab.pdf');
    expect(safeFileName('evil\u202Efdp.exe', 'C')).toBe('evilfdp.exe.pdf');
    expect(safeFileName('\u200Fשרה\u200F', 'C')).toBe('שרה.pdf');
    expect(safeFileName('name. . ', 'C')).toBe('name.pdf');
    expect(safeFileName('e\u0301cole', 'C')).toBe('école.pdf');
    expect(safeFileName('a<b>c:d"e|f?g*h', 'C')).toBe('a_b_c_d_e_f_g_h.pdf');
  });

  it('falls back to the code when nothing is left', () => {
    for (const raw of ['', '   ', '...', '\u0000\u202E', '.pdf', '\uD800']) expect(safeFileName(raw, 'AB12-CD34')).toBe('AB12-CD34.pdf');
  });

  it('cuts a 300-character name to the byte limit between graphemes', () => {
    const ascii = safeFileName('a'.repeat(300), 'C');
    expect(Buffer.byteLength(ascii)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(ascii).toMatch(/^a+\.pdf$/);
    const accents = safeFileName('e\u0301'.repeat(300), 'C');
    expect(accents).toMatch(/^é+\.pdf$/);
    const family = '👨‍👩‍👧‍👦';
    const emoji = safeFileName(family.repeat(40), 'C');
    expect(emoji.slice(0, -4).length % family.length).toBe(0);
  });

  it('obeys its laws over 5,000 hostile names', () => {
    const next = random(20261201);
    const broken: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const raw = hostileName(next);
      const name = safeFileName(raw, 'AB12-CD34');
      for (const law of brokenLaws(name)) broken.push(`${JSON.stringify(raw)} → ${JSON.stringify(name)}: ${law}`);
    }
    expect(broken.slice(0, 10)).toEqual([]);
  });
});

describe('UniqueNames', () => {
  it('tells equal names apart as a case-insensitive file system compares them', () => {
    const names = new UniqueNames();
    expect(names.take('Martin.pdf')).toBe('Martin.pdf');
    expect(names.take('MARTIN.pdf')).toBe('MARTIN~2.pdf');
    expect(names.take('martin.pdf')).toBe('martin~3.pdf');
    expect(names.take('Martin~2.pdf')).toBe('Martin~2~2.pdf');
  });
});

describe('documentFileName', () => {
  const data = { learner: { lastname: 'Martin', firstname: 'Camille' }, course: { shortname: 'SST/2026' }, certificate: { code: 'AB12' } };

  it('renders the pattern with the bound data, safe', () => {
    const cert = { name: 'SST', settings: { file_name: '{{ learner.lastname | upcase }}-{{ course.shortname }}.pdf' } };
    expect(documentFileName(cert, { code: 'AB12', data })).toBe('MARTIN-SST_2026.pdf');
    expect(documentFileName(cert, { code: 'AB12', data: JSON.stringify(data) })).toBe('MARTIN-SST_2026.pdf');
  });

  it('prints a learner called {{ 7*7 }} or ../.. as text, never runs it', () => {
    const cert = { name: 'SST', settings: { file_name: '{{ learner.lastname }}' } };
    expect(documentFileName(cert, { code: 'AB12', data: { learner: { lastname: '{{ 7*7 }}' } } })).toBe('{{ 7_7 }}.pdf');
    expect(documentFileName(cert, { code: 'AB12', data: { learner: { lastname: '../../etc/passwd' } } })).toBe('_.._etc_passwd.pdf');
  });

  it('falls back to the code when the pattern prints nothing, and to "<certificate> <code>" without a pattern', () => {
    expect(documentFileName({ name: 'SST', settings: { file_name: '{{ learner.idnumber }}' } }, { code: 'AB12', data })).toBe('AB12.pdf');
    expect(documentFileName({ name: 'Secourisme: niveau 1', settings: {} }, { code: 'AB12', data })).toBe('Secourisme_ niveau 1 AB12.pdf');
  });
});

describe('fileNamePatternProblems', () => {
  it('lists unknown variables, filters and syntax errors, and lets warnings pass', () => {
    expect(fileNamePatternProblems('{{ learner.lastname }}-{{ course.shortname }}.pdf', 'p')).toEqual([]);
    expect(fileNamePatternProblems('{{ learner.nme }}', 'p').map((p) => [p.code, p.params?.diagnostic])).toEqual([
      ['FILE_NAME_PATTERN_INVALID', 'UNKNOWN_PROPERTY'],
    ]);
    expect(fileNamePatternProblems('{{ learner.lastname | nofilter }}', 'p')[0]?.params?.diagnostic).toBe('FILTER_UNKNOWN');
    expect(fileNamePatternProblems('{% for x in y %}', 'p')[0]?.params?.diagnostic).toBe('LIQUID_SYNTAX');
    expect(fileNamePatternProblems('{% include "x" %}', 'p')).toHaveLength(1);
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII filename and the exact name as RFC 5987 filename*', () => {
    expect(contentDisposition('attachment', "Nguyễn O'Brien (1).pdf")).toBe(
      `attachment; filename="Nguy_n O'Brien (1).pdf"; filename*=UTF-8''Nguy%E1%BB%85n%20O%27Brien%20%281%29.pdf`,
    );
    const header = contentDisposition('inline', safeFileName('محمد 👩🏽‍🚒 %41', 'C'));
    expect(header).toMatch(/^inline; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect(decodeURIComponent(header.split("UTF-8''")[1]!)).toBe(safeFileName('محمد 👩🏽‍🚒 %41', 'C'));
  });
});
