import type { Db } from '../db';
import type { IssueReminderTable, IssueTable } from '../schema';

/** Expiry reminders (migration 014): the certificates that have some, the issues due, the rows that send each once. */

/** Certificates whose settings name reminders (their settings are read by the caller). */
export const certificatesWithReminders = (db: Db): Promise<{ id: string; tenant_id: string; settings: string }[]> =>
  db.selectFrom('certificates').select(['id', 'tenant_id', 'settings']).where('settings', 'like', '%"reminders"%').execute();

/**
 * A certificate's current, unrevoked documents expiring between today and `until` (inclusive) that have no
 * reminder row for `daysBefore` yet.
 */
export const issuesDueForReminder = (
  db: Db,
  certificateId: string,
  today: string,
  until: string,
  daysBefore: number,
  limit: number,
): Promise<IssueTable[]> =>
  db
    .selectFrom('issues')
    .selectAll()
    .where('certificate_id', '=', certificateId)
    .where('state', '=', 'issued')
    .where('superseded_by', 'is', null)
    .where('expires_on', 'is not', null)
    .where('expires_on', '>=', today)
    .where('expires_on', '<=', until)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('issue_reminders')
            .select('issue_reminders.issue_id')
            .whereRef('issue_reminders.issue_id', '=', 'issues.id')
            .where('issue_reminders.days_before', '=', daysBefore),
        ),
      ),
    )
    .orderBy('id')
    .limit(limit)
    .execute();

/** Records a reminder as due, unless a row exists already (another process, an earlier round); whether this call did. */
export async function insertReminder(db: Db, row: IssueReminderTable): Promise<boolean> {
  const r = await db
    .insertInto('issue_reminders')
    .values(row)
    .onConflict((oc) => oc.columns(['issue_id', 'days_before']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export const remindersOf = (db: Db, issueId: string): Promise<IssueReminderTable[]> =>
  db.selectFrom('issue_reminders').selectAll().where('issue_id', '=', issueId).orderBy('days_before', 'desc').execute();
