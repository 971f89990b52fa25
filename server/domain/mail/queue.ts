import type { Db } from '../../storage/db';
import type { IssueTable } from '../../storage/schema';
import type { IssueEventTable } from '../../storage/schema-notifications';

export async function queueIssueMail(_trx: Db, _events: readonly { event: IssueEventTable; issue: IssueTable }[]): Promise<void> {}
