import { z } from 'zod';
import { actorRef, iso, isoDay, requireCapability, type Actor, type Services } from '../context';
import { issueState, type IssueState } from '../withholding';
import { invalid } from '../errors';
import { exportCursor, issueById, issuesInOrder, putExportCursor } from '../../storage/repositories/moodle-ws';
import {
  authorityOf,
  certificatesOfCourse,
  courseSource,
  issueData,
  learnerNames,
  moodleText,
  unixTime,
  type CourseSource,
} from './identifiers';
import { moodleFunction } from './function';

/** One issue as `mod_pdcertificate_get_certificate_infos` exports it. */
export type MoodleExportedIssue = {
  id: string;
  certid: string;
  certname: string;
  certidnumber: string;
  userid: string;
  username: string;
  useridnumber: string;
  issuecode: string;
  timecreated: number;
  timedelivered: number;
  locked: boolean;
  authority: string;
  /** Not the module's (it had no revocation): issued, revoked or expired. */
  state: IssueState;
};

/** Issues per call; a caller gets the rest by calling again (with `last`, or the last `id` it received). */
export const EXPORT_PAGE = 500;

export const getCertificateInfosParameters = z.strictObject({
  cidsource: courseSource,
  cid: moodleText.min(1),
  issuedfrom: moodleText.default('last'),
});

/**
 * A course's issues for export to another system, in the order they were made, EXPORT_PAGE at a time.
 * `issuedfrom` says from where:
 * - `last` (the module's default): after the last issue this caller (its token) was given for this course.
 *   The module marked issues "exported" instead, so one system's export hid them from every other; here
 *   the issues are never touched and each caller has its own cursor.
 * - an issue `id` from an earlier answer: after that issue. Nothing is stored: a caller that keeps the
 *   last id it has written away never misses an issue, even when an answer is lost on the way.
 * - a Unix time: the issues made since then (`0`: all of them).
 */
export async function getCertificateInfos(
  services: Services,
  actor: Actor,
  params: { cidsource: CourseSource; cid: string; issuedfrom: string },
): Promise<MoodleExportedIssue[]> {
  requireCapability(actor, 'issues:manage');
  const db = services.storage.db;
  const found = await certificatesOfCourse(services, actor, params.cidsource, params.cid);
  const certificates = new Map(found.map((f) => [f.certificate.id, f.certificate]));
  const courseKey = `${params.cidsource}:${params.cid}`;
  const caller = actorRef(actor);
  let after: { createdAt: string; id: string } | undefined;
  let createdFrom: string | undefined;
  if (params.issuedfrom === 'last') {
    const cursor = await exportCursor(db, actor.tenantId, caller, courseKey);
    if (cursor) after = { createdAt: cursor.last_created_at, id: cursor.last_issue_id };
  } else if (/^\d{1,12}$/.test(params.issuedfrom)) {
    createdFrom = iso(new Date(Number(params.issuedfrom) * 1000));
  } else {
    const issue = await issueById(db, actor.tenantId, params.issuedfrom);
    if (!issue || !certificates.has(issue.certificate_id))
      throw invalid('MOODLE_PARAMETERS_INVALID', 'issuedfrom is not "last", a Unix time, nor the id of an issue of this course.', [
        {
          path: 'issuedfrom',
          code: 'MOODLE_CURSOR_UNKNOWN',
          message: 'Give "last", a Unix time, or the id of an issue of this course from an earlier answer.',
        },
      ]);
    after = { createdAt: issue.created_at, id: issue.id };
  }
  const rows = await issuesInOrder(db, {
    tenantId: actor.tenantId,
    certificateIds: [...certificates.keys()],
    after,
    createdFrom,
    limit: EXPORT_PAGE,
  });
  const last = rows[rows.length - 1];
  if (params.issuedfrom === 'last' && last)
    await putExportCursor(db, {
      tenant_id: actor.tenantId,
      caller,
      course_key: courseKey,
      last_created_at: last.created_at,
      last_issue_id: last.id,
      updated_at: iso(services.now()),
    });
  const today = isoDay(services.now());
  return rows.map((issue) => {
    const names = learnerNames(issueData(issue));
    return {
      id: issue.id,
      certid: issue.certificate_id,
      certname: certificates.get(issue.certificate_id)?.name ?? '',
      certidnumber: '',
      userid: issue.learner_id,
      username: names.username,
      useridnumber: names.idnumber,
      issuecode: issue.code,
      timecreated: unixTime(issue.created_at),
      timedelivered: unixTime(issue.first_delivered_at),
      locked: issue.locked === 1,
      authority: authorityOf(issue),
      state: issueState({ state: issue.state, expiresOn: issue.expires_on }, today),
    };
  });
}

export const GET_CERTIFICATE_INFOS = moodleFunction({
  name: 'mod_pdcertificate_get_certificate_infos',
  description: 'A course’s issues for export, from a cursor the caller keeps.',
  capabilities: ['issues:manage'],
  parameters: getCertificateInfosParameters,
  run: getCertificateInfos,
});
