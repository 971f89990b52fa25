import type { z } from 'zod';
import type { Capability } from '../domain/capabilities';
import type { Actor, Services } from '../domain/context';

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
