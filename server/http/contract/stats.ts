import { z } from 'zod';
import { MAX_STATS_DAYS, StatsRange } from '../../domain/stats-range';

export { MAX_STATS_DAYS };
import { declareOperations } from './declaration';

const count = z.number().int().min(0);

export const DeliveryStats = z
  .object({
    from: z.string(),
    to: z.string(),
    weeks: z
      .array(z.object({ week: z.string(), issued: count, delivered: count, locked: count, verified: count }))
      .describe('Per week (Monday, UTC; the first week starts on `from` when it is cut short).'),
    totals: z.object({ issued: count, delivered: count, locked: count, verified: count, refused: count }),
    refusalsByReason: z
      .array(z.object({ code: z.string(), count }))
      .describe('Learners refused, by reason code (a refusal may give several).'),
    failingCertificates: z
      .array(z.object({ certificateId: z.string(), name: z.string(), refusals: count }))
      .describe('The certificates that refused the most learners, most first (10 at most).'),
    verifiedDocuments: z
      .array(z.object({ code: z.string(), certificateId: z.string(), learnerId: z.string(), verifications: count }))
      .describe('Documents by how often they were checked on the public verification endpoints in the range (50 at most).'),
  })
  .meta({ id: 'DeliveryStats' });

export const statsDeclarations = declareOperations({
  deliveryStats: {
    method: 'get',
    path: '/stats',
    tag: 'Delivery',
    summary:
      'The delivery dashboard for a range of days: documents issued, delivered, locked and verified per week, refusals by reason, the certificates that refuse most and how often each document was checked (counted, never who looked).',
    access: { capability: 'issues:manage' },
    query: StatsRange,
    responses: { 200: DeliveryStats },
    example: `curl "$BASE/api/v1/stats?from=2026-01-01&to=2026-03-31" -H "Authorization: Bearer $TOKEN"`,
  },
});
