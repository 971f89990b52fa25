import type { z } from 'zod';
import type { Capability } from '../domain/capabilities';
import type { Actor, Services } from '../domain/context';
import type { Locale } from '../domain/error-codes';
import type { ErrorCode } from '../domain/error-codes';

/**
 * An API operation is data: its path, the capability it checks, the zod schemas of what it takes and
 * answers, and a thin handler that calls the domain. The Express adapter, the OpenAPI document, the
 * README's web service index and the tenant-isolation test all read the same list, so none can drift.
 */
export type Access =
  | { capability: Capability }
  /** Any signed-in person or token; the domain decides per object (e.g. staff or the learner themself). */
  | { authenticated: true; capabilities: readonly Capability[] }
  | { public: true };

/** Raw bytes (uploads, signed webhooks): the media types accepted and a size limit. */
export interface RawBody<B> {
  raw: readonly string[];
  limit: number;
  /** For the API document, when the raw bytes are JSON of a known shape. */
  schema?: z.ZodType;
  /** Carries the body's type (bytes) to the handler; never called. */
  readonly as: (body: B) => void;
}

export type BodySpec<B = unknown> = { json: z.ZodType<B> } | RawBody<B>;

export function rawBody(raw: readonly string[], limit: number, schema?: z.ZodType): RawBody<Uint8Array> {
  return { raw, limit, ...(schema ? { schema } : {}), as: () => {} };
}

export interface Reply {
  status?: number;
  json?: unknown;
  bytes?: { data: Uint8Array; type: string; fileName?: string; disposition?: 'inline' | 'attachment' };
  html?: string;
  headers?: Record<string, string>;
  cookies?: { name: string; value: string; maxAgeSeconds: number }[];
}

export interface OperationInput<P, Q, B> {
  services: Services;
  actor: Actor | undefined;
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

export interface Operation<P = unknown, Q = unknown, B = unknown> {
  id: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax (`/templates/:id`), relative to /api/v1 unless `absolute`. */
  path: string;
  absolute?: boolean;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: BodySpec<B>;
  /** Status → schema of the JSON answered, or a media type for bytes. */
  responses: Record<number, z.ZodType | { media: string; description: string }>;
  /**
   * The codes its handler and the domain functions it calls can answer (the adapter adds its own, see
   * adapterErrors). The API document lists both per status; the fuzzer fails on a code not listed.
   */
  errors?: readonly ErrorCode[];
  /** Honours Idempotency-Key. */
  idempotent?: boolean;
  /** A curl line for the README's index; $BASE and $TOKEN are the reader's. */
  example: string;
  handler: (input: OperationInput<P, Q, B>) => Promise<Reply>;
}

/** Keeps each operation's types while collecting them in one list. */
export function operation<P, Q, B>(op: Operation<P, Q, B>): Operation {
  return op as unknown as Operation;
}

export const API_PREFIX = '/api/v1';

export function fullPath(op: Operation): string {
  return op.absolute ? op.path : `${API_PREFIX}${op.path}`;
}

/**
 * What the adapter (http/app.ts) itself can answer for an operation, from how it is reached: credentials,
 * capability and CSRF for guarded ones, validation for the parts it has, body reading, idempotency, rate
 * limits. Kept beside the adapter's rules so that a change there shows here.
 */
export function adapterErrors(op: Operation): ErrorCode[] {
  const codes: ErrorCode[] = ['TOKEN_INVALID'];
  if (!('public' in op.access)) {
    codes.push('AUTHENTICATION_REQUIRED', 'CAPABILITY_REQUIRED');
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
