import express, { type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { z } from 'zod';
import { can, type Actor, type Services } from '../domain/context';
import { DomainError, zodProblems, type Problem } from '../domain/errors';
import { inputProblems } from '../domain/input';
import { authenticateSession, authenticateToken } from '../domain/tenants';
import { sha256Hex } from '../domain/secrets';
import { fullPath, type Operation, type Reply } from './operation';
import { acceptedLocale, callerLocale, errorReply, localize, simpleError, type ErrorBody } from './problems';
import type { Locale } from '../domain/error-codes';
import { RateLimiter } from './rate-limit';
import { PAGE_POLICY, securityHeaders } from './security';
import { OPERATIONS } from './operations';
import { withIdempotency } from './idempotency';
import { CSRF_HEADER, SESSION_COOKIE } from './cookies';

/**
 * The Express app: one adapter turns each operation (server/http/operations) into a route that
 * authenticates, checks the capability, validates with the operation's schemas, calls the domain and
 * answers. Everything about HTTP is here; nothing about certificates is.
 */
export interface AppOptions {
  logger?: Logger;
  /** The built editor (editor/dist); the API works without it. */
  editorDir?: string;
  limits?: { verifyPerMinute?: number; signInPerMinute?: number };
}

const JSON_LIMIT = '2mb';

export interface Limiters {
  verify: RateLimiter;
  signIn: RateLimiter;
}

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
  }
}

export function createApp(services: Services, options: AppOptions = {}): express.Express {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const limiters: Limiters = {
    verify: limiter(options.limits?.verifyPerMinute ?? envNumber('ATTEST_VERIFY_PER_MINUTE') ?? 60),
    signIn: limiter(options.limits?.signInPerMinute ?? envNumber('ATTEST_SIGN_IN_PER_MINUTE') ?? 10),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const given = req.get('x-request-id');
    req.id = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      req.log[res.statusCode >= 500 ? 'error' : 'info']({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });
  app.use(securityHeaders);

  for (const op of OPERATIONS) {
    app[op.method](fullPath(op), ...bodyParsers(op), (req: Request, res: Response) => handle(op, services, limiters, req, res));
  }

  app.use('/api', (req, res) => send(res, simpleError(404, 'ROUTE_NOT_FOUND', `No operation ${req.method} ${req.originalUrl.split('?')[0]}; see /api/v1/openapi.json.`, req.id)));

  const editorDir = options.editorDir;
  if (editorDir && existsSync(join(editorDir, 'index.html'))) {
    app.use(express.static(editorDir, { index: false, maxAge: '1h', setHeaders: (res) => res.setHeader('Content-Security-Policy', PAGE_POLICY) }));
    // The editor routes in the browser: any other page address gets its shell.
    app.get(/^\/(?!api\/|verify\/|d\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(editorDir, 'index.html'));
    });
  }
  app.use((req, res) => send(res, simpleError(404, 'NOT_FOUND', 'Nothing here.', req.id)));

  // Body parsers and anything unexpected end here: a clear code, never a stack trace.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return send(res, simpleError(413, 'BODY_TOO_LARGE', 'The request body is too large.', req.id));
    if (type === 'entity.parse.failed') return send(res, simpleError(400, 'BODY_NOT_JSON', 'The request body is not valid JSON.', req.id));
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return send(res, simpleError(415, 'BODY_ENCODING_UNSUPPORTED', 'The body’s encoding is not supported.', req.id));
    if ((err as { status?: number }).status === 400) return send(res, simpleError(400, 'BAD_REQUEST', 'The request could not be read.', req.id));
    req.log.error({ err }, 'unexpected failure');
    return send(res, simpleError(500, 'INTERNAL', 'Something went wrong on our side; the request id helps find it.', req.id));
  });
  return app;
}

