import { z } from 'zod';
import { isoDay, requireCapability, type Actor, type Services } from '../context';
import { issueState, type IssueState } from '../withholding';
import type { Certificate } from '../certificates';
import { DomainError } from '../errors';
import { issueFor } from '../../storage/repositories/issues';
import type { IssueTable } from '../../storage/schema';
import {
  authorityOf,
  certificateCourse,
  certificateSource,
  findCertificate,
  findLearner,
  issueData,
  learnerNames,
  learnerSaid,
  moodleText,
  unixTime,
  userSource,
  type CertificateSource,
  type CourseNames,
  type UserSource,
} from './identifiers';
import { moodleFunction } from './function';

/**
 * One learner's issue as `mod_pdcertificate_get_certificate_info` says it. A learner without a document
 * (get_certificate_users_info) has the learner and course fields only, and an empty `id`.
 */
export type MoodleIssueInfo = {
  id: string;
  courseid: string;
  courseidnumber: string;
  courseshortname: string;
  certid: string;
  certname: string;
  certidnumber: string;
  userid: string;
  user: string;
  username: string;
  useridnumber: string;
  /** The learner's roles in the course: Moodle's, which Attest is not told; always empty. */
  userroles: string;
  issuecode?: string;
  timecreated?: number;
  timedelivered?: number;
  locked?: boolean;
  authority?: string;
  /** Not the module's (it had no revocation): issued, revoked or expired, so a revoked document is not taken for a valid one. */
  state?: IssueState;
};

export const certificateUserParameters = {
  pdcidsource: certificateSource,
  pdcid: moodleText.min(1),
  uidsource: userSource,
};

export const getCertificateInfoParameters = z.strictObject({ ...certificateUserParameters, uid: moodleText.min(1) });

export interface CertificateUserParams {
  pdcidsource: CertificateSource;
  pdcid: string;
  uidsource: UserSource;
}

/** A learner's issue of a certificate, or their partial record when they have none. */
export async function issueInfo(
  services: Services,
  actor: Actor,
  certificate: Certificate,
  course: CourseNames,
  learnerId: string,
): Promise<{ info: MoodleIssueInfo; issued: boolean }> {
  const issue: IssueTable | undefined = await issueFor(services.storage.db, actor.tenantId, certificate.id, learnerId);
  const said = await learnerSaid(services, actor.tenantId, certificate.id, learnerId);
  const names = learnerNames(Object.keys(said).length || !issue ? said : issueData(issue));
  const info: MoodleIssueInfo = {
    id: issue?.id ?? '',
    courseid: certificate.courseId,
    courseidnumber: course.idnumber,
    courseshortname: course.shortname,
    certid: certificate.id,
    certname: certificate.name,
    certidnumber: '',
    userid: learnerId,
    user: names.fullname,
    username: names.username,
    useridnumber: names.idnumber,
    userroles: '',
  };
  if (!issue) return { info, issued: false };
  return {
    info: {
      ...info,
      issuecode: issue.code,
      timecreated: unixTime(issue.created_at),
      timedelivered: unixTime(issue.first_delivered_at),
      locked: issue.locked === 1,
      authority: authorityOf(issue),
      state: issueState({ state: issue.state, expiresOn: issue.expires_on }, isoDay(services.now())),
    },
    issued: true,
  };
}

/** Reading who holds which document is managing issued documents (as listing issues is in /api/v1). */
export async function getCertificateInfo(
  services: Services,
  actor: Actor,
  params: CertificateUserParams & { uid: string },
): Promise<MoodleIssueInfo> {
  requireCapability(actor, 'issues:manage');
  const certificate = await findCertificate(services, actor, params.pdcidsource, params.pdcid);
  const learnerId = await findLearner(services, actor, certificate.id, params.uidsource, params.uid);
  const { info, issued } = await issueInfo(
    services,
    actor,
    certificate,
    await certificateCourse(services, actor.tenantId, certificate.id),
    learnerId,
  );
  if (!issued)
    throw new DomainError('not-found', 'MOODLE_NOT_ISSUED', `Learner "${learnerId}" has no document of this certificate.`, {
      details: { learnerId },
    });
  return info;
}

export const GET_CERTIFICATE_INFO = moodleFunction({
  name: 'mod_pdcertificate_get_certificate_info',
  description: 'One learner’s issue of a certificate.',
  capabilities: ['issues:manage'],
  parameters: getCertificateInfoParameters,
  run: getCertificateInfo,
});
