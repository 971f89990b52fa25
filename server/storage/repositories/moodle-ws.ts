import { sql, type Kysely } from 'kysely';
import type { Db } from '../db';
import type { Engine } from '../database';
import type { IssueTable } from '../schema';

/**
 * What the Moodle web services (server/domain/moodle-ws) read beyond the other repositories: the LMS's own
 * names of courses and learners, which live in the data it supplied (learner records, issues' data), and
 * the per-caller export cursors of migration 010.
 */
export interface MoodleExportCursorTable {
  tenant_id: string;
  caller: string;
  course_key: string;
  last_created_at: string;
  last_issue_id: string;
  updated_at: string;
}

type WithCursors = Kysely<{ moodle_export_cursors: MoodleExportCursorTable }>;
const cursors = (db: Db): WithCursors => db.withTables<{ moodle_export_cursors: MoodleExportCursorTable }>() as unknown as WithCursors;

/** The data the LMS sent last for a certificate (any learner): where its course's names are. */
export async function latestSuppliedData(db: Db, tenantId: string, certificateId: string): Promise<string | undefined> {
  const record = await db
    .selectFrom('learner_records')
    .select('data')
    .where('tenant_id', '=', tenantId)
    .where('certificate_id', '=', certificateId)
    .orderBy('supplied_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (record) return record.data;
  // Imported issues have no learner record: their data is all there is.
  const issue = await db
    .selectFrom('issues')
    .select('data')
    .where('tenant_id', '=', tenantId)
    .where('certificate_id', '=', certificateId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return issue?.data;
}

/** What the LMS last said of one learner for a certificate: their record, else their issue's data. */
export async function learnerData(db: Db, tenantId: string, certificateId: string, learnerId: string): Promise<string | undefined> {
  const record = await db
    .selectFrom('learner_records')
    .select('data')
    .where('tenant_id', '=', tenantId)
    .where('certificate_id', '=', certificateId)
    .where('learner_id', '=', learnerId)
    .executeTakeFirst();
  if (record) return record.data;
  const issue = await db
    .selectFrom('issues')
    .select('data')
    .where('tenant_id', '=', tenantId)
    .where('certificate_id', '=', certificateId)
    .where('learner_id', '=', learnerId)
    .executeTakeFirst();
  return issue?.data;
}

export type LearnerField = 'idnumber' | 'email' | 'username';
export type CourseField = 'shortname' | 'idnumber';

/** `<object>.<field>` of a JSON data column, as text, in each engine's dialect (both are fixed names, never input). */
function dataField(engine: Engine, object: 'learner' | 'course', field: LearnerField | CourseField) {
  return engine === 'postgres'
    ? sql<string>`(data::jsonb -> ${sql.lit(object)} ->> ${sql.lit(field)})`
    : sql<string>`CAST(json_extract(data, ${sql.lit(`$.${object}.${field}`)}) AS TEXT)`;
}

/** The certificates whose supplied data (any learner's record or issue) names the course so. */
export async function certificatesNamingCourse(
  db: Db,
  engine: Engine,
  query: { tenantId: string; field: CourseField; value: string },
): Promise<string[]> {
  const found = new Set<string>();
  for (const table of ['learner_records', 'issues'] as const) {
    const rows = await db
      .selectFrom(table)
      .select('certificate_id')
      .distinct()
      .where('tenant_id', '=', query.tenantId)
      .where(dataField(engine, 'course', query.field), '=', query.value)
      .execute();
    for (const r of rows) found.add(r.certificate_id);
  }
  return [...found];
}

/**
 * The learners of a certificate whose `learner.<field>` the LMS gave as one of `values`, in their record or
 * their issue: for each value, the learner ids that carry it (two or more: the value is ambiguous).
 */
export async function learnersBy(
  db: Db,
  engine: Engine,
  query: { tenantId: string; certificateId: string; field: LearnerField; values: readonly string[] },
): Promise<Map<string, string[]>> {
  const found = new Map<string, Set<string>>();
  // Bounded lists of values per statement: far under either engine's limit on parameters.
  for (let i = 0; i < query.values.length; i += 500) {
    const values = [...new Set(query.values.slice(i, i + 500))];
    for (const table of ['learner_records', 'issues'] as const) {
      const field = dataField(engine, 'learner', query.field);
      const rows = await db
        .selectFrom(table)
        .select(['learner_id', field.as('value')])
        .distinct()
        .where('tenant_id', '=', query.tenantId)
        .where('certificate_id', '=', query.certificateId)
        .where(field, 'in', values)
        .execute();
      for (const r of rows) {
        const ids = found.get(r.value) ?? new Set<string>();
        ids.add(r.learner_id);
        found.set(r.value, ids);
      }
    }
  }
  return new Map([...found].map(([v, ids]) => [v, [...ids].sort()]));
}

/** A page of the issues of some certificates in the order they were made (created_at, then id), after a point. */
export function issuesInOrder(
  db: Db,
  query: {
    tenantId: string;
    certificateIds: readonly string[];
    after?: { createdAt: string; id: string };
    createdFrom?: string;
    limit: number;
  },
): Promise<IssueTable[]> {
  if (!query.certificateIds.length) return Promise.resolve([]);
  let q = db
    .selectFrom('issues')
    .selectAll()
    .where('tenant_id', '=', query.tenantId)
    .where('certificate_id', 'in', [...query.certificateIds]);
  const after = query.after;
  if (after)
    q = q.where((eb) =>
      eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]),
    );
  if (query.createdFrom !== undefined) q = q.where('created_at', '>=', query.createdFrom);
  return q.orderBy('created_at').orderBy('id').limit(query.limit).execute();
}

export const issueById = (db: Db, tenantId: string, id: string): Promise<IssueTable | undefined> =>
  db.selectFrom('issues').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const exportCursor = (db: Db, tenantId: string, caller: string, courseKey: string): Promise<MoodleExportCursorTable | undefined> =>
  cursors(db)
    .selectFrom('moodle_export_cursors')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('caller', '=', caller)
    .where('course_key', '=', courseKey)
    .executeTakeFirst();

export async function putExportCursor(db: Db, row: MoodleExportCursorTable): Promise<void> {
  await cursors(db)
    .insertInto('moodle_export_cursors')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'caller', 'course_key'])
        .doUpdateSet({ last_created_at: row.last_created_at, last_issue_id: row.last_issue_id, updated_at: row.updated_at }),
    )
    .execute();
}
