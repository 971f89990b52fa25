import { z } from 'zod';
import { declareOperations } from './declaration';
import { IdParam } from './schemas';
import { RequestBody } from './issues';

/** Bulk issue (server/domain/bulk-issue.ts): a dry run of many learners, then its confirm, run in the queue. */
const Finding = z.object({ path: z.string().optional(), code: z.string(), message: z.string() });

const BulkItem = z
  .object({
    position: z.number().int(),
    row: z.number().int().nullable().describe('The CSV row (the header is row 1); null for a JSON list.'),
    learnerId: z.string(),
    expected: z.enum(['issue', 'already', 'refused', 'invalid']).describe('What the dry run said.'),
    status: z
      .enum(['planned', 'pending', 'issued', 'already', 'refused', 'invalid', 'failed'])
      .describe('`planned` until confirmed; then `pending` in the queue, and what came of it.'),
    code: z.string().nullable().describe('The document issued, or the one the learner already had (the same: never a second one).'),
    changed: z.boolean().describe('The outcome is not what the dry run said (a document made meanwhile, a window closed, …).'),
    reasons: z
      .array(z.object({ code: z.string(), message: z.string() }))
      .optional()
      .describe('Why the delivery rules refuse it.'),
    problems: z.array(Finding).optional().describe('Every missing or ill-typed field, at its path in `data`.'),
    warnings: z.array(Finding).optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'BulkItem' });

export const BulkRun = z
  .object({
    id: z.string(),
    certificateId: z.string(),
    source: z.enum(['learners', 'csv']),
    state: z.enum(['dry-run', 'running', 'complete']),
    fingerprint: z.string().describe('What the dry run judged by (certificate, template version, tenant settings): send it to confirm.'),
    counts: z
      .object({ total: z.number(), wouldIssue: z.number(), already: z.number(), refused: z.number(), invalid: z.number() })
      .describe('What the dry run said, learner by learner.'),
    progress: z
      .object({
        toIssue: z.number(),
        pending: z.number(),
        done: z.number(),
        issued: z.number(),
        already: z.number(),
        refused: z.number(),
        invalid: z.number(),
        failed: z.number(),
      })
      .describe('Of the learners to issue: how far the queue is, and how it went.'),
    createdAt: z.string(),
    expiresAt: z.string().nullable().describe('A dry run is confirmed before then (a day), or is deleted.'),
    confirmedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    items: z.array(BulkItem),
  })
  .meta({ id: 'BulkRun' });

const VariablePath = z.string().min(1).max(200);

export const CsvBody = z
  .object({
    csv: z.string().max(2_000_000).optional().describe('The file as text (UTF-8).'),
    csv_base64: z
      .string()
      .max(2_800_000)
      .optional()
      .describe('The file’s bytes, base64: what a browser or `base64` reads from disk (its encoding is then checked: UTF-8 only).'),
    delimiter: z.enum([',', ';']).optional().describe('Between fields; seen in the header line when left out.'),
    mapping: z
      .record(z.string().min(1).max(200), VariablePath)
      .describe('Column name → variable path (`learner.firstname`, `course.fullname`, `completion.date`, `grade.value`, …).'),
    learner_id_column: z.string().min(1).max(200).describe('The column holding the LMS’s learner id.'),
    available_column: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('A column of true/false (1/0): whether the certificate is available to the learner.'),
    available: z.boolean().default(true).describe('For every row, when no column says it.'),
  })
  .strict();

export const bulkDeclarations = declareOperations({
  dryRunBulkIssue: {
    method: 'post',
    path: '/certificates/:id/bulk-issues',
    tag: 'Bulk issue',
    summary:
      'A dry run for many learners, each as the LMS sends it for a single request: who would get a document, who has one already, who is refused and why, whose data does not fit. Nothing is issued; confirm it to issue.',
    access: { capability: 'issues:bulk' },
    params: IdParam,
    body: { json: z.object({ learners: z.array(RequestBody).min(1).max(100_000) }).strict() },
    responses: { 201: BulkRun },
    example: `curl -X POST "$BASE/api/v1/certificates/$CERT/bulk-issues" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"learners":[{"learner_id":"42","available":true,"data":{"learner":{"firstname":"Camille","lastname":"Martin"},"completion":{"completed":true,"date":"2026-02-03"}}}]}'`,
  },
  dryRunBulkIssueCsv: {
    method: 'post',
    path: '/certificates/:id/bulk-issues/csv',
    tag: 'Bulk issue',
    summary:
      'A dry run from a CSV file whose columns are mapped to the template’s variables; every cell is checked against their types first (one bad cell: 422 BULK_CSV_INVALID listing each with its row and column). Nothing is issued; confirm it to issue.',
    access: { capability: 'issues:bulk' },
    params: IdParam,
    body: { json: CsvBody },
    responses: { 201: BulkRun },
    example: `curl -X POST "$BASE/api/v1/certificates/$CERT/bulk-issues/csv" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"csv_base64":"'$(base64 -w0 learners.csv)'","learner_id_column":"id","mapping":{"First name":"learner.firstname","Last name":"learner.lastname","Completed":"completion.completed","Date":"completion.date"}}'`,
  },
  confirmBulkIssue: {
    method: 'post',
    path: '/bulk-issues/:id/confirm',
    tag: 'Bulk issue',
    summary:
      'Issues what the dry run promised, in the queue: 202 with the run to poll. Refused (409 BULK_CHANGED) when the certificate, its template or the tenant’s settings changed since; confirming again answers the same run (200).',
    access: { capability: 'issues:bulk' },
    params: IdParam,
    body: { json: z.object({ fingerprint: z.string().min(1).max(100).describe('The dry run’s `fingerprint`.') }).strict() },
    idempotent: true,
    responses: { 200: BulkRun, 202: BulkRun },
    example: `curl -X POST "$BASE/api/v1/bulk-issues/$RUN/confirm" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"fingerprint":"'$FINGERPRINT'"}'`,
  },
  getBulkIssue: {
    method: 'get',
    path: '/bulk-issues/:id',
    tag: 'Bulk issue',
    summary: 'A bulk issue: its state, its progress and each learner’s outcome.',
    access: { capability: 'issues:bulk' },
    params: IdParam,
    responses: { 200: BulkRun },
    example: `curl "$BASE/api/v1/bulk-issues/$RUN" -H "Authorization: Bearer $TOKEN"`,
  },
});
