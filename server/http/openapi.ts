import { z } from 'zod';
import { CAPABILITIES } from '../domain/capabilities';
import { ERROR_CODES, type ErrorCode } from '../domain/error-codes';
import { fullPath } from './contract/declaration';
import { CSRF_HEADER, SESSION_COOKIE } from './contract/constants';
import { bodyLimit, errorsOf, type Operation } from './operation';
import { RETRY_AFTER_STATUSES, statusOf } from './problems';
import { ErrorBody } from './contract/schemas';

/**
 * The OpenAPI 3.1 document, generated from the operations' own zod schemas: what validates a request is
 * what the document describes. JSON Schema 2020-12 is OpenAPI 3.1's dialect, which zod writes natively.
 */
function schemaOf(s: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No content' };

const RETRY_AFTER = { description: 'Seconds to wait before asking again.', schema: { type: 'integer', minimum: 1 } };

/**
 * An operation's error answers, one per status: the Error body with `code` narrowed to the codes this
 * operation can give at that status (also listed as `x-error-codes`, which the fuzzer checks answers
 * against), and `Retry-After` where the answer says when to come back.
 */
function errorResponses(op: Operation): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorsOf(op)) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: codes.map((c) => `\`${c}\`: ${ERROR_CODES[c].meaning}`).join('\n\n'),
      ...(RETRY_AFTER_STATUSES.includes(status) ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
      content: {
        'application/json': {
          schema: {
            allOf: [
              { $ref: '#/components/schemas/Error' },
              { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } },
            ],
          },
        },
      },
      'x-error-codes': codes,
    };
  }
  return out;
}

export function openApiDocument(operations: readonly Operation[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = fullPath(op)
      .replace(/:(\w+)/g, '{$1}')
      .replace(/\*(\w+)/g, '{$1}');
    const parameters: Record<string, unknown>[] = [];
    for (const [where, schema] of [
      ['path', op.params],
      ['query', op.query],
    ] as const) {
      if (!schema) continue;
      const json = schemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      if ('media' in r)
        responses[status] = { description: r.description, content: { [r.media]: { schema: { type: 'string', format: 'binary' } } } };
      else if (Number(status) === 204) responses[status] = { description: STATUS_TEXT[204] };
      else
        responses[status] = {
          description: STATUS_TEXT[Number(status)] ?? 'OK',
          content: { 'application/json': { schema: schemaOf(r, 'output') } },
        };
    }
    Object.assign(responses, errorResponses(op));
    const access = op.access;
    const entry: Record<string, unknown> = {
      operationId: op.id,
      summary: op.summary,
      tags: [op.tag],
      parameters,
      responses,
      'x-capability':
        'capability' in access
          ? access.capability
          : 'public' in access
            ? 'public'
            : 'operator' in access
              ? 'operator token'
              : access.capabilities.length
                ? `any of: ${access.capabilities.join(', ')}`
                : 'signed in',
      security: 'public' in access ? [] : 'operator' in access ? [{ operator: [] }] : [{ bearer: [] }, { session: [] }],
    };
    if (op.idempotent)
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', maxLength: 200 },
        description:
          'Repeat the request safely: the same key from the same caller, for the same operation and request, returns the first answer (kept 24 hours); reused for another request, 422 IDEMPOTENCY_KEY_REUSED.',
      });
    if (op.body) {
      const limit = bodyLimit(op)!;
      const said = {
        description: `At most ${limit} bytes; a larger Content-Length is answered 413 BODY_TOO_LARGE before the body is read.`,
        'x-max-bytes': limit,
      };
      entry.requestBody =
        'json' in op.body
          ? { required: true, ...said, content: { 'application/json': { schema: schemaOf(op.body.json, 'input') } } }
          : {
              required: true,
              ...said,
              content: Object.fromEntries(
                op.body.raw.map((m) => [
                  m,
                  {
                    schema:
                      op.body && 'schema' in op.body && op.body.schema
                        ? schemaOf(op.body.schema, 'input')
                        : { type: 'string', format: 'binary' },
                  },
                ]),
              ),
            };
    }
    (paths[path] ??= {})[op.method] = entry;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Attest API',
      version: '1',
      description:
        'Training certificates: templates, certificates, delivery (rules, lock, revocation) and public verification. Every operation checks one capability. ' +
        'Errors are JSON (the Error schema) with a stable code; each operation lists the codes it can answer per status. Messages follow the caller’s language: ' +
        'Accept-Language when it prefers fr or en, else the tenant’s locale, else English. Any path outside the operations answers 404 ROUTE_NOT_FOUND.',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: { Error: schemaOf(ErrorBody, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token of the tenant (att_…).' },
        operator: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The installation’s operator token (atop_…, made with `attest operator token create`): it belongs to no tenant and opens only the operator operations.',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: `A person’s session (editor). Changes also need the header ${CSRF_HEADER}: 1.`,
        },
      },
    },
    'x-capabilities': CAPABILITIES,
  };
}
