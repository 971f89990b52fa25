import { pipeline } from 'node:stream/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { z } from 'zod';
import { actorRef, can, type Actor, type Services } from '../domain/context';
import { DomainError, zodProblems, type Problem } from '../domain/errors';
import { inputProblems } from '../domain/input';
import { authenticateSession, pruneSessions } from '../domain/sessions';
import { authenticateToken } from '../domain/tokens';
import { authenticateOperator, looksLikeOperatorToken, type Operator } from '../domain/operators';
import { pruneWebhookReceipts } from '../domain/webhook';
import { pruneBulkDryRuns } from '../domain/bulk-issue';
import { sha256Hex } from '../domain/hashing';
import { servesActor, tenantNotServed } from '../domain/scope';
import { bodyLimit, JSON_LIMIT, type Operation, type Reply } from './operation';
import { CSRF_HEADER, SESSION_COOKIE } from './contract/constants';
import { fullPath } from './contract/declaration';
import { acceptedLocale, callerLocale, errorReply, localize, simpleError, type ErrorBody } from './problems';
import type { Locale } from '../domain/error-codes';
import { RateLimiter } from './rate-limit';
import { routeIndex, type IndexedRoute } from './route-index';
import { PAGE_POLICY, securityHeaders } from './security';
import { OPERATIONS } from './operations';
import { IDEMPOTENCY_TTL_HOURS, pruneIdempotency, withIdempotency } from './idempotency';
import { parseCookies } from './cookies';
import { contentDisposition } from '../domain/file-names';
import { MOODLE_REST_PATH, moodleRest } from './moodle/endpoint';

/**
 * The Express app: one adapter turns each operation (server/http/operations) into a route that
 * authenticates, checks the capability, validates with the operation's schemas, calls the domain and
 * answers. Everything about HTTP is here; nothing about certificates is.
 */
export interface AppOptions {
  logger?: Logger;
  /** The built editor (editor/dist); the API works without it. */
  editorDir?: string;
  limits?: { verifyPerMinute?: number; signInPerMinute?: number; signInPerUsernamePerMinute?: number };
  /**
   * Whose `X-Forwarded-For` to believe, as Express's `trust proxy` setting: false (the default: the
   * client is the socket's address), true, a number of hops, or addresses and subnets ("loopback",
   * "10.0.0.0/8"). Only behind a proxy that sets the header itself: otherwise any client names its own
   * address and escapes the rate limits. Also ATTEST_TRUST_PROXY.
   */
  trustProxy?: boolean | number | string;
  /** How long an `Idempotency-Key`'s answer is kept, in hours (24; also ATTEST_IDEMPOTENCY_HOURS). */
  idempotencyHours?: number;
  /**
   * Operations found through an index by method and path shape (route-index.ts); false makes Express try
   * every route in turn, as the tests that compare both do.
   */
  routeIndex?: boolean;
  /** How often expired sessions, idempotent answers and webhook receipts are removed (10 minutes; 0: only at start). */
  pruneEveryMs?: number;
}

/** The app, and what stops its housekeeping timer when the server closes. */
export type AttestApp = express.Express & { stop(): void };

export interface Limiters {
  verify: RateLimiter;
  signIn: RateLimiter;
  /** Sign-in attempts per tenant and username, from any address: a botnet guessing one account is slowed too. */
  signInUsername: RateLimiter;
}

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
  }
}

