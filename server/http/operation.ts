import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Actor, Services } from '../domain/context';
import type { Locale } from '../domain/error-codes';
import type { Operator } from '../domain/operators';
import type { ErrorCode } from '../domain/error-codes';
import type { BodyOut, Declared, ParamsOut, QueryOut } from './contract/declaration';

/**
 * An operation as the server runs it: its declaration in the contract (server/http/contract: path, access,
 * schemas), what the server adds to it (the codes it can answer, how many raw bytes it reads) and a thin
 * handler that calls the domain. The Express adapter, the API document, the README's web service index and
 * the tenant-isolation test all read the same list, so none can drift.
 */
export interface RawBody {
  raw: readonly string[];
  limit: number;
  /** For the API document, when the raw bytes are JSON of a known shape. */
  schema?: z.ZodType;
}

export type BodySpec = { json: z.ZodType } | RawBody;

export interface Reply {
  status?: number;
  json?: unknown;
  bytes?: { data: Uint8Array; type: string; fileName?: string; disposition?: 'inline' | 'attachment' };
  /** Bytes written as they come (an archive): the status and headers go first, a failure later cuts the body short. */
  stream?: { body: Readable; type: string; fileName?: string; disposition?: 'inline' | 'attachment' };
  html?: string;
  headers?: Record<string, string>;
  cookies?: { name: string; value: string; maxAgeSeconds: number }[];
}

export interface OperationInput<P, Q, B> {
  services: Services;
  actor: Actor | undefined;
  /** On operator operations (access `operator`), the operator; on every other, none. */
  operator: Operator | undefined;
  params: P;
  query: Q;
  body: B;
  headers: Record<string, string | undefined>;
  ip: string;
  requestId: string;
  sessionCookie: string | undefined;
  /**
   * The caller's language (Accept-Language, else their tenant's), for answers that carry words of their own
   * such as the per-code errors of a batch; looked up only when asked, since most answers have none.
   */
  locale: () => Promise<Locale>;
}

export interface Operation extends Omit<Declared, 'body'> {
  body?: BodySpec;
  /**
   * The codes its handler and the domain functions it calls can answer (the adapter adds its own, see
   * adapterErrors). The API document lists both per status; the fuzzer fails on a code not listed.
   */
  errors?: readonly ErrorCode[];
  handler: (input: OperationInput<unknown, unknown, unknown>) => Promise<Reply>;
}

/** What the server binds to a declaration; a raw body also needs its limit (and, for JSON bytes, its shape). */
export type Binding<D extends Declared> = {
  errors?: readonly ErrorCode[];
  handler: (input: OperationInput<ParamsOut<D>, QueryOut<D>, BodyOut<D>>) => Promise<Reply>;
} & (D extends { body: { raw: readonly string[] } } ? { body: { limit: number; schema?: z.ZodType } } : { body?: never });

/**
 * Binds a handler to each declaration of a contract group, in the group's order; a declaration left
 * without one, or a handler for an id the group does not declare, is a compile error.
 */
export function bindOperations<T extends Record<string, Declared>>(
  declared: T,
  bindings: NoInfer<{ [K in keyof T]: Binding<T[K]> }>,
): Operation[] {
  return Object.values(declared).map((d) => {
    const b = (
      bindings as Record<string, { errors?: readonly ErrorCode[]; handler: unknown; body?: { limit: number; schema?: z.ZodType } }>
    )[d.id]!;
    const body: BodySpec | undefined =
      d.body && 'raw' in d.body ? { raw: d.body.raw, limit: b.body!.limit, ...(b.body!.schema ? { schema: b.body!.schema } : {}) } : d.body;
    const { body: _declared, ...rest } = d;
    return { ...rest, ...(body ? { body } : {}), ...(b.errors ? { errors: b.errors } : {}), handler: b.handler as Operation['handler'] };
  });
}

/**
 * What the adapter (http/app.ts) itself can answer for an operation, from how it is reached: credentials,
 * capability and CSRF for guarded ones, validation for the parts it has, body reading, idempotency, rate
 * limits. Kept beside the adapter's rules so that a change there shows here.
 */
export function adapterErrors(op: Operation): ErrorCode[] {
  const codes: ErrorCode[] = ['TOKEN_INVALID'];
  // Either an operator operation, which nothing of a tenant opens, or one an operator token does not open.
  if ('operator' in op.access) codes.push('AUTHENTICATION_REQUIRED', 'OPERATOR_REQUIRED');
  else codes.push('OPERATOR_TOKEN_NOT_TENANT');
  if (!('public' in op.access) && !('operator' in op.access)) {
    // TENANT_NOT_SERVED: the credential's tenant is not one this process serves (attest serve --tenant).
    codes.push('AUTHENTICATION_REQUIRED', 'CAPABILITY_REQUIRED', 'TENANT_NOT_SERVED');
    if (op.method !== 'get') codes.push('CSRF_HEADER_MISSING');
  }
  if (op.params || op.query || (op.body && 'json' in op.body)) codes.push('REQUEST_INVALID');
  // A body cut short, or a path parameter that is not valid percent-encoding, cannot be read at all.
  if (op.body || op.params) codes.push('BAD_REQUEST');
  if (op.body) codes.push('BODY_TOO_LARGE', 'BODY_ENCODING_UNSUPPORTED');
  if (op.body && 'json' in op.body) codes.push('BODY_NOT_JSON');
  if (op.idempotent) codes.push('IDEMPOTENCY_KEY_INVALID', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_RETRY', 'IDEMPOTENCY_IN_PROGRESS');
  if (op.tag === 'Verification' || op.id === 'signIn') codes.push('RATE_LIMITED');
  codes.push('INTERNAL');
  if (Object.values(op.responses).some((r) => !('media' in r))) codes.push('RESPONSE_INVALID');
  return codes;
}

/** Every code an operation can answer: the adapter's and its own, once each. */
export const errorsOf = (op: Operation): ErrorCode[] => [...new Set([...adapterErrors(op), ...(op.errors ?? [])])];

/** What a JSON body may weigh; raw bodies (uploads, webhooks) declare their own limit. */
export const JSON_LIMIT = 2 * 1024 * 1024;

/** An operation's body limit, checked against Content-Length before the body is read and stated in the API document. */
export const bodyLimit = (op: Operation): number | undefined => (!op.body ? undefined : 'json' in op.body ? JSON_LIMIT : op.body.limit);
