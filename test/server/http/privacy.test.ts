import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEFAULT_ROLES } from '../../../server/domain/capabilities';
import { createCertificate } from '../../../server/domain/certificates';
import { importIssue } from '../../../server/domain/imports';
import { linkLearner } from '../../../server/domain/learners';
import { createPerson } from '../../../server/domain/people';
import { createToken } from '../../../server/domain/tokens';
import { runNotificationsOnce } from '../../../server/jobs/notifications';
import { LEARNER_TABLES, NOT_ABOUT_LEARNERS, tableNames } from '../../../server/storage/repositories/learner-data';
import {
  ENGINES,
  domainFailure,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, startApp, type Running } from '../../support/http';
import { readZip } from '../../support/zip';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';
import { startSmtp, type Smtp } from '../notify/smtp';
import { startReceiver, type Receiver } from '../notify/receiver';
import { attest } from '../cli/attest';

/**
 * A learner's data on request, end to end over HTTP on both engines: a learner with a distinctive name in
 * several scripts, several documents (one regenerated), mail really sent over SMTP, webhooks really
 * delivered, a refusal, a verification, an idempotent request, an Attest account linked to them. The
 * export holds every part (PDFs parsed back); after the erasure no table, no column and no file under
 * the data directory holds any part of their name, email or id — in any case, raw or JSON-escaped —,
 * their codes verify as withdrawn, one anonymous audit entry says it happened, and other learners are
 * untouched.
 */
const pool = useRenderPool(1);
const RETRY = { firstDelayMs: 1000, maxAttempts: 3, maxDelayMs: 60_000 };

const ZOE = {
  id: "lms/Zoë Ø'Brien-Ñúñez#42",
  firstname: 'Zoë',
  lastname: "Ø'Brien-Ñúñez",
  email: 'zoe.obrien-nunez.4242@example.org',
  needles: ['Zoë', "Ø'Brien", 'Ñúñez', 'zoe.obrien-nunez.4242', "lms/Zoë Ø'Brien-Ñúñez#42"],
};
const LAYLA = {
  id: 'ar-ليلى-7001',
  firstname: 'ليلى',
  lastname: 'بن عبد الرحمن',
  email: 'layla.benabderrahmane.7001@example.org',
  needles: ['ليلى', 'عبد الرحمن', 'layla.benabderrahmane', 'ar-ليلى-7001'],
};

