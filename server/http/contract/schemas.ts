import { z } from 'zod';
import { ALL_CAPABILITIES } from '../../domain/capabilities';
import { CertificateSettings, TenantSettings } from '../../domain/settings';

/** The shapes the API answers with, shared by several operations; requests are declared with their operations. */
export const Capability = z.enum(ALL_CAPABILITIES as [string, ...string[]]);

const Position = z.object({ line: z.number().int(), column: z.number().int() });
const Range = z.object({ start: Position, end: Position });
/** variables/diagnostics.ts's Diagnostic, as the API answers it (a test holds the two together). */
export const Diagnostic = z
  .object({
    stage: z.string(),
    code: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string(),
    range: Range.optional(),
    path: z.string().optional(),
    fixes: z
      .array(z.object({ title: z.string(), range: Range, replacement: z.string() }))
      .optional()
      .describe('Quick fixes: each replaces the text of its range.'),
  })
  .loose()
  .meta({ id: 'Diagnostic' });

const Problem = z
  .object({
    path: z
      .string()
      .describe(
        'The JSON path within the request body (`data.learner.email`, `codes[3]`, empty for the body itself); `params.x` and `query.x` for path and query parameters.',
      ),
    code: z.string(),
    message: z.string().describe('In the caller’s language.'),
  })
  .meta({ id: 'Problem' });

/** Every error answer of the API, in one shape (server/http/problems.ts writes it). */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable: clients match on it. The README lists every code.'),
      message: z.string().describe('In the caller’s language: Accept-Language (fr or en), else the tenant’s, else English.'),
      problems: z.array(Problem).optional().describe('Every validation problem, with its path.'),
      warnings: z
        .array(Problem)
        .optional()
        .describe(
          'What was accepted but ignored (unknown fields of learner data), with its path; DATA_INVALID lists them beside the problems.',
        ),
      reasons: z
        .array(z.object({ code: z.string(), message: z.string() }))
        .optional()
        .describe('Why a document is refused or withheld, in the caller’s language.'),
      details: z.record(z.string(), z.unknown()).optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

export const Issue = z
  .object({
    code: z.string().describe('Verification code, printed on the document.'),
    certificateId: z.string(),
    learnerId: z.string(),
    state: z.enum(['issued', 'revoked', 'expired']),
    locked: z.boolean(),
    issuedOn: z
      .string()
      .describe('Day the document was issued (YYYY-MM-DD), printed as `certificate.issued`; kept when the document is made again.'),
    achievedOn: z
      .string()
      .nullable()
      .describe(
        'Achievement date: the completion date the LMS or a manager gave (YYYY-MM-DD), printed as `completion.date`; null when none was given.',
      ),
    expiresOn: z.string().nullable(),
    revision: z.number().int(),
    templateVersionId: z.string(),
    sha256: z.string().describe('SHA-256 of the current PDF.'),
    createdAt: z.string(),
    renderedAt: z.string(),
    firstDeliveredAt: z.string().nullable(),
    firstDeliveryChannel: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokedReason: z.string().nullable(),
    supersededAt: z
      .string()
      .nullable()
      .describe('When a re-issue (recertification) superseded this document; null while it is the learner’s current one.'),
    supersedes: z.string().optional().describe('One document: the code of the older document this re-issue superseded.'),
    supersededBy: z
      .string()
      .optional()
      .describe('One document: the code of the learner’s current document, when a re-issue superseded this one.'),
    delivery: z.string().optional(),
    learnerName: z.string().optional().describe('In lists: the learner’s name the document was made with (empty when it had none).'),
    verifications: z
      .number()
      .int()
      .optional()
      .describe('In lists: how many times the document was checked on the public verification endpoints (counted, never who looked).'),
  })
  .meta({ id: 'Issue' });

export const ChainLink = z
  .object({
    code: z.string(),
    state: z.enum(['issued', 'revoked', 'expired']),
    locked: z.boolean(),
    issuedOn: z.string(),
    achievedOn: z.string().nullable(),
    expiresOn: z.string().nullable(),
    supersededAt: z.string().nullable(),
    current: z.boolean().describe('The learner’s current document: the newest of the chain.'),
  })
  .meta({ id: 'ChainLink' });

export const IssueRequestResult = z.object({
  issue: Issue,
  created: z.boolean().describe('False when the learner already had this document.'),
  document: z.string().describe('Where to fetch the PDF (423 while locked).'),
  warnings: z
    .array(
      z.object({
        code: z.string(),
        message: z.string(),
        path: z.string().optional().describe('Where in the request body, for a field of the data (e.g. an unknown field, ignored).'),
      }),
    )
    .optional()
    .describe(
      'When the document was made just now: what is wrong with it though it was made (a character of the name no font draws, text cut to fit), or what of the request was set aside (`data.organization`: the tenant’s is printed). Also in its audit trail.',
    ),
});

