import { afterEach, describe, expect, it } from 'vitest';
import {
  detectLocale,
  formatDate,
  formatNumber,
  getLocale,
  LOCALE_CHANGE,
  localeEvents,
  LOCALES,
  MESSAGE_KEYS,
  messageTable,
  setLocale,
  t,
} from '../../editor/i18n';

afterEach(() => setLocale('en'));

describe('the editor UI strings', () => {
  it('has every key in both languages, never empty, with the same placeholders', () => {
    const table = messageTable();
    expect(MESSAGE_KEYS.length).toBeGreaterThan(20);
    for (const key of MESSAGE_KEYS) {
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const locale of LOCALES) expect(table[key][locale].trim(), `${key} (${locale})`).not.toBe('');
      expect(placeholders(table[key].fr), key).toEqual(placeholders(table[key].en));
    }
  });

  it('translates and fills placeholders, numbers in the locale', () => {
    expect(t('preview.pageOf', { page: 1, count: 2 }, 'en')).toBe('Page 1 of 2');
    expect(t('preview.pageOf', { page: 1, count: 2 }, 'fr')).toBe('Page 1 sur 2');
    expect(t('preview.zoomIn', undefined, 'fr')).toBe('Zoom avant');
    // A missing parameter stays visible rather than printing "undefined".
    expect(t('preview.pageOf', { page: 3 }, 'en')).toBe('Page 3 of {count}');
    expect(t('sample.problems', { count: 1234 }, 'fr')).toMatch(/^1\u202f234 problème/);
  });

  it('chooses the locale from the browser languages, English by default', () => {
    expect(detectLocale(['fr-CA', 'en-US'])).toBe('fr');
    expect(detectLocale(['de-DE', 'en-GB'])).toBe('en');
    expect(detectLocale(['de'])).toBe('en');
    expect(detectLocale(undefined)).toBe('en');
    expect(detectLocale(['FR'])).toBe('fr');
  });

  it('switches the locale and tells listeners once', () => {
    let calls = 0;
    const listener = () => calls++;
    localeEvents.addEventListener(LOCALE_CHANGE, listener);
    setLocale('fr');
    setLocale('fr');
    localeEvents.removeEventListener(LOCALE_CHANGE, listener);
    expect(getLocale()).toBe('fr');
    expect(calls).toBe(1);
    expect(t('preview.nextPage')).toBe('Page suivante');
  });

  it('formats numbers and dates in the locale; a calendar date never shifts a day', () => {
    expect(formatNumber(1234.5, undefined, 'en')).toBe('1,234.5');
    expect(formatNumber(1234.5, undefined, 'fr')).toBe('1\u202f234,5');
    expect(formatDate('2026-02-04', undefined, 'en')).toBe('February 4, 2026');
    expect(formatDate('2026-02-04', undefined, 'fr')).toBe('4 février 2026');
    expect(formatDate('2026-02-04', { dateStyle: 'short' }, 'fr')).toBe('04/02/2026');
  });
});
