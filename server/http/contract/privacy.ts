import { z } from 'zod';
import { declareOperations } from './declaration';

/** A learner's data (issue 15): one archive of everything held about them, or its erasure. */
const LearnerParam = z.object({
  id: z.string().min(1).max(200).describe('The learner’s id as the LMS sends it (`learner_id`), URL-encoded.'),
});

const Erasure = z
  .object({
    status: z.literal('erased'),
    erasure: z.string().describe('Id of the anonymous audit entry that records the erasure (subject_type `erasure`).'),
    at: z.string(),
    issues: z.number().int(),
    documents: z.number().int().describe('Document revisions deleted (their PDFs with them).'),
    withdrawnCodes: z.number().int().describe('Codes kept as tombstones: they verify as `withdrawn`.'),
    tables: z.record(z.string(), z.number().int()).describe('Rows deleted or anonymized, per table.'),
  })
  .meta({ id: 'Erasure' });

export const privacyDeclarations = declareOperations({
  exportLearner: {
    method: 'get',
    path: '/learners/:id/export',
    tag: 'Privacy',
    summary:
      'Everything Attest holds about a learner, as one ZIP: their issues and the data each was made from, every stored revision’s PDF, what the LMS sent, refusals, audit entries, mail and webhook deliveries, verification counts, with a README and a manifest. 404 LEARNER_NOTHING_HELD when nothing is.',
    access: { capability: 'privacy:export' },
    params: LearnerParam,
    responses: { 200: { media: 'application/zip', description: 'The archive.' } },
    example: `curl -o learner-42.zip "$BASE/api/v1/learners/42/export" -H "Authorization: Bearer $TOKEN"`,
  },
  eraseLearner: {
    method: 'post',
    path: '/learners/:id/erase',
    tag: 'Privacy',
    summary:
      'Erase a learner: their documents and personal data from every table and from the document store. Their codes stay as tombstones that verify as `withdrawn`; an anonymous audit entry records the erasure. `confirm` repeats the learner id (422 ERASE_UNCONFIRMED otherwise). Erasing again (or a learner never known): 404 LEARNER_NOTHING_HELD, nothing changed.',
    access: { capability: 'privacy:erase' },
    params: LearnerParam,
    body: {
      json: z.object({ confirm: z.string().max(200).optional().describe('The learner id again: an erasure cannot be undone.') }).strict(),
    },
    responses: { 200: Erasure },
    example: `curl -X POST "$BASE/api/v1/learners/42/erase" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"confirm":"42"}'`,
  },
});
