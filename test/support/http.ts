import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createApp, type AppOptions } from '../../server/http/app';
import type { Services } from '../../server/domain/context';

/**
 * The real Express app on a loopback port, and a small client for it: tests speak HTTP to it exactly as
 * an LMS would.
 */
export interface Running {
  base: string;
  close(): Promise<void>;
}

export async function startApp(services: Services, options: AppOptions = {}): Promise<Running> {
  const app = createApp(services, { logger: pino({ level: 'silent' }), ...options });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  services.baseUrl = base;
  return {
    base,
    close: () =>
      new Promise<void>((resolve) => {
        app.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  bytes: Uint8Array;
  /** The JSON body, or undefined when it is not JSON. */
  json: Json;
}

/** A JSON value read field by field in assertions (`r.json.error?.code`); `list` reads arrays. */
export interface Json {
  readonly [key: string]: Json | undefined;
}

export function list(value: Json | undefined): Json[] {
  if (!Array.isArray(value)) throw new Error(`expected an array, got ${JSON.stringify(value)}`);
  return value as Json[];
}

export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: Uint8Array | string; headers?: Record<string, string>; cookie?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  } else if (options.raw !== undefined) {
    body = typeof options.raw === 'string' ? options.raw : Buffer.from(options.raw);
  }
  const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = Buffer.from(bytes).toString('utf8');
  let json: unknown;
  if ((res.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, bytes, json: json as Json };
}
