import { z } from 'zod';
import { coerceScalar } from '../../variables/values';
import type { Problem } from './errors';
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
    // Optional rather than defaulted: off unless a tenant turns it on, and stored settings read back unchanged.
    revocation_reason: z
      .boolean()
      .optional()
      .describe('Show why a revoked document was revoked (the reason a manager gave; off unless set to true).'),
  })
  .strict();

export const Organization = z
  .object({
    name: z.string().min(1).max(200),
    address: z.string().max(1000).optional(),
    url: z.url().max(500).optional(),
    registration_number: z.string().max(100).optional(),
    // The catalogue's `organization.logo` is an `image`: a template asset's name or a data:image URL. The
    // same check as when it binds, so a logo accepted here is one every template can draw.
    logo: z
      .string()
      .max(1_000_000)
      .refine(
        (v) => {
          const c = coerceScalar('image', v);
          return typeof c === 'object' && c.ok;
        },
        { message: 'A logo is the name of a template asset or a data:image/…;base64 URL.', params: { code: 'LOGO_INVALID' } },
      )
      .optional(),
    colour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, { message: 'A colour is written #rrggbb.' })
      .optional()
      .describe('The organisation’s colour (#rrggbb): the verification page’s accent.'),
  })
  .strict()
  .describe('The organisation that issues the documents: always printed from here, never from request data.');

// Protection (issue 17, helper "protect"): PDF permissions and passwords, applied when a document is made.
export const ProtectionPermissions = z
  .object({
    print: z.boolean().default(true).describe('Print the document.'),
    print_high_quality: z.boolean().default(true).describe('Print at full quality (otherwise a low-resolution rendering only).'),
    modify: z.boolean().default(false).describe('Change the document’s content.'),
    copy: z.boolean().default(false).describe('Copy or extract text and graphics.'),
    annotate: z.boolean().default(false).describe('Add or change comments.'),
    fill_forms: z.boolean().default(false).describe('Fill in form fields.'),
    extract_for_accessibility: z.boolean().default(true).describe('Let screen readers and other assistive tools read the text.'),
    assemble: z.boolean().default(false).describe('Insert, rotate or delete pages.'),
  })
  .strict();

export const Protection = z
  .object({
    enabled: z.boolean().default(true).describe('false: documents are not protected (a certificate turning off the tenant’s default).'),
    cipher: z
      .enum(['aes-256', 'aes-128'])
      .default('aes-256')
      .describe('aes-256: PDF 2.0’s handler (R6), for current readers; aes-128 (R4): for readers older than 2008.'),
    permissions: ProtectionPermissions.default(ProtectionPermissions.parse({})),
    user_password: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'Needed to open the document. Stored sealed with the installation key and answered only sealed (`sealed:…`); send the sealed value back to keep it.',
      ),
    owner_password: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'Lifts the permissions. Absent: one is derived per document from the installation key, so nobody can guess it. Sealed as user_password.',
      ),
  })
  .strict()
  .describe('PDF protection (needs ATTEST_SECRET_KEY): permissions, optional passwords, AES-256 or AES-128.');
export type Protection = z.infer<typeof Protection>;

// Archival (issue 17, helper "pdfa"): documents written as PDF/A-3b (server/domain/archival.ts).
export const Archival = z
  .object({
    enabled: z.boolean().default(true).describe('false: documents are ordinary PDFs (a certificate turning off the tenant’s default).'),
  })
  .strict()
  .describe(
    'PDF/A-3b archival documents: XMP metadata, an sRGB output intent, every font embedded. Cannot be combined with protection (PDF/A forbids encryption).',
  );
export type Archival = z.infer<typeof Archival>;
// Tagged PDF (issue 17, helper "tagged"): a structure tree for assistive technology (server/domain/tagging.ts).
export const Tagging = z
  .object({
    enabled: z.boolean().default(true).describe('false: documents are not tagged (a certificate turning off the tenant’s default).'),
  })
  .strict()
  .describe(
    'Tagged PDF for screen readers: headings, paragraphs, tables with header cells, images with their alt text, links, other languages marked, decoration as artifacts. On when absent.',
  );
