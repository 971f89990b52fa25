import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { createFilters, filterSignatures } from '../../variables/filters';

const fr = createFilters('fr');
const en = createFilters('en');
const tr = createFilters('tr');
const call = (f: Record<string, (v: unknown, ...a: unknown[]) => unknown>, name: string, value: unknown, ...args: unknown[]): unknown =>
  f[name]!(value, ...args);

// Intl's own spaces: U+202F (narrow no-break) groups French thousands; U+00A0 before % and some units.
const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('date', () => {
  it('prints styles in French and English', () => {
    expect(call(fr, 'date', '2026-03-01')).toBe('1 mars 2026');
    expect(call(fr, 'date', '2026-03-01', 'short')).toBe('01/03/2026');
    expect(call(fr, 'date', '2026-03-01', 'full')).toBe('dimanche 1 mars 2026');
    expect(call(en, 'date', '2026-03-01')).toBe('March 1, 2026');
    expect(call(en, 'date', '2026-03-01', 'short')).toBe('3/1/26');
    expect(call(en, 'date', '2026-03-01', 'medium')).toBe('Mar 1, 2026');
  });

  it('prints custom patterns with localized names', () => {
    expect(call(fr, 'date', '2026-03-01', 'dd/MM/yyyy')).toBe('01/03/2026');
    expect(call(fr, 'date', '2026-03-01', 'd MMMM yyyy')).toBe('1 mars 2026');
    expect(call(fr, 'date', '2026-03-01', 'EEEE d MMMM')).toBe('dimanche 1 mars');
    expect(call(en, 'date', '2026-03-01', 'EEEE d MMMM')).toBe('Sunday 1 March');
    expect(call(en, 'date', '2026-12-09', "'le' d/M/yy")).toBe('le 9/12/26');
    expect(call(createFilters('pl'), 'date', '2026-03-01', 'd MMMM yyyy')).toBe('1 marca 2026');
  });

  it('reads Unix timestamps (seconds, as Moodle sends) and ISO datetimes', () => {
    expect(call(fr, 'date', 1772323200, 'long')).toBe('1 mars 2026');
    expect(call(fr, 'date', '2026-03-01T23:30:00Z', 'dd/MM/yyyy')).toBe('01/03/2026');
  });

  it('prints a calendar date as the same day in every time zone', () => {
    expect(call(fr, 'date', '2026-03-01', 'long', 'Pacific/Honolulu')).toBe('1 mars 2026');
    expect(call(fr, 'date', '2026-03-01', 'long', 'Pacific/Kiritimati')).toBe('1 mars 2026');
  });

  it('returns bad values unchanged instead of throwing', () => {
    expect(call(fr, 'date', 'not a date')).toBe('not a date');
    expect(call(fr, 'date', '2026-02-30')).toBe('2026-02-30');
    expect(call(fr, 'date', null)).toBe(null);
    expect(call(fr, 'date', '2026-03-01', 42)).toBe('2026-03-01');
  });
});

describe('datetime', () => {
  it('prints date and time in UTC by default, or in the named zone', () => {
    expect(call(fr, 'datetime', '2026-03-01T09:30:00Z')).toBe('1 mars 2026 à 09:30');
    expect(call(en, 'datetime', '2026-03-01T09:30:00Z')).toBe('March 1, 2026 at 9:30 AM');
    expect(call(fr, 'datetime', '2026-03-01T09:30:00Z', 'dd/MM/yyyy HH:mm', 'Europe/Paris')).toBe('01/03/2026 10:30');
    expect(call(en, 'datetime', '2026-03-01T21:05:00Z', 'h:mm a')).toBe('9:05 PM');
  });

  it('returns the input for an unknown time zone', () => {
    expect(call(fr, 'datetime', '2026-03-01T09:30:00Z', 'long', 'Mars/Olympus')).toBe('2026-03-01T09:30:00Z');
  });
});

