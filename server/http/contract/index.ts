import { batchDeclarations } from './batch';
import { bulkDeclarations } from './bulk';
import { certificateDeclarations } from './certificates';
import { issueDeclarations } from './issues';
import { metaDeclarations } from './meta';
import { notificationDeclarations } from './notifications';
import { operatorDeclarations } from './operator';
import { privacyDeclarations } from './privacy';
import { signatureDeclarations } from './signature';
import { statsDeclarations } from './stats';
import { templateDeclarations } from './templates';
import { tenantDeclarations } from './tenant';
import { verificationDeclarations } from './verification';
import { credentialDeclarations } from './credentials';

/**
 * The HTTP API between Attest and its callers (the editor, an LMS, the shop): every operation declared as
 * data, keyed by id, in the order the API document and the README list them. The server binds its handlers
 * to these declarations (server/http/operations), the editor calls them through a client typed from them
 * (editor/app/api.ts). Browser-safe: test/server/http/contract.test.ts walks its imports.
 */
export const CONTRACT = {
  ...issueDeclarations,
  ...bulkDeclarations,
  ...statsDeclarations,
  ...certificateDeclarations,
  ...batchDeclarations,
  ...templateDeclarations,
  ...verificationDeclarations,
  ...credentialDeclarations,
  ...tenantDeclarations,
  ...operatorDeclarations,
  ...notificationDeclarations,
  ...privacyDeclarations,
  ...signatureDeclarations,
  ...metaDeclarations,
};

export type Contract = typeof CONTRACT;
export type OperationId = keyof Contract;

export { API_PREFIX, CSRF_HEADER, SESSION_COOKIE } from './constants';
export {
  fullPath,
  type Access,
  type BodyDeclaration,
  type Declaration,
  type Declared,
  type ParamsIn,
  type QueryIn,
  type BodyIn,
  type ResponseOf,
} from './declaration';