export type Tagging = z.infer<typeof Tagging>;
// Digital signature (issue 17, helper "sign"): PAdES baseline signatures with the tenant's active key.
export const Signature = z
  .object({
    enabled: z.boolean().default(true).describe('false: documents are not signed (a certificate turning off the tenant’s default).'),
    level: z
      .enum(['B-B', 'B-T'])
      .default('B-B')
      .describe('PAdES baseline level: B-B (signed), B-T (signed and timestamped by the authority at timestamp_url).'),
    timestamp_url: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional()
      .describe('An RFC 3161 timestamp authority (http or https); needed for B-T.'),
    timestamp_timeout_ms: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(10_000)
      .describe('How long to wait for the timestamp authority before the document is refused (TIMESTAMP_FAILED).'),
    reason: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Why the document is signed, as readers show it (e.g. “Attestation de formation”).'),
    location: z.string().min(1).max(200).optional().describe('Where it is signed, as readers show it.'),
  })
  .strict()
  .refine((s) => !s.enabled || s.level !== 'B-T' || s.timestamp_url !== undefined, {
    message: 'B-T needs a timestamp authority: set timestamp_url.',
    path: ['timestamp_url'],
    params: { code: 'SIGNATURE_TIMESTAMP_URL_REQUIRED' },
  })
  .describe(
    'Digital signature (PAdES, needs ATTEST_SECRET_KEY and a signing key: /api/v1/tenant/signing-keys): documents are signed with the tenant’s active key.',
  );
export type Signature = z.infer<typeof Signature>;
// Open Badges 3.0 (issue 17, helper "ob3srv"): a signed credential with each document (server/domain/badge-credential.ts).
export const ACHIEVEMENT_TYPES = [
  'Certificate',
  'Certification',
  'Course',
  'CompetencyCertification',
  'License',
  'Diploma',
  'Award',
] as const;

export const CredentialSetting = z
  .object({
    enabled: z.boolean().default(true).describe('false: documents carry no credential (a certificate turning off the tenant’s default).'),
    achievement_type: z
      .enum(ACHIEVEMENT_TYPES)
      .default('Certificate')
      .describe('The Open Badges `achievementType` of what the document attests.'),
    description: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .describe(
        'The achievement’s description. Absent: the certificate’s caption, else the template’s `metadata.subject` when it is plain text, else the certificate’s name.',
      ),
    criteria: z
      .string()
      .min(1)
      .max(4000)
      .optional()
      .describe(
        'How the achievement is earned (Open Badges `criteria.narrative`). Absent: written from the certificate’s delivery rules (completion, minimum grade and time, prerequisites) in the tenant’s language.',
      ),
    results: z
      .boolean()
      .default(true)
      .describe(
        'Include the learner’s grade and hours (time spent, credit hours) as Open Badges results when the document’s data has them.',
      ),
    embed_in_pdf: z
      .boolean()
      .default(true)
      .describe(
        'Embed the credential in the PDF as the associated file `credential.json`; false: only served as JSON and as a baked PNG badge.',
      ),
  })
  .strict()
  .describe(
    'An Open Badges 3.0 credential (W3C Verifiable Credential 2.0, eddsa-rdfc-2022 proof by the tenant’s did:web key, revocation by a Bitstring Status List) with each document.',
  );
export type CredentialSetting = z.infer<typeof CredentialSetting>;

export const TenantSettings = z
  .object({
    completion_tracking: z.boolean().default(true).describe('Documents need the course to be completed.'),
    delivery_lock: z.boolean().default(false).describe('Every new document is created locked until a manager or the shop unlocks it.'),
    locale: z.enum(['fr', 'en']).default('fr').describe('Language of refusal reasons and of the verification page.'),
    public_base_url: PublicBaseUrl.optional().describe(
      'Address the verification links in documents point to (http or https, no credentials, query or fragment); defaults to the server’s own.',
    ),
    verification_shows: VerificationShows.default({ learner_name: true, course: true, dates: true }),
    organization: Organization.default({ name: 'Organisme de formation' }).describe(
      'Printed as `organization` on documents and named on the verification page; request data never replaces it.',
    ),
    protection: Protection.optional().describe('The default PDF protection of the tenant’s documents; a certificate’s own replaces it.'),
    archival: Archival.optional().describe('Whether the tenant’s documents are PDF/A-3b by default; a certificate’s own replaces it.'),
    tagging: Tagging.optional().describe(
      'Whether the tenant’s documents are tagged PDF (on when absent); a certificate’s own replaces it.',
    ),
    signature: Signature.optional().describe('The default digital signature of the tenant’s documents; a certificate’s own replaces it.'),
    credential: CredentialSetting.optional().describe(
      'The default Open Badges 3.0 credential of the tenant’s documents (absent: none); a certificate’s own replaces it.',
    ),
  })
  .strict();