describe('numbers', () => {
  it('number uses the locale separators', () => {
    expect(call(fr, 'number', 1234.5)).toBe(`1${NNBSP}234,5`);
    expect(call(en, 'number', 1234.5)).toBe('1,234.5');
    expect(call(fr, 'number', 15.5, 2)).toBe('15,50');
    expect(call(en, 'number', 35)).toBe('35');
    expect(call(createFilters('de'), 'number', 1234.5)).toBe('1.234,5');
    expect(call(fr, 'number', 'abc')).toBe('abc');
  });

  it('percent takes a percentage (0–100)', () => {
    expect(call(fr, 'percent', 87.5)).toBe(`87,5${NBSP}%`);
    expect(call(en, 'percent', 87.5)).toBe('87.5%');
    expect(call(en, 'percent', 80, 1)).toBe('80.0%');
  });

  it('duration prints seconds as hours and minutes', () => {
    expect(call(fr, 'duration', 45000)).toBe(`12${NNBSP}h 30${NBSP}min`);
    expect(call(en, 'duration', 45000)).toBe('12 h 30 min');
    expect(call(en, 'duration', 45000, 'narrow')).toBe('12h 30m');
    expect(call(fr, 'duration', 45000, 'hours')).toBe(`12,5${NNBSP}h`);
    expect(call(en, 'duration', 45000, 'hours')).toBe('12.5 h');
    expect(call(fr, 'duration', 45000, 'long')).toBe(`12${NBSP}heures 30 minutes`);
    expect(call(en, 'duration', 45000, 'long')).toBe('12 hours 30 minutes');
    expect(call(en, 'duration', 45000, 'minutes')).toBe('750 min');
    expect(call(en, 'duration', 3600)).toBe('1 h');
    expect(call(en, 'duration', 0)).toBe('0 min');
    expect(call(en, 'duration', -5)).toBe(-5);
    expect(call(en, 'duration', 60, 'weeks')).toBe(60);
  });

  it('grade prints a value out of its maximum, letters as they are', () => {
    expect(call(fr, 'grade', 15.5, 20)).toBe(`15,5${NBSP}/${NBSP}20`);
    expect(call(en, 'grade', 15.5, 20)).toBe(`15.5${NBSP}/${NBSP}20`);
    expect(call(en, 'grade', 15, 20, 1)).toBe(`15.0${NBSP}/${NBSP}20`);
    expect(call(fr, 'grade', 'B+')).toBe('B+');
  });
});

describe('text', () => {
  it('join_list writes a sentence in the document language', () => {
    expect(call(fr, 'join_list', ['A', 'B', 'C'])).toBe('A, B et C');
    expect(call(en, 'join_list', ['A', 'B', 'C'])).toBe('A, B, and C');
    expect(call(fr, 'join_list', ['A', 'B', 'C'], 'or')).toBe('A, B ou C');
    expect(call(fr, 'join_list', ['A', null, '', 'B'])).toBe('A et B');
    expect(call(fr, 'join_list', 'A')).toBe('A');
  });

  it('casing follows the locale (Turkish dotted and dotless i)', () => {
    expect(call(tr, 'upcase', 'istanbul')).toBe('İSTANBUL');
    expect(call(en, 'upcase', 'istanbul')).toBe('ISTANBUL');
    expect(call(tr, 'downcase', 'ISPARTA')).toBe('ısparta');
    expect(call(fr, 'downcase', 'ÉLODIE')).toBe('élodie');
    expect(call(tr, 'capitalize', 'izmir')).toBe('İzmir');
    expect(call(fr, 'capitalize', 'élodie McLeod')).toBe('Élodie McLeod');
    expect(call(fr, 'upcase', 42)).toBe(42);
  });

  it('country_name and language_name use Intl.DisplayNames', () => {
    expect(call(fr, 'country_name', 'DE')).toBe('Allemagne');
    expect(call(en, 'country_name', 'fr')).toBe('France');
    expect(call(en, 'country_name', 'not a code')).toBe('not a code');
    expect(call(fr, 'language_name', 'de')).toBe('allemand');
    expect(call(en, 'language_name', 'pt_BR')).toBe('Brazilian Portuguese');
  });
});

describe('createFilters', () => {
  it('is built once per locale and falls back to English for a locale Intl rejects', () => {
    expect(createFilters('fr')).toBe(fr);
    expect(createFilters('fr_FR')).toBe(createFilters('fr-FR'));
    expect(call(createFilters('not a locale!'), 'number', 1234.5)).toBe('1,234.5');
  });

  it('every filter it makes is in filterSignatures, with docs in English and French', () => {
    for (const name of Object.keys(fr)) expect(filterSignatures[name]?.origin).toBe('attest');
    for (const [name, s] of Object.entries(filterSignatures)) {
      expect(s.doc.en.length, name).toBeGreaterThan(5);
      expect(s.doc.fr.length, name).toBeGreaterThan(5);
    }
  });

  it('every liquidjs filter in the table exists in liquidjs, and the ones left out are the unsafe ones', () => {
    const builtins = Object.keys(new Liquid().filters);
    for (const [name, s] of Object.entries(filterSignatures)) if (s.origin === 'liquid') expect(builtins, name).toContain(name);
    const excluded = builtins.filter((n) => !Object.hasOwn(filterSignatures, n)).sort();
    expect(excluded).toEqual(
      [
        'base64_decode',
        'base64_encode',
        'date_to_long_string',
        'date_to_rfc822',
        'date_to_string',
        'date_to_xmlschema',
        'hmac_sha256',
        'raw',
        'sample',
        'sha256',
      ].sort(),
    );
  });

  it('renders through liquidjs once registered', async () => {
    const engine = new Liquid();
    for (const [name, fn] of Object.entries(fr)) engine.registerFilter(name, fn);
    const out = await engine.parseAndRender('{{ d | date: "EEEE d MMMM yyyy" }} · {{ t | join_list }} · {{ s | duration }}', {
      d: '2026-03-01',
      t: ['Ana', 'Bo', 'Cy'],
      s: 5400,
    });
    expect(out).toBe(`dimanche 1 mars 2026 · Ana, Bo et Cy · 1${NNBSP}h 30${NBSP}min`);
  });
});
