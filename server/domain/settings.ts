import { z } from 'zod';
import { PublicBaseUrl } from './public-url';

/**
 * The settings a tenant and a certificate carry. One zod schema each: it validates API input, fills the
 * defaults when a row is read, and documents itself in the OpenAPI description.
 */
export const VerificationShows = z
  .object({
    learner_name: z.boolean().default(true).describe('Show the learner’s full name on the public verification page.'),
    course: z.boolean().default(true).describe('Show the course name.'),
    dates: z.boolean().default(true).describe('Show issue and expiry dates.'),
  })
  .strict();

export const Organization = z
  .object({
    name: z.string().min(1).max(200),
    address: z.string().max(1000).optional(),
    url: z.url().max(500).optional(),
    registration_number: z.string().max(100).optional(),
  })
  .strict();

export const TenantSettings = z
  .object({
    completion_tracking: z.boolean().default(true).describe('Documents need the course to be completed.'),
    delivery_lock: z.boolean().default(false).describe('Every new document is created locked until a manager or the shop unlocks it.'),
    locale: z.enum(['fr', 'en']).default('fr').describe('Language of refusal reasons and of the verification page.'),
    public_base_url: PublicBaseUrl.optional().describe('Address the verification links in documents point to (http or https, no credentials, query or fragment); defaults to the server’s own.'),
    verification_shows: VerificationShows.default({ learner_name: true, course: true, dates: true }),
    organization: Organization.default({ name: 'Organisme de formation' }).describe('Printed as `organization` on documents.'),
  })
  .strict();
export type TenantSettings = z.infer<typeof TenantSettings>;

const isoDate = z.iso.date();

export const CertificateSettings = z
  .object({
    delivery: z
      .enum(['inline', 'download', 'staff'])
      .default('download')
      .describe('inline: shown in the browser; download: saved as a file; staff: only staff hand the document out, learners see its state.'),
    min_grade_percent: z.number().min(0).max(100).optional().describe('Refuse below this course grade (percent).'),
    min_time_spent_minutes: z.number().int().min(0).max(10_000_000).optional().describe('Refuse below this time spent in the course.'),
    window_start: isoDate.optional().describe('No document before this date.'),
    window_end: isoDate.optional().describe('No new document after this date.'),
    validity_days: z.number().int().min(1).max(36_500).optional().describe('Documents expire this many days after their issue date.'),
    caption: z.string().max(300).optional().describe('Printed as `certificate.caption`.'),
    credit_hours: z.number().min(0).max(100_000).optional().describe('Printed as `certificate.credit_hours`.'),
    extra: z.record(z.string().max(100), z.string().max(2000)).optional().describe('Free values printed as `extra.*`.'),
  })
  .strict()
  .refine((s) => !s.window_start || !s.window_end || s.window_start <= s.window_end, {
    message: 'window_start must not be after window_end.',
    path: ['window_end'],
    params: { code: 'WINDOW_REVERSED' },
  });
export type CertificateSettings = z.infer<typeof CertificateSettings>;

/** Reads stored JSON through the schema so rows written by older versions get today's defaults. */
export function readSettings<T>(schema: z.ZodType<T>, json: string): T {
  return schema.parse(JSON.parse(json));
}
