import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../server/domain/tokens';
import { fileDocuments, type StagingFs } from '../../../server/storage/documents';
import { STORAGE_EVENTS, type StorageEvent } from '../../../server/storage/fullness';
import { openStorage } from '../../../server/storage/database';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  TestClock,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, startApp, type Running } from '../../support/http';

/**
 * Storage that never serves a wrong document, over HTTP on both engines: bytes changed on disk or in
 * their row are refused with DOCUMENT_CORRUPT, a full disk answers 507 and shows on /health with nothing
 * left behind, and the SQLite files are the server user's alone.
 */
const pool = useRenderPool(1);

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

/** Events the document store publishes for the operator's log, while `run` runs. */
async function storageEvents(run: () => Promise<void>): Promise<StorageEvent[]> {
  const seen: StorageEvent[] = [];
  const listener = (message: unknown) => void seen.push(message as StorageEvent);
  subscribe(STORAGE_EVENTS, listener);
  try {
    await run();
  } finally {
    unsubscribe(STORAGE_EVENTS, listener);
  }
  return seen;
}

describe.each(ENGINES)('storage over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let lms: string;
  const ask = (learner: string) =>
    call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learner, available: true, data: learnerData() },
    });

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
    lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:view', 'certificate:apply', 'certificate:retrieve-own', 'learners:supply-data'],
      })
    ).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a document whose stored bytes changed, says so to the operator, and still verifies a good copy', async () => {
    const issued = await ask('L-corrupt');
    expect(issued.status).toBe(201);
    const code = String(issued.json.issue?.code);
    const sha256 = String(issued.json.issue?.sha256);
    const good = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
    expect(good.status).toBe(200);

    // One byte changed where the bytes are kept: a bad disk sector, a botched restore, a hand.
    const damaged = Buffer.from(good.bytes);
    damaged[damaged.length - 20] = damaged[damaged.length - 20]! ^ 0x01;
    if (engine === 'sqlite') writeFileSync(join(`${services.url}.documents`, sha256.slice(0, 2), `${sha256}.pdf`), damaged);
    else await services.storage.db.updateTable('document_bytes').set({ pdf: damaged }).where('sha256', '=', sha256).execute();

    let download!: Awaited<ReturnType<typeof call>>;
    let viaLink!: Awaited<ReturnType<typeof call>>;
    const events = await storageEvents(async () => {
      download = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
      const link = await call(app.base, 'POST', `/api/v1/issues/${code}/links`, { token: lms, body: {} });
      viaLink = await call(app.base, 'GET', String(link.json.url).replace(/^https?:\/\/[^/]+/, ''));
    });
    for (const answer of [download, viaLink]) {
      expect(answer.status).toBe(500);
      expect(answer.json.error?.code).toBe('DOCUMENT_CORRUPT');
      expect(answer.text).not.toContain('%PDF');
    }
    expect(events).toContainEqual({
      event: 'document-corrupt',
      sha256,
      found: expect.stringMatching(/^[0-9a-f]{64}$/),
      size: damaged.length,
    });
    expect(JSON.stringify(events)).not.toContain('%PDF');

    const check = await call(app.base, 'POST', `/api/v1/verify/${code}/document`, {
      raw: good.bytes,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(check.status).toBe(200);
    expect(check.json.match).toBe('current');
    expect(
      (await call(app.base, 'POST', `/api/v1/verify/${code}/document`, { raw: damaged, headers: { 'content-type': 'application/pdf' } }))
        .json.match,
    ).toBe('none');
  });

  it.each(['documents', 'database'] as const)(
    'answers 507 when the %s find no room, reports it on /health, and leaves nothing behind',
    async (where) => {
      const learner = `L-full-${where}`;
      const recover = await fillUp(services, where);
      let full!: Awaited<ReturnType<typeof call>>;
      const events = await storageEvents(async () => {
        full = await ask(learner);
      });
      expect(full.status, full.text).toBe(507);
      expect(full.json.error?.code).toBe('STORAGE_FULL');
      expect(events.map((e) => e.event)).toEqual(['storage-full']);
      const health = await call(app.base, 'GET', '/health');
      expect(health.status).toBe(503);
      expect(health.json).toMatchObject({ status: 'unavailable', code: 'STORAGE_FULL' });

      // Nothing was issued, nothing half-written stays beside the documents.
      expect(await services.storage.db.selectFrom('issues').select('id').where('learner_id', '=', learner).execute()).toEqual([]);
      if (engine === 'sqlite') {
        const left = filesUnder(`${services.url}.documents`);
        expect(left.filter((f) => !f.endsWith('.pdf'))).toEqual([]);
      }
      const refs = new Set((await services.storage.db.selectFrom('documents').select('sha256').execute()).map((r) => r.sha256));
      const kept =
        engine === 'sqlite'
          ? filesUnder(`${services.url}.documents`).map((f) => f.slice(3, -4))
          : (await services.storage.db.selectFrom('document_bytes').select('sha256').execute()).map((r) => r.sha256);
      expect(kept.filter((s) => !refs.has(s))).toEqual([]);

      // Once space is freed the same request succeeds, and the server is healthy again.
      await recover();
      expect((await ask(learner)).status).toBe(201);
      expect((await call(app.base, 'GET', '/health')).status).toBe(200);
    },
  );
});

/**
 * Makes the engine meet a real "no space left" from below, where the document's bytes go or in the
 * database itself, and returns what frees it. SQLite's document files: the real staging code writes its
 * temporary file's bytes to /dev/full, and the kernel answers ENOSPC. SQLite's database: max_page_count
 * stops it growing, and SQLite answers SQLITE_FULL as on a full disk. PostgreSQL: a trigger raises
 * disk_full (SQLSTATE 53100) as a full tablespace does, through the real driver and transaction.
 */
