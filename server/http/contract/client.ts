import type { z } from 'zod';
import { CSRF_HEADER } from './constants';
import { fullPath, type BodyIn, type Declared, type ParamsIn, type QueryIn, type ResponseOf } from './declaration';
import type { ErrorBody } from './schemas';

/**
 * A client typed from the contract: `client.call('updateTemplate', { params: { id }, body: { source } })`.
 * What it takes and answers is inferred from the operation's schemas, so a change of a schema is a compile
 * error where the client is used. It builds the URL from the declared path, sends the CSRF header on
 * changes, and turns every failure into one value (no exception).
 */
export type Problem = NonNullable<z.infer<typeof ErrorBody>['error']['problems']>[number];
export type Reason = NonNullable<z.infer<typeof ErrorBody>['error']['reasons']>[number];

/**
 * A failed call, as a value: the server's stable `code`, its message, and every problem or reason it
 * listed. Network failures get the code NETWORK (status 0) so callers handle one shape.
 */
export interface ApiError {
  ok: false;
  status: number;
  code: string;
  message: string;
  problems: Problem[];
  reasons: Reason[];
  details: Record<string, unknown> | undefined;
  requestId: string | undefined;
}

export type Result<T> = { ok: true; status: number; value: T } | ApiError;

type Key<T, K extends string> = undefined extends T
  ? { [P in K]?: T }
  : Record<never, never> extends T
    ? { [P in K]?: T }
    : { [P in K]: T };
/** An operation's arguments: only the parts it declares, each required when its schema requires it. */
export type CallInput<D> = Key<ParamsIn<D>, 'params'> &
  Key<QueryIn<D>, 'query'> &
  Key<BodyIn<D>, 'body'> &
  /** The media type of a raw body (an upload): one of those the operation declares. */
  (D extends { body: { raw: readonly string[] } } ? { type: string } : unknown);

type NoArgs<D> = Record<never, never> extends CallInput<D> ? true : false;

export interface ClientOptions {
  /** Where the server is (empty: this page's origin, as in the editor). */
  base?: string;
  /** Sent with every call (an API token's Authorization, for scripts and tests). */
  headers?: Record<string, string>;
  /** Told of every failed call's status before it is returned (the editor goes back to sign-in on 401). */
  onFailure?: (error: ApiError) => void;
  fetch?: typeof fetch;
}

function isErrorBody(value: unknown): value is z.infer<typeof ErrorBody> {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** Fills `:name` from the params (encoded) and `*name` from an array of segments (each encoded, the slashes kept). */
export function pathWith(op: Pick<Declared, 'path' | 'absolute'>, params: Record<string, unknown> | undefined): string {
  return fullPath(op).replace(/([:*])(\w+)/g, (_, kind: string, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`${op.path}: the parameter "${name}" is missing`);
    if (kind === '*')
      return (Array.isArray(value) ? (value as unknown[]) : scalarText(value).split('/'))
        .map((s) => encodeURIComponent(scalarText(s)))
        .join('/');
    return encodeURIComponent(scalarText(value));
  });
}

/** A path or query value as text: the schemas make them strings, numbers or booleans. */
function scalarText(value: unknown): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
      ? String(value)
      : JSON.stringify(value);
}

function withQuery(url: string, query: Record<string, unknown> | undefined): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, scalarText(value));
  const q = params.toString();
  return q ? `${url}?${q}` : url;
}

export interface Client<C extends Record<string, Declared>> {
  call<K extends keyof C & string>(
    id: K,
    ...input: NoArgs<C[K]> extends true ? [input?: CallInput<C[K]>] : [input: CallInput<C[K]>]
  ): Promise<Result<ResponseOf<C[K]>>>;
  /** The address of an operation that answers bytes (a PDF, an asset), for a link or an `<img>`. */
  url<K extends keyof C & string>(
    id: K,
    input?: Pick<CallInput<C[K]>, 'params' & keyof CallInput<C[K]>> & { query?: Record<string, unknown> },
  ): string;
}

export function createClient<C extends Record<string, Declared>>(contract: C, options: ClientOptions = {}): Client<C> {
  const base = options.base ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const fail = (e: ApiError): ApiError => {
    options.onFailure?.(e);
    return e;
  };
  const url = (id: string, input: { params?: unknown; query?: unknown } = {}) => {
    const op = contract[id];
    if (!op) throw new Error(`No operation ${id} in the contract`);
    return (
      base +
      withQuery(pathWith(op, input.params as Record<string, unknown> | undefined), input.query as Record<string, unknown> | undefined)
    );
  };
  async function call(
    id: string,
    input: { params?: unknown; query?: unknown; body?: unknown; type?: string } = {},
  ): Promise<Result<unknown>> {
    const op = contract[id]!;
    const method = op.method.toUpperCase();
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    // A session cookie alone may not change anything: the server asks for this header, which a
    // cross-site form cannot send.
    if (op.method !== 'get') headers[CSRF_HEADER] = '1';
    let body: BodyInit | undefined;
    if (op.body && 'json' in op.body) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input.body ?? {});
    } else if (op.body && input.body !== undefined) {
      headers['content-type'] = input.type ?? 'application/octet-stream';
      body = input.body instanceof Uint8Array ? new Blob([input.body as Uint8Array<ArrayBuffer>]) : (input.body as Blob | ArrayBuffer);
    }
    let res: Response;
    try {
      res = await doFetch(url(id, input), { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body } : {}) });
    } catch (e) {
      return fail({
        ok: false,
        status: 0,
        code: 'NETWORK',
        message: (e as Error).message,
        problems: [],
        reasons: [],
        details: undefined,
        requestId: undefined,
      });
    }
    const type = res.headers.get('content-type') ?? '';
    let parsed: unknown;
    if (res.status !== 204 && type.includes('json')) {
      try {
        parsed = await res.json();
      } catch {
        parsed = undefined;
      }
    }
    if (res.ok) return { ok: true, status: res.status, value: parsed };
    if (isErrorBody(parsed)) {
      const e = parsed.error;
      return fail({
        ok: false,
        status: res.status,
        code: e.code,
        message: e.message,
        problems: e.problems ?? [],
        reasons: e.reasons ?? [],
        details: e.details,
        requestId: e.requestId,
      });
    }
    return fail({
      ok: false,
      status: res.status,
      code: `HTTP_${res.status}`,
      message: res.statusText || `HTTP ${res.status}`,
      problems: [],
      reasons: [],
      details: undefined,
      requestId: undefined,
    });
  }
  return { call: call as Client<C>['call'], url: url };
}
