import { z } from 'zod';
import { declareOperations } from './declaration';
import { IdParam } from './schemas';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD');

/** Which delivered documents of the certificate: by code (in page order), or by the export's filters. */
const BatchBody = z
  .object({
    codes: z.array(z.string().min(1).max(40)).min(1).max(1000).optional().describe('Exactly these documents, in this order.'),
    learner_ids: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
    template_version_ids: z.array(z.string().min(1).max(100)).min(1).max(20).optional(),
    issued_from: Day.optional(),
    issued_to: Day.optional(),
    states: z
      .array(z.enum(['issued', 'expired', 'revoked', 'locked', 'unlocked']))
      .max(5)
      .optional(),
    print: z.boolean().optional().describe('Print-ready page boxes (CropBox and TrimBox = the page); default true.'),
  })
  .strict()
  .refine((b) => !(b.codes && (b.learner_ids || b.template_version_ids || b.issued_from || b.issued_to || b.states)), {
    message: 'Give either codes or selection filters, not both.',
    params: { code: 'BATCH_CODES_OR_FILTERS' },
  });

export const batchDeclarations = declareOperations({
  batchDocument: {
    method: 'post',
    path: '/certificates/:id/batch.pdf',
    tag: 'Delivery',
    summary:
      'One print-ready PDF of delivered documents of the certificate (a session’s batch): every learner’s pages in order, fonts and background embedded once. Locked and revoked documents are left out (refused when named by code); one template version per file.',
    access: { capability: 'issues:manage' },
    params: IdParam,
    body: { json: BatchBody },
    responses: {
      200: { media: 'application/pdf', description: 'The batch; Attest-Batch-Documents and Attest-Batch-Left-Out say how many.' },
    },
    example: `curl -o batch.pdf -X POST "$BASE/api/v1/certificates/$CERTIFICATE/batch.pdf" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"issued_from":"2026-03-02","issued_to":"2026-03-06"}'`,
  },
});
