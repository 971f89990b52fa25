import { z } from 'zod';
import { CertificateSettings } from '../../domain/settings';
import { declareOperations } from './declaration';
import { Certificate, IdParam } from './schemas';

const Fields = {
  name: z.string().min(1).max(200),
  template_version_id: z.string().min(1).max(100),
  course_id: z.string().min(1).max(200).describe('The LMS course the certificate belongs to.'),
  activity_id: z.string().max(200).nullable().optional().describe('The LMS activity (course module), if any.'),
};

export const certificateDeclarations = declareOperations({
  listCertificates: {
    method: 'get',
    path: '/certificates',
    tag: 'Certificates',
    summary: 'Certificates, optionally of one course.',
    access: { capability: 'certificate:view' },
    query: z.object({ course: z.string().max(200).optional() }).strict(),
    responses: { 200: z.array(Certificate) },
    example: `curl "$BASE/api/v1/certificates?course=course-1" -H "Authorization: Bearer $TOKEN"`,
  },
  createCertificate: {
    method: 'post',
    path: '/certificates',
    tag: 'Certificates',
    summary: 'Add a certificate to a course: a published template version and its delivery settings.',
    access: { capability: 'certificate:add' },
    body: { json: z.object({ ...Fields, settings: CertificateSettings.optional() }).strict() },
    idempotent: true,
    responses: { 201: Certificate },
    example: `curl -X POST "$BASE/api/v1/certificates" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"SST","template_version_id":"'$VERSION'","course_id":"12","settings":{"min_grade_percent":50,"validity_days":730}}'`,
  },
  getCertificate: {
    method: 'get',
    path: '/certificates/:id',
    tag: 'Certificates',
    summary: 'A certificate and its delivery settings.',
    access: { capability: 'certificate:view' },
    params: IdParam,
    responses: { 200: Certificate },
    example: `curl "$BASE/api/v1/certificates/$CERT" -H "Authorization: Bearer $TOKEN"`,
  },
  updateCertificate: {
    method: 'patch',
    path: '/certificates/:id',
    tag: 'Certificates',
    summary: 'Change a certificate: its template version, course or delivery settings (merged with the current ones).',
    access: { capability: 'certificate:add' },
    params: IdParam,
    body: {
      json: z
        .object({
          name: Fields.name.optional(),
          template_version_id: Fields.template_version_id.optional(),
          course_id: Fields.course_id.optional(),
          activity_id: Fields.activity_id,
          settings: z
            .record(z.string(), z.unknown())
            .optional()
            .describe('Any CertificateSettings fields, merged with the current ones (null removes a rule); validated after merging.'),
        })
        .strict(),
    },
    responses: { 200: Certificate },
    example: `curl -X PATCH "$BASE/api/v1/certificates/$CERT" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"settings":{"delivery":"staff"}}'`,
  },
  certificateDocumentsZip: {
    method: 'get',
    path: '/certificates/:id/documents.zip',
    tag: 'Certificates',
    summary:
      'The delivered documents of a certificate as one ZIP, streamed, with manifest.json and manifest.csv: locked and revoked documents left out unless included, as `attest export` does; entries named by the certificate’s file-name pattern.',
    access: { capability: 'issues:manage' },
    params: IdParam,
    query: z
      .object({
        state: z
          .string()
          .max(100)
          .optional()
          .describe('Comma-separated states: issued, expired, revoked, locked, unlocked (as `attest export --state`).'),
        issued_from: z.string().max(10).optional().describe('First issue day, YYYY-MM-DD.'),
        issued_to: z.string().max(10).optional().describe('Last issue day, YYYY-MM-DD.'),
        learner: z.string().max(20_000).optional().describe('Comma-separated learner ids.'),
        include_locked: z.enum(['true', 'false']).optional().describe('Add locked documents.'),
        include_revoked: z.enum(['true', 'false']).optional().describe('Add revoked documents.'),
      })
      .strict(),
    responses: { 200: { media: 'application/zip', description: 'The archive.' } },
    example: `curl -o documents.zip "$BASE/api/v1/certificates/$CERT/documents.zip?issued_from=2026-01-01" -H "Authorization: Bearer $TOKEN"`,
  },
});
