import { z } from 'zod';
import { requireCapability, type Actor, type Services } from '../context';
import { listCertificates } from '../certificates';
import { peopleHolding } from '../people';
import { certificateCourse, certificatesOfCourse, courseSource, moodleText, type CourseSource } from './identifiers';
import { moodleFunction } from './function';

/** One certificate as `mod_pdcertificate_get_certificates` lists it. */
export type MoodleCertificate = {
  id: string;
  courseid: string;
  courseidnumber: string;
  courseshortname: string;
  coursefullname: string;
  name: string;
  cmid: string;
  pdcid: string;
  pdcidnumber: string;
  certifier: string;
};

export const getCertificatesParameters = z.strictObject({
  cidsource: courseSource.default('id'),
  // The module's default, 0, asks for every certificate of the site (its documented meaning); a course
  // named and not found is an error, never the whole site.
  cid: moodleText.default('0'),
});

export async function getCertificates(
  services: Services,
  actor: Actor,
  params: { cidsource: CourseSource; cid: string },
): Promise<MoodleCertificate[]> {
  requireCapability(actor, 'certificate:view');
  const everything = params.cidsource === 'id' && params.cid === '0';
  const found = everything
    ? await Promise.all(
        (await listCertificates(services, actor)).map(async (c) => ({
          certificate: c,
          course: await certificateCourse(services, actor.tenantId, c.id),
        })),
      )
    : await certificatesOfCourse(services, actor, params.cidsource, params.cid);
  const signatory = (await peopleHolding(services.storage.db, actor.tenantId, ['certificate:signing-authority']))[0];
  return found.map(({ certificate: c, course }) => ({
    id: c.id,
    courseid: c.courseId,
    courseidnumber: course.idnumber,
    courseshortname: course.shortname,
    coursefullname: course.fullname,
    name: c.name,
    cmid: c.activityId ?? '',
    pdcid: c.id,
    pdcidnumber: '',
    certifier: signatory?.displayName ?? '',
  }));
}

export const GET_CERTIFICATES = moodleFunction({
  name: 'mod_pdcertificate_get_certificates',
  description: 'The certificates of a course.',
  capabilities: ['certificate:view'],
  parameters: getCertificatesParameters,
  run: (services, actor, params) => getCertificates(services, actor, params),
});
