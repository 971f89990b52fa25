import { displayNames, listFormat, normalizeLocale } from './intl';

/** Casing follows the locale's rules: in Turkish, i ↔ İ and ı ↔ I. */
export function upcase(value: unknown, locale: string): unknown {
  return typeof value === 'string' ? value.toLocaleUpperCase(normalizeLocale(locale)) : value;
}

export function downcase(value: unknown, locale: string): unknown {
  return typeof value === 'string' ? value.toLocaleLowerCase(normalizeLocale(locale)) : value;
}

/**
 * Upper-cases the first letter and leaves the rest alone (unlike liquidjs's, which lower-cases it): names
 * such as "McLeod" or "van der Berg" must survive.
 */
export function capitalize(value: unknown, locale: string): unknown {
  if (typeof value !== 'string' || value === '') return value;
  const first = String.fromCodePoint(value.codePointAt(0)!);
  return first.toLocaleUpperCase(normalizeLocale(locale)) + value.slice(first.length);
}

export const LIST_STYLES = ['and', 'or', 'unit'] as const;
const LIST_TYPES: Record<string, Intl.ListFormatType> = { and: 'conjunction', or: 'disjunction', unit: 'unit' };

/** `join_list`: "A, B et C" / "A, B and C"; empty and missing items are left out. */
export function joinList(value: unknown, locale: string, style: unknown = 'and'): unknown {
  if (!Array.isArray(value)) return value;
  const type = typeof style === 'string' ? LIST_TYPES[style] : undefined;
  if (!type) return value;
  const items: string[] = [];
  for (const item of value) {
    if (item === null || item === undefined || item === '') continue;
    if (typeof item === 'string') items.push(item);
    else if (typeof item === 'number' || typeof item === 'boolean') items.push(String(item));
  }
  return listFormat(normalizeLocale(locale), type).format(items);
}

/** `country_name`: an ISO 3166 code ("FR") as the country's name in the document's language. */
export function countryName(value: unknown, locale: string): unknown {
  if (typeof value !== 'string' || !/^[A-Za-z]{2}$|^\d{3}$/.test(value.trim())) return value;
  return displayNames(normalizeLocale(locale), 'region').of(value.trim().toUpperCase()) ?? value;
}

/** `language_name`: a BCP 47 code ("fr", "pt-BR", Moodle's "pt_br") as the language's name. */
export function languageName(value: unknown, locale: string): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  try {
    return displayNames(normalizeLocale(locale), 'language').of(value.trim().replace(/_/g, '-')) ?? value;
  } catch {
    return value;
  }
}
