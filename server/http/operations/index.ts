import { z } from 'zod';
import { CAPABILITIES } from '../../domain/capabilities';
import { ping } from '../../storage/db';
import { operation, type Operation } from '../operation';
import { openApiDocument } from '../openapi';
import { apiDocsPage } from '../pages/api-docs';
import { certificateOperations } from './certificates';
import { issueOperations } from './issues';
import { templateOperations } from './templates';
import { tenantOperations } from './tenant';
import { verificationOperations } from './verification';

/** Every operation of the server, in the order the API document and the README list them. */
const domainOperations: Operation[] = [...issueOperations, ...certificateOperations, ...templateOperations, ...verificationOperations, ...tenantOperations];

const metaOperations: Operation[] = [
  operation({
    id: 'health',
    method: 'get',
    path: '/health',
    absolute: true,
    tag: 'Operations',
    summary: 'Whether the server can serve: the database answers, documents can be stored (not full: code STORAGE_FULL) and the render workers are up.',
    access: { public: true },
    responses: {
      200: z.object({ status: z.literal('ok'), database: z.string(), render: z.object({ workers: z.number(), busy: z.number(), queued: z.number() }) }),
      503: z.object({ status: z.literal('unavailable'), problem: z.string(), code: z.enum(['DATABASE_UNREACHABLE', 'STORAGE_FULL']) }),
    },
    example: `curl "$BASE/health"`,
    handler: async ({ services }) => {
      try {
        await ping(services.storage.db);
      } catch {
        return { status: 503, json: { status: 'unavailable', problem: 'The database does not answer.', code: 'DATABASE_UNREACHABLE' } };
      }
      // Remembered from the last attempt to store a document, until one is stored: issuing is what stops.
      const storage = services.storage.fullness.condition();
      if (storage.full) {
        return { status: 503, json: { status: 'unavailable', problem: `Storage has been full since ${storage.since}: no document can be issued until space is freed.`, code: 'STORAGE_FULL' } };
      }
      return { json: { status: 'ok', database: services.storage.engine, render: services.renderer.stats() } };
    },
  }),
  operation({
    id: 'openapi',
    method: 'get',
    path: '/openapi.json',
    tag: 'Operations',
    summary: 'This API, as OpenAPI 3.1, generated from the schemas that validate the requests.',
    access: { public: true },
    responses: { 200: z.record(z.string(), z.unknown()) },
    example: `curl "$BASE/api/v1/openapi.json"`,
    handler: async ({ services }) => ({ json: openApiDocument(OPERATIONS, services.baseUrl) }),
  }),
  operation({
    id: 'apiDocs',
    method: 'get',
    path: '/docs',
    tag: 'Operations',
    summary: 'A browsable page of the API document.',
    access: { public: true },
    responses: { 200: { media: 'text/html', description: 'The page.' } },
    example: `curl "$BASE/api/v1/docs"`,
    handler: async ({ services }) => ({ html: apiDocsPage(openApiDocument(OPERATIONS, services.baseUrl)) }),
  }),
  operation({
    id: 'listCapabilities',
    method: 'get',
    path: '/capabilities',
    tag: 'Operations',
    summary: 'The capabilities roles can grant and tokens can carry.',
    access: { public: true },
    responses: { 200: z.array(z.object({ name: z.string(), moodle: z.string().optional(), en: z.string(), fr: z.string() })) },
    example: `curl "$BASE/api/v1/capabilities"`,
    handler: async () => ({ json: CAPABILITIES }),
  }),
];

export const OPERATIONS: readonly Operation[] = [...domainOperations, ...metaOperations];