export type TenantSettings = z.infer<typeof TenantSettings>;

const isoDate = z.iso.date();

/** The changes of an issue webhook receivers hear of (webhooks-out/outbox.ts emits them). */
export const ISSUE_EVENTS = ['issued', 'delivered', 'unlocked', 'locked', 'revoked', 'regenerated', 'expired'] as const;
export type IssueEvent = (typeof ISSUE_EVENTS)[number];

export const CertificateSettings = z
  .object({
    delivery: z
      .enum(['inline', 'download', 'staff'])
      .default('download')
      .describe(
        'inline: shown in the browser; download: saved as a file; staff: only staff hand the document out, learners see its state.',
      ),
    min_grade_percent: z.number().min(0).max(100).optional().describe('Refuse below this course grade (percent).'),
    min_time_spent_minutes: z.number().int().min(0).max(10_000_000).optional().describe('Refuse below this time spent in the course.'),
    window_start: isoDate.optional().describe('No document before this date.'),
    window_end: isoDate.optional().describe('No new document after this date.'),
    validity_days: z
      .number()
      .int()
      .min(1)
      .max(36_500)
      .optional()
      .describe(
        'Documents expire this many days after the achievement date (the completion date), or after the issue date when none is known.',
      ),
    caption: z.string().max(300).optional().describe('Printed as `certificate.caption`.'),
    credit_hours: z.number().min(0).max(100_000).optional().describe('Printed as `certificate.credit_hours`.'),
    extra: z.record(z.string().max(100), z.string().max(2000)).optional().describe('Free values printed as `extra.*`.'),
    // Prerequisites (issue 15): mod_pdcertificate's course chaining the other way round.
    requires: z
      .array(z.string().min(1).max(100))
      .max(50)
      .refine((ids) => new Set(ids).size === ids.length, {
        message: 'A certificate is named once in requires.',
        params: { code: 'PREREQUISITE_DUPLICATE' },
      })
      .optional()
      .describe(
        'Ids of certificates of the same tenant the learner must hold first: an issued document, not revoked, not expired and not locked.',
      ),
    requires_mode: z
      .enum(['all', 'any'])
      .optional()
      .describe('all (the default): every certificate of `requires` is needed; any: one of them is enough.'),
    // The document's file name (issue 15): Liquid over the catalogue, checked on save, made safe when used.
    file_name: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe(
        'The document’s file name as a Liquid pattern over the catalogue’s variables, e.g. `{{ learner.lastname }}-{{ course.shortname }}.pdf`; made safe for every file system, always ending in .pdf. Default: "<certificate name> <code>.pdf".',
      ),
    // Expiry reminders and recertification (issue 15) ------------------------------------------------
    reminders: z
      .array(z.object({ days_before: z.number().int().min(1).max(3650) }).strict())
      .max(10)
      .optional()
      .describe(
        'Mail the learner this many days before a document expires, once per reminder (server/domain/reminders.ts); the words are the certificate mail’s `reminder` / `manager_reminder`.',
      ),
    remind_managers: z
      .boolean()
      .optional()
      .describe('Send the expiry reminders to the learner’s managers too: the addresses the LMS sends as `learner.managers[].email`.'),
    recertification: z
      .object({
        renew_within_days: z
          .number()
          .int()
          .min(0)
          .max(36_500)
          .optional()
          .describe(
            'A newer completion makes a new document only once the current one expires within this many days (or has expired); absent: any newer completion does.',
          ),
      })
      .strict()
      .optional()
      .describe(
        'Recertification: when the LMS sends a completion date later than the current document’s, a new document (its own code) supersedes it; the older one still verifies, as superseded. Absent: asking again always gives the same document.',
      ),
    protection: Protection.optional().describe(
      'PDF protection of this certificate’s documents, replacing the tenant’s default (`{ "enabled": false }` turns it off).',
    ),
    archival: Archival.optional().describe(
      'Whether this certificate’s documents are PDF/A-3b, replacing the tenant’s default (`{ "enabled": false }` turns it off).',
    ),
    tagging: Tagging.optional().describe(
      'Tagged PDF for this certificate’s documents, replacing the tenant’s default (`{ "enabled": false }` turns it off).',
    ),
    signature: Signature.optional().describe(
      'Digital signature of this certificate’s documents, replacing the tenant’s default (`{ "enabled": false }` turns it off).',
    ),
    credential: CredentialSetting.optional().describe(
      'The Open Badges 3.0 credential of this certificate’s documents, replacing the tenant’s default (`{ "enabled": false }` turns it off).',
    ),
  })
  .strict()
  .refine((s) => !s.reminders || new Set(s.reminders.map((r) => r.days_before)).size === s.reminders.length, {
    message: 'Two reminders have the same days_before.',
    path: ['reminders'],
    params: { code: 'REMINDER_DUPLICATE' },
  })
  .refine((s) => !s.window_start || !s.window_end || s.window_start <= s.window_end, {
    message: 'window_start must not be after window_end.',
    path: ['window_end'],
    params: { code: 'WINDOW_REVERSED' },
  });
