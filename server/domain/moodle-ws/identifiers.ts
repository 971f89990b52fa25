import { z } from 'zod';
import type { Actor, Services } from '../context';
import { certificateRow, type Certificate } from '../certificates';
import { DomainError, invalid, notFound } from '../errors';
import { checkLearnerId } from '../learners';
import { certificatesOf } from '../../storage/repositories/certificates';
import { certificatesNamingCourse, latestSuppliedData, learnerData, learnersBy } from '../../storage/repositories/moodle-ws';
import type { IssueTable } from '../../storage/schema';

/**
 * How mod_pdcertificate's web services name things, mapped onto Attest's (README, "Moodle web services"):
 *
 * - a course (`cidsource`): `id` is the LMS course id a certificate belongs to (`course_id`); `shortname`
 *   and `idnumber` are `course.shortname` / `course.idnumber` in any data the LMS supplied for the
 *   certificate (a renamed course is still found by its old name); the names answered are the latest.
 *   Attest keeps no course table: the LMS's word is where the names are.
 * - a certificate (`pdcidsource`): `id` is Attest's certificate id, `cmid` the LMS activity it belongs to
 *   (`activity_id`); Attest certificates have no idnumber of their own, so `idnumber` is refused.
 * - a learner (`uidsource`): `id` is the LMS learner id documents are issued to; `idnumber`, `email` and
 *   `username` are `learner.*` in what the LMS supplied for that certificate (the learner's record, else
 *   their issue's data).
 *
 * Every id is a string: Attest's are UUIDs, the LMS's are what it sent.
 */
export const COURSE_SOURCES = ['id', 'shortname', 'idnumber'] as const;
export const CERTIFICATE_SOURCES = ['id', 'cmid', 'idnumber'] as const;
export const USER_SOURCES = ['id', 'idnumber', 'email', 'username'] as const;
export type CourseSource = (typeof COURSE_SOURCES)[number];
export type CertificateSource = (typeof CERTIFICATE_SOURCES)[number];
export type UserSource = (typeof USER_SOURCES)[number];

/** Moodle's PARAM_TEXT as the module uses it: a value of at most 255 characters (Moodle's longest name field). */
export const moodleText = z.string().max(255);
export const courseSource = z.enum(COURSE_SOURCES);
export const certificateSource = z.enum(CERTIFICATE_SOURCES).refine((s) => s !== 'idnumber', {
  params: { code: 'MOODLE_CERTIFICATE_IDNUMBER' },
  message: 'Attest certificates have no idnumber: name them by id (Attest’s) or cmid (the LMS activity).',
});
export const userSource = z.enum(USER_SOURCES);

/** The Unix time of an ISO instant, as Moodle's `time*` fields are; 0 for none, as Moodle writes it. */
export const unixTime = (isoTime: string | null): number => (isoTime ? Math.floor(Date.parse(isoTime) / 1000) : 0);

