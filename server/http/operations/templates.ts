import { MAX_ASSET_BYTES } from '../../../templates/assets';
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
import { templateDeclarations } from '../contract/templates';
import { bindOperations, type Operation } from '../operation';
import { actorOf } from './util';

export const templateOperations: Operation[] = bindOperations(templateDeclarations, {
  listTemplates: {
    handler: async ({ services, actor }) => ({ json: await listTemplates(services, actorOf(actor)) }),
  },
  createTemplate: {
    errors: ['EXAMPLE_UNKNOWN', 'TEMPLATE_NAME_REQUIRED', 'TEMPLATE_NOT_FOUND', 'SOURCE_TOO_LARGE'],
    handler: async ({ services, actor, body }) => ({
      status: 201,
      json: await createTemplate(services, actorOf(actor), {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.source !== undefined ? { source: body.source } : {}),
        ...(body.example !== undefined ? { example: body.example } : {}),
        ...(body.duplicate_of !== undefined ? { duplicateOf: body.duplicate_of } : {}),
      }),
    }),
  },
  getTemplate: {
    errors: ['TEMPLATE_NOT_FOUND'],
    handler: async ({ services, actor, params }) => ({ json: await getTemplate(services, actorOf(actor), params.id) }),
  },
  updateTemplate: {
    errors: ['TEMPLATE_NOT_FOUND', 'TEMPLATE_NAME_REQUIRED', 'SOURCE_TOO_LARGE'],
    handler: async ({ services, actor, params, body }) => ({
      json: await updateTemplate(services, actorOf(actor), params.id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.source !== undefined ? { source: body.source } : {}),
      }),
    }),
  },
  deleteTemplate: {
    errors: ['TEMPLATE_NOT_FOUND', 'TEMPLATE_PUBLISHED'],
    handler: async ({ services, actor, params }) => {
      await deleteTemplate(services, actorOf(actor), params.id);
      return { status: 204 };
    },
  },
  publishTemplate: {
    errors: ['TEMPLATE_NOT_FOUND', 'TEMPLATE_HAS_ERRORS', 'RENDER_BUSY', 'RENDER_CLOSED'],
    handler: async ({ services, actor, params, locale }) => ({
      status: 201,
      json: await publishTemplate(services, actorOf(actor), params.id, { language: await locale() }),
    }),
  },
  getVersion: {
    errors: ['TEMPLATE_NOT_FOUND', 'VERSION_NOT_FOUND'],
    handler: async ({ services, actor, params }) => ({ json: await findVersion(services, actorOf(actor), params.id, params.number) }),
  },
  putAsset: {
    body: { limit: MAX_ASSET_BYTES },
    errors: ['TEMPLATE_NOT_FOUND', 'ASSET_NAME_INVALID', 'ASSET_EMPTY', 'ASSET_TOO_LARGE', 'ASSET_TYPE_UNSUPPORTED'],
    handler: async ({ services, actor, params, body }) => ({
      status: 201,
      json: await putAsset(services, actorOf(actor), params.id, params.name.join('/'), body),
    }),
  },
  getAsset: {
    errors: ['TEMPLATE_NOT_FOUND', 'ASSET_NAME_INVALID', 'ASSET_NOT_FOUND'],
    handler: async ({ services, actor, params }) => {
      const a = await readAsset(services, actorOf(actor), params.id, params.name.join('/'));
      return { bytes: { data: a.bytes, type: a.mediaType === 'image' ? 'application/octet-stream' : a.mediaType } };
    },
  },
  deleteAsset: {
    errors: ['TEMPLATE_NOT_FOUND', 'ASSET_NAME_INVALID', 'ASSET_NOT_FOUND'],
    handler: async ({ services, actor, params }) => {
      await deleteAsset(services, actorOf(actor), params.id, params.name.join('/'));
      return { status: 204 };
    },
  },
  previewTemplate: {
    errors: [
      'TEMPLATE_NOT_FOUND',
      'VERSION_NOT_FOUND',
      'ISSUE_NOT_FOUND',
      'PREVIEW_DATA_AMBIGUOUS',
      'PREVIEW_TEMPLATE_REQUIRED',
      'PERSONA_UNKNOWN',
      'DOCUMENT_LOCKED',
      'DOCUMENT_REVOKED',
      'SOURCE_TOO_LARGE',
      'RENDER_BUSY',
      'RENDER_CLOSED',
    ],
    handler: async ({ services, actor, params, query, body, locale }) => {
      const p = await previewTemplate(services, actorOf(actor), {
        templateId: params.id,
        language: await locale(),
        ...(body.version !== undefined ? { version: body.version } : {}),
        ...(body.source !== undefined ? { source: body.source } : {}),
        ...(body.persona !== undefined ? { persona: body.persona } : {}),
        ...(body.data !== undefined ? { data: body.data } : {}),
        ...(body.issue !== undefined ? { issue: body.issue } : {}),
      });
      if (query.format === 'pdf' && p.pdf)
        return { bytes: { data: p.pdf, type: 'application/pdf', fileName: 'specimen.pdf', disposition: 'inline' } };
      return {
        json: {
          pdf: p.pdf ? Buffer.from(p.pdf).toString('base64') : null,
          pageCount: p.pageCount,
          diagnostics: p.diagnostics,
          boxes: p.boxes,
        },
      };
    },
  },
  validateSource: {
    errors: ['SOURCE_TOO_LARGE', 'RENDER_BUSY', 'RENDER_CLOSED'],
    handler: async ({ services, actor, body, locale }) => ({
      json: { diagnostics: await validateSource(services, actorOf(actor), body.source, { language: await locale() }) },
    }),
  },
  listExamples: {
    handler: async () => ({ json: exampleTemplates() }),
  },
  listPersonas: {
    handler: async () => ({ json: personas }),
  },
});
