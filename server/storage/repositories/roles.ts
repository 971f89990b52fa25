import type { Db } from '../db';
import type { RoleTable } from '../schema';

/** Roles of a tenant: a name and a JSON list of capabilities; in the order of their names when listed. */
export function rolesOf(
  db: Db,
  tenantId: string,
  options: { byName?: boolean } = {},
): Promise<Pick<RoleTable, 'id' | 'name' | 'capabilities'>[]> {
  const query = db.selectFrom('roles').select(['id', 'name', 'capabilities']).where('tenant_id', '=', tenantId);
  return (options.byName ? query.orderBy('name') : query).execute();
}

export const roleByName = (db: Db, tenantId: string, name: string): Promise<Pick<RoleTable, 'id' | 'capabilities'> | undefined> =>
  db.selectFrom('roles').select(['id', 'capabilities']).where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst();

export async function insertRole(db: Db, row: RoleTable): Promise<void> {
  await db.insertInto('roles').values(row).execute();
}

export async function setRoleCapabilities(db: Db, id: string, capabilities: string): Promise<void> {
  await db.updateTable('roles').set({ capabilities }).where('id', '=', id).execute();
}

/** Replaces the roles a person holds. */
export async function setPersonRoles(db: Db, personId: string, roleIds: readonly string[]): Promise<void> {
  await db.deleteFrom('person_roles').where('person_id', '=', personId).execute();
  for (const roleId of roleIds) await db.insertInto('person_roles').values({ person_id: personId, role_id: roleId }).execute();
}
