import { DrawnBoxSchema } from '../../../templates/layout/boxes';
import { z } from 'zod';
import { declareOperations } from './declaration';
import { Asset, Diagnostic, IdParam, TemplateDetail, TemplateSummary, Version } from './schemas';

/** An asset's name is a path of segments (`assets/seal.png`): the `*name` of its path. */
const AssetParams = z.object({ id: z.string().min(1).max(100), name: z.array(z.string().max(100)).min(1).max(5) }).strict();
const Source = z.string().max(500_000);
/**
 * templates/assets.ts's MAX_ASSET_BYTES, which the server binds as the upload's limit; that module reads
 * fonts and PDFs, so it cannot be imported here (test/server/http/contract.test.ts holds the two together).
 */
export const ASSET_LIMIT_MB = 20;

export const templateDeclarations = declareOperations({
  listTemplates: {
    method: 'get',
    path: '/templates',
    tag: 'Templates',
    summary: 'Templates with their versions and which certificates use which.',
    access: { capability: 'templates:preview' },
    responses: { 200: z.array(TemplateSummary) },
    example: `curl "$BASE/api/v1/templates" -H "Authorization: Bearer $TOKEN"`,
  },
  createTemplate: {
    method: 'post',
    path: '/templates',
    tag: 'Templates',
    summary: 'Create a template: empty, from a source, from a bundled example (with its assets) or as a copy of another.',
    access: { capability: 'templates:edit' },
    body: {
      json: z
        .object({
          name: z.string().min(1).max(200).optional(),
          source: Source.optional(),
          example: z.string().max(100).optional(),
          duplicate_of: z.string().max(100).optional(),
        })
        .strict()
        .refine((b) => [b.source, b.example, b.duplicate_of].filter((x) => x !== undefined).length <= 1, {
          message: 'Give at most one of source, example and duplicate_of.',
          params: { code: 'ONE_ORIGIN_AT_MOST' },
        }),
    },
    idempotent: true,
    responses: { 201: TemplateDetail },
    example: `curl -X POST "$BASE/api/v1/templates" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"example":"attestation-fr"}'`,
  },
  getTemplate: {
    method: 'get',
    path: '/templates/:id',
    tag: 'Templates',
    summary: 'A template: its draft source, assets and versions.',
    access: { capability: 'templates:preview' },
    params: IdParam,
    responses: { 200: TemplateDetail },
    example: `curl "$BASE/api/v1/templates/$TEMPLATE" -H "Authorization: Bearer $TOKEN"`,
  },
  updateTemplate: {
    method: 'patch',
    path: '/templates/:id',
    tag: 'Templates',
    summary: 'Save the draft (source, name). Published versions never change.',
    access: { capability: 'templates:edit' },
    params: IdParam,
    body: { json: z.object({ name: z.string().min(1).max(200).optional(), source: Source.optional() }).strict() },
    responses: { 200: TemplateDetail },
    example: `curl -X PATCH "$BASE/api/v1/templates/$TEMPLATE" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"Attestation 2027"}'`,
  },
  deleteTemplate: {
    method: 'delete',
    path: '/templates/:id',
    tag: 'Templates',
    summary: 'Delete a template that was never published.',
    access: { capability: 'templates:edit' },
    params: IdParam,
    responses: { 204: z.undefined() },
    example: `curl -X DELETE "$BASE/api/v1/templates/$TEMPLATE" -H "Authorization: Bearer $TOKEN"`,
  },
  publishTemplate: {
    method: 'post',
    path: '/templates/:id/publish',
    tag: 'Templates',
    summary:
      'Publish the draft as the next immutable version, if it compiles and renders for every sample learner without errors (422 otherwise, with `details.errors` that block it and `details.warnings` apart). Warnings never block: the 201 lists them, since every document issued from the version shows what they describe.',
    access: { capability: 'templates:publish' },
    params: IdParam,
    idempotent: true,
    responses: {
      201: z.object({
        version: Version,
        warnings: z
          .array(Diagnostic)
          .describe(
            'What does not stop publishing but reaches every document issued from this version (a raw date, an optional value printed bare…).',
          ),
      }),
    },
    example: `curl -X POST "$BASE/api/v1/templates/$TEMPLATE/publish" -H "Authorization: Bearer $TOKEN"`,
  },
  getVersion: {
    method: 'get',
    path: '/templates/:id/versions/:number',
    tag: 'Templates',
    summary: 'A published version: its source and the SHA-256 of each asset.',
    access: { capability: 'templates:preview' },
    params: z.object({ id: z.string().max(100), number: z.coerce.number().int().min(1).max(1_000_000) }).strict(),
    responses: { 200: Version },
    example: `curl "$BASE/api/v1/templates/$TEMPLATE/versions/1" -H "Authorization: Bearer $TOKEN"`,
  },
  putAsset: {
    method: 'put',
    path: '/templates/:id/assets/*name',
    tag: 'Templates',
    summary: `Upload an asset (PDF background, PNG/JPEG image, TrueType/OpenType font; checked by content, ${ASSET_LIMIT_MB} MB at most) under the name the front matter uses.`,
    access: { capability: 'templates:edit' },
    params: AssetParams,
    body: { raw: ['application/pdf', 'image/png', 'image/jpeg', 'font/ttf', 'font/otf', 'application/octet-stream'] },
    responses: { 201: Asset },
    example: `curl -X PUT "$BASE/api/v1/templates/$TEMPLATE/assets/assets/seal.png" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: image/png' --data-binary @seal.png`,
  },
  getAsset: {
    method: 'get',
    path: '/templates/:id/assets/*name',
    tag: 'Templates',
    summary: 'An asset of the draft.',
    access: { capability: 'templates:preview' },
    params: AssetParams,
    responses: { 200: { media: 'application/octet-stream', description: 'The asset’s bytes, with its media type.' } },
    example: `curl -o seal.png "$BASE/api/v1/templates/$TEMPLATE/assets/assets/seal.png" -H "Authorization: Bearer $TOKEN"`,
  },
  deleteAsset: {
    method: 'delete',
    path: '/templates/:id/assets/*name',
    tag: 'Templates',
    summary: 'Remove an asset from the draft (versions keep theirs).',
    access: { capability: 'templates:edit' },
    params: AssetParams,
    responses: { 204: z.undefined() },
    example: `curl -X DELETE "$BASE/api/v1/templates/$TEMPLATE/assets/assets/seal.png" -H "Authorization: Bearer $TOKEN"`,
  },
  previewTemplate: {
    method: 'post',
    path: '/templates/:id/preview',
    tag: 'Templates',
    summary:
      'Render a SPECIMEN of the draft, a source being edited or a version, with a persona, sample JSON or a real issue’s data. Never stored.',
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
    responses: {
      200: z.object({
        pdf: z.string().nullable().describe('Base64 of the PDF; null when it could not be made.'),
        pageCount: z.number().int(),
        diagnostics: z.array(Diagnostic),
        boxes: z.array(DrawnBoxSchema),
      }),
    },
    example: `curl -X POST "$BASE/api/v1/templates/$TEMPLATE/preview?format=pdf" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"persona":"arabic"}' -o specimen.pdf`,
  },
  validateSource: {
    method: 'post',
    path: '/validate',
    tag: 'Templates',
    summary: 'Check a template source: every diagnostic of the front matter, Liquid, types and markup, with positions and quick fixes.',
    access: { authenticated: true, capabilities: ['templates:edit', 'templates:preview'] },
    body: { json: z.object({ source: Source }).strict() },
    responses: { 200: z.object({ diagnostics: z.array(Diagnostic) }) },
    example: `curl -X POST "$BASE/api/v1/validate" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"source":"---\\nname: T\\n---\\n<page>{{ learner.fulname }}</page>"}'`,
  },
  listExamples: {
    method: 'get',
    path: '/examples',
    tag: 'Templates',
    summary: 'The bundled example templates a new template can start from.',
    access: { capability: 'templates:preview' },
    responses: { 200: z.array(z.object({ id: z.string(), name: z.string() })) },
    example: `curl "$BASE/api/v1/examples" -H "Authorization: Bearer $TOKEN"`,
  },
  listPersonas: {
    method: 'get',
    path: '/personas',
    tag: 'Templates',
    summary: 'The bundled sample learners (including the hard ones: scripts, long names, markup-looking names).',
    access: { capability: 'templates:preview' },
    responses: { 200: z.array(z.object({ id: z.string(), label: z.unknown(), data: z.unknown() }).loose()) },
    example: `curl "$BASE/api/v1/personas" -H "Authorization: Bearer $TOKEN"`,
  },
});
