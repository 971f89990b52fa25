import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStorage, StorageError } from '../../../server/storage/database';
import { ENGINES, pgUrl, scratchDatabase } from '../../support/storage';

async function storageFailure(url: string): Promise<StorageError> {
  try {
    const s = await openStorage(url);
    await s.close();
  } catch (e) {
    if (e instanceof StorageError) return e;
    throw new Error(`expected a StorageError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a StorageError, got an open database');
}

describe.each(ENGINES)('storage (%s)', (engine) => {
  it('runs its migrations once: opening again changes nothing and loses nothing', async () => {
    const db = await scratchDatabase(engine);
    try {
      const first = await openStorage(db.url);
      expect(first.engine).toBe(engine);
      await first.db
        .insertInto('tenants')
        .values({
          id: 't1',
          slug: 'kept',
          name: 'Kept',
          settings: '{}',
          webhook_secret: 'w',
          link_secret: 'l',
          created_at: '2026-01-01T00:00:00.000Z',
        })
        .execute();
      const bytes = new Uint8Array([0, 1, 2, 255, 254, 0x25, 0x50]);
      await first.db
        .insertInto('blobs')
        .values({
          sha256: 'x'.repeat(64),
          bytes,
          size: bytes.length,
          media_type: 'application/octet-stream',
          created_at: '2026-01-01T00:00:00.000Z',
        })
        .execute();
      await first.close();

      const second = await openStorage(db.url);
      const third = await openStorage(db.url);
      try {
        const migrations = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(second.db);
        expect(migrations.rows.map((r) => r.name)).toEqual([
          '001-initial',
          '002-trusted-learner-data',
          '003-accounts',
          '004-public-base-url',
          '005-operator-credentials',
          '006-moodle-imports',
          '007-regeneration-runs',
          '008-issue-paging',
          '009-verification-counts',
          '010-moodle-export-cursors',
          '011-notifications',
          '012-bulk-issue',
          '014-recertification',
          '015-privacy',
          '016-signing-keys',
          '017-credentials',
          '019-credential-revisions',
        ]);
        expect(await second.db.selectFrom('tenants').select('slug').execute()).toEqual([{ slug: 'kept' }]);
        // Bytes round-trip exactly on both engines.
        const blob = await third.db.selectFrom('blobs').select('bytes').executeTakeFirstOrThrow();
        expect([...new Uint8Array(blob.bytes)]).toEqual([...bytes]);
      } finally {
        await second.close();
        await third.close();
      }
    } finally {
      await db.drop();
    }
  });

  it('keeps one document per learner and certificate, whatever the code', async () => {
    const db = await scratchDatabase(engine);
    const s = await openStorage(db.url);
    try {
      const now = '2026-01-01T00:00:00.000Z';
      await s.db
        .insertInto('tenants')
        .values({ id: 't', slug: 's', name: 'n', settings: '{}', webhook_secret: 'w', link_secret: 'l', created_at: now })
        .execute();
      await s.db
        .insertInto('templates')
        .values({
          id: 'tp',
          tenant_id: 't',
          name: 'n',
          draft_source: '',
          draft_assets: '{}',
          created_at: now,
          updated_at: now,
          deleted_at: null,
        })
        .execute();
      await s.db
        .insertInto('template_versions')
        .values({
          id: 'v',
          tenant_id: 't',
          template_id: 'tp',
          number: 1,
          source: '',
          assets: '{}',
          content_hash: 'h',
          published_at: now,
          published_by: 'x',
        })
        .execute();
      await s.db
        .insertInto('certificates')
        .values({
          id: 'c',
          tenant_id: 't',
          name: 'n',
          template_version_id: 'v',
          course_id: 'k',
          activity_id: null,
          settings: '{}',
          created_at: now,
          updated_at: now,
        })
        .execute();
      const issue = (id: string, code: string) => ({
        id,
        tenant_id: 't',
        certificate_id: 'c',
        learner_id: 'l',
        code,
        state: 'issued',
        locked: 0,
        issued_on: '2026-01-01',
        expires_on: null,
        data: '{}',
        template_version_id: 'v',
        revision: 1,
        pdf_sha256: 'h',
        created_at: now,
        rendered_at: now,
        first_delivered_at: null,
        first_delivery_channel: null,
        revoked_at: null,
        revoked_reason: null,
      });
      await s.db.insertInto('issues').values(issue('i1', 'AAAAA-AAAAA-AAAAA-AAAAA')).execute();
      await expect(s.db.insertInto('issues').values(issue('i2', 'BBBBB-BBBBB-BBBBB-BBBBB')).execute()).rejects.toThrow();
      expect(await s.db.selectFrom('issues').select('id').execute()).toEqual([{ id: 'i1' }]);
      // One current document: once superseded (a re-issue, migration 014), a newer one may be inserted.
      await s.db.updateTable('issues').set({ superseded_by: 'i2', superseded_at: now }).where('id', '=', 'i1').execute();
      await s.db
        .insertInto('issues')
        .values({ ...issue('i2', 'BBBBB-BBBBB-BBBBB-BBBBB'), supersedes: 'i1' })
        .execute();
      await expect(
        s.db
          .insertInto('issues')
          .values({ ...issue('i3', 'CCCCC-CCCCC-CCCCC-CCCCC'), supersedes: 'i1' })
          .execute(),
      ).rejects.toThrow();
      expect((await s.db.selectFrom('issues').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual(['i1', 'i2']);
    } finally {
      await s.close();
      await db.drop();
    }
  });
});

describe('storage addresses', () => {
  it('says a PostgreSQL server that cannot be reached is unreachable', async () => {
    const e = await storageFailure('postgres://postgres@127.0.0.1:1/attest');
    expect(e.code).toBe('STORAGE_UNREACHABLE');
    expect(e.message).toContain('postgres://127.0.0.1:1/attest');
  });

  it('says a database that does not exist on a live server is unreachable too', async () => {
    const e = await storageFailure(pgUrl(`attest_missing_${process.pid}`));
    expect(e.code).toBe('STORAGE_UNREACHABLE');
  });

  it('does not print credentials in the location', async () => {
    const e = await storageFailure('postgres://someone:hunter2@127.0.0.1:1/attest');
    expect(e.message).not.toContain('hunter2');
  });

  it('refuses an address that names nothing, or another engine', async () => {
    await expect(openStorage('')).rejects.toMatchObject({ code: 'STORAGE_URL_INVALID' });
    await expect(openStorage('sqlite:')).rejects.toMatchObject({ code: 'STORAGE_URL_INVALID' });
    // Another engine's address is refused, not taken for a file path (no "mysql:" folder appears).
    const cwd = process.cwd();
    for (const url of ['mysql://root@127.0.0.1:3306/test', 'mariadb://root@127.0.0.1/test', 'http://example.invalid/db']) {
      await expect(openStorage(url)).rejects.toMatchObject({ code: 'STORAGE_URL_INVALID' });
    }
    expect(existsSync(join(cwd, 'mysql:'))).toBe(false);
  });
});
