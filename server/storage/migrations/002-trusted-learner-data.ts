import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Whose word counts (DESIGN.md): learner data is kept as the trusted source supplied it, people are linked
 * to the LMS learner they are, and an issue's two dates are told apart.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('learner_records')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('certificate_id', 'text', (c) => c.notNull().references('certificates.id').onDelete('cascade'))
    .addColumn('learner_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('available', 'integer', (c) => c.notNull())
    .addColumn('unavailable_reason', 'text')
    .addColumn('supplied_by', 'text', (c) => c.notNull())
    .addColumn('supplied_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('learner_records_pk', ['certificate_id', 'learner_id'])
    .execute();

  await db.schema
    .createTable('learner_links')
    .addColumn('person_id', 'text', (c) => c.primaryKey().references('people.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('learner_id', 'text', (c) => c.notNull())
    .addColumn('linked_by', 'text', (c) => c.notNull())
    .addColumn('linked_at', 'text', (c) => c.notNull())
    // One LMS learner is one person: two people reaching the same documents would be one learner twice.
    .addUniqueConstraint('learner_links_one_person', ['tenant_id', 'learner_id'])
    .execute();

  // `issued_on` held the completion date when one was given. It becomes the day of issue; the completion
  // date moves to `achieved_on`. Stored document data is left as it was printed, so regenerating an older
  // document prints what it printed.
  await db.schema.alterTable('issues').addColumn('achieved_on', 'text').execute();
  const issues = await sql<{
    id: string;
    issued_on: string;
    created_at: string;
    data: string;
  }>`select id, issued_on, created_at, data from issues`.execute(db);
  for (const row of issues.rows) {
    const completion = (JSON.parse(row.data) as { completion?: { date?: unknown } }).completion;
    if (typeof completion?.date !== 'string') continue;
    await sql`update issues set achieved_on = ${row.issued_on}, issued_on = ${row.created_at.slice(0, 10)} where id = ${row.id}`.execute(
      db,
    );
  }

  // Supplying learner data was every `certificate:apply` holder's until now. Integrations (tokens) and the
  // roles meant to supply it keep it; people acting for themselves lose it, which is the point.
  const grant = async (table: 'tokens' | 'roles', rows: { id: string; capabilities: string }[]) => {
    for (const row of rows) {
      const caps = JSON.parse(row.capabilities) as string[];
      if (caps.includes('learners:supply-data')) continue;
      const next = JSON.stringify([...caps, 'learners:supply-data']);
      if (table === 'tokens') await sql`update tokens set capabilities = ${next} where id = ${row.id}`.execute(db);
      else await sql`update roles set capabilities = ${next} where id = ${row.id}`.execute(db);
    }
  };
  const tokens = await sql<{ id: string; capabilities: string }>`select id, capabilities from tokens`.execute(db);
  await grant(
    'tokens',
    tokens.rows.filter((t) => (JSON.parse(t.capabilities) as string[]).includes('certificate:apply')),
  );
  const roles = await sql<{
    id: string;
    name: string;
    capabilities: string;
  }>`select id, name, capabilities from roles where name in ('admin', 'manager', 'lms')`.execute(db);
  await grant('roles', roles.rows);

  // The first default admin role held every capability, being printed as teacher and signatory included:
  // "Administrator" signed every document. An admin role still exactly that default loses those two; one
  // a manager changed is theirs and stays as it is.
  for (const role of roles.rows.filter((r) => r.name === 'admin')) {
    const caps = new Set(JSON.parse(role.capabilities) as string[]);
    if (caps.size !== FIRST_ADMIN.length || !FIRST_ADMIN.every((c) => caps.has(c))) continue;
    const next = JSON.stringify([
      ...FIRST_ADMIN.filter((c) => c !== 'certificate:printed-as-teacher' && c !== 'certificate:signing-authority'),
      'learners:supply-data',
    ]);
    await sql`update roles set capabilities = ${next} where id = ${role.id}`.execute(db);
  }
}

/** The default admin role of 001: every capability there was then (a frozen list: migrations do not follow the code). */
export const FIRST_ADMIN: readonly string[] = [
  'certificate:add',
  'certificate:view',
  'certificate:apply',
  'certificate:retrieve-own',
  'issues:manage',
  'certificate:printed-as-teacher',
  'certificate:signing-authority',
  'issues:delete',
  'issues:unlock',
  'issues:revoke',
  'issues:regenerate',
  'templates:edit',
  'templates:publish',
  'templates:preview',
  'tenant:manage',
];
