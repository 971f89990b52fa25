import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestDocument } from '../../../server/domain/issues';
import { setCertificateMail } from '../../../server/domain/mail/certificate-mail';
import { issueMail } from '../../../server/domain/mail/messages';
import { setSmtpSettings } from '../../../server/domain/mail/smtp-settings';
import { createEndpoint, listDeliveries, listEndpoints } from '../../../server/domain/webhooks-out/endpoints';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { startReceiver, type Receiver } from '../notify/receiver';
import { startSmtp, type Smtp } from '../notify/smtp';
import { attest } from './attest';

/**
 * `attest notifications` against a real database on both engines, a loopback webhook receiver and a
 * loopback SMTP server: the queue's state per tenant, a round of what is due (the receiver fails first),
 * a replay by delivery id (refused once acknowledged), a resend by message id, the tenant rules (another
 * tenant's ids are not found, a tenant must be named). One call goes through bin/attest.mjs as an
 * operator's cron would run it.
 */
const pool = useRenderPool(1);
const run = promisify(execFile);

interface Status {
  tenant: string;
  webhooks: { receivers: number; pending: number; delivered: number; failed: number; oldestDue: string | null };
  mail: { smtp: boolean; queued: number; deferred: number; sent: number; failed: number; oldestDue: string | null };
}

