import { z } from 'zod';
import { MAX_ASSET_BYTES } from '../../../templates/assets';
import { DrawnBoxSchema } from '../../../templates/layout/boxes';
import { personas } from '../../../variables/personas';
import { previewTemplate } from '../../domain/preview';
import {
  createTemplate,
  deleteAsset,
  deleteTemplate,
  exampleTemplates,
  findVersion,
  getTemplate,
  listTemplates,
  publishTemplate,
  putAsset,
  readAsset,
  updateTemplate,
  validateSource,
} from '../../domain/templates';
import { operation, rawBody, type Operation } from '../operation';
import { Asset, Diagnostic, IdParam, TemplateDetail, TemplateSummary, Version } from '../schemas';
import { actorOf } from './util';

const AssetParams = z.object({ id: z.string().min(1).max(100), name: z.array(z.string().max(100)).min(1).max(5) }).strict();
const Source = z.string().max(500_000);

export const templateOperations: Operation[] = [
  operation({
    id: 'listTemplates',
    method: 'get',
    path: '/templates',
    tag: 'Templates',
    summary: 'Templates with their versions and which certificates use which.',
    access: { capability: 'templates:preview' },
    responses: { 200: z.array(TemplateSummary) },
    example: `curl "$BASE/api/v1/templates" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor }) => ({ json: await listTemplates(services, actorOf(actor)) }),
  }),
  operation({
    id: 'createTemplate',
    method: 'post',
    path: '/templates',
    tag: 'Templates',
    summary: 'Create a template: empty, from a source, from a bundled example (with its assets) or as a copy of another.',
    access: { capability: 'templates:edit' },
    body: {
      json: z
        .object({ name: z.string().min(1).max(200).optional(), source: Source.optional(), example: z.string().max(100).optional(), duplicate_of: z.string().max(100).optional() })
        .strict()
        .refine((b) => [b.source, b.example, b.duplicate_of].filter((x) => x !== undefined).length <= 1, { message: 'Give at most one of source, example and duplicate_of.', params: { code: 'ONE_ORIGIN_AT_MOST' } }),
    },
    idempotent: true,
    errors: ['EXAMPLE_UNKNOWN', 'TEMPLATE_NAME_REQUIRED', 'TEMPLATE_NOT_FOUND', 'SOURCE_TOO_LARGE'],
    responses: { 201: TemplateDetail },
    example: `curl -X POST "$BASE/api/v1/templates" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"example":"attestation-fr"}'`,
    handler: async ({ services, actor, body }) => ({
      status: 201,
      json: await createTemplate(services, actorOf(actor), {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.source !== undefined ? { source: body.source } : {}),
        ...(body.example !== undefined ? { example: body.example } : {}),
        ...(body.duplicate_of !== undefined ? { duplicateOf: body.duplicate_of } : {}),
      }),
    }),
  }),
  operation({
    id: 'getTemplate',
    method: 'get',
    path: '/templates/:id',
    tag: 'Templates',
    summary: 'A template: its draft source, assets and versions.',
    access: { capability: 'templates:preview' },
    params: IdParam,
    errors: ['TEMPLATE_NOT_FOUND'],
    responses: { 200: TemplateDetail },
    example: `curl "$BASE/api/v1/templates/$TEMPLATE" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor, params }) => ({ json: await getTemplate(services, actorOf(actor), params.id) }),
  }),
  operation({
    id: 'updateTemplate',
    method: 'patch',
    path: '/templates/:id',
    tag: 'Templates',
    summary: 'Save the draft (source, name). Published versions never change.',
    access: { capability: 'templates:edit' },
    params: IdParam,
    body: { json: z.object({ name: z.string().min(1).max(200).optional(), source: Source.optional() }).strict() },
    errors: ['TEMPLATE_NOT_FOUND', 'TEMPLATE_NAME_REQUIRED', 'SOURCE_TOO_LARGE'],
    responses: { 200: TemplateDetail },
    example: `curl -X PATCH "$BASE/api/v1/templates/$TEMPLATE" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"Attestation 2027"}'`,
    handler: async ({ services, actor, params, body }) => ({
      json: await updateTemplate(services, actorOf(actor), params.id, { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.source !== undefined ? { source: body.source } : {}) }),
    }),
  }),
  operation({
    id: 'deleteTemplate',
    method: 'delete',
    path: '/templates/:id',
    tag: 'Templates',
    summary: 'Delete a template that was never published.',
    access: { capability: 'templates:edit' },
    params: IdParam,
    errors: ['TEMPLATE_NOT_FOUND', 'TEMPLATE_PUBLISHED'],
    responses: { 204: z.undefined() },
    example: `curl -X DELETE "$BASE/api/v1/templates/$TEMPLATE" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor, params }) => {
      await deleteTemplate(services, actorOf(actor), params.id);
      return { status: 204 };
    },
  }),
  operation({
    id: 'publishTemplate',
    method: 'post',
    path: '/templates/:id/publish',
    tag: 'Templates',
    summary: 'Publish the draft as the next immutable version, if it compiles and renders for every sample learner without errors (422 with the diagnostics otherwise).',
    access: { capability: 'templates:publish' },
    params: IdParam,
    idempotent: true,
    errors: ['TEMPLATE_NOT_FOUND', 'TEMPLATE_HAS_ERRORS', 'RENDER_BUSY', 'RENDER_CLOSED'],
    responses: { 201: z.object({ version: Version, warnings: z.array(Diagnostic) }) },
    example: `curl -X POST "$BASE/api/v1/templates/$TEMPLATE/publish" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor, params }) => ({ status: 201, json: await publishTemplate(services, actorOf(actor), params.id) }),
  }),
  operation({
    id: 'getVersion',
    method: 'get',
    path: '/templates/:id/versions/:number',
    tag: 'Templates',
    summary: 'A published version: its source and the SHA-256 of each asset.',
    access: { capability: 'templates:preview' },
    params: z.object({ id: z.string().max(100), number: z.coerce.number().int().min(1).max(1_000_000) }).strict(),
    errors: ['TEMPLATE_NOT_FOUND', 'VERSION_NOT_FOUND'],
    responses: { 200: Version },
    example: `curl "$BASE/api/v1/templates/$TEMPLATE/versions/1" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor, params }) => ({ json: await findVersion(services, actorOf(actor), params.id, params.number) }),
  }),
  operation({
    id: 'putAsset',
    method: 'put',
    path: '/templates/:id/assets/*name',
    tag: 'Templates',
    summary: `Upload an asset (PDF background, PNG/JPEG image, TrueType/OpenType font; checked by content, ${MAX_ASSET_BYTES / 1e6} MB at most) under the name the front matter uses.`,
    access: { capability: 'templates:edit' },
    params: AssetParams,
    body: rawBody(['application/pdf', 'image/png', 'image/jpeg', 'font/ttf', 'font/otf', 'application/octet-stream'], MAX_ASSET_BYTES),
    errors: ['TEMPLATE_NOT_FOUND', 'ASSET_NAME_INVALID', 'ASSET_EMPTY', 'ASSET_TOO_LARGE', 'ASSET_TYPE_UNSUPPORTED'],
    responses: { 201: Asset },
    example: `curl -X PUT "$BASE/api/v1/templates/$TEMPLATE/assets/assets/seal.png" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: image/png' --data-binary @seal.png`,
    handler: async ({ services, actor, params, body }) => ({ status: 201, json: await putAsset(services, actorOf(actor), params.id, params.name.join('/'), body) }),
  }),
  operation({
    id: 'getAsset',
    method: 'get',
    path: '/templates/:id/assets/*name',
    tag: 'Templates',
    summary: 'An asset of the draft.',
    access: { capability: 'templates:preview' },
    params: AssetParams,
    errors: ['TEMPLATE_NOT_FOUND', 'ASSET_NAME_INVALID', 'ASSET_NOT_FOUND'],
    responses: { 200: { media: 'application/octet-stream', description: 'The asset’s bytes, with its media type.' } },
    example: `curl -o seal.png "$BASE/api/v1/templates/$TEMPLATE/assets/assets/seal.png" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor, params }) => {
      const a = await readAsset(services, actorOf(actor), params.id, params.name.join('/'));
      return { bytes: { data: a.bytes, type: a.mediaType === 'image' ? 'application/octet-stream' : a.mediaType } };
    },
  }),
  operation({
    id: 'deleteAsset',
    method: 'delete',
    path: '/templates/:id/assets/*name',
    tag: 'Templates',
    summary: 'Remove an asset from the draft (versions keep theirs).',
    access: { capability: 'templates:edit' },
    params: AssetParams,
    errors: ['TEMPLATE_NOT_FOUND', 'ASSET_NAME_INVALID', 'ASSET_NOT_FOUND'],
    responses: { 204: z.undefined() },
    example: `curl -X DELETE "$BASE/api/v1/templates/$TEMPLATE/assets/assets/seal.png" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor, params }) => {
      await deleteAsset(services, actorOf(actor), params.id, params.name.join('/'));
      return { status: 204 };
    },
  }),
  operation({
    id: 'previewTemplate',
    method: 'post',
    path: '/templates/:id/preview',
    tag: 'Templates',
    summary: 'Render a SPECIMEN of the draft, a source being edited or a version, with a persona, sample JSON or a real issue’s data. Never stored.',
    access: { capability: 'templates:preview' },
    params: IdParam,
    query: z.object({ format: z.enum(['json', 'pdf']).optional() }).strict(),
    body: {
      json: z
        .object({
          version: z.number().int().min(1).optional(),
          source: Source.optional(),
          persona: z.string().max(100).optional(),
          data: z.record(z.string(), z.unknown()).optional(),
          issue: z.string().max(40).optional(),
        })
        .strict(),
    },
    errors: ['TEMPLATE_NOT_FOUND', 'VERSION_NOT_FOUND', 'ISSUE_NOT_FOUND', 'PREVIEW_DATA_AMBIGUOUS', 'PREVIEW_TEMPLATE_REQUIRED', 'PERSONA_UNKNOWN', 'DOCUMENT_LOCKED', 'DOCUMENT_REVOKED', 'SOURCE_TOO_LARGE', 'RENDER_BUSY', 'RENDER_CLOSED'],
    responses: {
      200: z.object({ pdf: z.string().nullable().describe('Base64 of the PDF; null when it could not be made.'), pageCount: z.number().int(), diagnostics: z.array(Diagnostic), boxes: z.array(DrawnBoxSchema) }),
    },
    example: `curl -X POST "$BASE/api/v1/templates/$TEMPLATE/preview?format=pdf" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"persona":"arabic"}' -o specimen.pdf`,
    handler: async ({ services, actor, params, query, body }) => {
      const p = await previewTemplate(services, actorOf(actor), {
        templateId: params.id,
        ...(body.version !== undefined ? { version: body.version } : {}),
        ...(body.source !== undefined ? { source: body.source } : {}),
        ...(body.persona !== undefined ? { persona: body.persona } : {}),
        ...(body.data !== undefined ? { data: body.data } : {}),
        ...(body.issue !== undefined ? { issue: body.issue } : {}),
      });
      if (query.format === 'pdf' && p.pdf) return { bytes: { data: p.pdf, type: 'application/pdf', fileName: 'specimen.pdf', disposition: 'inline' } };
      return { json: { pdf: p.pdf ? Buffer.from(p.pdf).toString('base64') : null, pageCount: p.pageCount, diagnostics: p.diagnostics, boxes: p.boxes } };
    },
  }),
  operation({
    id: 'validateSource',
    method: 'post',
    path: '/validate',
    tag: 'Templates',
    summary: 'Check a template source: every diagnostic of the front matter, Liquid, types and markup, with positions and quick fixes.',
    access: { authenticated: true, capabilities: ['templates:edit', 'templates:preview'] },
    body: { json: z.object({ source: Source }).strict() },
    errors: ['SOURCE_TOO_LARGE', 'RENDER_BUSY', 'RENDER_CLOSED'],
    responses: { 200: z.object({ diagnostics: z.array(Diagnostic) }) },
    example: `curl -X POST "$BASE/api/v1/validate" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"source":"---\\nname: T\\n---\\n<page>{{ learner.fulname }}</page>"}'`,
    handler: async ({ services, actor, body }) => ({ json: { diagnostics: await validateSource(services, actorOf(actor), body.source) } }),
  }),
  operation({
    id: 'listExamples',
    method: 'get',
    path: '/examples',
    tag: 'Templates',
    summary: 'The bundled example templates a new template can start from.',
    access: { capability: 'templates:preview' },
    responses: { 200: z.array(z.object({ id: z.string(), name: z.string() })) },
    example: `curl "$BASE/api/v1/examples" -H "Authorization: Bearer $TOKEN"`,
    handler: async () => ({ json: exampleTemplates() }),
  }),
  operation({
    id: 'listPersonas',
    method: 'get',
    path: '/personas',
    tag: 'Templates',
    summary: 'The bundled sample learners (including the hard ones: scripts, long names, markup-looking names).',
    access: { capability: 'templates:preview' },
    responses: { 200: z.array(z.object({ id: z.string(), label: z.unknown(), data: z.unknown() }).loose()) },
    example: `curl "$BASE/api/v1/personas" -H "Authorization: Bearer $TOKEN"`,
    handler: async () => ({ json: personas }),
  }),
];

