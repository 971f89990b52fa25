import { z } from 'zod';
import { declareOperations } from './declaration';

export const metaDeclarations = declareOperations({
  health: {
    method: 'get',
    path: '/health',
    absolute: true,
    tag: 'Operations',
    summary:
      'Whether the server can serve: the database answers, documents can be stored (not full: code STORAGE_FULL) and the render workers are up.',
    access: { public: true },
    responses: {
      200: z.object({
        status: z.literal('ok'),
        database: z.string(),
        render: z.object({ workers: z.number(), busy: z.number(), queued: z.number() }),
      }),
      503: z.object({ status: z.literal('unavailable'), problem: z.string(), code: z.enum(['DATABASE_UNREACHABLE', 'STORAGE_FULL']) }),
    },
    example: `curl "$BASE/health"`,
  },
  openapi: {
    method: 'get',
    path: '/openapi.json',
    tag: 'Operations',
    summary: 'This API, as OpenAPI 3.1, generated from the schemas that validate the requests.',
    access: { public: true },
    responses: { 200: z.record(z.string(), z.unknown()) },
    example: `curl "$BASE/api/v1/openapi.json"`,
  },
  apiDocs: {
    method: 'get',
    path: '/docs',
    tag: 'Operations',
    summary: 'A browsable page of the API document.',
    access: { public: true },
    responses: { 200: { media: 'text/html', description: 'The page.' } },
    example: `curl "$BASE/api/v1/docs"`,
  },
  listCapabilities: {
    method: 'get',
    path: '/capabilities',
    tag: 'Operations',
    summary: 'The capabilities roles can grant and tokens can carry.',
    access: { public: true },
    responses: { 200: z.array(z.object({ name: z.string(), moodle: z.string().optional(), en: z.string(), fr: z.string() })) },
    example: `curl "$BASE/api/v1/capabilities"`,
  },
});
