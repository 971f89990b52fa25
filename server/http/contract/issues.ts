import { z } from 'zod';
import { declareOperations } from './declaration';
import { AuditEntry, BatchResult, ChainLink, CodeParam, IdParam, Issue, IssueRequestResult, Refusal } from './schemas';

/** What an LMS (or a manager) says of a learner: asking for a document, or entering their record. */
export const RequestBody = z
  .object({
    learner_id: z
      .string()
      .min(1)
      .max(200)
      .describe(
        'The learner’s id in the LMS; one document per learner and certificate. Ids starting with `person:` are Attest’s own (people who sign in).',
      ),
    available: z.boolean().describe('Whether the LMS’s access and visibility rules make the certificate available to this learner.'),
    unavailable_reason: z.string().max(200).optional().describe('What the LMS says when it is not available (shown in the refusal).'),
    data: z
      .record(z.string(), z.unknown())
      .describe(
        'learner, course, completion, grade, … and the template’s own variables; checked against the template’s types and kept as the learner’s record. `organization` is not taken: the tenant’s settings say it.',
      ),
  })
  .strict();

const EXAMPLE_BODY =
  '{"learner_id":"42","available":true,"data":{"learner":{"firstname":"Camille","lastname":"Martin"},"course":{"fullname":"SST"},"completion":{"date":"2026-02-03"}}}';

const LearnerRecord = z
  .object({
    certificateId: z.string(),
    learnerId: z.string(),
    data: z.record(z.string(), z.unknown()),
    available: z.boolean(),
    unavailableReason: z.string().nullable(),
    suppliedBy: z.string().describe('Who supplied it: `token:<id>` (an LMS) or `person:<id>` (a manager).'),
    suppliedAt: z.string(),
    warnings: z.array(z.object({ code: z.string(), message: z.string(), path: z.string().optional() })).optional(),
  })
  .meta({ id: 'LearnerRecord' });

const CodesBody = z.object({ codes: z.array(z.string().min(1).max(40)).min(1).max(500), reason: z.string().max(500).optional() }).strict();

