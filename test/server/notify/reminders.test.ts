import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import type { Services } from '../../../server/domain/context';
import { queueDueReminders } from '../../../server/domain/reminders';
import { createToken } from '../../../server/domain/tokens';
import { runNotificationsOnce } from '../../../server/jobs/notifications';
import { openStorage } from '../../../server/storage/database';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';
import { startSmtp, type Smtp } from './smtp';

/**
 * Expiry reminders end to end over HTTP on both engines, read back from a real SMTP server on loopback:
 * each reminder at its clock time, to the learner and their managers, exactly once each (two processes
 * sharing the database, a restart), in the certificate's words or the defaults; none for a revoked
 * document, none for one a re-issue renewed, and one queued before a revocation is dropped.
 */
const pool = useRenderPool(1);
const RETRY = { firstDelayMs: 1000, maxAttempts: 3, maxDelayMs: 60_000 };
const round = (services: Services) => runNotificationsOnce(services, { mail: { retry: RETRY, timeoutMs: 5000 } });

describe.each(ENGINES)('expiry reminders (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  let smtp: Smtp;
  const previous = process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;

  const ask = (learner: string, completed: string, managers?: { email: string; name?: string }[]) => {
    const data = learnerData({ completion: { completed: true, date: completed } });
    data.learner = { ...(data.learner as object), email: `${learner}@example.org`, ...(managers ? { managers } : {}) };
    return call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learner, available: true, data },
    });
  };
  const to = (address: string) => smtp.messages.filter((m) => JSON.stringify(m.to).includes(address));
  const at = (day: string) => services.clock.set(`${day}T09:00:00.000Z`);

  beforeAll(async () => {
    process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = '1';
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services, { settings: { locale: 'fr' } });
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:view', 'certificate:apply', 'learners:supply-data', 'certificate:retrieve-own'],
      })
    ).token;
    smtp = await startSmtp({ user: 'attest', pass: 'smtp-secret-1' });
    const mail = await call(app.base, 'PUT', '/api/v1/tenant/mail', {
      token: admin,
      body: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'attest', password: 'smtp-secret-1', from: 'formation@example.org' },
    });
    expect(mail.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    if (previous === undefined) delete process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
    else process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = previous;
    await smtp?.close();
    await app?.close();
  });

  it('checks the reminder settings and the reminder words', async () => {
    const dup = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { validity_days: 40, reminders: [{ days_before: 7 }, { days_before: 7 }] } },
    });
    expect(dup.status).toBe(422);
    expect(JSON.stringify(dup.json)).toContain('REMINDER_DUPLICATE');
    const neg = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { reminders: [{ days_before: 0 }] } },
    });
    expect(neg.status).toBe(422);
    const ok = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: {
        settings: { validity_days: 40, reminders: [{ days_before: 30 }, { days_before: 7 }], remind_managers: true, recertification: {} },
      },
    });
    expect(ok.status).toBe(200);
    const badWords = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/mail`, {
      token: admin,
      body: { templates: { fr: { reminder: { subject: 'Rappel {{ certificat.code }}', text: 'x' } } } },
    });
    expect(badWords.status).toBe(422);
    expect(list(badWords.json.error?.problems).map((p) => p.path)).toEqual(['templates.fr.reminder.subject']);
    const words = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/mail`, {
      token: admin,
      body: {
        templates: {
          fr: {
            manager_reminder: {
              subject: 'Échéance de {{ learner.fullname }} : J-{{ mail.days_left | default: 0 }}',
              text: 'Le document {{ certificate.code | default: "" }} expire le {{ certificate.expires | date: "dd/MM/yyyy" }}.',
            },
          },
        },
      },
    });
    expect(words.status).toBe(200);
    // The manager's address is typed: a bad one is refused with its path, before anything is made.
    const bad = await ask('bad-manager', '2026-03-09', [{ email: 'not an address' }]);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.json)).toContain('data.learner.managers[0].email');
  });

  it('reminds the learner and their managers at each offset, once each, across processes and restarts', async () => {
    at('2026-03-10');
    const a = await ask('anna', '2026-03-09', [{ email: 'chef@example.org', name: 'Nadia Roux' }]);
    expect(a.status).toBe(201);
    const code = String(a.json.issue?.code);
    // Completed 2026-03-09, valid 40 days: expires 2026-04-18; reminders due 2026-03-19 and 2026-04-11.
    expect(a.json.issue?.expiresOn).toBe('2026-04-18');
    await round(services);
    expect(to('anna@example.org')).toHaveLength(0);

    at('2026-03-18');
    await round(services);
    expect(to('anna@example.org')).toHaveLength(0);

    at('2026-03-19');
    await round(services);
    const first = to('anna@example.org');
    expect(first).toHaveLength(1);
    expect(first[0]!.subject).toMatch(/^Votre attestation expire le 18 avril 2026$/);
    expect(first[0]!.text).toContain(code);
    expect(first[0]!.text).toContain('dans 30 jour(s)');
    const boss = to('chef@example.org');
    expect(boss).toHaveLength(1);
    // The certificate's own words for managers, in the tenant's language.
    expect(boss[0]!.subject).toBe('Échéance de Camille Martin : J-30');
    expect(boss[0]!.text).toContain('expire le 18/04/2026');
    await round(services);
    at('2026-03-25');
    await round(services);
    expect(to('anna@example.org')).toHaveLength(1);

    // The messages are the document's, with their status, like every other message.
    const mail = list((await call(app.base, 'GET', `/api/v1/issues/${code}/mail`, { token: admin })).json);
    expect(mail.map((m) => [m.kind, m.recipient, m.status]).sort()).toEqual([
      ['manager-reminder', 'chef@example.org', 'sent'],
      ['reminder', 'anna@example.org', 'sent'],
    ]);

    // Two processes sharing the database, both running their round when the 7-day reminder falls due: at
    // once on PostgreSQL (replicas); one after the other on SQLite, whose writers take turns (one machine;
    // two connections of one Node process would wait on each other's lock synchronously).
    at('2026-04-11');
    const other = await openStorage(services.url);
    try {
      const second: Services = { ...services, storage: other };
      if (engine === 'postgres') await Promise.all([round(services), round(second), round(second)]);
      else {
        await round(second);
        await round(services);
      }
    } finally {
      await other.close();
    }
    expect(to('anna@example.org')).toHaveLength(2);
    expect(to('anna@example.org')[1]!.text).toContain('dans 7 jour(s)');
    expect(to('chef@example.org')).toHaveLength(2);

    // A restart: a new process on the same database finds nothing left to send.
    const restarted = await openStorage(services.url);
    try {
      await round({ ...services, storage: restarted });
    } finally {
      await restarted.close();
    }
    at('2026-04-18');
    await round(services);
    at('2026-04-20');
    await round(services);
    expect(to('anna@example.org')).toHaveLength(2);
  });

  it('sends only the nearest reminder when several fall due at once', async () => {
    at('2026-03-10');
    // Completed long ago: expires 2026-03-15, both offsets are due today.
    const late = await ask('bruno', '2026-02-03');
    expect(late.json.issue?.expiresOn).toBe('2026-03-15');
    await round(services);
    const sent = to('bruno@example.org');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('dans 5 jour(s)');
    at('2026-03-14');
    await round(services);
    expect(to('bruno@example.org')).toHaveLength(1);
  });

  it('reminds no revoked document, and drops a reminder queued before the revocation', async () => {
    at('2026-03-10');
    const revoked = String((await ask('carla', '2026-03-09')).json.issue?.code);
    const queued = String((await ask('dario', '2026-03-09')).json.issue?.code);
    expect((await call(app.base, 'POST', `/api/v1/issues/${revoked}/revoke`, { token: admin, body: { reason: 'fraud' } })).status).toBe(
      200,
    );
    at('2026-03-19');
    // Queued, not yet sent, when the document is revoked.
    expect(await queueDueReminders(services)).toBeGreaterThanOrEqual(1);
    expect((await call(app.base, 'POST', `/api/v1/issues/${queued}/revoke`, { token: admin, body: { reason: 'error' } })).status).toBe(200);
    await round(services);
    at('2026-04-11');
    await round(services);
    expect(to('carla@example.org')).toHaveLength(0);
    expect(to('dario@example.org')).toHaveLength(0);
    const mail = list((await call(app.base, 'GET', `/api/v1/issues/${queued}/mail`, { token: admin })).json);
    // The learner's reminder and their manager's (the persona's), both dropped: neither went.
    expect(mail.map((m) => [m.kind, m.status, String(m.error)]).sort()).toEqual([
      ['manager-reminder', 'failed', 'The document was revoked before it was sent.'],
      ['reminder', 'failed', 'The document was revoked before it was sent.'],
    ]);
    expect(to('nadia.roux@example.org').filter((m) => m.text?.includes(queued))).toHaveLength(0);
  });

  it('reminds no document a re-issue renewed; the new one is reminded on its own dates', async () => {
    at('2026-03-10');
    const old = await ask('elsa', '2026-03-09');
    const oldCode = String(old.json.issue?.code);
    // The course retaken: a later completion date makes a new document (recertification is on).
    at('2026-03-15');
    const renewed = await ask('elsa', '2026-03-14');
    expect(renewed.status).toBe(201);
    const newCode = String(renewed.json.issue?.code);
    expect(newCode).not.toBe(oldCode);
    expect(renewed.json.issue?.expiresOn).toBe('2026-04-23');
    at('2026-03-19');
    await round(services);
    expect(to('elsa@example.org')).toHaveLength(0);
    at('2026-03-24');
    await round(services);
    const sent = to('elsa@example.org');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain(newCode);
    expect(sent[0]!.text).not.toContain(oldCode);
  });
});
