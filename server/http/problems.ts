import type { Services } from '../domain/context';
import { ERROR_CODES, errorMessage, problemMessage, type AnswerKind, type ErrorCode, type Locale } from '../domain/error-codes';
import { DomainError, type Problem, type Reason } from '../domain/errors';
import { REASON_MESSAGES, reasonArgs } from '../domain/reasons';
import { findTenantBySlug, getTenant } from '../domain/tenants';

/**
 * How failures look on the wire: `{ "error": { code, message, problems?, warnings?, reasons?, details?,
 * requestId } }` with a status from the failure's kind. Nothing else leaves the server: an unexpected
 * exception becomes INTERNAL with the request id to find it in the logs, never a stack trace. The message
 * a client reads is the catalogue's (domain/error-codes.ts), in the caller's language.
 */
export const STATUS: Record<AnswerKind, number> = {
  malformed: 400,
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  refused: 403,
  'not-found': 404,
  conflict: 409,
  locked: 423,
  gone: 410,
  'too-large': 413,
  'rate-limited': 429,
  busy: 503,
  'unsupported-media': 415,
  'headers-too-large': 431,
  timeout: 408,
  internal: 500,
  'storage-full': 507,
  corrupt: 500,
};

/** The status a code is answered with, from its kind in the catalogue. */
export const statusOf = (code: ErrorCode): number => STATUS[ERROR_CODES[code].kind];

/** Statuses whose answers say, in `Retry-After`, when to come back. */
export const RETRY_AFTER_STATUSES: readonly number[] = [429, 503];

type WireProblem = Omit<Problem, 'params'>;

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    problems?: WireProblem[];
    warnings?: WireProblem[];
    reasons?: Reason[];
    details?: Record<string, unknown>;
    requestId: string;
  };
}

export function errorReply(e: DomainError, requestId: string): { status: number; body: ErrorBody } {
  return {
    status: STATUS[e.kind],
    body: { error: { code: e.code, message: e.message, ...e.extra, requestId } },
  };
}

export function simpleError(status: number, code: string, message: string, requestId: string): { status: number; body: ErrorBody } {
  return { status, body: { error: { code, message, requestId } } };
}

/**
 * The body said in the caller's language: the catalogue's message for the code (with the error's details
 * as parameters), each problem and warning by its code and parameters, each reason again from its values.
 * A code the catalogue does not know keeps the throw site's message (test/server/domain/error-codes.test.ts
 * fails on such a code, so that stays a gap of a day).
 */
export function localize(body: ErrorBody, locale: Locale): ErrorBody {
  const e = body.error;
  const reasons = e.reasons?.map((r) => sayReason(r, locale));
  const params = {
    ...e.details,
    ...(reasons ? { reasons: reasons.map((r) => r.message).join(' ') } : {}),
    ...(e.reasons?.[0] ? { args: reasonArgs(e.reasons[0]) ?? [] } : {}),
  };
  const message = errorMessage(e.code, locale, params) ?? e.message;
  return {
    error: {
      ...e,
      message,
      ...(e.problems ? { problems: e.problems.map((p) => sayProblem(p, locale)) } : {}),
      ...(e.warnings ? { warnings: e.warnings.map((p) => sayProblem(p, locale)) } : {}),
      ...(reasons ? { reasons } : {}),
    },
  };
}

function sayProblem(p: Problem | WireProblem, locale: Locale): WireProblem {
  const params = 'params' in p && p.params ? p.params : {};
  return { path: p.path, code: p.code, message: problemMessage(p.code, locale, params, p.message) };
}

/** A reason made in this process is said again from its values; one read back from storage keeps its words. */
function sayReason(r: Reason, locale: Locale): Reason {
  const args = reasonArgs(r);
  const make = Object.hasOwn(REASON_MESSAGES, r.code) ? REASON_MESSAGES[r.code as keyof typeof REASON_MESSAGES][locale] : undefined;
  return args && make ? { code: r.code, message: make(...args) } : { code: r.code, message: r.message };
}

/** The per-code failures of a batch answer (unlock, lock, the shop's webhook) in the caller's language. */
export function sayBatch<T extends { error?: { code: string; message: string } }>(results: readonly T[], locale: Locale): T[] {
  return results.map((r) =>
    r.error ? { ...r, error: { code: r.error.code, message: errorMessage(r.error.code, locale) ?? r.error.message } } : r,
  );
}

/** French or English when the caller's Accept-Language prefers one of them (by its q-values), else nothing. */
export function acceptedLocale(header: string | undefined): Locale | undefined {
  let best: { locale: Locale; q: number } | undefined;
  for (const part of (header ?? '').split(',').slice(0, 20)) {
    const [tag = '', ...rest] = part.trim().split(';');
    const lang = tag.trim().toLowerCase().split('-')[0];
    if (lang !== 'fr' && lang !== 'en') continue;
    const qv = rest.map((x) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(x)?.[1]).find((x) => x !== undefined);
    const weight = qv === undefined ? 1 : Number(qv);
    if (Number.isFinite(weight) && weight > 0 && (!best || weight > best.q)) best = { locale: lang, q: weight };
  }
  return best?.locale;
}

/**
 * The caller's language: Accept-Language when it prefers French or English; otherwise the language of the
 * tenant the caller belongs to (an authenticated caller) or that the path names (the shop's webhook,
 * download links); otherwise English. A tenant that cannot be read (unknown slug, database down) is no
 * reason to fail the answer: English then.
 */
export async function callerLocale(
  services: Services,
  acceptLanguage: string | undefined,
  tenant: { id?: string; slug?: string },
): Promise<Locale> {
  const accepted = acceptedLocale(acceptLanguage);
  if (accepted) return accepted;
  try {
    if (tenant.id) return (await getTenant(services.storage.db, tenant.id)).settings.locale;
    if (tenant.slug) return (await findTenantBySlug(services.storage.db, tenant.slug))?.settings.locale ?? 'en';
  } catch {
    // English, below.
  }
  return 'en';
}
