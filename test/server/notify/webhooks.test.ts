import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { runNotificationsOnce } from '../../../server/jobs/notifications';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, list, startApp, type Json, type Running } from '../../support/http';
import { startReceiver, type Receiver } from './receiver';

/**
 * Signed webhooks out, end to end over HTTP on both engines: a manager lists a loopback receiver, the
 * domain's changes of an issue reach it signed, failures are retried with a doubling delay (the test
 * moves the clock, nothing waits), every attempt is visible, a 2xx is final even with workers racing,
 * and a failed delivery can be replayed by hand.
 */
const pool = useRenderPool(1);
const RETRY = { firstDelayMs: 1000, maxAttempts: 3, maxDelayMs: 60_000 };
const round = (services: TestServices) => runNotificationsOnce(services, { webhooks: { retry: RETRY, timeoutMs: 5000 } });

describe.each(ENGINES)('webhooks out (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  let receiver: Receiver;
  let receiverId: string;
  const previous = process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;

  const ask = (learner: string) =>
    call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learner, available: true, data: learnerData() },
    });
  const deliveries = async () =>
    list((await call(app.base, 'GET', `/api/v1/webhook-receivers/${receiverId}/deliveries`, { token: admin })).json);

  beforeAll(async () => {
    // The receiver is on loopback: the installation allows it explicitly (refused by default, below).
    process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = '1';
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services, { settings: { delivery_lock: true }, certificate: { validity_days: 365 } });
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:view', 'certificate:apply', 'learners:supply-data', 'certificate:retrieve-own'],
      })
    ).token;
    receiver = await startReceiver();
    const made = await call(app.base, 'POST', '/api/v1/webhook-receivers', {
      token: admin,
      body: {
        url: receiver.url,
        events: ['issued', 'locked', 'unlocked', 'delivered', 'revoked', 'regenerated', 'expired'],
        description: 'the LMS',
      },
    });
    expect(made.status).toBe(201);
    receiver.secret = String(made.json.secret);
    receiverId = String(made.json.endpoint?.id);
  }, 60_000);
  afterAll(async () => {
    if (previous === undefined) delete process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
    else process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = previous;
    await receiver?.close();
    await app?.close();
  });

  it('shows the secret once, and lists the receiver without it', async () => {
    expect(receiver.secret).toMatch(/^whsec_/);
    const listed = await call(app.base, 'GET', '/api/v1/webhook-receivers', { token: admin });
    expect(listed.status).toBe(200);
    expect(list(listed.json)).toHaveLength(1);
    expect(listed.text).not.toContain(receiver.secret);
  });

  it('signs each event, retries failures with a doubling delay, and records every attempt', async () => {
    receiver.failFirst(2, 503);
    const asked = await ask('L1');
    expect(asked.status).toBe(201);
    const code = String(asked.json.issue?.code);

    expect((await round(services)).webhookAttempts).toBe(2); // issued, locked (the tenant's delivery lock)
    expect(receiver.received.map((r) => r.answered)).toEqual([503, 503]);
    // Not due yet: nothing is sent before the delay.
    services.clock.advance(999);
    expect((await round(services)).webhookAttempts).toBe(0);
    services.clock.advance(1);
    expect((await round(services)).webhookAttempts).toBe(2);
    // The second delay is twice the first.
    services.clock.advance(1999);
    expect((await round(services)).webhookAttempts).toBe(0);
    services.clock.advance(1);
    expect((await round(services)).webhookAttempts).toBe(2);
    services.clock.advance(3_600_000);
    expect((await round(services)).webhookAttempts).toBe(0);

    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect(receiver.received.every((r) => r.headers['x-attest-delivery'] === r.body.id)).toBe(true);
    expect(new Set(receiver.acknowledged).size).toBe(receiver.acknowledged.length);
    expect(
      receiver.received
        .filter((r) => r.answered === 200)
        .map((r) => r.event)
        .sort(),
    ).toEqual(['issued', 'locked']);
    const issued = receiver.received.find((r) => r.event === 'issued' && r.answered === 200)!;
    expect(issued.body.issue).toMatchObject({ code, learner_id: 'L1', locked: true, state: 'issued', revision: 1 });
    expect(issued.body.tenant).toBe(t.tenant.slug);
    expect(JSON.stringify(issued.body)).not.toContain('Camille'); // no learner data travels

    const listed = await deliveries();
    expect(listed.map((d) => [d.event, d.status, d.attempts, d.issueCode]).sort()).toEqual([
      ['issued', 'delivered', 3, code],
      ['locked', 'delivered', 3, code],
    ]);
    const one = await call(app.base, 'GET', `/api/v1/webhook-deliveries/${String(listed[0]!.id)}`, { token: admin });
    expect(one.status).toBe(200);
    const attempts = list(one.json.attemptHistory);
    expect(attempts.map((a) => a.statusCode)).toEqual([503, 503, 200]);
    expect(attempts.map((a) => a.number)).toEqual([1, 2, 3]);
    expect(String(attempts[0]!.responseSnippet)).toContain('try again later');
    expect(String(attempts[0]!.error)).toContain('503');
    expect(attempts[2]!.error).toBeNull();
    expect(typeof attempts[2]!.durationMs).toBe('number');

    // Acknowledged: a replay is refused, nothing is sent again.
    const replay = await call(app.base, 'POST', `/api/v1/webhook-deliveries/${String(listed[0]!.id)}/replay`, { token: admin });
    expect(replay.status).toBe(409);
    expect(replay.json.error?.code).toBe('DELIVERY_ALREADY_ACKNOWLEDGED');
  });

  it('tells unlocked, delivered, regenerated, revoked and expired, each once, even with workers racing', async () => {
    receiver.failFirst(0);
    const code = String((await ask('L2')).json.issue?.code);
    expect((await call(app.base, 'POST', '/api/v1/issues/unlock', { token: admin, body: { codes: [code], reason: 'paid' } })).status).toBe(
      200,
    );
    expect((await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms })).status).toBe(200);
    expect((await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, { token: admin, body: { reason: 'typo' } })).status).toBe(
      200,
    );
    const before = receiver.acknowledged.length;
    // Three workers at once (three processes on PostgreSQL would share the same rows).
    await Promise.all([round(services), round(services), round(services)]);
    const fresh = receiver.received.slice(-(receiver.acknowledged.length - before));
    expect(fresh.map((r) => r.event).sort()).toEqual(['delivered', 'issued', 'locked', 'regenerated', 'unlocked']);
    expect(new Set(receiver.acknowledged).size).toBe(receiver.acknowledged.length);
    expect(fresh.find((r) => r.event === 'unlocked')?.body.issue.locked).toBe(false);
    expect(fresh.find((r) => r.event === 'regenerated')?.body.issue.revision).toBe(2);

    expect((await call(app.base, 'POST', `/api/v1/issues/${code}/revoke`, { token: admin, body: { reason: 'error' } })).status).toBe(200);
    await round(services);
    expect(receiver.received.at(-1)?.event).toBe('revoked');
    expect(receiver.received.at(-1)?.body.issue.state).toBe('revoked');

    // 400 days on: L1's document is past its validity (L2's is revoked: not "expired"); found once.
    services.clock.advance(400 * 86_400_000);
    const n = receiver.acknowledged.length;
    const found = await Promise.all([round(services), round(services)]);
    expect(found.reduce((s, r) => s + r.expired, 0)).toBeGreaterThanOrEqual(1);
    await round(services);
    const expired = receiver.received.slice(n).filter((r) => r.event === 'expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]!.body.issue.learner_id).toBe('L1');
    expect(new Set(receiver.acknowledged).size).toBe(receiver.acknowledged.length);
  });

  it('gives up after the last attempt, and a manager replays it with a fresh budget', async () => {
    receiver.failFirst(100, 500);
    const code = String((await ask('L3')).json.issue?.code);
    for (let i = 0; i < 5; i++) {
      await round(services);
      services.clock.advance(60_000);
    }
    // (Issued past the validity the clock has moved beyond, it expires at once too: that one is left out here.)
    const failed = (await deliveries()).filter((d) => String(d.issueCode) === code && String(d.event) !== 'expired');
    expect(failed.map((d) => [d.status, d.attempts])).toEqual([
      ['failed', 3],
      ['failed', 3],
    ]);
    expect(failed.every((d) => d.nextAttemptAt === null)).toBe(true);
    receiver.failFirst(0);
    for (const d of failed) {
      const r = await call(app.base, 'POST', `/api/v1/webhook-deliveries/${String(d.id)}/replay`, { token: admin });
      expect(r.status).toBe(200);
      expect(r.json.status).toBe('pending');
    }
    await round(services);
    const after = (await deliveries()).filter((d) => String(d.issueCode) === code && String(d.event) !== 'expired');
    expect(after.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 4],
      ['delivered', 4],
    ]);
  });

  it('follows no redirect and keeps only the start of a large answer', async () => {
    receiver.answerWith({ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data' }, body: '' });
    const code = String((await ask('L6')).json.issue?.code);
    await round(services);
    const redirected = (await deliveries()).find((d) => String(d.issueCode) === code && String(d.event) === 'issued')!;
    expect(redirected.status).toBe('pending');
    const one = await call(app.base, 'GET', `/api/v1/webhook-deliveries/${String(redirected.id)}`, { token: admin });
    expect(list(one.json.attemptHistory)[0]!.statusCode).toBe(302);
    receiver.answerWith({ status: 200, body: 'y'.repeat(2_000_000) });
    services.clock.advance(60_000);
    await round(services);
    const done = await call(app.base, 'GET', `/api/v1/webhook-deliveries/${String(redirected.id)}`, { token: admin });
    expect(done.json.status).toBe('delivered');
    const last = list(done.json.attemptHistory).at(-1)!;
    expect(last.statusCode).toBe(200);
    expect(String(last.responseSnippet)).toBe('y'.repeat(500));
    receiver.answerWith(undefined);
  });

  it('refuses bad receivers, listing every problem', async () => {
    const make = (body: unknown, token = admin) => call(app.base, 'POST', '/api/v1/webhook-receivers', { token, body });
    const bad = await make({ url: 'ftp://lms.example/x', events: ['issued', 'paid'] });
    expect(bad.status).toBe(422);
    expect(bad.json.error?.code).toBe('RECEIVER_INVALID');
    expect(list(bad.json.error?.problems).map((p) => [p.path, p.code])).toEqual([
      ['url', 'URL_SCHEME'],
      ['events[1]', 'EVENT_UNKNOWN'],
    ]);
    expect((await make({ url: 'not a url', events: ['issued'] })).json.error?.problems?.[0]?.code).toBe('URL_INVALID');
    expect((await make({ url: 'https://u:p@lms.example/x', events: ['issued'] })).json.error?.problems?.[0]?.code).toBe('URL_CREDENTIALS');
    expect((await make({ url: 'https://lms.example/x', events: [] })).status).toBe(422);
    expect((await make({ url: `https://lms.example/${'x'.repeat(3000)}`, events: ['issued'] })).status).toBe(422);
    expect((await make({ url: 'https://lms.example/x', events: ['issued'], secret: 'mine' })).status).toBe(422);
    const oversized = await call(app.base, 'POST', '/api/v1/webhook-receivers', {
      token: admin,
      raw: JSON.stringify({ url: 'https://lms.example/x', events: ['issued'], description: 'x'.repeat(5_000_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect([413, 422]).toContain(oversized.status);

    // Private addresses, by default (the installation has not allowed them).
    delete process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
    try {
      for (const url of [
        'http://127.0.0.1:8080/x',
        'http://localhost/x',
        'http://10.1.2.3/x',
        'http://192.168.1.1/x',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]/x',
        'http://[::ffff:127.0.0.1]/x',
        'http://0.0.0.0/x',
        'http://metadata/x',
      ]) {
        const r = await make({ url, events: ['issued'] });
        expect([url, r.status, r.json.error?.problems?.[0]?.code]).toEqual([url, 422, 'URL_PRIVATE']);
      }
      // A receiver saved while allowed is not called once the installation stops allowing it.
      receiver.failFirst(0);
      const seen = receiver.received.length;
      const code = String((await ask('L4')).json.issue?.code);
      await round(services);
      expect(receiver.received.length).toBe(seen);
      const refused = (await deliveries()).find((d) => String(d.issueCode) === code && String(d.event) === 'issued')!;
      const attempts = list(
        (await call(app.base, 'GET', `/api/v1/webhook-deliveries/${String(refused.id)}`, { token: admin })).json.attemptHistory,
      );
      expect(String(attempts[0]!.error)).toContain('URL_PRIVATE');
    } finally {
      process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = '1';
    }
  });

  it('checks the capability and keeps tenants apart', async () => {
    const manager = (await createToken(services, t.system, { name: 'issues only', capabilities: ['issues:manage'] })).token;
    expect((await call(app.base, 'GET', '/api/v1/webhook-receivers', { token: manager })).status).toBe(403);
    expect((await call(app.base, 'GET', '/api/v1/webhook-receivers', {})).status).toBe(401);
    expect((await call(app.base, 'GET', '/api/v1/webhook-receivers', { token: 'att_forged' })).status).toBe(401);
    const d = (await deliveries())[0]!;
    expect((await call(app.base, 'POST', `/api/v1/webhook-deliveries/${String(d.id)}/replay`, { token: manager })).status).toBe(403);

    const other = await setupTenant(services);
    const stranger = (await createToken(services, other.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    const probes: [string, string][] = [
      ['GET', `/api/v1/webhook-receivers/${receiverId}/deliveries`],
      ['DELETE', `/api/v1/webhook-receivers/${receiverId}`],
      ['GET', `/api/v1/webhook-deliveries/${String(d.id)}`],
      ['POST', `/api/v1/webhook-deliveries/${String(d.id)}/replay`],
    ];
    for (const [method, path] of probes) {
      const r = await call(app.base, method, path, { token: stranger });
      expect([path, r.status]).toEqual([path, 404]);
    }
    expect(list((await call(app.base, 'GET', '/api/v1/webhook-receivers', { token: stranger })).json)).toEqual([]);
    // The receiver is still there for its own tenant, and deleting it stops its deliveries.
    expect((await call(app.base, 'DELETE', `/api/v1/webhook-receivers/${receiverId}`, { token: admin })).status).toBe(200);
    expect((await call(app.base, 'GET', `/api/v1/webhook-deliveries/${String(d.id)}`, { token: admin })).status).toBe(404);
    const seen = receiver.received.length;
    await ask('L5');
    await round(services);
    expect(receiver.received.length).toBe(seen);
  });
});

export type { Json };
