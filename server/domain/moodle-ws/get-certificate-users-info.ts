import { z } from 'zod';
import { requireCapability, type Actor, type Services } from '../context';
import { certificateCourse, findCertificate, findLearners, moodleText } from './identifiers';
import { certificateUserParameters, issueInfo, type CertificateUserParams, type MoodleIssueInfo } from './get-certificate-info';
import { moodleFunction } from './function';

/** As many learners as one call names: a course's worth, not a site's. */
export const MAX_USERS_PER_CALL = 500;

export const getCertificateUsersInfoParameters = z.strictObject({
  ...certificateUserParameters,
  uids: z.array(moodleText.min(1)).min(1).max(MAX_USERS_PER_CALL),
});

/** get_certificate_info for each learner named; those without a document get their partial record. */
export async function getCertificateUsersInfo(
  services: Services,
  actor: Actor,
  params: CertificateUserParams & { uids: string[] },
): Promise<MoodleIssueInfo[]> {
  requireCapability(actor, 'issues:manage');
  const certificate = await findCertificate(services, actor, params.pdcidsource, params.pdcid);
  const course = await certificateCourse(services, actor.tenantId, certificate.id);
  const out: MoodleIssueInfo[] = [];
  for (const learnerId of await findLearners(services, actor, certificate.id, params.uidsource, params.uids))
    out.push((await issueInfo(services, actor, certificate, course, learnerId)).info);
  return out;
}

export const GET_CERTIFICATE_USERS_INFO = moodleFunction({
  name: 'mod_pdcertificate_get_certificate_users_info',
  description: 'The issues of a certificate for a list of learners.',
  capabilities: ['issues:manage'],
  parameters: getCertificateUsersInfoParameters,
  run: getCertificateUsersInfo,
});
