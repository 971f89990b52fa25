import type { z } from 'zod';

/**
 * What the domain answers when it cannot do what was asked. Every failure has a stable code that clients
 * match on and a kind that says which HTTP status (or CLI exit code) it maps to; the domain never knows HTTP.
 */
export type FailureKind =
  | 'invalid' // the request or its data is wrong: 422
  | 'unauthenticated' // 401
  | 'forbidden' // a capability is missing: 403
  | 'refused' // the delivery rules refuse the document: 403 with reasons
  | 'not-found' // 404 (also for what belongs to another tenant)
  | 'conflict' // 409
  | 'locked' // the document exists but its delivery lock is on: 423
  | 'gone' // revoked or expired where that matters: 410
  | 'too-large' // 413
  | 'rate-limited' // 429
  | 'busy' // 503
  | 'storage-full' // the disk (or database) holding documents has no room left: 507
  | 'corrupt'; // stored bytes no longer match what was recorded: 500, the server's fault, never the caller's

export interface Problem {
  /** Where: a JSON path such as `learner.email` or `body.codes[3]`. */
  path: string;
  code: string;
  message: string;
}

export interface Reason {
  code: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly code: string,
    message: string,
    readonly extra: { problems?: Problem[]; reasons?: Reason[]; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, code = 'NOT_FOUND'): DomainError => new DomainError('not-found', code, `${what} does not exist.`);
export const invalid = (code: string, message: string, problems?: Problem[]): DomainError =>
  new DomainError('invalid', code, message, problems ? { problems } : {});

/**
 * zod's issues as problems with readable paths (`learner.email`, `codes[3]`) and stable codes named after
 * zod's: INVALID_TYPE, INVALID_VALUE, INVALID_FORMAT, TOO_BIG, TOO_SMALL, UNRECOGNIZED_KEYS, … A refinement
 * of ours names its own code in `params.code` (INVALID when it does not).
 */
export function zodProblems(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((i) => ({ path: formatPath([...(prefix ? [prefix] : []), ...i.path]), code: i.code === 'custom' ? refinementCode(i.params) : i.code.toUpperCase(), message: i.message }));
}

function refinementCode(params: unknown): string {
  const code = typeof params === 'object' && params !== null ? (params as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'INVALID';
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}
