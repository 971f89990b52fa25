import { generateSigningKey, importSigningKey, listSigningKeys } from '../../domain/signature/keys';
import { signatureDeclarations } from '../contract/signature';
import { bindOperations, type Operation } from '../operation';
import { actorOf } from './util';

export const signatureOperations: Operation[] = bindOperations(signatureDeclarations, {
  listSigningKeys: {
    handler: async ({ services, actor }) => ({ json: await listSigningKeys(services, actorOf(actor)) }),
  },
  generateSigningKey: {
    errors: ['SIGNING_NEEDS_SECRET_KEY'],
    handler: async ({ services, actor, body }) => ({ status: 201, json: await generateSigningKey(services, actorOf(actor), body) }),
  },
  importSigningKey: {
    errors: ['SIGNING_NEEDS_SECRET_KEY', 'PKCS12_INVALID'],
    handler: async ({ services, actor, body }) => ({ status: 201, json: await importSigningKey(services, actorOf(actor), body) }),
  },
});
