import { z } from 'zod';
import { can, requireCapability, type Actor, type Services } from '../context';
import { DomainError } from '../errors';
import { createDownloadLink } from '../links';
import { reason } from '../reasons';
import { getTenant } from '../tenants';
import { issueFor } from '../../storage/repositories/issues';
import { findCertificate, findLearner, moodleText } from './identifiers';
import { certificateUserParameters, type CertificateUserParams } from './get-certificate-info';
import { moodleFunction } from './function';

/**
 * How long the address answered lives. A Moodle site asks for it when a learner clicks and sends them on
 * at once; an address that outlives the click is one that can be forwarded.
 */
export const MOODLE_LINK_MINUTES = 60;

export const getCertificateFileUrlParameters = z.strictObject({ ...certificateUserParameters, uid: moodleText.min(1) });

/**
 * The address of a learner's document: a signed download link (links.ts) that expires, and that checks
 * the lock, revocation and the delivery mode again when it is opened. The module answered a file address
 * whatever the lock; a locked document is refused here already, so the Moodle site can say why.
 */
export async function getCertificateFileUrl(
  services: Services,
  actor: Actor,
  params: CertificateUserParams & { uid: string },
): Promise<string> {
  if (!can(actor, 'issues:manage')) {
    requireCapability(actor, 'certificate:apply');
    requireCapability(actor, 'certificate:retrieve-own');
  }
  const certificate = await findCertificate(services, actor, params.pdcidsource, params.pdcid);
  const learnerId = await findLearner(services, actor, certificate.id, params.uidsource, params.uid);
  const issue = await issueFor(services.storage.db, actor.tenantId, certificate.id, learnerId);
  if (!issue)
    throw new DomainError('not-found', 'MOODLE_NOT_ISSUED', `Learner "${learnerId}" has no document of this certificate.`, {
      details: { learnerId },
    });
  if (issue.locked === 1 && issue.state !== 'revoked') {
    const why = reason((await getTenant(services.storage.db, actor.tenantId)).settings.locale, 'DOCUMENT_LOCKED');
    throw new DomainError('locked', why.code, why.message, { reasons: [why] });
  }
  return (await createDownloadLink(services, actor, issue.code, MOODLE_LINK_MINUTES)).url;
}

export const GET_CERTIFICATE_FILE_URL = moodleFunction({
  name: 'mod_pdcertificate_get_certificate_file_url',
  description: 'A signed, expiring download address of a learner’s document (certificate:retrieve-own goes with certificate:apply).',
  capabilities: ['issues:manage', 'certificate:retrieve-own'],
  parameters: getCertificateFileUrlParameters,
  run: getCertificateFileUrl,
});
