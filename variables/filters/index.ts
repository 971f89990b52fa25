import { formatDate, formatDateTime } from './dates';
import { normalizeLocale } from './intl';
import { formatDuration, formatGrade, formatNumber, formatPercent } from './numbers';
import { capitalize, countryName, downcase, joinList, languageName, upcase } from './text';

export { filterSignatures, isKnownFilter } from './signatures';
export type { FilterArgument, FilterReturn, FilterSignature, InputClass } from './signatures';
export { DATE_STYLES, DateFormatError, dateFormatMessage, dateFormatProblem } from './dates';
export type { DateFormatProblem } from './dates';
export { DURATION_STYLES } from './numbers';
export { LIST_STYLES } from './text';

export type FilterFunction = (value: unknown, ...args: unknown[]) => unknown;

const byLocale = new Map<string, Readonly<Record<string, FilterFunction>>>();

/**
 * Attest's filters for one document language, to register on the Liquid engine over liquidjs's built-ins.
 * Built once per locale. A value they cannot format comes back unchanged (the analyzer warns about those
 * uses before any document is made); the one thing that throws is a date format that cannot be read
 * (DateFormatError): printing "longg" where a date belongs is never what the template meant.
 */
export function createFilters(locale: string): Readonly<Record<string, FilterFunction>> {
  const loc = normalizeLocale(locale);
  let filters = byLocale.get(loc);
  if (filters) return filters;
  const orInput =
    (format: (value: unknown, ...args: unknown[]) => string | undefined): FilterFunction =>
    (value, ...args) =>
      format(value, ...args) ?? value;
  filters = Object.freeze({
    date: orInput((v, format, zone) => formatDate(v, loc, format ?? 'long', zone)),
    datetime: orInput((v, format, zone) => formatDateTime(v, loc, format ?? 'long', zone)),
    number: orInput((v, places) => formatNumber(v, loc, places)),
    percent: orInput((v, places) => formatPercent(v, loc, places)),
    duration: orInput((v, style) => formatDuration(v, loc, style ?? 'short')),
    grade: orInput((v, max, places) => formatGrade(v, loc, max, places)),
    join_list: (v, style) => joinList(v, loc, style ?? 'and'),
    capitalize: (v) => capitalize(v, loc),
    upcase: (v) => upcase(v, loc),
    downcase: (v) => downcase(v, loc),
    country_name: (v) => countryName(v, loc),
    language_name: (v) => languageName(v, loc),
  } satisfies Record<string, FilterFunction>);
  byLocale.set(loc, filters);
  return filters;
}
