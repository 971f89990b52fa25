import type { z } from 'zod';
import type { Capability } from '../../domain/capabilities';
import { API_PREFIX } from './constants';

/**
 * What an API operation is on the wire, as data: its id, method, path, who may call it, the zod schemas of
 * what it takes and answers. The server binds a handler to each (server/http/operations), the editor's
 * client calls them by id (editor/app/api.ts): both read the same declaration, so a change of a schema is
 * a compile error on the other side. Browser-safe: nothing here, nor anything it imports, needs Node.
 */
export type Access =
  | { capability: Capability }
  /** Any signed-in person or token; the domain decides per object (e.g. staff or the learner themself). */
  | { authenticated: true; capabilities: readonly Capability[] }
  | { public: true }
  /** Only the installation's operator token (`atop_…`), which belongs to no tenant: provisioning tenants. */
  | { operator: true };

/**
 * Raw bytes (uploads, signed webhooks): the media types accepted. How many bytes the server reads, and the
 * JSON shape it documents for them, are the server's to say when it binds the operation.
 */
export interface RawBodyDeclaration {
  raw: readonly string[];
}

export type BodyDeclaration = { json: z.ZodType } | RawBodyDeclaration;

/** Status → schema of the JSON answered, or a media type for bytes (a PDF, a page). */
export type Responses = Record<number, z.ZodType | { media: string; description: string }>;

export interface Declaration {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax (`/templates/:id`, `*name` for a path of segments), relative to API_PREFIX unless `absolute`. */
  path: string;
  absolute?: boolean;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: BodyDeclaration;
  responses: Responses;
  /** Honours Idempotency-Key. */
  idempotent?: boolean;
  /** A curl line for the README's index; $BASE and $TOKEN are the reader's. */
  example: string;
}

/** A declaration with its id: the key it is declared under. */
export type Declared<D extends Declaration = Declaration, Id extends string = string> = D & { readonly id: Id };

/**
 * Declares a group of operations, keyed by id (the key is the operation id, said once). The order of the
 * keys is the order the API document and the README list them in.
 */
export function declareOperations<const T extends Record<string, Declaration>>(
  operations: T,
): { [K in keyof T & string]: Declared<T[K], K> } {
  return Object.fromEntries(Object.entries(operations).map(([id, d]) => [id, { ...d, id }])) as {
    [K in keyof T & string]: Declared<T[K], K>;
  };
}

/** The operation's path as Express and the API document see it. */
export function fullPath(op: Pick<Declaration, 'path' | 'absolute'>): string {
  return op.absolute ? op.path : `${API_PREFIX}${op.path}`;
}

type Schema<S> = S extends z.ZodType ? S : never;

/** What a handler receives, once validated (zod's output: defaults filled, strings coerced). */
export type ParamsOut<D> = D extends { params: infer S } ? z.output<Schema<S>> : undefined;
export type QueryOut<D> = D extends { query: infer S } ? z.output<Schema<S>> : undefined;
export type BodyOut<D> = D extends { body: infer B } ? (B extends { json: infer S } ? z.output<Schema<S>> : Uint8Array) : undefined;

/**
 * What a caller sends (zod's input). Path parameters are text in a URL: a coerced number takes a number or
 * its digits, a path of segments (`*name`) an array of them.
 */
export type ParamsIn<D> = D extends { params: infer S }
  ? { [K in keyof z.input<Schema<S>>]: z.input<Schema<S>>[K] extends readonly unknown[] ? readonly string[] : string | number }
  : undefined;
export type QueryIn<D> = D extends { query: infer S } ? z.input<Schema<S>> : undefined;
export type BodyIn<D> = D extends { body: infer B }
  ? B extends { json: infer S }
    ? z.input<Schema<S>>
    : Blob | ArrayBuffer | Uint8Array
  : undefined;

type Successful = 200 | 201 | 202 | 204;
/** The JSON a successful call answers (the union over its 2xx statuses; bytes have no JSON). */
export type ResponseOf<D> = D extends { responses: infer R }
  ? { [S in keyof R & Successful]: R[S] extends z.ZodType ? z.output<R[S]> : never }[keyof R & Successful]
  : never;
