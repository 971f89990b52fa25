import { deliveryStats } from '../../domain/stats';
import { statsDeclarations } from '../contract/stats';
import { bindOperations, type Operation } from '../operation';
import { actorOf } from './util';

export const statsOperations: Operation[] = bindOperations(statsDeclarations, {
  deliveryStats: {
    handler: async ({ services, actor, query }) => ({ json: await deliveryStats(services, actorOf(actor), query) }),
  },
});
