import type { Db } from '../db';

/** What a bulk export or listing reads beside the issues themselves: their current revision, version numbers. */

/** The current revision's row of each issue (what `retrieveDocument` hands out): its hash and size. */
export async function currentRevisions(db: Db, issueIds: readonly string[]): Promise<{ issue_id: string; sha256: string; size: number }[]> {
  if (!issueIds.length) return [];
  return db
    .selectFrom('documents')
    .innerJoin('issues', (join) => join.onRef('issues.id', '=', 'documents.issue_id').onRef('issues.revision', '=', 'documents.revision'))
    .select(['documents.issue_id', 'documents.sha256', 'documents.size'])
    .where('documents.issue_id', 'in', [...issueIds])
    .execute();
}

/** Template version numbers by id, in a tenant. */
export const versionNumbers = async (db: Db, tenantId: string, ids: readonly string[]): Promise<{ id: string; number: number }[]> =>
  ids.length
    ? db
        .selectFrom('template_versions')
        .select(['id', 'number'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .execute()
    : [];
