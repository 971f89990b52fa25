import { DomainError, type FailureKind } from '../domain/errors';

/**
 * How failures look on the wire: `{ "error": { code, message, problems?, reasons?, details?, requestId } }`
 * with a status from the failure's kind. Nothing else leaves the server: an unexpected exception becomes
 * INTERNAL with the request id to find it in the logs, never a stack trace.
 */
export const STATUS: Record<FailureKind, number> = {
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
  'storage-full': 507,
  corrupt: 500,
};

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    problems?: { path: string; code: string; message: string }[];
    reasons?: { code: string; message: string }[];
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