export const issueDeclarations = declareOperations({
  requestDocument: {
    method: 'post',
    path: '/certificates/:id/issues',
    tag: 'Delivery',
    summary:
      'An LMS asks for a learner’s document with what it knows of them: the data is checked and kept as the learner’s record, the delivery rules applied, the document issued and rendered, or refused with reasons. Asking again returns the same document. Needs learners:supply-data too (403 LEARNER_DATA_FROM_LMS without).',
    access: { capability: 'certificate:apply' },
    params: IdParam,
    body: { json: RequestBody },
    idempotent: true,
    responses: { 200: IssueRequestResult, 201: IssueRequestResult },
    example: `curl -X POST "$BASE/api/v1/certificates/$CERT/issues" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '${EXAMPLE_BODY}'`,
  },
  requestDocumentFromRecord: {
    method: 'post',
    path: '/certificates/:id/issues/from-record',
    tag: 'Delivery',
    summary:
      'Ask that the learner’s record Attest holds (what the LMS sent, or a manager entered) be evaluated: how a signed-in learner asks for their own document. Nothing in this request decides or is printed; with no record held, 403 LEARNER_RECORD_MISSING.',
    access: { capability: 'certificate:apply' },
    params: IdParam,
    body: {
      json: z
        .object({
          learner_id: z
            .string()
            .min(1)
            .max(200)
            .optional()
            .describe('A signed-in person asks for themself and leaves it out; a token names the learner.'),
        })
        .strict(),
    },
    idempotent: true,
    responses: { 200: IssueRequestResult, 201: IssueRequestResult },
    example: `curl -X POST "$BASE/api/v1/certificates/$CERT/issues/from-record" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"learner_id":"42"}'`,
  },
  enterLearnerRecord: {
    method: 'put',
    path: '/certificates/:id/learner-records',
    tag: 'Delivery',
    summary:
      'Enter or replace what is known of a learner for a certificate (completion, grade, course, availability), checked against the template; the learner’s own request then evaluates it. Audited.',
    access: { capability: 'learners:supply-data' },
    params: IdParam,
    body: { json: RequestBody },
    idempotent: true,
    responses: { 200: LearnerRecord },
    example: `curl -X PUT "$BASE/api/v1/certificates/$CERT/learner-records" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '${EXAMPLE_BODY}'`,
  },
  getLearnerRecord: {
    method: 'get',
    path: '/certificates/:id/learner-records',
    tag: 'Delivery',
    summary: 'The record held for a learner: what was supplied, by whom and when.',
    access: { capability: 'issues:manage' },
    params: IdParam,
    query: z.object({ learner: z.string().min(1).max(200) }).strict(),
    responses: { 200: LearnerRecord },
    example: `curl "$BASE/api/v1/certificates/$CERT/learner-records?learner=42" -H "Authorization: Bearer $TOKEN"`,
  },
  linkLearner: {
    method: 'put',
    path: '/people/:id/learner',
    tag: 'Delivery',
    summary:
      'Say which LMS learner a person is, so that signed in they reach that learner’s documents (null: none; they are then learner `person:<id>`).',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    body: { json: z.object({ learner_id: z.string().min(1).max(200).nullable() }).strict() },
    idempotent: true,
    responses: { 200: z.object({ personId: z.string(), learnerId: z.string(), linked: z.boolean() }) },
    example: `curl -X PUT "$BASE/api/v1/people/$PERSON/learner" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"learner_id":"42"}'`,
  },
  listIssues: {
    method: 'get',
    path: '/issues',
    tag: 'Delivery',
    summary: 'Issued documents, filtered by state, lock, learner, certificate and issue date; paged by code.',
    access: { capability: 'issues:manage' },
    query: z
      .object({
        state: z.enum(['issued', 'revoked', 'expired']).optional(),
        locked: z.enum(['true', 'false']).optional(),
        learner: z.string().max(200).optional(),
        certificate: z.string().max(100).optional(),
        from: z.iso.date().optional(),
        to: z.iso.date().optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
        after: z.string().max(40).optional(),
      })
      .strict(),
    responses: { 200: z.object({ issues: z.array(Issue), next: z.string().nullable() }) },
    example: `curl "$BASE/api/v1/issues?locked=true" -H "Authorization: Bearer $TOKEN"`,
  },
  getIssue: {
    method: 'get',
    path: '/issues/:code',
    tag: 'Delivery',
    summary: 'A document’s state: issued, revoked or expired, locked or not, delivered when and how.',
    access: { authenticated: true, capabilities: ['issues:manage', 'certificate:apply'] },
    params: CodeParam,
    responses: { 200: Issue },
    example: `curl "$BASE/api/v1/issues/$CODE" -H "Authorization: Bearer $TOKEN"`,
  },
  downloadDocument: {
    method: 'get',
    path: '/issues/:code/document',
    tag: 'Delivery',
    summary: 'The PDF. 423 while locked, 410 when revoked, 403 when delivered by staff only or without retrieve-own.',
    access: { authenticated: true, capabilities: ['issues:manage', 'certificate:retrieve-own'] },
    params: CodeParam,
    responses: { 200: { media: 'application/pdf', description: 'The document.' } },
    example: `curl -o certificate.pdf "$BASE/api/v1/issues/$CODE/document" -H "Authorization: Bearer $TOKEN"`,
  },
  createDownloadLink: {
    method: 'post',
    path: '/issues/:code/links',
    tag: 'Delivery',
    summary: 'A signed link the learner can open without an account; the lock and revocation are checked when it is used.',
    access: { authenticated: true, capabilities: ['issues:manage', 'certificate:retrieve-own'] },
    params: CodeParam,
    body: { json: z.object({ minutes: z.number().int().min(1).max(43_200).optional() }).strict() },
    responses: { 201: z.object({ url: z.string(), expiresAt: z.string() }) },
    example: `curl -X POST "$BASE/api/v1/issues/$CODE/links" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"minutes":1440}'`,
  },
  downloadByLink: {
    method: 'get',
    path: '/d/:tenant/:code',
    absolute: true,
    tag: 'Delivery',
    summary: 'Opens a signed download link (423 while the document is locked).',
    access: { public: true },
    params: z.object({ tenant: z.string().max(63), code: z.string().max(40) }).strict(),
    query: z.object({ expires: z.string().max(12), sig: z.string().max(128) }).strict(),
    responses: { 200: { media: 'application/pdf', description: 'The document.' } },
    example: `curl -o certificate.pdf "$LINK"   # the url answered by createDownloadLink`,
  },
  issueAudit: {
    method: 'get',
    path: '/issues/:code/audit',
    tag: 'Delivery',
    summary: 'The audit trail of a document: every state change, who, when and why.',
    access: { capability: 'issues:manage' },
    params: CodeParam,
    responses: { 200: z.array(AuditEntry) },
    example: `curl "$BASE/api/v1/issues/$CODE/audit" -H "Authorization: Bearer $TOKEN"`,
  },
  unlockIssues: {
    method: 'post',
    path: '/issues/unlock',
    tag: 'Delivery',
    summary: 'Lift the delivery lock of one or many documents; each code gets its own answer.',
    access: { capability: 'issues:unlock' },
    body: { json: CodesBody },
    idempotent: true,
    responses: { 200: z.object({ results: BatchResult }) },
    example: `curl -X POST "$BASE/api/v1/issues/unlock" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"codes":["'$CODE'"],"reason":"paid by bank transfer"}'`,
  },
  lockIssues: {
    method: 'post',
    path: '/issues/lock',
    tag: 'Delivery',
    summary: 'Set the delivery lock on one or many documents.',
    access: { capability: 'issues:unlock' },
    body: { json: CodesBody },
    idempotent: true,
    responses: { 200: z.object({ results: BatchResult }) },
    example: `curl -X POST "$BASE/api/v1/issues/lock" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"codes":["'$CODE'"],"reason":"payment refunded"}'`,
  },
  revokeIssue: {
    method: 'post',
    path: '/issues/:code/revoke',
    tag: 'Delivery',
    summary: 'Revoke a document, with a reason; it then verifies as revoked and is no longer handed out.',
    access: { capability: 'issues:revoke' },
    params: CodeParam,
    body: { json: z.object({ reason: z.string().min(1).max(500) }).strict() },
    idempotent: true,
    responses: { 200: Issue },
    example: `curl -X POST "$BASE/api/v1/issues/$CODE/revoke" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"reason":"issued in error"}'`,
  },
  regenerateIssue: {
    method: 'post',
    path: '/issues/:code/regenerate',
    tag: 'Delivery',
    summary: 'Make the document again (same code and issue date) with the certificate’s current template version or a given one.',
    access: { capability: 'issues:regenerate' },
    params: CodeParam,
    body: { json: z.object({ reason: z.string().max(500).optional(), template_version_id: z.string().max(100).optional() }).strict() },
    idempotent: true,
    responses: { 200: Issue },
    example: `curl -X POST "$BASE/api/v1/issues/$CODE/regenerate" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"reason":"typo fixed in the template"}'`,
  },
  reissueIssue: {
    method: 'post',
    path: '/issues/:code/reissue',
    tag: 'Delivery',
    summary:
      'Recertification by hand: a new document (its own code, made from the learner’s record as held, the delivery rules applied) supersedes this one, which still verifies as superseded with a pointer to the newer. 201 with the new document; 200 with it when a concurrent re-issue made it. A superseded code: 409 ISSUE_SUPERSEDED naming the current one. An LMS sending a later completion date re-issues by itself when the certificate’s `recertification` allows it.',
    access: { capability: 'issues:reissue' },
    params: CodeParam,
    body: { json: z.object({ reason: z.string().max(500).optional() }).strict() },
    responses: { 200: IssueRequestResult, 201: IssueRequestResult },
    example: `curl -X POST "$BASE/api/v1/issues/$CODE/reissue" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"reason":"course retaken"}'`,
  },
  issueChain: {
    method: 'get',
    path: '/issues/:code/chain',
    tag: 'Delivery',
    summary:
      'The re-issue chain of a document, oldest first: each document of the learner for this certificate that superseded the one before, and which is current.',
    access: { capability: 'issues:manage' },
    params: CodeParam,
    responses: { 200: z.array(ChainLink) },
    example: `curl "$BASE/api/v1/issues/$CODE/chain" -H "Authorization: Bearer $TOKEN"`,
  },
  deleteIssue: {
    method: 'delete',
    path: '/issues/:code',
    tag: 'Delivery',
    summary: 'Delete a document and its files; the audit trail keeps the record of it.',
    access: { capability: 'issues:delete' },
    params: CodeParam,
    query: z.object({ reason: z.string().max(500).optional() }).strict(),
    responses: { 204: z.undefined() },
    example: `curl -X DELETE "$BASE/api/v1/issues/$CODE?reason=duplicate" -H "Authorization: Bearer $TOKEN"`,
  },
  listRefusals: {
    method: 'get',
    path: '/refusals',
    tag: 'Delivery',
    summary: 'Learners who asked and were refused, with the reasons of their last request.',
    access: { capability: 'issues:manage' },
    query: z.object({ certificate: z.string().max(100).optional(), learner: z.string().max(200).optional() }).strict(),
    responses: { 200: z.array(Refusal) },
    example: `curl "$BASE/api/v1/refusals?learner=42" -H "Authorization: Bearer $TOKEN"`,
  },
});
