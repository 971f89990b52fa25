import { createCertificate, getCertificate, listCertificates, updateCertificate } from '../../domain/certificates';
import { certificateDeclarations } from '../contract/certificates';
import { bindOperations, type Operation } from '../operation';
import { actorOf } from './util';

export const certificateOperations: Operation[] = bindOperations(certificateDeclarations, {
  listCertificates: {
    handler: async ({ services, actor, query }) => ({
      json: await listCertificates(services, actorOf(actor), query.course !== undefined ? { courseId: query.course } : {}),
    }),
  },
  createCertificate: {
    errors: ['VERSION_NOT_FOUND', 'CERTIFICATE_SETTINGS_INVALID'],
    handler: async ({ services, actor, body }) => ({
      status: 201,
      json: await createCertificate(services, actorOf(actor), {
        name: body.name,
        templateVersionId: body.template_version_id,
        courseId: body.course_id,
        activityId: body.activity_id ?? null,
        ...(body.settings !== undefined ? { settings: body.settings } : {}),
      }),
    }),
  },
  getCertificate: {
    errors: ['CERTIFICATE_NOT_FOUND'],
    handler: async ({ services, actor, params }) => ({ json: await getCertificate(services, actorOf(actor), params.id) }),
  },
  updateCertificate: {
    errors: ['CERTIFICATE_NOT_FOUND', 'VERSION_NOT_FOUND', 'CERTIFICATE_SETTINGS_INVALID'],
    handler: async ({ services, actor, params, body }) => ({
      json: await updateCertificate(services, actorOf(actor), params.id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.template_version_id !== undefined ? { templateVersionId: body.template_version_id } : {}),
        ...(body.course_id !== undefined ? { courseId: body.course_id } : {}),
        ...(body.activity_id !== undefined ? { activityId: body.activity_id } : {}),
        ...(body.settings !== undefined ? { settings: body.settings } : {}),
      }),
    }),
  },
});
