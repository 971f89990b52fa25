import { language, normalizeLocale, numberFormat } from './intl';

/** A number from data or from Liquid arithmetic; numeric strings count (an LMS may send "15.5"). */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Decimals asked by a template: an integer from 0 to 20, or undefined when absent or unusable. */
function decimals(value: unknown): number | undefined {
  const n = toNumber(value);
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= 20 ? n : undefined;
}

/** `number`: grouping and decimal separators of the locale; with an argument, exactly that many decimals. */
export function formatNumber(value: unknown, locale: string, places?: unknown): string | undefined {
  const n = toNumber(value);
  if (n === undefined) return undefined;
  const d = decimals(places);
  const options: Intl.NumberFormatOptions =
    d === undefined ? { maximumFractionDigits: 2 } : { minimumFractionDigits: d, maximumFractionDigits: d };
  return numberFormat(normalizeLocale(locale), options).format(n);
}

/**
 * `percent`: the value is a percentage (0–100), as `grade.percent` holds, not a fraction: 87.5 → "87,5 %".
 * At most one decimal unless the template asks for more.
 */
export function formatPercent(value: unknown, locale: string, places?: unknown): string | undefined {
  const n = toNumber(value);
  if (n === undefined) return undefined;
  const d = decimals(places);
  const options: Intl.NumberFormatOptions =
    d === undefined
      ? { style: 'percent', maximumFractionDigits: 1 }
      : { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d };
  return numberFormat(normalizeLocale(locale), options).format(n / 100);
}

export const DURATION_STYLES = ['short', 'narrow', 'long', 'hours', 'minutes'] as const;

/**
 * `duration`: seconds (how durations bind) as hours and minutes: "12 h 30 min" (short, the default),
 * "12h 30m" (narrow), "12 heures 30 minutes" (long), "12,5 h" (hours), "750 min" (minutes).
 * Seconds are rounded to the minute: certificates never print them.
 */
export function formatDuration(value: unknown, locale: string, style: unknown = 'short'): string | undefined {
  const seconds = toNumber(value);
  if (seconds === undefined || seconds < 0 || typeof style !== 'string') return undefined;
  const loc = normalizeLocale(locale);
  switch (style) {
    case 'hours':
      return unit(loc, 'hour', 'short', Math.round((seconds / 3600) * 100) / 100);
    case 'minutes':
      return unit(loc, 'minute', 'short', Math.round(seconds / 60));
    case 'short':
    case 'narrow':
    case 'long': {
      const total = Math.round(seconds / 60);
      const h = Math.floor(total / 60);
      const m = total % 60;
      const parts: string[] = [];
      if (h > 0) parts.push(unit(loc, 'hour', style, h));
      if (m > 0 || h === 0) parts.push(unit(loc, 'minute', style, m));
      return parts.join(' ');
    }
    default:
      return undefined;
  }
}

function unit(locale: string, which: 'hour' | 'minute', display: 'short' | 'narrow' | 'long', n: number): string {
  // English's short hour is "hr"; certificates write "h", as French does.
  if (display === 'short' && which === 'hour' && language(locale) === 'en') {
    return `${numberFormat(locale, { maximumFractionDigits: 2 }).format(n)} h`;
  }
  return numberFormat(locale, { style: 'unit', unit: which, unitDisplay: display, maximumFractionDigits: 2 }).format(n);
}

/**
 * `grade`: a grade out of its maximum, "15,5 / 20", with no-break spaces so the grade never wraps. A letter
 * grade (a string that is not a number) prints as is.
 */
export function formatGrade(value: unknown, locale: string, max?: unknown, places?: unknown): string | undefined {
  if (typeof value === 'string' && toNumber(value) === undefined) return value;
  const n = toNumber(value);
  if (n === undefined) return undefined;
  const value_ = formatNumber(n, locale, places);
  if (max === undefined || max === null) return value_;
  const m = formatNumber(max, locale);
  return m === undefined ? undefined : `${value_}\u00a0/\u00a0${m}`;
}
