import { afterEach, describe, expect, it } from 'vitest';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import * as initial from '../../../server/storage/migrations/001-initial';
import { FIRST_ADMIN } from '../../../server/storage/migrations/002-trusted-learner-data';
import { openStorage } from '../../../server/storage/database';
import { DEFAULT_ROLES } from '../../../server/domain/capabilities';
import type { Database } from '../../../server/storage/schema';
import { ENGINES, scratchDatabase, type ScratchDatabase } from '../../support/storage';

/**
 * A database made by the first schema, with what an installation had before learner data was trusted
 * only from its suppliers, opened by today's server: LMS tokens keep supplying data, the issue's dates are
 * named for what they hold, and nothing is lost.
 */
describe.each(ENGINES)('migrating to trusted learner data (%s)', (engine) => {
  let scratch: ScratchDatabase | undefined;
  afterEach(async () => {
    await scratch?.drop();
    scratch = undefined;
  });

  async function firstSchema(url: string): Promise<Kysely<Database>> {
    const db =
      engine === 'postgres'
        ? new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) })
        : new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(url) }) });
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => ({ '001-initial': { up: (d) => initial.up(d, engine) } }) },
    }).migrateToLatest();
    if (error instanceof Error) throw error;
    if (error) throw new Error('migration failed', { cause: error });
    return db;
  }

  it('grants learners:supply-data to integrations, splits the dates, and keeps every row', async () => {
    scratch = await scratchDatabase(engine);
    const old = await firstSchema(scratch.url);
    const at = '2026-03-10T09:00:00.000Z';
    const oldLms = ['certificate:view', 'certificate:apply', 'certificate:retrieve-own'];
    const firstAdmin = [...FIRST_ADMIN];
    await old
      .insertInto('tenants')
      .values(
        ['t1', 't2'].map((id) => ({
          id,
          slug: `old-${id}`,
          name: 'Old',
          settings: '{}',
          webhook_secret: 'w',
          link_secret: 'l',
          created_at: at,
        })),
      )
      .execute();
    await old
      .insertInto('roles')
      .values([
        { id: 'r1', tenant_id: 't1', name: 'lms', capabilities: JSON.stringify(oldLms) },
        { id: 'r2', tenant_id: 't1', name: 'learner', capabilities: JSON.stringify(oldLms) },
        { id: 'r3', tenant_id: 't1', name: 'manager', capabilities: JSON.stringify(['issues:manage']) },
        { id: 'r4', tenant_id: 't1', name: 'admin', capabilities: JSON.stringify(firstAdmin) },
        { id: 'r5', tenant_id: 't2', name: 'admin', capabilities: JSON.stringify(firstAdmin.filter((c) => c !== 'tenant:manage')) },
      ])
      .execute();
    await old
      .insertInto('tokens')
      .values([
        {
          id: 'k1',
          tenant_id: 't1',
          name: 'Moodle',
          secret_hash: 'h',
          capabilities: JSON.stringify(oldLms),
          created_by: null,
          created_at: at,
          revoked_at: null,
          last_used_at: null,
        },
        {
          id: 'k2',
          tenant_id: 't1',
          name: 'Reports',
          secret_hash: 'h2',
          capabilities: JSON.stringify(['issues:manage']),
          created_by: null,
          created_at: at,
          revoked_at: null,
          last_used_at: null,
        },
      ])
      .execute();
    await old
      .insertInto('templates')
      .values({
        id: 'tp',
        tenant_id: 't1',
        name: 'T',
        draft_source: 's',
        draft_assets: '{}',
        created_at: at,
        updated_at: at,
        deleted_at: null,
      })
      .execute();
    await old
      .insertInto('template_versions')
      .values({
        id: 'v1',
        tenant_id: 't1',
        template_id: 'tp',
        number: 1,
        source: 's',
        assets: '{}',
        content_hash: 'c',
        published_at: at,
        published_by: 'system',
      })
      .execute();
    await old
      .insertInto('certificates')
      .values({
        id: 'c1',
        tenant_id: 't1',
        name: 'C',
        template_version_id: 'v1',
        course_id: 'x',
        activity_id: null,
        settings: '{}',
        created_at: at,
        updated_at: at,
      })
      .execute();
    const issue = (id: string, code: string, issuedOn: string, data: unknown) => ({
      id,
      tenant_id: 't1',
      certificate_id: 'c1',
      learner_id: id,
      code,
      state: 'issued',
      locked: 0,
      issued_on: issuedOn,
      expires_on: null,
      data: JSON.stringify(data),
      template_version_id: 'v1',
      revision: 1,
      pdf_sha256: 'p',
      created_at: at,
      rendered_at: at,
      first_delivered_at: null,
      first_delivery_channel: null,
      revoked_at: null,
      revoked_reason: null,
    });
    await old
      .insertInto('issues')
      .values([
        issue('completed', 'AAAAA', '2026-02-03', { completion: { date: '2026-02-03' } }),
        issue('undated', 'BBBBB', '2026-03-10', { learner: { firstname: 'A' } }),
      ])
      .execute();
    await old.destroy();

    const storage = await openStorage(scratch.url);
    try {
      const db = storage.db;
      const caps = async (table: 'tokens' | 'roles', id: string) =>
        JSON.parse(
          (await db.selectFrom(table).select('capabilities').where('id', '=', id).executeTakeFirstOrThrow()).capabilities,
        ) as string[];
      expect(await caps('tokens', 'k1')).toEqual([...oldLms, 'learners:supply-data']);
      expect(await caps('tokens', 'k2')).toEqual(['issues:manage']);
      expect(await caps('roles', 'r1')).toContain('learners:supply-data');
      expect(await caps('roles', 'r3')).toContain('learners:supply-data');
      expect(await caps('roles', 'r2')).toEqual(oldLms);
      // The untouched default admin role is no longer printed on documents; one a manager changed keeps what they chose.
      expect((await caps('roles', 'r4')).sort()).toEqual([...DEFAULT_ROLES.admin!].sort());
      // Later versions' new capabilities go to every admin role, changed or not (migrations 012, 014, 015, 016, 019).
      expect(await caps('roles', 'r5')).toEqual([
        ...firstAdmin.filter((c) => c !== 'tenant:manage'),
        'learners:supply-data',
        'issues:bulk',
        'issues:reissue',
        'privacy:export',
        'privacy:erase',
        'signature:manage',
        'credentials:rotate-key',
      ]);
      const rows = await db.selectFrom('issues').select(['learner_id', 'issued_on', 'achieved_on', 'data']).orderBy('learner_id').execute();
      expect(rows).toEqual([
        {
          learner_id: 'completed',
          issued_on: '2026-03-10',
          achieved_on: '2026-02-03',
          data: JSON.stringify({ completion: { date: '2026-02-03' } }),
        },
        { learner_id: 'undated', issued_on: '2026-03-10', achieved_on: null, data: JSON.stringify({ learner: { firstname: 'A' } }) },
      ]);
      expect(await db.selectFrom('learner_records').selectAll().execute()).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
