import type { z } from 'zod';
import { createDownloadLink, retrieveByLink } from '../../domain/links';
import {
  deleteIssue,
  enterLearnerRecord,
  getIssue,
  issueAudit,
  listIssues,
  listRefusals,
  regenerateIssue,
  reissueIssue,
  issueChainOf,
  requestDocument,
  requestFromRecord,
  retrieveDocument,
  revokeIssue,
  setLocked,
  type RequestInput,
} from '../../domain/issues';
import { getLearnerRecord, linkLearner } from '../../domain/learners';
import { API_PREFIX } from '../contract/constants';
import { issueDeclarations, type RequestBody } from '../contract/issues';
import { bindOperations, type Operation } from '../operation';
import { sayBatch } from '../problems';
import { actorOf } from './util';

/** What an LMS (or a manager) says of a learner, as the domain takes it. */
const requestInput = (certificateId: string, body: z.infer<typeof RequestBody>): RequestInput => ({
  certificateId,
  learnerId: body.learner_id,
  data: body.data,
  available: body.available,
  ...(body.unavailable_reason !== undefined ? { unavailableReason: body.unavailable_reason } : {}),
});

const documentPath = (code: string) => `${API_PREFIX}/issues/${code}/document`;

export const issueOperations: Operation[] = bindOperations(issueDeclarations, {
  requestDocument: {
    errors: [
      'CERTIFICATE_NOT_FOUND',
      'VERSION_NOT_FOUND',
      'LEARNER_DATA_FROM_LMS',
      'OTHER_LEARNER',
      'LEARNER_ID_INVALID',
      'LEARNER_ID_RESERVED',
      'DATA_INVALID',
      'DELIVERY_REFUSED',
      'ISSUE_CONFLICT',
      'DOCUMENT_NOT_MADE',
      'STORAGE_FULL',
      'RENDER_BUSY',
      'RENDER_CLOSED',
    ],
    handler: async ({ services, actor, params, body }) => {
      const r = await requestDocument(services, actorOf(actor), requestInput(params.id, body));
      return { status: r.created ? 201 : 200, json: { ...r, document: documentPath(r.issue.code) } };
    },
  },
  requestDocumentFromRecord: {
    errors: [
      'CERTIFICATE_NOT_FOUND',
      'VERSION_NOT_FOUND',
      'OTHER_LEARNER',
      'LEARNER_ID_INVALID',
      'LEARNER_ID_RESERVED',
      'LEARNER_ID_REQUIRED',
      'LEARNER_RECORD_MISSING',
      'DATA_INVALID',
      'DELIVERY_REFUSED',
      'ISSUE_CONFLICT',
      'DOCUMENT_NOT_MADE',
      'STORAGE_FULL',
      'RENDER_BUSY',
      'RENDER_CLOSED',
    ],
    handler: async ({ services, actor, params, body }) => {
      const r = await requestFromRecord(services, actorOf(actor), {
        certificateId: params.id,
        ...(body.learner_id !== undefined ? { learnerId: body.learner_id } : {}),
      });
      return { status: r.created ? 201 : 200, json: { ...r, document: documentPath(r.issue.code) } };
    },
  },
  enterLearnerRecord: {
    errors: ['CERTIFICATE_NOT_FOUND', 'VERSION_NOT_FOUND', 'LEARNER_ID_INVALID', 'LEARNER_ID_RESERVED', 'DATA_INVALID'],
    handler: async ({ services, actor, params, body }) => ({
      json: await enterLearnerRecord(services, actorOf(actor), requestInput(params.id, body)),
    }),
  },
  getLearnerRecord: {
    errors: ['CERTIFICATE_NOT_FOUND', 'LEARNER_RECORD_NOT_FOUND'],
    handler: async ({ services, actor, params, query }) => ({
      json: await getLearnerRecord(services, actorOf(actor), params.id, query.learner),
    }),
  },
  linkLearner: {
    errors: ['PERSON_NOT_FOUND', 'LEARNER_ID_INVALID', 'LEARNER_ID_RESERVED', 'LEARNER_ALREADY_LINKED'],
    handler: async ({ services, actor, params, body }) => ({
      json: await linkLearner(services, actorOf(actor), params.id, body.learner_id),
    }),
  },
  listIssues: {
    handler: async ({ services, actor, query }) => ({
      json: await listIssues(services, actorOf(actor), {
        ...(query.state ? { state: query.state } : {}),
        ...(query.locked ? { locked: query.locked === 'true' } : {}),
        ...(query.learner !== undefined ? { learnerId: query.learner } : {}),
        ...(query.certificate !== undefined ? { certificateId: query.certificate } : {}),
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
        ...(query.after !== undefined ? { after: query.after } : {}),
      }),
    }),
  },
  getIssue: {
    errors: ['ISSUE_NOT_FOUND', 'OTHER_LEARNER'],
    handler: async ({ services, actor, params }) => ({ json: await getIssue(services, actorOf(actor), params.code) }),
  },
  downloadDocument: {
    errors: [
      'ISSUE_NOT_FOUND',
      'OTHER_LEARNER',
      'DOCUMENT_REVOKED',
      'DOCUMENT_LOCKED',
      'STAFF_DELIVERY_ONLY',
      'RETRIEVE_OWN_MISSING',
      'DOCUMENT_MISSING',
      'DOCUMENT_CORRUPT',
    ],
    handler: async ({ services, actor, params }) => {
      const f = await retrieveDocument(services, actorOf(actor), params.code, 'api');
      return {
        bytes: { data: f.pdf, type: 'application/pdf', fileName: f.fileName, disposition: f.disposition },
        headers: { ETag: `"${f.sha256}"` },
      };
    },
  },
  createDownloadLink: {
    errors: ['ISSUE_NOT_FOUND', 'OTHER_LEARNER', 'STAFF_DELIVERY_ONLY', 'DOCUMENT_REVOKED'],
    handler: async ({ services, actor, params, body }) => ({
      status: 201,
      json: await createDownloadLink(services, actorOf(actor), params.code, body.minutes),
    }),
  },
  downloadByLink: {
    errors: [
      'LINK_INVALID',
      'ISSUE_NOT_FOUND',
      'DOCUMENT_REVOKED',
      'DOCUMENT_LOCKED',
      'STAFF_DELIVERY_ONLY',
      'DOCUMENT_MISSING',
      'DOCUMENT_CORRUPT',
    ],
    handler: async ({ services, params, query }) => {
      const f = await retrieveByLink(services, { tenant: params.tenant, code: params.code, expires: query.expires, sig: query.sig });
      return { bytes: { data: f.pdf, type: 'application/pdf', fileName: f.fileName, disposition: f.disposition } };
    },
  },
  issueAudit: {
    errors: ['ISSUE_NOT_FOUND'],
    handler: async ({ services, actor, params }) => ({ json: await issueAudit(services, actorOf(actor), params.code) }),
  },
  unlockIssues: {
    handler: async ({ services, actor, body, locale }) => ({
      json: { results: sayBatch(await setLocked(services, actorOf(actor), body.codes, false, body.reason), await locale()) },
    }),
  },
  lockIssues: {
    handler: async ({ services, actor, body, locale }) => ({
      json: { results: sayBatch(await setLocked(services, actorOf(actor), body.codes, true, body.reason), await locale()) },
    }),
  },
  revokeIssue: {
    errors: ['ISSUE_NOT_FOUND', 'REASON_REQUIRED', 'ALREADY_REVOKED'],
    handler: async ({ services, actor, params, body }) => ({ json: await revokeIssue(services, actorOf(actor), params.code, body.reason) }),
  },
  regenerateIssue: {
    errors: [
      'ISSUE_NOT_FOUND',
      'ISSUE_REVOKED',
      'CERTIFICATE_NOT_FOUND',
      'VERSION_NOT_FOUND',
      'DATA_INVALID',
      'DOCUMENT_NOT_MADE',
      'STORAGE_FULL',
      'RENDER_BUSY',
      'RENDER_CLOSED',
    ],
    handler: async ({ services, actor, params, body }) => ({
      json: await regenerateIssue(services, actorOf(actor), params.code, {
        ...(body.reason !== undefined ? { reason: body.reason } : {}),
        ...(body.template_version_id !== undefined ? { templateVersionId: body.template_version_id } : {}),
      }),
    }),
  },
  reissueIssue: {
    errors: [
      'ISSUE_NOT_FOUND',
      'ISSUE_SUPERSEDED',
      'REISSUE_REVOKED',
      'CERTIFICATE_NOT_FOUND',
      'VERSION_NOT_FOUND',
      'LEARNER_RECORD_MISSING',
      'DATA_INVALID',
      'DELIVERY_REFUSED',
      'ISSUE_CONFLICT',
      'DOCUMENT_NOT_MADE',
      'STORAGE_FULL',
      'RENDER_BUSY',
      'RENDER_CLOSED',
    ],
    handler: async ({ services, actor, params, body }) => {
      const r = await reissueIssue(services, actorOf(actor), params.code, body.reason !== undefined ? { reason: body.reason } : {});
      return { status: r.created ? 201 : 200, json: { ...r, document: documentPath(r.issue.code) } };
    },
  },
  issueChain: {
    errors: ['ISSUE_NOT_FOUND'],
    handler: async ({ services, actor, params }) => ({ json: await issueChainOf(services, actorOf(actor), params.code) }),
  },
  deleteIssue: {
    errors: ['ISSUE_NOT_FOUND'],
    handler: async ({ services, actor, params, query }) => {
      await deleteIssue(services, actorOf(actor), params.code, query.reason);
      return { status: 204 };
    },
  },
  listRefusals: {
    handler: async ({ services, actor, query }) => ({
      json: await listRefusals(services, actorOf(actor), {
        ...(query.certificate !== undefined ? { certificateId: query.certificate } : {}),
        ...(query.learner !== undefined ? { learnerId: query.learner } : {}),
      }),
    }),
  },
});
