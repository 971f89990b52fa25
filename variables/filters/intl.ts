/**
 * Intl formatters are expensive to build (tens of µs) and cheap to use (< 1 µs), and filters run once per
 * printed value of every document: build each one once per process, keyed by locale and options.
 */
const cache = new Map<string, unknown>();

function cached<T>(key: string, build: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    value = build();
    cache.set(key, value);
  }
  return value;
}

/** A locale Intl accepts: `fr_FR` is read as `fr-FR`, and anything Intl rejects falls back to English. */
export function normalizeLocale(locale: string): string {
  return cached(`locale|${locale}`, () => {
    try {
      return Intl.getCanonicalLocales(locale.replace(/_/g, '-'))[0] ?? 'en';
    } catch {
      return 'en';
    }
  });
}

/** The language part of a locale (`fr-CA` → `fr`), for the few texts we write ourselves. */
export function language(locale: string): string {
  return normalizeLocale(locale).split('-')[0]!.toLowerCase();
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

export function listFormat(locale: string, type: Intl.ListFormatType): Intl.ListFormat {
  return cached(`l|${locale}|${type}`, () => new Intl.ListFormat(locale, { type, style: 'long' }));
}

export function displayNames(locale: string, type: 'region' | 'language'): Intl.DisplayNames {
  return cached(`dn|${locale}|${type}`, () => new Intl.DisplayNames(locale, { type, fallback: 'none' }));
}

/** Month names as they read inside a date ("1 marca", not "marzec"), January first. */
export function monthNames(locale: string, width: 'long' | 'short'): readonly string[] {
  return cached(`months|${locale}|${width}`, () => {
    const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: width, timeZone: 'UTC' });
    return Array.from({ length: 12 }, (_, m) => {
      const part = format.formatToParts(Date.UTC(2026, m, 15)).find((p) => p.type === 'month');
      return part?.value ?? String(m + 1);
    });
  });
}

/** Weekday names, Sunday first (the order of Date#getUTCDay). */
export function weekdayNames(locale: string, width: 'long' | 'short'): readonly string[] {
  return cached(`weekdays|${locale}|${width}`, () => {
    const format = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' });
    // 2026-03-01 is a Sunday.
    return Array.from({ length: 7 }, (_, d) => format.format(Date.UTC(2026, 2, 1 + d)));
  });
}

export function dayPeriods(locale: string): readonly [string, string] {
  return cached(`ampm|${locale}`, () => {
    const format = new Intl.DateTimeFormat(locale, { hour: 'numeric', hour12: true, timeZone: 'UTC' });
    const period = (h: number): string =>
      format.formatToParts(Date.UTC(2026, 0, 1, h)).find((p) => p.type === 'dayPeriod')?.value ?? (h < 12 ? 'AM' : 'PM');
    return [period(9), period(15)] as const;
  });
}