export type CertificateSettings = z.infer<typeof CertificateSettings>;

/** The largest logo a tenant may upload (decoded bytes): it is sent inline with every verification page. */
export const MAX_LOGO_BYTES = 200 * 1024;

const LOGO_TYPES = [
  { mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
] as const;

/**
 * What is wrong with a logo given as a data: URL: its bytes must be a PNG or a JPEG (sniffed, not taken
 * from the declared type: SVG can carry script, and a mislabelled file would not draw) of at most
 * MAX_LOGO_BYTES. Checked when a logo is given, not when stored settings are read, so a logo stored before
 * this rule keeps the tenant's settings readable. An asset name is the template's business: no problem here.
 */
export function logoProblems(logo: unknown): Problem[] {
  if (typeof logo !== 'string' || !/^data:/i.test(logo)) return [];
  const path = 'organization.logo';
  const m = /^data:([^;,]*)(;base64)?,(.*)$/is.exec(logo);
  // Not a base64 image URL at all: the schema's LOGO_INVALID says so already.
  if (!m?.[2] || !/^image\//i.test(m[1]!)) return [];
  const bytes = Buffer.from(m[3]!.replace(/\s+/g, ''), 'base64');
  const problems: Problem[] = [];
  const sniffed = LOGO_TYPES.find((t) => t.magic.every((b, i) => bytes[i] === b));
  const declared = m[1]!.toLowerCase() === 'image/jpg' ? 'image/jpeg' : m[1]!.toLowerCase();
  if (!sniffed || sniffed.mime !== declared) {
    problems.push({
      path,
      code: 'LOGO_TYPE',
      message: `A logo is a PNG or JPEG image; this one ${sniffed ? `is a ${sniffed.mime} file labelled ${declared}` : 'is neither'}.`,
    });
  }
  if (bytes.length > MAX_LOGO_BYTES) {
    problems.push({
      path,
      code: 'LOGO_TOO_LARGE',
      message: `This logo has ${Math.ceil(bytes.length / 1024)} KB; a logo may have at most ${MAX_LOGO_BYTES / 1024} KB.`,
      params: { size_kb: Math.ceil(bytes.length / 1024), max_kb: MAX_LOGO_BYTES / 1024 },
    });
  }
  return problems;
}

/**
 * Reads stored JSON through the schema so rows written by older versions get today's defaults. The same
 * few texts (a tenant's, a certificate's) are read for every download and every check, so each schema
 * keeps what it made of the last texts it read (a pure function of the text) and hands out a copy: a
 * caller may change its own. A changed setting is another text, read afresh.
 */
export function readSettings<T>(schema: z.ZodType<T>, json: string): T {
  let known = readSettingsMemo.get(schema) as Map<string, T> | undefined;
  if (!known) readSettingsMemo.set(schema, (known = new Map<string, T>()));
  let value = known.get(json);
  if (value === undefined) {
    value = schema.parse(JSON.parse(json));
    if (known.size >= SETTINGS_MEMO_SIZE) known.delete(known.keys().next().value!);
    known.set(json, value);
  }
  return structuredClone(value);
}
const SETTINGS_MEMO_SIZE = 256;
const readSettingsMemo = new WeakMap<object, Map<string, unknown>>();