async function fillUp(services: TestServices, where: 'documents' | 'database'): Promise<() => Promise<void>> {
  const db = services.storage.db;
  if (services.engine === 'sqlite' && where === 'documents') {
    const devFull = fs.openSync('/dev/full', 'w');
    let full = true;
    const disk: StagingFs = {
      ...fs,
      write: (fd, data, offset, length, position, done) =>
        full ? fs.write(devFull, data, offset, length, null, done) : fs.write(fd, data, offset, length, position, done),
    };
    // One store that meets the full disk and then the freed one: its own success clears what /health says.
    services.storage.documents = fileDocuments(`${services.url}.documents`, services.storage.fullness, disk);
    return async () => {
      full = false;
      fs.closeSync(devFull);
    };
  }
  if (services.engine === 'sqlite') {
    const pages = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)).rows[0]!.page_count;
    await sql.raw(`PRAGMA max_page_count = ${pages}`).execute(db);
    return async () => void (await sql.raw('PRAGMA max_page_count = 1073741823').execute(db));
  }
  const table = where === 'documents' ? 'document_bytes' : 'issues';
  await sql`CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$`.execute(
    db,
  );
  await sql.raw(`CREATE TRIGGER test_disk_full BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION test_disk_full()`).execute(db);
  return async () => {
    await sql.raw(`DROP TRIGGER test_disk_full ON ${table}`).execute(db);
    await sql`DROP FUNCTION test_disk_full()`.execute(db);
  };
}

describe('files of a SQLite installation', () => {
  it('are private to the server’s user, whatever the umask: the database, its -wal and -shm, the documents', async () => {
    const root = mkdtempSync(join(tmpdir(), 'attest-modes-'));
    const path = join(root, 'data', 'attest.sqlite');
    const previous = process.umask(0);
    let app: Running | undefined;
    const storage = await openStorage(path);
    try {
      const services = { storage, renderer: pool(), now: new TestClock().now, baseUrl: 'https://attest.test' };
      app = await startApp(services);
      const t = await setupTenant(services);
      const lms = (
        await createToken(services, t.system, {
          name: 'lms',
          capabilities: ['certificate:apply', 'certificate:retrieve-own', 'learners:supply-data'],
        })
      ).token;
      const issued = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
        token: lms,
        body: { learner_id: 'L-modes', available: true, data: learnerData() },
      });
      expect(issued.status).toBe(201);
      const sha = String(issued.json.issue?.sha256);
      const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
      expect(mode(join(root, 'data'))).toBe('700');
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect([file, mode(file)]).toEqual([file, '600']);
      const documents = `${path}.documents`;
      expect(mode(documents)).toBe('700');
      expect(mode(join(documents, sha.slice(0, 2)))).toBe('700');
      expect(mode(join(documents, sha.slice(0, 2), `${sha}.pdf`))).toBe('600');
      expect(
        readFileSync(join(documents, sha.slice(0, 2), `${sha}.pdf`))
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    } finally {
      process.umask(previous);
      await app?.close();
      await storage.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('are on disk, folder entry included, before the document is recorded', async () => {
    const s = await freshServices('sqlite', { pool: pool() });
    const app = await startApp(s);
    try {
      const t = await setupTenant(s);
      const lms = (await createToken(s, t.system, { name: 'lms', capabilities: ['certificate:apply', 'learners:supply-data'] })).token;
      // The real file system, with each call written down as it is made.
      const calls: string[] = [];
      const fds = new Map<number, string>();
      const documents = `${s.url}.documents`;
      const name = (p: string) =>
        p === documents
          ? 'documents/'
          : p.startsWith(documents)
            ? p.endsWith('.tmp')
              ? 'tmp'
              : p.endsWith('.pdf')
                ? 'pdf'
                : 'folder/'
            : 'parent/';
      const recording: StagingFs = {
        ...fs,
        open: (p, flags, m, done) => fs.open(p, flags, m, (e, fd) => (fds.set(fd, name(p)), calls.push(`open ${name(p)}`), done(e, fd))),
        write: (fd, data, offset, length, position, done) => (
          calls.push(`write ${fds.get(fd)}`),
          fs.write(fd, data, offset, length, position, done)
        ),
        fsync: (fd, done) => (calls.push(`fsync ${fds.get(fd)}`), fs.fsync(fd, done)),
        close: (fd, done) => (calls.push(`close ${fds.get(fd)}`), fs.close(fd, done)),
        rename: (from, to, done) => (calls.push(`rename ${name(from)} ${name(to)}`), fs.rename(from, to, done)),
      };
      const files = fileDocuments(documents, s.storage.fullness, recording);
      // Called inside the transaction that records the issue: everything before it is on disk already.
      s.storage.documents = { ...files, record: (...args) => (calls.push('record'), files.record(...args)) };
      const issued = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
        token: lms,
        body: { learner_id: 'L-durable', available: true, data: learnerData() },
      });
      expect(issued.status).toBe(201);
      // A new two-letter folder is made durable in its parent, the file before its rename, the rename in its folder.
      const staged = calls.slice(calls.indexOf('open tmp'));
      expect(staged).toEqual([
        'open tmp',
        'write tmp',
        'fsync tmp',
        'close tmp',
        'rename tmp pdf',
        'open folder/',
        'fsync folder/',
        'close folder/',
        'record',
      ]);
      expect(calls.slice(0, calls.indexOf('open tmp'))).toEqual(['open documents/', 'fsync documents/', 'close documents/']);
    } finally {
      await app.close();
    }
  });
});