/** The forms a text can take in storage: as is, JSON-escaped (\u00eb, either case), and their lower/upper cases. */
function forms(needle: string): string[] {
  const escaped = [...needle].map((c) => (c.charCodeAt(0) > 0x7e ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('');
  return [...new Set([needle, escaped, escaped.toUpperCase().replace(/\\U/g, '\\u')])];
}

function found(text: string, needles: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return needles.flatMap((n) => forms(n).filter((f) => lower.includes(f.toLowerCase())));
}

/** Bytes searched as UTF-8 and as UTF-16 (BE and LE: PDF strings, some drivers). */
function foundInBytes(bytes: Buffer, needles: readonly string[]): string[] {
  const even = (b: Buffer) => (b.length % 2 ? b.subarray(0, b.length - 1) : b);
  const texts = [
    bytes.toString('utf8'),
    ...[bytes, bytes.subarray(1)].flatMap((b) => [even(b).toString('utf16le'), Buffer.from(even(b)).swap16().toString('utf16le')]),
  ];
  return [...new Set(texts.flatMap((t) => found(t, needles)))];
}

/** Every text, JSON and byte value of every table, introspected from the engine's catalogue. */
async function everyValue(services: TestServices): Promise<{ table: string; column: string; text: string }[]> {
  const out: { table: string; column: string; text: string }[] = [];
  const db = services.storage.db;
  const tables =
    services.engine === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map((r) => r.name)
      : (
          await sql<{
            name: string;
          }>`select table_schema || '.' || table_name as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`.execute(
            db,
          )
        ).rows.map((r) => r.name);
  for (const table of tables) {
    const quoted = table
      .split('.')
      .map((p) => `"${p}"`)
      .join('.');
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.raw(quoted)}`.execute(db)).rows;
    for (const row of rows)
      for (const [column, v] of Object.entries(row)) {
        if (v === null || v === undefined) continue;
        if (v instanceof Uint8Array) out.push({ table, column, text: Buffer.from(v).toString('latin1') + Buffer.from(v).toString('utf8') });
        else out.push({ table, column, text: typeof v === 'string' ? v : JSON.stringify(v) });
      }
  }
  return out;
}

describe.each(ENGINES)('learner privacy (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  let learnerToken: string;
  let otherTenantAdmin: string;
  let smtp: Smtp;
  let receiver: Receiver;
  let cert2: string;
  let cert3: string;
  let cert4: string;
  const codes: Record<string, string[]> = {};
  const previous = process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
  const enc = encodeURIComponent;

  const ask = (
    certificate: string,
    who: { id: string; firstname: string; lastname: string; email: string },
    available = true,
    key?: string,
  ) => {
    const data = learnerData();
    data.learner = {
      ...(data.learner as object),
      firstname: who.firstname,
      lastname: who.lastname,
      fullname: `${who.firstname} ${who.lastname}`,
      email: who.email,
    };
    return call(app.base, 'POST', `/api/v1/certificates/${certificate}/issues`, {
      token: lms,
      body: { learner_id: who.id, available, data },
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });
  };
  const round = () =>
    runNotificationsOnce(services, { mail: { retry: RETRY, timeoutMs: 5000 }, webhooks: { retry: RETRY, timeoutMs: 5000 } });

  function filesUnder(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  }

  /** Where any of the needles is: table.column, and on SQLite every file under the data directory (database, WAL, PDFs). */
  async function traces(needles: readonly string[]): Promise<string[]> {
    return [...(await inTables(needles)), ...inFiles(needles)];
  }
  async function inTables(needles: readonly string[]): Promise<string[]> {
    return (await everyValue(services)).flatMap((v) => found(v.text, needles).map((n) => `${v.table}.${v.column}: ${n}`));
  }
  function inFiles(needles: readonly string[]): string[] {
    if (engine !== 'sqlite') return [];
    return filesUnder(dirname(services.url)).flatMap((file) => foundInBytes(readFileSync(file), needles).map((n) => `${file}: ${n}`));
  }

  beforeAll(async () => {
    process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = '1';
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services, { settings: { delivery_lock: false, locale: 'fr' } });
    cert2 = (
      await createCertificate(services, t.system, {
        name: 'Habilitation électrique',
        templateVersionId: t.version.id,
        courseId: 'course-2',
        settings: {},
      })
    ).id;
    cert3 = (
      await createCertificate(services, t.system, {
        name: 'Gestes et postures',
        templateVersionId: t.version.id,
        courseId: 'course-3',
        settings: {},
      })
    ).id;
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (await createToken(services, t.system, { name: 'lms', capabilities: [...DEFAULT_ROLES.lms!] })).token;
    learnerToken = (await createToken(services, t.system, { name: 'learner', capabilities: [...DEFAULT_ROLES.learner!] })).token;
    const other = await setupTenant(services);
    otherTenantAdmin = (await createToken(services, other.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;

    smtp = await startSmtp({ user: 'attest', pass: 'smtp-secret-1' });
    receiver = await startReceiver();
    expect(
      (
        await call(app.base, 'PUT', '/api/v1/tenant/mail', {
          token: admin,
          body: {
            host: '127.0.0.1',
            port: smtp.port,
            secure: false,
            user: 'attest',
            password: 'smtp-secret-1',
            from: 'formation@example.org',
          },
        })
      ).status,
    ).toBe(200);
    for (const c of [t.certificate.id, cert2])
      expect(
        (await call(app.base, 'PUT', `/api/v1/certificates/${c}/mail`, { token: admin, body: { learner: 'attachment' } })).status,
      ).toBe(200);
    const made = await call(app.base, 'POST', '/api/v1/webhook-receivers', {
      token: admin,
      body: { url: receiver.url, events: ['issued', 'delivered', 'regenerated'], description: 'the LMS' },
    });
    expect(made.status).toBe(201);
    receiver.secret = String(made.json.secret);

    // Zoë: two documents (the first regenerated), a refusal, a check, a download, an idempotent request, an account.
    for (const who of [ZOE, LAYLA]) {
      const first = await ask(t.certificate.id, who, true, `key-${who.email}`);
      expect(first.status).toBe(201);
      codes[who.id] = [String(first.json.issue?.code)];
    }
    const second = await ask(cert2, ZOE);
    expect(second.status).toBe(201);
    codes[ZOE.id]!.push(String(second.json.issue?.code));
    const [z1] = codes[ZOE.id]!;
    expect(
      (await call(app.base, 'POST', `/api/v1/issues/${z1}/regenerate`, { token: admin, body: { reason: 'typo' } })).json.revision,
    ).toBe(2);
    expect((await ask(cert3, ZOE, false)).status).toBe(403);
    // A manager enters their record (an audit entry whose subject is `<certificate>:<learner>`).
    const record = learnerData();
    record.learner = { firstname: ZOE.firstname, lastname: ZOE.lastname, email: ZOE.email };
    const put = await call(app.base, 'PUT', `/api/v1/certificates/${cert3}/learner-records`, {
      token: admin,
      body: { learner_id: ZOE.id, available: false, unavailable_reason: 'pas encore', data: record },
    });
    expect(put.status).toBe(200);
    expect((await call(app.base, 'GET', `/api/v1/verify/${z1}`)).json.status).toBe('valid');
    expect((await call(app.base, 'GET', `/api/v1/issues/${z1}/document`, { token: admin })).status).toBe(200);
    // A document of theirs deleted earlier: its audit entry and its webhook events outlive it, and name them.
    cert4 = (
      await createCertificate(services, t.system, {
        name: 'Premiers secours',
        templateVersionId: t.version.id,
        courseId: 'course-4',
        settings: {},
      })
    ).id;
    const gone = await ask(cert4, ZOE);
    expect(gone.status).toBe(201);
    codes.deleted = [String(gone.json.issue?.code)];
    await round();
    expect((await call(app.base, 'DELETE', `/api/v1/issues/${String(gone.json.issue?.code)}`, { token: admin })).status).toBe(204);
    const person = await createPerson(services, t.system, {
      username: 'zoe.obrien-nunez.4242',
      displayName: `${ZOE.firstname} ${ZOE.lastname}`,
      email: ZOE.email,
      roles: ['learner'],
    });
    await linkLearner(services, t.system, person.id, ZOE.id);
    // Someone else, untouched by the erasures.
    const camille = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: 'camille-1', available: true, data: learnerData() },
    });
    codes['camille-1'] = [String(camille.json.issue?.code)];
    await round();
    await round();
    expect(smtp.messages.some((m) => JSON.stringify(m.to).includes(ZOE.email))).toBe(true);
    expect(receiver.acknowledged.length).toBeGreaterThanOrEqual(4);
  }, 120_000);

  afterAll(async () => {
    if (previous === undefined) delete process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
    else process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = previous;
    await smtp?.close();
    await receiver?.close();
    await app?.close();
  });

  it('names every table of the database once: in the list of where a learner is, or as holding nobody', async () => {
    const listed = LEARNER_TABLES.map((e) => e.table);
    expect(new Set(listed).size).toBe(listed.length);
    const known = new Set([...listed, ...Object.keys(NOT_ABOUT_LEARNERS)]);
    expect((await tableNames(services.storage.db, engine)).filter((n) => !known.has(n))).toEqual([]);
  });

  it('refuses forged requests: no token, another tenant’s, a learner’s or an LMS token, an unconfirmed erasure', async () => {
    const path = `/api/v1/learners/${enc(ZOE.id)}`;
    expect((await call(app.base, 'GET', `${path}/export`)).status).toBe(401);
    for (const token of [learnerToken, lms]) {
      const e = await call(app.base, 'GET', `${path}/export`, { token });
      expect([e.status, e.json.error?.code]).toEqual([403, 'CAPABILITY_REQUIRED']);
      const r = await call(app.base, 'POST', `${path}/erase`, { token, body: { confirm: ZOE.id } });
      expect([r.status, r.json.error?.code]).toEqual([403, 'CAPABILITY_REQUIRED']);
    }
    // Learner ids are the tenant's: another tenant holds nothing under this one, and erases nothing.
    const other = await call(app.base, 'GET', `${path}/export`, { token: otherTenantAdmin });
    expect([other.status, other.json.error?.code]).toEqual([404, 'LEARNER_NOTHING_HELD']);
    const otherErase = await call(app.base, 'POST', `${path}/erase`, { token: otherTenantAdmin, body: { confirm: ZOE.id } });
    expect([otherErase.status, otherErase.json.error?.code]).toEqual([404, 'LEARNER_NOTHING_HELD']);
    for (const body of [{}, { confirm: 'lms/Zoe' }]) {
      const r = await call(app.base, 'POST', `${path}/erase`, { token: admin, body });
      expect([r.status, r.json.error?.code]).toEqual([422, 'ERASE_UNCONFIRMED']);
    }
    expect((await call(app.base, 'POST', `${path}/erase`, { token: admin, body: { confirm: ZOE.id, extra: 1 } })).status).toBe(422);
    // Nothing was erased by any of them.
    expect((await call(app.base, 'GET', `/api/v1/verify/${codes[ZOE.id]![0]}`)).json.status).toBe('valid');
    // Granted to the admin role by default, never to learners or LMS integrations.
    for (const cap of ['privacy:export', 'privacy:erase'] as const) {
      expect(DEFAULT_ROLES.admin).toContain(cap);
      for (const role of ['manager', 'learner', 'lms', 'teacher', 'designer', 'signatory']) expect(DEFAULT_ROLES[role]).not.toContain(cap);
    }
  });

  it('exports everything held about the learner as one ZIP, every part there', async () => {
    const r = await call(app.base, 'GET', `/api/v1/learners/${enc(ZOE.id)}/export`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/zip');
    expect(r.headers.get('content-disposition')).toMatch(/attachment/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const zip = await readZip(writeTemp(r.bytes, `zoe-${engine}.zip`));
    const names = [...zip.keys()];
    const [z1, z2] = codes[ZOE.id]!;
    expect(names).toEqual(
      expect.arrayContaining([
        'README.txt',
        'manifest.json',
        'data/issues.json',
        'data/documents.json',
        'data/learner_records.json',
        'data/refusals.json',
        'data/audit.json',
        'data/mail_messages.json',
        'data/issue_events.json',
        'data/webhook_sends.json',
        'data/webhook_attempts.json',
        'data/verification_counts.json',
        'data/idempotency.json',
        'data/learner_links.json',
        'data/people.json',
        'data/person_roles.json',
        `documents/${z1}/revision-1.pdf`,
        `documents/${z1}/revision-2.pdf`,
        `documents/${z2}/revision-1.pdf`,
      ]),
    );
    const json = (name: string) => JSON.parse(zip.get(name)!.toString('utf8')) as Record<string, unknown>[];
    const issues = json('data/issues.json');
    expect(issues.map((i) => i.code).sort()).toEqual([z1, z2].sort());
    expect((issues[0]!.data as { learner: { firstname: string } }).learner.firstname).toBe('Zoë');
    expect(json('data/documents.json')).toHaveLength(3);
    expect(
      json('data/learner_records.json')
        .map((l) => l.certificate_id)
        .sort(),
    ).toEqual([t.certificate.id, cert2, cert3, cert4].sort());
    expect(json('data/refusals.json').map((x) => x.certificate_id)).toEqual([cert3]);
    expect(json('data/mail_messages.json').some((m) => m.recipient === ZOE.email && m.status === 'sent')).toBe(true);
    expect(json('data/webhook_sends.json').every((s) => s.status === 'delivered')).toBe(true);
    expect(json('data/webhook_attempts.json').length).toBeGreaterThanOrEqual(3);
    expect(json('data/verification_counts.json')).toEqual([
      expect.objectContaining({ issue_id: issues.find((i) => i.code === z1)!.id, count: 2 }),
    ]);
    expect(json('data/audit.json').map((a) => a.action)).toEqual(
      expect.arrayContaining(['issued', 'regenerated', 'delivered', 'deleted', 'learner-linked', 'entered']),
    );
    const events = json('data/issue_events.json') as { payload: { code: string } }[];
    expect(events.some((e) => e.payload.code === codes.deleted![0])).toBe(true);
    const people = json('data/people.json');
    expect(people).toEqual([expect.objectContaining({ email: ZOE.email })]);
    expect(people[0]).not.toHaveProperty('password_hash');
    for (const [code, revision] of [
      [z1, 1],
      [z1, 2],
      [z2, 1],
    ] as const) {
      const text = pdftotext(writeTemp(zip.get(`documents/${code}/revision-${revision}.pdf`)!));
      expect(text).toContain('Zoë');
      expect(text).toContain('Ñúñez');
    }
    const manifest = JSON.parse(zip.get('manifest.json')!.toString('utf8')) as { learner_id: string; files: { path: string }[] };
    expect(manifest.learner_id).toBe(ZOE.id);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(names.filter((n) => n !== 'README.txt' && n !== 'manifest.json').sort());
    const readme = zip.get('README.txt')!.toString('utf8');
    for (const n of names.filter((x) => x.startsWith('data/'))) expect(readme).toContain(n);
  });

  it('erases the learner everywhere: no table, no file holds them; codes verify as withdrawn; others untouched', async () => {
    // The search finds what it looks for: in rows, and in the database's files (SQLite).
    expect(await inTables(ZOE.needles)).not.toEqual([]);
    if (engine === 'sqlite') expect(inFiles(ZOE.needles)).not.toEqual([]);
    const r = await call(app.base, 'POST', `/api/v1/learners/${enc(ZOE.id)}/erase`, { token: admin, body: { confirm: ZOE.id } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'erased', issues: 2, documents: 3, withdrawnCodes: 2 });
    expect(await traces(ZOE.needles)).toEqual([]);

    for (const code of codes[ZOE.id]!) {
      const v = await call(app.base, 'GET', `/api/v1/verify/${code}`);
      expect(v.status).toBe(200);
      expect(Object.keys(v.json).sort()).toEqual(['code', 'locale', 'status', 'withdrawnOn']);
      expect(v.json.status).toBe('withdrawn');
      const page = await call(app.base, 'GET', `/verify/${code}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Ce document a été retiré');
      expect((await call(app.base, 'GET', `/api/v1/issues/${code}`, { token: admin })).status).toBe(404);
    }
    // One anonymous entry: that it happened, when, by whom, how much; nothing of the learner.
    const entries = await services.storage.db.selectFrom('audit').selectAll().where('action', '=', 'learner-erased').execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ tenant_id: t.tenant.id, subject_type: 'erasure', subject_id: r.json.erasure });
    expect(entries[0]!.actor).toMatch(/^token:/);
    expect(JSON.parse(entries[0]!.details!)).toMatchObject({ issues: 2, documents: 3, withdrawnCodes: 2, accounts: 1 });

    // Idempotent: again, nothing is held, and it says so.
    const again = await call(app.base, 'POST', `/api/v1/learners/${enc(ZOE.id)}/erase`, { token: admin, body: { confirm: ZOE.id } });
    expect([again.status, again.json.error?.code]).toEqual([404, 'LEARNER_NOTHING_HELD']);
    expect((await call(app.base, 'GET', `/api/v1/learners/${enc(ZOE.id)}/export`, { token: admin })).status).toBe(404);

    // Others: documents still download and verify.
    for (const id of ['camille-1', LAYLA.id]) {
      const [code] = codes[id]!;
      const doc = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: admin });
      expect(doc.status).toBe(200);
      expect(doc.headers.get('content-type')).toContain('application/pdf');
      expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json.status).toBe('valid');
    }
    expect(await inTables(LAYLA.needles)).not.toEqual([]);
    if (engine === 'sqlite') expect(inFiles(LAYLA.needles)).not.toEqual([]);
  });

  it('erases from the command line too (--yes required), with an Arabic name', async () => {
    const db = ['--database', services.url, '--tenant', t.tenant.slug, '--learner', LAYLA.id];
    const out = join(dirname(writeTemp(new Uint8Array(), `x-${engine}.pdf`)), `layla-${engine}.zip`);
    const exp = await attest('learner', 'export', ...db, '--out', out);
    expect(exp.code, exp.err).toBe(0);
    const zip = await readZip(out);
    expect(pdftotext(writeTemp(zip.get(`documents/${codes[LAYLA.id]![0]}/revision-1.pdf`)!))).toContain('ليلى');
    expect(statSync(out).mode & 0o077).toBe(0);
    const refused = await attest('learner', 'erase', ...db);
    expect(refused.code).toBe(2);
    const erased = await attest('learner', 'erase', ...db, '--yes', '--json');
    expect(erased.code, erased.err).toBe(0);
    expect(JSON.parse(erased.out)).toMatchObject({ status: 'erased', issues: 1, withdrawnCodes: 1 });
    expect(await traces(LAYLA.needles)).toEqual([]);
    expect((await call(app.base, 'GET', `/api/v1/verify/${codes[LAYLA.id]![0]}`)).json.status).toBe('withdrawn');
    const again = await attest('learner', 'erase', ...db, '--yes');
    expect(again.code).toBe(0);
    expect(again.out).toContain('Nothing is held');
  });
});

