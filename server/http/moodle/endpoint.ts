import express, { type Request, type Response } from 'express';
import { isUtf8 } from 'node:buffer';
import type { Actor, Services } from '../../domain/context';
import { DomainError } from '../../domain/errors';
import type { Locale } from '../../domain/error-codes';
import { moodleFunctionNamed, MOODLE_FUNCTIONS, type MoodleValue } from '../../domain/moodle-ws';
import { looksLikeOperatorToken } from '../../domain/operators';
import { servesActor } from '../../domain/scope';
import { authenticateToken } from '../../domain/tokens';
import { callerLocale } from '../problems';
import { RateLimiter } from '../rate-limit';
import { parseForm, type FormValue } from './form';
import { moodleException, type MoodleException } from './exceptions';
import { xmlException, xmlResponse } from './xml';

/**
 * Moodle's REST web service entry, answering mod_pdcertificate's functions (server/domain/moodle-ws) the way
 * a Moodle site answers them, so a site or a script written for the module calls Attest unchanged:
 * `wstoken` (an Attest API token of the tenant), `wsfunction`, `moodlewsrestformat` (json, else Moodle's
 * default, XML) and the function's parameters form-encoded in the query or the body (the body wins, as in
 * Moodle). Every failure is Moodle's exception body with HTTP 200.
 */
export const MOODLE_REST_PATH = '/webservice/rest/server.php';

/** Bodies are a few parameters; a list of 500 learner ids fits many times over. */
export const MOODLE_BODY_LIMIT = 256 * 1024;

export interface MoodleRestOptions {
  /** Calls per minute from one address (600; also ATTEST_MOODLE_WS_PER_MINUTE). */
  perMinute?: number;
  /** Calls with an unknown token per minute from one address before it is slowed (10; ATTEST_MOODLE_WS_FAILURES_PER_MINUTE). */
  failuresPerMinute?: number;
}

const RESERVED = new Set(['wstoken', 'wsfunction', 'moodlewsrestformat']);

const envNumber = (name: string): number | undefined => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
};

/** The handlers of the entry, for `app.all(MOODLE_REST_PATH, …)`: the request keeps its full path for the logs. */
export function moodleRest(
  services: Services,
  options: MoodleRestOptions = {},
): [express.RequestHandler, express.RequestHandler, express.ErrorRequestHandler] {
  const perMinute = options.perMinute ?? envNumber('ATTEST_MOODLE_WS_PER_MINUTE') ?? 600;
  const failuresPerMinute = options.failuresPerMinute ?? envNumber('ATTEST_MOODLE_WS_FAILURES_PER_MINUTE') ?? 10;
  const limits: Limits = {
    calls: new RateLimiter(perMinute, Math.max(10, Math.ceil(perMinute / 2))),
    // Guessing tokens: an address that keeps sending unknown ones is refused before the next is even looked up.
    failures: new RateLimiter(failuresPerMinute, failuresPerMinute),
    guessing: new Map<string, number>(),
  };
  const body = express.raw({ limit: MOODLE_BODY_LIMIT, type: () => true });
  const queryFormat = (req: Request) => formatOf(parseForm(req.originalUrl.split('?')[1] ?? '', 'query').values);
  return [
    (req, res, next) => (req.method === 'POST' ? body(req, res, next) : next()),
    (req, res) => {
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'POST') return void answer(services, req, res, limits);
      send(
        res,
        queryFormat(req),
        moodleException(new DomainError('malformed', 'MOODLE_METHOD_NOT_ALLOWED', `Called with ${req.method}, not GET or POST.`), 'en'),
      );
    },
    // What the body parser refuses (too large, unreadable) still answers as Moodle does.
    (err: unknown, req, res, _next) => {
      const tooLarge = (err as { type?: string }).type === 'entity.too.large';
      req.log.info({ err: err instanceof Error ? err.message : String(err) }, 'moodle web service body refused');
      send(
        res,
        queryFormat(req),
        moodleException(
          tooLarge
            ? new DomainError('too-large', 'BODY_TOO_LARGE', `The request body is larger than ${MOODLE_BODY_LIMIT} bytes.`, {
                details: { limit: MOODLE_BODY_LIMIT },
              })
            : new DomainError('malformed', 'BAD_REQUEST', 'The request could not be read.'),
          'en',
        ),
      );
    },
  ];
}

interface Limits {
  calls: RateLimiter;
  failures: RateLimiter;
  guessing: Map<string, number>;
}

type Format = 'json' | 'xml';
const formatOf = (values: Record<string, FormValue>): Format => (values.moodlewsrestformat === 'json' ? 'json' : 'xml');