export function createApp(services: Services, options: AppOptions = {}): AttestApp {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const limiters: Limiters = {
    verify: limiter(options.limits?.verifyPerMinute ?? envNumber('ATTEST_VERIFY_PER_MINUTE') ?? 60),
    signIn: limiter(options.limits?.signInPerMinute ?? envNumber('ATTEST_SIGN_IN_PER_MINUTE') ?? 10),
    signInUsername: limiter(options.limits?.signInPerUsernamePerMinute ?? envNumber('ATTEST_SIGN_IN_PER_USERNAME_PER_MINUTE') ?? 5),
  };
  const settings: Settings = {
    idempotencyHours: options.idempotencyHours ?? envNumber('ATTEST_IDEMPOTENCY_HOURS') ?? IDEMPOTENCY_TTL_HOURS,
  };
  const app = express();
  app.disable('x-powered-by');
  const trusted = trustProxy(options.trustProxy ?? process.env.ATTEST_TRUST_PROXY);
  try {
    app.set('trust proxy', trusted);
  } catch (e) {
    throw new Error(
      `The trust proxy setting "${String(trusted)}" is not true, false, a number of hops or addresses and subnets: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  app.set('query parser', 'simple');

  // Answers carry Cache-Control: no-store (or their own ETag, as documents do): Express's weak ETag, a
  // SHA-1 of every JSON body, would only cost time.
  app.set('etag', false);
  app.use((req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    req.id = id;
    // The request's logger is made when something logs (pino's child costs more than the rest of a check).
    let log: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      enumerable: true,
      get: () => (log ??= logger.child({ requestId: id })),
      set: (value: Logger) => (log = value),
    });
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      req.log[level]({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });
  app.use(securityHeaders);

  // Who is asking, and whether they may, is settled before a body is read: a stranger's 2 MB is not parsed.
  const routes: IndexedRoute[] = OPERATIONS.map((op) => ({
    method: op.method,
    path: fullPath(op),
    handlers: [
      (req: Request, res: Response, next: NextFunction) => void admit(op, services, limiters, req, res).then((ok) => ok && next()),
      ...bodyParsers(op),
      (req: Request, res: Response) => handle(op, services, limiters, settings, req, res),
    ],
  }));
  if (options.routeIndex !== false) app.use(routeIndex(routes));
  for (const r of routes) app[r.method](r.path, ...r.handlers);

  app.all(MOODLE_REST_PATH, ...moodleRest(services));

  app.use('/api', (req, res) =>
    send(
      res,
      simpleError(404, 'ROUTE_NOT_FOUND', `No operation ${req.method} ${req.originalUrl.split('?')[0]}; see /api/v1/openapi.json.`, req.id),
    ),
  );

  const editorDir = options.editorDir;
  if (editorDir && existsSync(join(editorDir, 'index.html'))) {
    app.use(
      express.static(editorDir, { index: false, maxAge: '1h', setHeaders: (res) => res.setHeader('Content-Security-Policy', PAGE_POLICY) }),
    );
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
    if (type === 'entity.too.large') return send(res, errorReply(tooLarge((err as { limit?: number }).limit ?? JSON_LIMIT), req.id));
    if (type === 'entity.parse.failed') return send(res, simpleError(400, 'BODY_NOT_JSON', 'The request body is not valid JSON.', req.id));
    if (type === NOT_UTF8) return send(res, simpleError(400, 'BODY_NOT_UTF8', 'The request body is not valid UTF-8.', req.id));
    if (type === 'encoding.unsupported' || type === 'charset.unsupported')
      return send(res, simpleError(415, 'BODY_ENCODING_UNSUPPORTED', 'The body’s encoding is not supported.', req.id));
    if ((err as { status?: number }).status === 400)
      return send(res, simpleError(400, 'BAD_REQUEST', 'The request could not be read.', req.id));
    req.log.error({ err }, 'unexpected failure');
    return send(res, simpleError(500, 'INTERNAL', 'Something went wrong on our side; the request id helps find it.', req.id));
  });
  return Object.assign(app, { stop: startHousekeeping(services, logger, settings, options.pruneEveryMs ?? 10 * 60_000) });
}

interface Settings {
  idempotencyHours: number;
}

/**
 * What is kept only for a while, removed: ended sessions, old idempotent answers, webhook receipts past
 * replay, bulk issue dry runs never confirmed (with the learners' data they held).
 */
export async function pruneExpired(
  services: Services,
  options: { idempotencyHours?: number } = {},
): Promise<{ sessions: number; idempotency: number; webhookReceipts: number; bulkDryRuns: number }> {
  return {
    sessions: await pruneSessions(services),
    idempotency: await pruneIdempotency(services, options.idempotencyHours),
    webhookReceipts: await pruneWebhookReceipts(services),
    bulkDryRuns: await pruneBulkDryRuns(services),
  };
}

/** Prunes at start and every `everyMs`; the timer never keeps the process alive. Returns what stops it. */
function startHousekeeping(services: Services, logger: Logger, settings: Settings, everyMs: number): () => void {
  const prune = () =>
    void pruneExpired(services, settings).then(
      (removed) => logger.debug({ removed }, 'expired rows pruned'),
      (err: unknown) => logger.warn({ err }, 'pruning expired rows failed'),
    );
  prune();
  if (everyMs <= 0) return () => {};
  const timer = setInterval(prune, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** `trust proxy` from an option or the environment's text ("true", "2", "loopback, 10.0.0.0/8"). */
function trustProxy(value: boolean | number | string | undefined): boolean | number | string {
  if (value === undefined || typeof value !== 'string') return value ?? false;
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  return /^\d+$/.test(v) ? Number(v) : v;
}

function tooLarge(limit: number, length?: number): DomainError {
  return new DomainError(
    'too-large',
    'BODY_TOO_LARGE',
    `The request body is larger than this operation takes: ${limit} bytes (${Math.round(limit / 1e5) / 10} MB) at most.`,
    {
      details: { limit, ...(length !== undefined ? { length } : {}) },
    },
  );
}

/** Operators (and the benchmark, which verifies thousands of codes from one address) can raise the limits. */
function envNumber(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** A burst of half a minute's allowance: a person clicking around is never slowed, a script is. */
const limiter = (perMinute: number) => new RateLimiter(perMinute, Math.max(10, Math.ceil(perMinute / 2)));

const NOT_UTF8 = 'body.not.utf8';

/**
 * JSON is UTF-8 here: other bytes would be decoded into U+FFFD and stored as if the client had sent that
 * character, so they are refused instead (before parsing, with their own code).
 */
function requireUtf8(_req: Request, _res: Response, buf: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(buf)) throw Object.assign(new Error('The body is not UTF-8.'), { status: 400, type: NOT_UTF8 });
}

function bodyParsers(op: Operation): express.RequestHandler[] {
  if (!op.body) return [];
  if ('json' in op.body) return [express.json({ limit: JSON_LIMIT, strict: false, type: () => true, verify: requireUtf8 })];
  return [express.raw({ limit: op.body.limit, type: () => true })];
}

/** Every error leaves through here, said in the caller's language (English when nothing says otherwise). */
function send(
  res: Response,
  e: { status: number; body: ErrorBody },
  locale: Locale = acceptedLocale(res.req.get('accept-language')) ?? 'en',
): void {
  res.status(e.status).setHeader('Cache-Control', 'no-store');
  res.json(localize(e.body, locale));
}

/** Who is calling: a tenant's person or token (`actor`), or the installation's operator (`operator`, no tenant). */
async function authenticate(
  services: Services,
  req: Request,
): Promise<{ actor?: Actor; operator?: Operator; cookie?: string; viaCookie: boolean }> {
  const header = req.get('authorization');
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new DomainError('unauthenticated', 'TOKEN_INVALID', 'Authorization must be "Bearer <token>".');
    if (looksLikeOperatorToken(m[1]!)) return { operator: await authenticateOperator(services, m[1]!), viaCookie: false };
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

type Auth = Awaited<ReturnType<typeof authenticate>>;
const admitted = new WeakMap<Request, Auth>();

/**
 * What is decided from the headers alone, before the body is read: who is calling, the capability, the
 * CSRF header, the per-address rate limits, and a declared length over the operation's limit.
 */
async function admit(op: Operation, services: Services, limiters: Limiters, req: Request, res: Response): Promise<boolean> {
  let actor: Actor | undefined;
  try {
    // The query parser would turn bytes that are not UTF-8 into U+FFFD and carry on: refused instead.
    if (!wellEncoded(req.originalUrl.split('?')[1] ?? '')) {
      send(res, simpleError(400, 'QUERY_NOT_UTF8', 'The query string is not valid percent-encoded UTF-8.', req.id));
      return false;
    }
    let auth = await authenticate(services, req);
    // The one place a credential's tenant meets the process's scope (`attest serve --tenant`): a guarded
    // operation answers 404, a public one serves the caller as anonymous. Routes that name a tenant without
    // a credential answer an unserved one as unknown (sessions.ts, webhook.ts, links.ts, verification.ts).
    if (auth.actor && !servesActor(services, auth.actor)) {
      req.log.info({ tenantId: auth.actor.tenantId }, 'credential of a tenant this server does not serve');
      if (!('public' in op.access)) throw tenantNotServed();
      auth = { ...auth, actor: undefined };
    }
    actor = auth.actor;
    // The operator's credential and a tenant's never open each other's operations.
    if ('operator' in op.access) {
      if (!auth.operator) {
        if (!actor)
          throw new DomainError('unauthenticated', 'AUTHENTICATION_REQUIRED', 'Send the operator token as "Authorization: Bearer atop_…".');
        throw new DomainError('forbidden', 'OPERATOR_REQUIRED', 'Only the operator token opens this operation.');
      }
    } else if (auth.operator) {
      throw new DomainError('forbidden', 'OPERATOR_TOKEN_NOT_TENANT', 'An operator token opens only the operator operations.');
    } else if (!('public' in op.access)) {
      if (!actor)
        throw new DomainError(
          'unauthenticated',
          'AUTHENTICATION_REQUIRED',
          'Sign in, or send an API token as "Authorization: Bearer <token>".',
        );
      if ('capability' in op.access && !can(actor, op.access.capability)) {
        throw new DomainError('forbidden', 'CAPABILITY_REQUIRED', `This needs the capability "${op.access.capability}".`, {
          details: { capability: op.access.capability },
        });
      }
      if (auth.viaCookie && op.method !== 'get' && req.get(CSRF_HEADER) !== '1') {
        throw new DomainError(
          'forbidden',
          'CSRF_HEADER_MISSING',
          `Changes made with a session cookie must send the header "${CSRF_HEADER}: 1".`,
        );
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
    const limit = bodyLimit(op);
    const length = Number(req.get('content-length'));
    if (limit !== undefined && Number.isFinite(length) && length > limit) throw tooLarge(limit, length);
    admitted.set(req, auth);
    return true;
  } catch (e) {
    await answerFailure(op, services, req, res, e, actor);
    return false;
  }
}

function wellEncoded(query: string): boolean {
  try {
    decodeURIComponent(query.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
}

function signInAccount(body: unknown): string {
  const { tenant, username } = body as { tenant: string; username: string };
  return `${tenant}\n${username.normalize('NFC').toLowerCase()}`;
}

/** The caller's language: their tenant's, or for public tenant routes (webhook, links) the tenant in the path. */
function localeOf(services: Services, req: Request, actor: Actor | undefined): Promise<Locale> {
  const tenantParam = typeof req.params.tenant === 'string' ? req.params.tenant : undefined;
  return callerLocale(services, req.get('accept-language'), actor ? { id: actor.tenantId } : tenantParam ? { slug: tenantParam } : {});
}

/** Failures said in the caller's language; the throw site's own words stay in the log. */
async function answerFailure(
  op: Operation,
  services: Services,
  req: Request,
  res: Response,
  e: unknown,
  actor: Actor | undefined,
): Promise<void> {
  const locale = await localeOf(services, req, actor);
  if (e instanceof DomainError) {
    // The render queue is full or closing: a client that waits a moment will be served.
    if (e.kind === 'busy') res.setHeader('Retry-After', '2');
    req.log.info({ operation: op.id, code: e.code, detail: e.message }, 'answered with an error');
    return send(res, errorReply(e, req.id), locale);
  }
  req.log.error({ err: e, operation: op.id }, 'unexpected failure');
  return send(res, simpleError(500, 'INTERNAL', 'Something went wrong on our side; the request id helps find it.', req.id), locale);
}

async function handle(
  op: Operation,
  services: Services,
  limiters: Limiters,
  settings: Settings,
  req: Request,
  res: Response,
): Promise<void> {
  let actor: Actor | undefined;
  try {
    const auth = admitted.get(req) ?? (await authenticate(services, req));
    actor = auth.actor;

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
    if (problems.length)
      throw new DomainError(
        'invalid',
        'REQUEST_INVALID',
        `The request is not valid: ${problems.length} problem${problems.length > 1 ? 's' : ''}.`,
        { problems },
      );
    // Changing one's password proves the current one: a stolen session guessing it is slowed like sign-in.
    const account =
      op.id === 'signIn'
        ? signInAccount(body)
        : op.id === 'changeOwnPassword' && actor?.kind === 'person'
          ? `person:${actor.id}`
          : undefined;
    if (account !== undefined && !limiters.signInUsername.take(account)) {
      res.setHeader('Retry-After', String(limiters.signInUsername.retryAfterSeconds()));
      throw new DomainError('rate-limited', 'RATE_LIMITED', 'Too many password attempts for this account; wait a minute.');
    }

    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const caller = actor;
    const input = {
      services,
      actor,
      operator: auth.operator,
      params,
      query,
      body,
      headers,
      ip: req.ip ?? '',
      requestId: req.id,
      sessionCookie: auth.cookie,
      locale: () => localeOf(services, req, caller),
    };
    const key = req.get('idempotency-key');
    const reply =
      op.idempotent && key !== undefined && actor
        ? await withIdempotency(
            services,
            {
              tenantId: actor.tenantId,
              caller: actorRef(actor),
              operation: op.id,
              key,
              ttlHours: settings.idempotencyHours,
              fingerprint: sha256Hex(`${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`),
            },
            () => op.handler(input),
          )
        : await op.handler(input);
    reply.headers = { ...reply.headers };
    sendReply(op, services, req, res, reply);
  } catch (e) {
    await answerFailure(op, services, req, res, e, actor);
  }
}

function sendReply(op: Operation, services: Services, req: Request, res: Response, reply: Reply): void {
  const status = reply.status ?? 200;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  for (const c of reply.cookies ?? []) {
    // Secure whenever the public address is https: behind a TLS-terminating proxy req.secure is false.
    res.cookie(c.name, c.value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure || /^https:/i.test(services.baseUrl),
      path: '/',
      maxAge: c.maxAgeSeconds * 1000,
    });
  }
  if (!res.getHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-store');
  if (reply.stream) {
    const { body } = reply.stream;
    res.status(status).type(reply.stream.type);
    if (reply.stream.fileName)
      res.setHeader('Content-Disposition', contentDisposition(reply.stream.disposition ?? 'attachment', reply.stream.fileName));
    // A failure once bytes are out cannot become an error answer: the connection is cut, so the client
    // sees a body cut short (a ZIP without its end record) rather than one that looks complete.
    pipeline(body, res).catch((e: unknown) => {
      if (!res.writableFinished) req.log.error({ operation: op.id, err: e }, 'streamed answer failed');
      res.destroy();
    });
    return;
  }
  if (reply.bytes) {
    res.status(status).type(reply.bytes.type);
    if (reply.bytes.fileName)
      res.setHeader('Content-Disposition', contentDisposition(reply.bytes.disposition ?? 'attachment', reply.bytes.fileName));
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
    const checked = schema.safeParse(reply.json);
    if (!checked.success) {
      // The answer does not match what the API document promises: a bug of ours, reported as such.
      req.log.error({ operation: op.id, issues: checked.error.issues.slice(0, 5) }, 'response does not match its schema');
      send(res, simpleError(500, 'RESPONSE_INVALID', 'The server produced an answer that does not match its own API description.', req.id));
      return;
    }
  }
  res.status(status).json(reply.json);
}