describe.each(ENGINES)('learner privacy, the edges (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services, { settings: { delivery_lock: false } });
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('erases a learner the LMS only sent data about (no document), and one never known says so', async () => {
    const data = learnerData();
    data.learner = { firstname: 'Ingrid', lastname: 'Þórsdóttir', email: 'ingrid.thorsdottir.99@example.org' };
    const put = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/learner-records`, {
      token: admin,
      body: { learner_id: 'only-a-record', available: true, data },
    });
    expect(put.status).toBe(200);
    const exported = await call(app.base, 'GET', '/api/v1/learners/only-a-record/export', { token: admin });
    expect(exported.status).toBe(200);
    const erased = await call(app.base, 'POST', '/api/v1/learners/only-a-record/erase', {
      token: admin,
      body: { confirm: 'only-a-record' },
    });
    expect(erased.json).toMatchObject({ status: 'erased', issues: 0, withdrawnCodes: 0, tables: { learner_records: 1 } });
    const left = (await everyValue(services)).filter((v) => /Þórsdóttir|only-a-record|ingrid\.thorsdottir/i.test(v.text));
    expect(left.map((v) => `${v.table}.${v.column}`)).toEqual([]);
    const never = await call(app.base, 'GET', '/api/v1/learners/nobody-here/export', { token: admin });
    expect([never.status, never.json.error?.code]).toEqual([404, 'LEARNER_NOTHING_HELD']);
    expect(never.json.error?.message).toContain('nobody-here');
  });

  it('erases a person who signs in (learner person:<id>): their account keeps its id, nothing else', async () => {
    const person = await createPerson(services, t.system, {
      username: 'kwame.asante',
      displayName: 'Kwame Asante',
      email: 'kwame.asante@example.org',
      roles: ['learner'],
      password: 'a long passphrase 1',
    });
    const signIn = () =>
      call(app.base, 'POST', '/api/v1/session', {
        body: { tenant: t.tenant.slug, username: 'kwame.asante', password: 'a long passphrase 1' },
      });
    const session = await signIn();
    expect(session.status).toBe(200);
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    expect((await call(app.base, 'GET', '/api/v1/me', { cookie })).status).toBe(200);
    const learner = `person:${person.id}`;
    const asked = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: admin,
      body: { learner_id: learner, available: true, data: { ...learnerData(), learner: { firstname: 'Kwame', lastname: 'Asante' } } },
    });
    expect(asked.status).toBe(201);
    const code = String(asked.json.issue?.code);
    const erased = await call(app.base, 'POST', `/api/v1/learners/${encodeURIComponent(learner)}/erase`, {
      token: admin,
      body: { confirm: learner },
    });
    expect(erased.json).toMatchObject({ status: 'erased', issues: 1, withdrawnCodes: 1 });
    const row = await services.storage.db.selectFrom('people').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ username: `erased-${person.id}`, display_name: `erased-${person.id}`, email: null, password_hash: null });
    expect(await services.storage.db.selectFrom('person_roles').selectAll().where('person_id', '=', person.id).execute()).toEqual([]);
    expect((await call(app.base, 'GET', `/api/v1/verify/${code.toLowerCase().replace(/-/g, '')}`)).json).toMatchObject({
      status: 'withdrawn',
      code,
    });
    // Their sessions ended with the account; it opens nothing any more.
    expect((await call(app.base, 'GET', '/api/v1/me', { cookie })).status).toBe(401);
    expect((await signIn()).status).toBe(401);
  });

  it('refuses to import an erased document’s code from Moodle again: it is never given twice', async () => {
    const input = {
      source: { site: 'moodle-campus', id: '7001' },
      certificateId: t.certificate.id,
      learnerId: 'moodle-7001',
      code: 'AbCdEf1234',
      issuedAt: new Date('2024-05-02T10:00:00Z'),
      data: learnerData(),
    };
    expect((await importIssue(services, t.system, input)).created).toBe(true);
    const erased = await call(app.base, 'POST', '/api/v1/learners/moodle-7001/erase', { token: admin, body: { confirm: 'moodle-7001' } });
    expect(erased.json).toMatchObject({ status: 'erased', withdrawnCodes: 1 });
    expect((await domainFailure(() => importIssue(services, t.system, input))).code).toBe('IMPORT_CODE_TAKEN');
    expect((await call(app.base, 'GET', '/api/v1/verify/AbCdEf1234')).json.status).toBe('withdrawn');
    expect(await services.storage.db.selectFrom('issues').select('id').where('learner_id', '=', 'moodle-7001').execute()).toEqual([]);
  });
});