describe.each(ENGINES)('attest notifications (%s)', (engine) => {
  let s: TestServices;
  let t: TenantFixture;
  let other: TenantFixture;
  let receiver: Receiver;
  let smtp: Smtp;
  let code = '';
  const previous = process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
  const db = () => ['--database', s.url];
  const status = async (slug = t.tenant.slug): Promise<Status> => {
    const r = await attest('notifications', 'status', '--tenant', slug, '--json', ...db());
    expect(r.code, r.err).toBe(0);
    return (JSON.parse(r.out) as Status[])[0]!;
  };

  beforeAll(async () => {
    process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = '1';
    s = await freshServices(engine, { pool: pool() });
    t = await setupTenant(s);
    other = await setupTenant(s);
    receiver = await startReceiver();
    smtp = await startSmtp({ user: 'attest', pass: 'pw-cli' });
    receiver.secret = (await createEndpoint(s, t.system, { url: receiver.url, events: ['issued'] })).secret;
    await setSmtpSettings(s, t.system, {
      host: '127.0.0.1',
      port: smtp.port,
      user: 'attest',
      password: 'pw-cli',
      from: 'formation@example.org',
    });
    await setCertificateMail(s, t.system, t.certificate.id, { learner: 'none', others: ['rh@example.org'] });
    const asked = await requestDocument(s, t.lms, {
      certificateId: t.certificate.id,
      learnerId: 'L1',
      data: learnerData(),
      available: true,
    });
    code = asked.issue.code;
  }, 60_000);
  afterAll(async () => {
    if (previous === undefined) delete process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
    else process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = previous;
    await receiver?.close();
    await smtp?.close();
  });

  it('says what waits, sends it in a round, and replays a delivery that failed', async () => {
    const before = await status();
    expect(before.webhooks).toMatchObject({ receivers: 1, pending: 1, delivered: 0, failed: 0 });
    expect(before.webhooks.oldestDue).not.toBeNull();
    expect(before.mail).toMatchObject({ smtp: true, queued: 1, sent: 0 });
    // The other tenant has nothing, and a round for it sends nothing of this one's.
    expect((await status(other.tenant.slug)).webhooks.pending).toBe(0);
    const none = await attest('notifications', 'run', '--tenant', other.tenant.slug, '--json', ...db());
    expect(none.code, none.err).toBe(0);
    expect(JSON.parse(none.out)).toMatchObject({ webhookAttempts: 0, mailAttempts: 0 });
    expect(receiver.received).toHaveLength(0);

    const dry = await attest('notifications', 'run', '--tenant', t.tenant.slug, '--dry-run', ...db());
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('(dry run, nothing written)');
    expect(receiver.received).toHaveLength(0);
    expect(smtp.messages).toHaveLength(0);

    receiver.failFirst(1, 503);
    const round = await attest('notifications', 'run', '--tenant', t.tenant.slug, ...db());
    expect(round.code, round.err).toBe(0);
    expect(round.out).toContain('1 webhook attempt, 1 mail attempt');
    expect(receiver.received.map((r) => r.answered)).toEqual([503]);
    expect(smtp.messages).toHaveLength(1);
    const after = await status();
    expect(after.webhooks).toMatchObject({ pending: 1, delivered: 0 });
    expect(after.mail).toMatchObject({ queued: 0, sent: 1 });

    // Waiting a minute for its retry: replayed by id, it goes at the next round.
    const [delivery] = await listDeliveries(s, t.system, (await listEndpoints(s, t.system))[0]!.id);
    const replay = await attest('notifications', 'replay', '--tenant', t.tenant.slug, '--delivery', delivery!.id, ...db());
    expect(replay.code, replay.err).toBe(0);
    expect(replay.out).toContain(`delivery ${delivery!.id} (issued) is due again now`);
    expect((await attest('notifications', 'run', '--all-tenants', ...db())).code).toBe(0);
    expect(receiver.received.map((r) => r.answered)).toEqual([503, 200]);
    expect((await status()).webhooks).toMatchObject({ pending: 0, delivered: 1 });

    // Acknowledged with a 2xx: not sent again.
    const again = await attest('notifications', 'replay', '--tenant', t.tenant.slug, '--delivery', delivery!.id, ...db());
    expect(again.code).toBe(1);
    expect(again.err).toContain('DELIVERY_ALREADY_ACKNOWLEDGED');
    const dryAgain = await attest('notifications', 'replay', '--tenant', t.tenant.slug, '--delivery', delivery!.id, '--dry-run', ...db());
    expect(dryAgain.code).toBe(1);
    expect(dryAgain.err).toContain('DELIVERY_ALREADY_ACKNOWLEDGED');
    // Another tenant's delivery is not found through this one.
    const elsewhere = await attest('notifications', 'replay', '--tenant', other.tenant.slug, '--delivery', delivery!.id, ...db());
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.err).toContain('NOT_FOUND');
  });

  it('sends a message again by id', async () => {
    const [message] = await issueMail(s, t.system, code);
    expect(message).toMatchObject({ status: 'sent', recipient: 'rh@example.org' });
    const dry = await attest('notifications', 'resend', '--tenant', t.tenant.slug, '--message', message!.id, '--dry-run', ...db());
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('would be queued again');
    expect((await status()).mail).toMatchObject({ queued: 0, sent: 1 });
    const resend = await attest('notifications', 'resend', '--tenant', t.tenant.slug, '--message', message!.id, '--json', ...db());
    expect(resend.code, resend.err).toBe(0);
    expect(JSON.parse(resend.out)).toMatchObject({ tenant: t.tenant.slug, message: { id: message!.id, status: 'queued' } });
    expect((await status()).mail).toMatchObject({ queued: 1, sent: 0 });
    // Through the real binary, as cron runs it.
    const { stdout } = await run('node', ['bin/attest.mjs', 'notifications', 'run', '--tenant', t.tenant.slug, '--json', ...db()], {
      env: { ...process.env, ATTEST_ALLOW_PRIVATE_RECEIVERS: '1' },
    });
    expect(JSON.parse(stdout)).toMatchObject({ mailAttempts: 1, tenants: [{ tenant: t.tenant.slug, mail: { sent: 1, queued: 0 } }] });
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1]!.subject).toContain('Attestation délivrée');
  }, 30_000);

  it('asks for a tenant, and refuses ids and tenants it does not know', async () => {
    const bare = await attest('notifications', 'status', ...db());
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('--tenant');
    expect((await attest('notifications', 'status', '--tenant', 'nowhere', ...db())).code).toBe(1);
    const missing = await attest('notifications', 'resend', '--all-tenants', '--message', 'no-such-id', ...db());
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('NOT_FOUND');
    expect((await attest('notifications', 'run', '--tenant', t.tenant.slug, '--max-rounds', '0', ...db())).code).toBe(2);
  });
});
