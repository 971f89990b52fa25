import { CAPABILITIES } from '../../domain/capabilities';
import { ping } from '../../storage/db';
import { metaDeclarations } from '../contract/meta';
import { bindOperations, type Operation } from '../operation';
import { openApiDocument } from '../openapi';
import { apiDocsPage } from '../pages/api-docs';
import { batchOperations } from './batch';
import { bulkOperations } from './bulk';
import { certificateOperations } from './certificates';
import { issueOperations } from './issues';
import { notificationOperations } from './notifications';
import { operatorOperations } from './operator';
import { privacyOperations } from './privacy';
import { signatureOperations } from './signature';
import { statsOperations } from './stats';
import { templateOperations } from './templates';
import { tenantOperations } from './tenant';
import { verificationOperations } from './verification';
import { credentialOperations } from './credentials';

/** Every operation of the server, in the order the API document and the README list them. */
const domainOperations: Operation[] = [
  ...issueOperations,
  ...bulkOperations,
  ...statsOperations,
  ...certificateOperations,
  ...batchOperations,
  ...templateOperations,
  ...verificationOperations,
  ...credentialOperations,
  ...tenantOperations,
  ...operatorOperations,
  ...notificationOperations,
  ...privacyOperations,
  ...signatureOperations,
];

const metaOperations: Operation[] = bindOperations(metaDeclarations, {
  health: {
    handler: async ({ services }) => {
      try {
        await ping(services.storage.db);
      } catch {
        return { status: 503, json: { status: 'unavailable', problem: 'The database does not answer.', code: 'DATABASE_UNREACHABLE' } };
      }
      // Remembered from the last attempt to store a document, until one is stored: issuing is what stops.
      const storage = services.storage.fullness.condition();
      if (storage.full) {
        return {
          status: 503,
          json: {
            status: 'unavailable',
            problem: `Storage has been full since ${storage.since}: no document can be issued until space is freed.`,
            code: 'STORAGE_FULL',
          },
        };
      }
      return { json: { status: 'ok', database: services.storage.engine, render: services.renderer.stats() } };
    },
  },
  openapi: {
    handler: async ({ services }) => ({ json: openApiDocument(OPERATIONS, services.baseUrl) }),
  },
  apiDocs: {
    handler: async ({ services }) => {
      const { html, policy } = apiDocsPage(openApiDocument(OPERATIONS, services.baseUrl));
      return { html, headers: { 'Content-Security-Policy': policy } };
    },
  },
  listCapabilities: {
    handler: async () => ({ json: CAPABILITIES }),
  },
});
export const OPERATIONS: readonly Operation[] = [...domainOperations, ...metaOperations];