/** Operators (and the benchmark, which verifies thousands of codes from one address) can raise the limits. */
function envNumber(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** A burst of half a minute's allowance: a person clicking around is never slowed, a script is. */
const limiter = (perMinute: number) => new RateLimiter(perMinute, Math.max(10, Math.ceil(perMinute / 2)));

function bodyParsers(op: Operation): express.RequestHandler[] {
  if (!op.body) return [];
  if ('json' in op.body) return [express.json({ limit: JSON_LIMIT, strict: false, type: () => true })];
  return [express.raw({ limit: op.body.limit, type: () => true })];
}

/** Every error leaves through here, said in the caller's language (English when nothing says otherwise). */
function send(res: Response, e: { status: number; body: ErrorBody }, locale: Locale = acceptedLocale(res.req.get('accept-language')) ?? 'en'): void {
  res.status(e.status).setHeader('Cache-Control', 'no-store');
  res.json(localize(e.body, locale));
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

async function authenticate(services: Services, req: Request): Promise<{ actor?: Actor; cookie?: string; viaCookie: boolean }> {
  const header = req.get('authorization');
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new DomainError('unauthenticated', 'TOKEN_INVALID', 'Authorization must be "Bearer <token>".');
    return { actor: await authenticateToken(services, m[1]!), viaCookie: false };
  }
  const cookie = parseCookies(req.get('cookie'))[SESSION_COOKIE];
  if (cookie) {
    try {
      return { actor: await authenticateSession(services, cookie), cookie, viaCookie: true };
    } catch {
      return { cookie, viaCookie: true };
    }
  }
  return { viaCookie: false };
}

function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string, problems: Problem[]): T {
  if (!schema) return undefined as T;
  const bad = inputProblems(value, where);
  if (bad.length) {
    problems.push(...bad);
    return undefined as T;
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  problems.push(...zodProblems(r.error, where, value));
  return undefined as T;
}

async function handle(op: Operation, services: Services, limiters: Limiters, req: Request, res: Response): Promise<void> {
  let actor: Actor | undefined;
  try {
    const auth = await authenticate(services, req);
    actor = auth.actor;
    if (!('public' in op.access)) {
      if (!actor) throw new DomainError('unauthenticated', 'AUTHENTICATION_REQUIRED', 'Sign in, or send an API token as "Authorization: Bearer <token>".');
      if ('capability' in op.access && !can(actor, op.access.capability)) {
        throw new DomainError('forbidden', 'CAPABILITY_REQUIRED', `This needs the capability "${op.access.capability}".`, { details: { capability: op.access.capability } });
      }
      if (auth.viaCookie && op.method !== 'get' && req.get(CSRF_HEADER) !== '1') {
        throw new DomainError('forbidden', 'CSRF_HEADER_MISSING', `Changes made with a session cookie must send the header "${CSRF_HEADER}: 1".`);
      }
    }
    if (op.tag === 'Verification' && !limiters.verify.take(req.ip ?? 'unknown')) {
      res.setHeader('Retry-After', String(limiters.verify.retryAfterSeconds()));
      throw new DomainError('rate-limited', 'RATE_LIMITED', 'Too many verifications from this address; wait a little.');
    }
    if (op.id === 'signIn' && !limiters.signIn.take(req.ip ?? 'unknown')) {
      res.setHeader('Retry-After', String(limiters.signIn.retryAfterSeconds()));
      throw new DomainError('rate-limited', 'RATE_LIMITED', 'Too many sign-in attempts from this address; wait a minute.');
    }

    const problems: Problem[] = [];
    const params = validate(op.params, { ...req.params }, 'params', problems);
    const query = validate(op.query, { ...(req.query as Record<string, unknown>) }, 'query', problems);
    let body: unknown;
    if (op.body && 'json' in op.body) {
      if (req.body === undefined || !(req.get('content-type') ?? '').includes('json')) {
        throw new DomainError('malformed', 'BODY_NOT_JSON', 'Send the body as JSON (Content-Type: application/json).');
      }
      // Body problems are at their path within the body (`data.learner.email`), with no prefix.
      body = validate(op.body.json, req.body, '', problems);
    } else if (op.body) {
      body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
    }
    if (problems.length) throw new DomainError('invalid', 'REQUEST_INVALID', `The request is not valid: ${problems.length} problem${problems.length > 1 ? 's' : ''}.`, { problems });

    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const input = { services, actor, params, query, body, headers, ip: req.ip ?? '', requestId: req.id, sessionCookie: auth.cookie };
    const key = req.get('idempotency-key');
    const reply =
      op.idempotent && key !== undefined && actor
        ? await withIdempotency(services, actor.tenantId, key, sha256Hex(`${op.id}\n${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`), () => op.handler(input))
        : await op.handler(input);
    reply.headers = { ...reply.headers };
    sendReply(op, req, res, reply);
  } catch (e) {
    const tenantParam = typeof req.params.tenant === 'string' ? req.params.tenant : undefined;
    const locale = await callerLocale(services, req.get('accept-language'), actor ? { id: actor.tenantId } : tenantParam ? { slug: tenantParam } : {});
    if (e instanceof DomainError) {
      // The render queue is full or closing: a client that waits a moment will be served.
      if (e.kind === 'busy') res.setHeader('Retry-After', '2');
      // The throw site's own words stay in the log; the client reads the catalogue's.
      req.log.info({ operation: op.id, code: e.code, detail: e.message }, 'answered with an error');
      return send(res, errorReply(e, req.id), locale);
    }
    req.log.error({ err: e, operation: op.id }, 'unexpected failure');
    return send(res, simpleError(500, 'INTERNAL', 'Something went wrong on our side; the request id helps find it.', req.id), locale);
  }
}

function sendReply(op: Operation, req: Request, res: Response, reply: Reply): void {
  const status = reply.status ?? 200;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  for (const c of reply.cookies ?? []) {
    res.cookie(c.name, c.value, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: c.maxAgeSeconds * 1000 });
  }
  if (!res.getHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-store');
  if (reply.bytes) {
    res.status(status).type(reply.bytes.type);
    if (reply.bytes.fileName) {
      const ascii = reply.bytes.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '');
      res.setHeader('Content-Disposition', `${reply.bytes.disposition ?? 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(reply.bytes.fileName)}`);
    }
    res.end(Buffer.from(reply.bytes.data.buffer, reply.bytes.data.byteOffset, reply.bytes.data.byteLength));
    return;
  }
  if (reply.html !== undefined) {
    res.status(status).type('html').send(reply.html);
    return;
  }
  if (reply.json === undefined) {
    res.status(status === 200 ? 204 : status).end();
    return;
  }
  const schema = op.responses[status];
  if (schema && 'safeParse' in schema) {
    const checked = (schema as z.ZodType).safeParse(reply.json);
    if (!checked.success) {
      // The answer does not match what the API document promises: a bug of ours, reported as such.
      req.log.error({ operation: op.id, issues: checked.error.issues.slice(0, 5) }, 'response does not match its schema');
      send(res, simpleError(500, 'RESPONSE_INVALID', 'The server produced an answer that does not match its own API description.', req.id));
      return;
    }
  }
  res.status(status).json(reply.json);
}
