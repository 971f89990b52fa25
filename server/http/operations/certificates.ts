import { createCertificate, getCertificate, listCertificates, updateCertificate } from '../../domain/certificates';
import { certificateDocumentsZip } from '../../domain/exports';
import type { SelectionState } from '../../domain/selection';
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
    errors: ['VERSION_NOT_FOUND', 'CERTIFICATE_SETTINGS_INVALID', 'PREREQUISITE_CYCLE'],
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
    errors: ['CERTIFICATE_NOT_FOUND', 'VERSION_NOT_FOUND', 'CERTIFICATE_SETTINGS_INVALID', 'PREREQUISITE_CYCLE'],
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
  certificateDocumentsZip: {
    errors: ['CERTIFICATE_NOT_FOUND', 'SELECTION_INVALID', 'EXPORT_STATE_EXCLUDED'],
    handler: async ({ services, actor, params, query }) => {
      const list = (v: string | undefined) =>
        v
          ?.split(',')
          .map((x) => x.trim())
          .filter(Boolean) ?? [];
      const states = list(query.state) as SelectionState[];
      const learners = list(query.learner);
      const zip = await certificateDocumentsZip(services, actorOf(actor), params.id, {
        selection: {
          ...(states.length ? { states } : {}),
          ...(learners.length ? { learnerIds: learners } : {}),
          ...(query.issued_from !== undefined ? { issuedFrom: query.issued_from } : {}),
          ...(query.issued_to !== undefined ? { issuedTo: query.issued_to } : {}),
        },
        include: { locked: query.include_locked === 'true', revoked: query.include_revoked === 'true' },
      });
      return { stream: { body: zip.stream, type: 'application/zip', fileName: zip.fileName, disposition: 'attachment' } };
    },
  },
});
