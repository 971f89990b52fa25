import { z } from 'zod';
import { CAPABILITIES } from '../domain/capabilities';
import { fullPath, type Operation } from './operation';
import { ErrorBody } from './schemas';

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

export function openApiDocument(operations: readonly Operation[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = fullPath(op).replace(/:(\w+)/g, '{$1}').replace(/\*(\w+)/g, '{$1}');
    const parameters: Record<string, unknown>[] = [];
    for (const [where, schema] of [['path', op.params], ['query', op.query]] as const) {
      if (!schema) continue;
      const json = schemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      if ('media' in r) responses[status] = { description: r.description, content: { [r.media]: { schema: { type: 'string', format: 'binary' } } } };
      else if (Number(status) === 204) responses[status] = { description: STATUS_TEXT[204] };
      else responses[status] = { description: STATUS_TEXT[Number(status)] ?? 'OK', content: { 'application/json': { schema: schemaOf(r as z.ZodType, 'output') } } };
    }
    responses.default = { description: 'An error: a stable code, a message, and every problem with its path.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    const access = op.access;
    const entry: Record<string, unknown> = {
      operationId: op.id,
      summary: op.summary,
      tags: [op.tag],
      parameters,
      responses,
      'x-capability': 'capability' in access ? access.capability : 'public' in access ? 'public' : access.capabilities.length ? `any of: ${access.capabilities.join(', ')}` : 'signed in',
      security: 'public' in access ? [] : [{ bearer: [] }, { session: [] }],
    };
    if (op.idempotent) parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'Repeat the request safely: the same key returns the first answer.' });
    if (op.body) {
      entry.requestBody =
        'json' in op.body
          ? { required: true, content: { 'application/json': { schema: schemaOf(op.body.json, 'input') } } }
          : { required: true, content: Object.fromEntries(op.body.raw.map((m) => [m, { schema: op.body && 'schema' in op.body && op.body.schema ? schemaOf(op.body.schema, 'input') : { type: 'string', format: 'binary' } }])) };
    }
    (paths[path] ??= {})[op.method] = entry;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Attest API',
      version: '1',
      description: 'Training certificates: templates, certificates, delivery (rules, lock, revocation) and public verification. Every operation checks one capability; errors are JSON with a stable code.',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: { Error: schemaOf(ErrorBody, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token of the tenant (att_…).' },
        session: { type: 'apiKey', in: 'cookie', name: 'attest_session', description: 'A person’s session (editor). Changes also need the header x-attest-csrf: 1.' },
      },
    },
    'x-capabilities': CAPABILITIES,
  };
}
