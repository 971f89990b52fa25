import { eraseLearner, exportLearner } from '../../domain/privacy';
import { privacyDeclarations } from '../contract/privacy';
import { bindOperations, type Operation } from '../operation';
import { actorOf } from './util';

export const privacyOperations: Operation[] = bindOperations(privacyDeclarations, {
  exportLearner: {
    errors: ['LEARNER_NOTHING_HELD', 'LEARNER_ID_INVALID'],
    handler: async ({ services, actor, params }) => {
      const archive = await exportLearner(services, actorOf(actor), params.id);
      return { bytes: { data: archive.zip, type: 'application/zip', fileName: archive.fileName, disposition: 'attachment' } };
    },
  },
  eraseLearner: {
    errors: ['ERASE_UNCONFIRMED', 'LEARNER_NOTHING_HELD', 'LEARNER_ID_INVALID'],
    handler: async ({ services, actor, params, body }) => ({
      json: await eraseLearner(services, actorOf(actor), params.id, { confirm: body.confirm }),
    }),
  },
});