/** Everything is answered 200, as Moodle answers: its clients read the exception from the body. */
function send(res: Response, format: Format, value: MoodleException | { result: MoodleValue }): void {
  res.status(200).setHeader('Cache-Control', 'no-store');
  if ('result' in value) {
    if (format === 'json') res.json(value.result);
    else res.type('application/xml; charset=utf-8').send(xmlResponse(value.result));
  } else if (format === 'json') res.json(value);
  else res.type('application/xml; charset=utf-8').send(xmlException(value));
}

async function answer(services: Services, req: Request, res: Response, limits: Limits): Promise<void> {
  const ip = req.ip ?? 'unknown';
  const query = parseForm(req.originalUrl.split('?')[1] ?? '', 'query');
  let format = formatOf(query.values);
  let actor: Actor | undefined;
  let locale: Locale = 'en';
  try {
    let form = query;
    if (req.method === 'POST' && Buffer.isBuffer(req.body) && req.body.length) {
      const type = (req.get('content-type') ?? 'application/x-www-form-urlencoded').toLowerCase();
      if (!type.startsWith('application/x-www-form-urlencoded'))
        throw new DomainError('malformed', 'MOODLE_BODY_NOT_FORM', 'Send the parameters form-encoded (application/x-www-form-urlencoded).');
      if (!isUtf8(req.body)) throw new DomainError('malformed', 'BODY_NOT_UTF8', 'The request body is not valid UTF-8.');
      const posted = parseForm(req.body.toString('utf8'), 'body');
      // As Moodle merges $_GET and $_POST: a name in the body replaces the same name in the query.
      form = { values: { ...query.values, ...posted.values }, problems: [...query.problems, ...posted.problems] };
      format = formatOf(form.values);
    }
    if (!limits.calls.take(ip)) {
      res.setHeader('Retry-After', String(limits.calls.retryAfterSeconds()));
      throw new DomainError('rate-limited', 'RATE_LIMITED', 'Too many calls from this address; wait a little.');
    }
    const until = limits.guessing.get(ip);
    if (until !== undefined && until > Date.now()) {
      res.setHeader('Retry-After', String(Math.ceil((until - Date.now()) / 1000)));
      throw new DomainError('rate-limited', 'RATE_LIMITED', 'Too many unknown tokens from this address; wait a minute.');
    }
    actor = await authenticate(services, form.values.wstoken).catch((e: unknown) => {
      if (!limits.failures.take(ip)) {
        // Bounded like the limiters' own maps: addresses whose minute is over are forgotten.
        if (limits.guessing.size > 50_000) for (const [k, t] of limits.guessing) if (t <= Date.now()) limits.guessing.delete(k);
        limits.guessing.set(ip, Date.now() + 60_000);
      }
      throw e;
    });
    locale = await callerLocale(services, req.get('accept-language'), { id: actor.tenantId });
    const name = form.values.wsfunction;
    const fn = typeof name === 'string' ? moodleFunctionNamed(name) : undefined;
    if (!fn)
      throw new DomainError(
        'not-found',
        'MOODLE_FUNCTION_UNKNOWN',
        `No web service function "${typeof name === 'string' ? name.slice(0, 100) : ''}" here.`,
        {
          details: { functions: MOODLE_FUNCTIONS.map((f) => f.name).join(', ') },
        },
      );
    const params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(form.values))
      if (!RESERVED.has(k) && !k.startsWith('moodlewssetting')) Object.defineProperty(params, k, { value: v, enumerable: true });
    const problems = form.problems.filter((p) => !RESERVED.has(p.path));
    const result = await fn.invoke(services, actor, params, problems);
    req.log.info({ wsfunction: fn.name }, 'moodle web service answered');
    send(res, format, { result });
  } catch (e) {
    if (e instanceof DomainError) req.log.info({ code: e.code, detail: e.message }, 'moodle web service answered with an exception');
    else req.log.error({ err: e }, 'moodle web service failed');
    send(res, format, moodleException(e, locale));
  }
}

/** The tenant's API token in `wstoken`; the operator's never opens a tenant's functions. */
async function authenticate(services: Services, wstoken: FormValue | undefined): Promise<Actor> {
  const invalidToken = () => new DomainError('unauthenticated', 'TOKEN_INVALID', 'wstoken is missing, unknown, expired or revoked.');
  if (typeof wstoken !== 'string' || !wstoken || looksLikeOperatorToken(wstoken)) throw invalidToken();
  const actor = await authenticateToken(services, wstoken);
  if (!servesActor(services, actor)) throw invalidToken();
  return actor;
}
