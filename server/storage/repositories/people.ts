import type { Db } from '../db';
import type { PersonTable } from '../schema';

/** People of a tenant, with the roles they hold (one row per person and role; none for a person without). */
export interface PersonRoleRow {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  disabled_at: string | null;
  role: string | null;
  /** JSON list of the role's capabilities. */
  capabilities: string | null;
}

/** Deleted people are never listed; `enabledOnly` leaves the disabled out too. */
export function peopleWithRoles(
  db: Db,
  tenantId: string,
  options: { personId?: string; enabledOnly?: boolean } = {},
): Promise<PersonRoleRow[]> {
  let query = db
    .selectFrom('people')
    .leftJoin('person_roles', 'person_roles.person_id', 'people.id')
    .leftJoin('roles', 'roles.id', 'person_roles.role_id')
    .select([
      'people.id',
      'people.username',
      'people.display_name',
      'people.email',
      'people.disabled_at',
      'roles.name as role',
      'roles.capabilities',
    ])
    .where('people.tenant_id', '=', tenantId)
    .where('people.deleted_at', 'is', null);
  if (options.personId !== undefined) query = query.where('people.id', '=', options.personId);
  if (options.enabledOnly) query = query.where('people.disabled_at', 'is', null);
  return query.orderBy('people.display_name').orderBy('people.id').execute();
}

/** An enabled person's name and the capability lists of their roles: what acting as them carries. */
export const enabledPersonCapabilities = (
  db: Db,
  tenantId: string,
  personId: string,
): Promise<{ display_name: string; username: string; capabilities: string | null }[]> =>
  db
    .selectFrom('people')
    .leftJoin('person_roles', 'person_roles.person_id', 'people.id')
    .leftJoin('roles', 'roles.id', 'person_roles.role_id')
    .select(['people.display_name', 'people.username', 'roles.capabilities'])
    .where('people.id', '=', personId)
    .where('people.tenant_id', '=', tenantId)
    .where('people.disabled_at', 'is', null)
    .execute();

/** A person by username, deleted or not (a deleted person keeps the username taken). */
export const personByUsername = (db: Db, tenantId: string, username: string): Promise<PersonTable | undefined> =>
  db.selectFrom('people').selectAll().where('tenant_id', '=', tenantId).where('username', '=', username).executeTakeFirst();

export const personInTenant = (db: Db, tenantId: string, personId: string): Promise<{ id: string } | undefined> =>
  db.selectFrom('people').select('id').where('id', '=', personId).where('tenant_id', '=', tenantId).executeTakeFirst();

export const passwordHashOf = (db: Db, personId: string): Promise<string | null | undefined> =>
  db
    .selectFrom('people')
    .select('password_hash')
    .where('id', '=', personId)
    .executeTakeFirst()
    .then((r) => r?.password_hash);

export async function insertPerson(db: Db, row: PersonTable): Promise<void> {
  await db.insertInto('people').values(row).execute();
}

export async function updatePerson(
  db: Db,
  personId: string,
  set: Partial<Omit<PersonTable, 'id' | 'tenant_id' | 'username' | 'created_at'>>,
): Promise<void> {
  if (Object.keys(set).length) await db.updateTable('people').set(set).where('id', '=', personId).execute();
}

/** Display names of the tenant's people among these ids. */
export const personNames = (db: Db, tenantId: string, ids: readonly string[]): Promise<{ id: string; display_name: string }[]> =>
  ids.length
    ? db
        .selectFrom('people')
        .select(['id', 'display_name'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .execute()
    : Promise.resolve([]);