export const BatchResult = z.array(
  z.object({
    code: z.string(),
    ok: z.boolean(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    issue: Issue.optional(),
  }),
);

export const AuditEntry = z.object({
  action: z.string(),
  actor: z.string(),
  actorName: z.string(),
  at: z.string(),
  reason: z.string().nullable(),
  details: z.unknown(),
});

export const Refusal = z.object({
  certificateId: z.string(),
  learnerId: z.string(),
  reasons: z.array(z.object({ code: z.string(), message: z.string() })),
  at: z.string(),
});

const VersionSummary = z.object({
  id: z.string(),
  number: z.number().int(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  certificates: z.array(z.object({ id: z.string(), name: z.string() })),
});
export const TemplateSummary = z
  .object({ id: z.string(), name: z.string(), updatedAt: z.string(), versions: z.array(VersionSummary) })
  .meta({ id: 'TemplateSummary' });
export const Asset = z.object({ name: z.string(), sha256: z.string(), size: z.number().int(), mediaType: z.string() });
export const TemplateDetail = TemplateSummary.extend({ source: z.string(), assets: z.array(Asset) }).meta({ id: 'Template' });
export const Version = z
  .object({
    id: z.string(),
    templateId: z.string(),
    number: z.number().int(),
    source: z.string(),
    assets: z.record(z.string(), z.string()),
    contentHash: z.string(),
    publishedAt: z.string(),
  })
  .meta({ id: 'TemplateVersion' });

export const Certificate = z
  .object({
    id: z.string(),
    name: z.string(),
    templateVersionId: z.string(),
    courseId: z.string(),
    activityId: z.string().nullable(),
    settings: CertificateSettings,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Certificate' });

export const Tenant = z.object({ id: z.string(), slug: z.string(), name: z.string(), settings: TenantSettings }).meta({ id: 'Tenant' });

export const TokenInfo = z.object({
  id: z.string(),
  name: z.string(),
  capabilities: z.array(Capability),
  createdAt: z.string(),
  createdBy: z.string().describe('Who made it: person:<id>, token:<id> (revoking that token revokes this one) or system.'),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

export const Person = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  roles: z.array(z.string()),
  disabled: z.boolean(),
});
export const Role = z.object({ name: z.string(), capabilities: z.array(Capability) });

export const SignatureFacts = z
  .object({
    signer: z.string().describe('The certificate’s common name.'),
    organization: z.string().optional(),
    subject: z.string(),
    keyId: z.string(),
    keyState: z.enum(['active', 'retired']).describe('retired: a later key replaced it; what it signed still verifies.'),
    level: z.enum(['B-B', 'B-T']),
    signedAt: z.string().optional(),
    timestampedAt: z.string().optional().describe('B-T: the time the timestamp authority states.'),
  })
  .meta({ id: 'SignatureFacts' });

export const Verification = z
  .object({
    status: z.enum(['valid', 'revoked', 'expired', 'locked', 'withdrawn', 'unknown']),
    code: z.string().optional(),
    certificate: z.string().optional(),
    organization: z.string().optional(),
    learner: z.string().optional(),
    course: z.string().optional(),
    issuedOn: z.string().optional(),
    expiresOn: z.string().nullable().optional(),
    revokedOn: z.string().optional(),
    revocationReason: z.string().optional(),
    revision: z.number().int().optional(),
    withdrawnOn: z
      .string()
      .optional()
      .describe('withdrawn: the day the document was withdrawn, its learner’s data erased; nothing else is said.'),
    supersededBy: z
      .object({
        code: z.string(),
        issuedOn: z.string().optional().describe('When the tenant shows dates.'),
        url: z.string().describe('The newer document’s verification page.'),
      })
      .optional()
      .describe('The document was superseded by a newer certificate (recertification): the current one. The older still verifies.'),
    supersededOn: z.string().optional(),
    archival: z
      .literal('PDF/A-3b')
      .optional()
      .describe('The current file is an archival PDF/A-3b document (what the file itself declares).'),
    tagged: z
      .boolean()
      .optional()
      .describe('The document is tagged PDF: screen readers read its headings, tables, images’ alt texts and links.'),
    signature: SignatureFacts.optional().describe('Who signed the current revision (PAdES), when the tenant signs its documents.'),
    locale: z.enum(['fr', 'en']),
  })
  .meta({ id: 'Verification' });

/** A document's signature check: an uploaded PDF's CMS verified over its byte ranges. */
export const UploadedSignature = z
  .object({
    signed: z.literal(true),
    intact: z.boolean().describe('The signature verifies over the whole file but itself: not one byte changed since it was signed.'),
    tenantKey: z.boolean().describe('Signed with one of the tenant’s keys, the active one or a retired one.'),
    signer: SignatureFacts.optional().describe('When tenantKey: who signed.'),
  })
  .meta({ id: 'UploadedSignature' });

export const Me = z.object({
  kind: z.enum(['person', 'token']),
  id: z.string(),
  name: z.string(),
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  capabilities: z.array(Capability),
});

export const Ok = z.object({ ok: z.literal(true) });

/** Path and query pieces shared by many operations. */
export const IdParam = z.object({ id: z.string().min(1).max(100) }).strict();
export const CodeParam = z.object({ code: z.string().min(1).max(40) }).strict();
