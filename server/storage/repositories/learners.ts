import type { Db } from '../db';
import type { LearnerLinkTable, LearnerRecordTable } from '../schema';

/** Which LMS learner a person is, and what trusted sources said of learners. */
export const linkedLearnerOf = (db: Db, tenantId: string, personId: string): Promise<string | undefined> =>
  db
    .selectFrom('learner_links')
    .select('learner_id')
    .where('person_id', '=', personId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst()
    .then((r) => r?.learner_id);

export const personLinkedTo = (db: Db, tenantId: string, learnerId: string): Promise<string | undefined> =>
  db
    .selectFrom('learner_links')
    .select('person_id')
    .where('tenant_id', '=', tenantId)
    .where('learner_id', '=', learnerId)
    .executeTakeFirst()
    .then((r) => r?.person_id);

export async function unlinkPerson(db: Db, personId: string): Promise<void> {
  await db.deleteFrom('learner_links').where('person_id', '=', personId).execute();
}

export async function insertLearnerLink(db: Db, row: LearnerLinkTable): Promise<void> {
  await db.insertInto('learner_links').values(row).execute();
}

export const learnerRecord = (
  db: Db,
  tenantId: string,
  certificateId: string,
  learnerId: string,
): Promise<LearnerRecordTable | undefined> =>
  db
    .selectFrom('learner_records')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('certificate_id', '=', certificateId)
    .where('learner_id', '=', learnerId)
    .executeTakeFirst();

/** Replaces the learner's previous record for the certificate. */
export async function putLearnerRecord(db: Db, row: LearnerRecordTable): Promise<void> {
  const { tenant_id: _t, certificate_id: _c, learner_id: _l, ...changes } = row;
  await db
    .insertInto('learner_records')
    .values(row)
    .onConflict((oc) => oc.columns(['certificate_id', 'learner_id']).doUpdateSet(changes))
    .execute();
}