type Json = Record<string, unknown>;
const objectAt = (v: unknown, key: string): Json => {
  const x = v !== null && typeof v === 'object' ? (v as Json)[key] : undefined;
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : {};
};
const textAt = (o: Json, key: string): string => {
  const v = o[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
};
const parse = (text: string | undefined): Json => (text ? (JSON.parse(text) as Json) : {});

/** The course as the LMS named it in some data. */
export interface CourseNames {
  shortname: string;
  idnumber: string;
  fullname: string;
}

export const courseNames = (data: Json): CourseNames => {
  const c = objectAt(data, 'course');
  return { shortname: textAt(c, 'shortname'), idnumber: textAt(c, 'idnumber'), fullname: textAt(c, 'fullname') };
};

/** The learner as the LMS named them in some data. */
export interface LearnerNames {
  fullname: string;
  username: string;
  idnumber: string;
}

export const learnerNames = (data: Json): LearnerNames => {
  const l = objectAt(data, 'learner');
  const fullname = textAt(l, 'fullname') || `${textAt(l, 'firstname')} ${textAt(l, 'lastname')}`.trim();
  return { fullname, username: textAt(l, 'username'), idnumber: textAt(l, 'idnumber') };
};

/** Who signed an issue, as mod_pdcertificate says it: the certifier's name, or "N.C." (non communiqué). */
export const authorityOf = (issue: IssueTable): string => textAt(objectAt(parse(issue.data), 'certifier'), 'name') || 'N.C.';

export const issueData = (issue: IssueTable): Json => parse(issue.data);

/** The course's names for a certificate, from the data the LMS sent last for it. */
export async function certificateCourse(services: Services, tenantId: string, certificateId: string): Promise<CourseNames> {
  return courseNames(parse(await latestSuppliedData(services.storage.db, tenantId, certificateId)));
}

/** What the LMS last said of a learner for a certificate. */
export async function learnerSaid(services: Services, tenantId: string, certificateId: string, learnerId: string): Promise<Json> {
  return parse(await learnerData(services.storage.db, tenantId, certificateId, learnerId));
}

/**
 * The certificates of a course. A course named and not found is an error: the module answered every
 * certificate of the site then, which handed one course's LMS the whole catalogue.
 */
export async function certificatesOfCourse(
  services: Services,
  actor: Actor,
  source: CourseSource,
  cid: string,
): Promise<{ certificate: Certificate; course: CourseNames }[]> {
  // Each function checks what it needs first: the certificates a course holds are no secret beyond that.
  const db = services.storage.db;
  const ids =
    source === 'id'
      ? (await certificatesOf(db, actor.tenantId, { courseId: cid })).map((r) => r.id)
      : cid === ''
        ? []
        : await certificatesNamingCourse(db, services.storage.engine, { tenantId: actor.tenantId, field: source, value: cid });
  const found = await Promise.all(
    ids.map(async (id) => ({
      certificate: await certificateRow(db, actor.tenantId, id),
      course: await certificateCourse(services, actor.tenantId, id),
    })),
  );
  found.sort((a, b) => a.certificate.name.localeCompare(b.certificate.name) || a.certificate.id.localeCompare(b.certificate.id));
  if (!found.length)
    throw new DomainError('not-found', 'MOODLE_COURSE_NOT_FOUND', `No certificate belongs to the course whose ${source} is "${cid}".`, {
      details: { source, value: cid },
    });
  return found;
}

/** One certificate, by Attest's id or by the LMS activity (cmid) it belongs to. */
export async function findCertificate(services: Services, actor: Actor, source: CertificateSource, pdcid: string): Promise<Certificate> {
  const db = services.storage.db;
  if (source === 'id') {
    // Any string may be sent; only a certificate of the caller's tenant is found.
    return certificateRow(db, actor.tenantId, pdcid);
  }
  if (source === 'idnumber') throw invalid('MOODLE_CERTIFICATE_IDNUMBER', 'Attest certificates have no idnumber: name them by id or cmid.');
  const rows = (await certificatesOf(db, actor.tenantId)).filter((c) => c.activity_id === pdcid);
  if (!rows.length) throw notFound('The certificate', 'CERTIFICATE_NOT_FOUND');
  if (rows.length > 1)
    throw new DomainError(
      'conflict',
      'MOODLE_CERTIFICATE_AMBIGUOUS',
      `${rows.length} certificates belong to activity "${pdcid}"; name one by id.`,
      {
        details: { cmid: pdcid, count: rows.length },
      },
    );
  return certificateRow(db, actor.tenantId, rows[0]!.id);
}

/** The LMS learner id a Moodle user identifier names, for a certificate. */
export async function findLearner(
  services: Services,
  actor: Actor,
  certificateId: string,
  source: UserSource,
  uid: string,
): Promise<string> {
  return (await findLearners(services, actor, certificateId, source, [uid]))[0]!;
}

/** The LMS learner ids several identifiers of one kind name, in their order, looked up together. */
export async function findLearners(
  services: Services,
  actor: Actor,
  certificateId: string,
  source: UserSource,
  uids: readonly string[],
): Promise<string[]> {
  if (source === 'id') {
    for (const uid of uids) checkLearnerId(actor, uid);
    return [...uids];
  }
  const found = await learnersBy(services.storage.db, services.storage.engine, {
    tenantId: actor.tenantId,
    certificateId,
    field: source,
    values: uids,
  });
  return uids.map((uid) => {
    const ids = found.get(uid) ?? [];
    if (!ids.length)
      throw new DomainError('not-found', 'MOODLE_USER_NOT_FOUND', `No learner of this certificate has the ${source} "${uid}".`, {
        details: { source, value: uid },
      });
    if (ids.length > 1)
      throw new DomainError(
        'conflict',
        'MOODLE_USER_AMBIGUOUS',
        `Several learners of this certificate have the ${source} "${uid}"; name them by id.`,
        { details: { source, value: uid } },
      );
    return ids[0]!;
  });
}
