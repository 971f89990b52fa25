/**
 * A second server process for the concurrency test of recertification.test.ts: it opens the same
 * database, says "ready", and on a line from its parent re-issues the document, printing what it got.
 * Run as `node --import tsx test/server/http/reissue-process.ts <database-url> <token> <code> <now>`.
 */
import { reissueIssue } from '../../../server/domain/issues';
import { authenticateToken } from '../../../server/domain/tokens';
import { DomainError } from '../../../server/domain/errors';
import { openServices } from '../../../server/services';

const [url, token, code, now] = process.argv.slice(2) as [string, string, string, string];
const services = await openServices({ databaseUrl: url, baseUrl: 'https://attest.test', render: { size: 1 }, now: () => new Date(now) });
const actor = await authenticateToken(services, token);
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  void reissueIssue(services, actor, code, { reason: 'from the second process' })
    .then((r) => ({ created: r.created, code: r.issue.code }))
    .catch((e: unknown) => (e instanceof DomainError ? { error: e.code, details: e.extra.details } : { error: String(e) }))
    .then(async (answer) => {
      process.stdout.write(`${JSON.stringify(answer)}\n`);
      await services.close();
      process.exit(0);
    });
});
