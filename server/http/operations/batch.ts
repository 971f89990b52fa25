import { batchDocument } from '../../domain/batch-print';
import { batchDeclarations } from '../contract/batch';
import { bindOperations, type Operation } from '../operation';
import { actorOf } from './util';

export const batchOperations: Operation[] = bindOperations(batchDeclarations, {
  batchDocument: {
    errors: [
      'CERTIFICATE_NOT_FOUND',
      'SELECTION_INVALID',
      'EXPORT_STATE_EXCLUDED',
      'BATCH_TOO_LARGE',
      'BATCH_EMPTY',
      'BATCH_ISSUE_NOT_FOUND',
      'BATCH_NOT_DELIVERED',
      'BATCH_VERSIONS_MIXED',
      'BATCH_NOT_MADE',
    ],
    handler: async ({ services, actor, params, body }) => {
      const selection = {
        ...(body.learner_ids ? { learnerIds: body.learner_ids } : {}),
        ...(body.template_version_ids ? { templateVersionIds: body.template_version_ids } : {}),
        ...(body.issued_from !== undefined ? { issuedFrom: body.issued_from } : {}),
        ...(body.issued_to !== undefined ? { issuedTo: body.issued_to } : {}),
        ...(body.states ? { states: body.states } : {}),
      };
      const b = await batchDocument(services, actorOf(actor), params.id, {
        ...(body.codes ? { codes: body.codes } : { selection }),
        ...(body.print !== undefined ? { print: body.print } : {}),
      });
      return {
        bytes: { data: b.pdf, type: 'application/pdf', fileName: b.fileName, disposition: 'attachment' },
        headers: {
          ETag: `"${b.sha256}"`,
          'Attest-Batch-Documents': String(b.codes.length),
          'Attest-Batch-Left-Out': String(b.leftOut),
          'Attest-Template-Version': String(b.templateVersion),
        },
      };
    },
  },
});
