import { formatDate, getLocale } from '../i18n';

/** Dates and times in the UI locale; the server sends ISO strings. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });
}

export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  return formatDate(iso.length > 10 && /^\d{4}-\d{2}-\d{2}T00:00:00(\.000)?Z$/.test(iso) ? iso.slice(0, 10) : iso, { dateStyle: 'medium' });
}

export function kilobytes(bytes: number): string {
  return new Intl.NumberFormat(getLocale(), { maximumFractionDigits: 1 }).format(bytes / 1024);
}

/** A form field's text; a file field (or none) reads as the empty string, never "[object File]". */
export function fieldText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
