import type { z } from 'zod';

/**
 * What the domain answers when it cannot do what was asked. Every failure has a stable code that clients
 * match on and a kind that says which HTTP status (or CLI exit code) it maps to; the domain never knows HTTP.
 */
export type FailureKind =
  | 'invalid' // the request or its data is wrong: 422
  | 'malformed' // the request cannot be read at all (not JSON, cut short): 400
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
  /**
   * Where, one convention everywhere: the JSON path within the request body (`data.learner.email`,
   * `codes[3]`, empty for the body itself); `params.id` and `query.limit` for the path and query.
   */
  path: string;
  code: string;
  message: string;
  /** The values the message was made from (zod's limits, types, formats), to say it in another language. */
  params?: Record<string, unknown>;
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
    readonly extra: { problems?: Problem[]; warnings?: Problem[]; reasons?: Reason[]; details?: Record<string, unknown> } = {},
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
 * of ours names its own code in `params.code` (INVALID when it does not). Each unknown key is a problem at
 * its own path, as binding reports unknown fields. `params` keeps zod's values (limits, expected and, when
 * the input is given, received type) so the message can be said in the caller's language.
 */
export function zodProblems(error: z.ZodError, prefix = '', input?: unknown): Problem[] {
  const base = prefix ? [prefix] : [];
  return error.issues.flatMap((i): Problem[] => {
    if (i.code === 'unrecognized_keys') {
      return i.keys.slice(0, 20).map((k) => ({
        path: formatPath([...base, ...i.path, k]),
        code: 'UNRECOGNIZED_KEYS',
        message: `Unknown field "${k}".`,
        params: { key: k },
      }));
    }
    const code = i.code === 'custom' ? refinementCode(i.params) : i.code.toUpperCase();
    return [{ path: formatPath([...base, ...i.path]), code, message: i.message, params: issueParams(i, input) }];
  });
}

const PARAM_NAMES = ['expected', 'origin', 'maximum', 'minimum', 'inclusive', 'exact', 'format', 'divisor', 'values'] as const;

function issueParams(issue: z.core.$ZodIssue, input: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of PARAM_NAMES) {
    const v = (issue as unknown as Record<string, unknown>)[name];
    if (v === undefined) continue;
    out[name] =
      typeof v === 'bigint'
        ? Number(v)
        : Array.isArray(v)
          ? (v as unknown[]).slice(0, 50).map((x) => (typeof x === 'bigint' ? Number(x) : x))
          : v;
  }
  if (issue.code === 'invalid_type' && input !== undefined) {
    let at: unknown = input;
    for (const key of issue.path)
      at = at !== null && typeof at === 'object' && Object.hasOwn(at, key) ? (at as Record<PropertyKey, unknown>)[key] : undefined;
    out.received = at === null ? 'null' : Array.isArray(at) ? 'array' : typeof at;
  }
  return out;
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
