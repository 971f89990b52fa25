import { sql } from 'kysely';
import type { Db } from '../db';
import type { CredentialKeyTable, CredentialStatusListTable, CredentialStatusSlotTable } from '../schema';

/** Credential signing keys and status lists (migration 017); the rules are in server/domain/credentials/. */

export const keysOf = (db: Db, tenantId: string): Promise<CredentialKeyTable[]> =>
  db
    .selectFrom('credential_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    // The active key first, then the retired ones, newest first.
    .orderBy(sql`case when state = 'active' then 0 else 1 end`)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();

export const activeKeyOf = (db: Db, tenantId: string): Promise<CredentialKeyTable | undefined> =>
  db.selectFrom('credential_keys').selectAll().where('tenant_id', '=', tenantId).where('state', '=', 'active').executeTakeFirst();

export const keyById = (db: Db, id: string): Promise<CredentialKeyTable | undefined> =>
  db.selectFrom('credential_keys').selectAll().where('id', '=', id).executeTakeFirst();

/** Inserts the tenant's active key unless it has one already (the partial unique index decides); whether it did. */
export async function insertActiveKeyIfNone(db: Db, row: CredentialKeyTable): Promise<boolean> {
  const r = await db
    .insertInto('credential_keys')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Retires the key `id` if it is still active; whether it was. */
export async function retireKey(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('credential_keys')
    .set({ state: 'retired', retired_at: at })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export const slotOf = (db: Db, issueId: string): Promise<CredentialStatusSlotTable | undefined> =>
  db.selectFrom('credential_status_slots').selectAll().where('issue_id', '=', issueId).executeTakeFirst();

export const lastListOf = (db: Db, tenantId: string): Promise<CredentialStatusListTable | undefined> =>
  db
    .selectFrom('credential_status_lists')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('list', 'desc')
    .limit(1)
    .executeTakeFirst();

export const listOf = (db: Db, tenantId: string, list: number): Promise<CredentialStatusListTable | undefined> =>
  db.selectFrom('credential_status_lists').selectAll().where('tenant_id', '=', tenantId).where('list', '=', list).executeTakeFirst();

/** Opens list `list` of the tenant unless it exists (two processes opening it make one). */
export async function openList(db: Db, tenantId: string, list: number, size: number, at: string): Promise<void> {
  await db
    .insertInto('credential_status_lists')
    .values({
      tenant_id: tenantId,
      list,
      size,
      used: 0,
      revision: 0,
      signed: null,
      signed_revision: null,
      signed_key_id: null,
      created_at: at,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Takes `position` in the list for the issue; false when the position is taken or the issue has a slot
 * (either unique key): the caller looks again. The list's count goes up with the slot.
 */
export async function takeSlot(db: Db, row: CredentialStatusSlotTable): Promise<boolean> {
  const r = await db
    .insertInto('credential_status_slots')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
  await db
    .updateTable('credential_status_lists')
    .set((eb) => ({ used: eb('used', '+', 1) }))
    .where('tenant_id', '=', row.tenant_id)
    .where('list', '=', row.list)
    .execute();
  return true;
}

/** Sets the slot's bit; when it changed, the list's revision goes up (its signed copy is then stale). Whether it changed. */
export async function setSlotRevoked(db: Db, issueId: string, revoked: boolean, at: string): Promise<boolean> {
  const slot = await db
    .updateTable('credential_status_slots')
    .set({ revoked: revoked ? 1 : 0, updated_at: at })
    .where('issue_id', '=', issueId)
    .where('revoked', '=', revoked ? 0 : 1)
    .returning(['tenant_id', 'list'])
    .executeTakeFirst();
  if (!slot) return false;
  await db
    .updateTable('credential_status_lists')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('tenant_id', '=', slot.tenant_id)
    .where('list', '=', slot.list)
    .execute();
  return true;
}

export async function revokedPositions(db: Db, tenantId: string, list: number): Promise<number[]> {
  const rows = await db
    .selectFrom('credential_status_slots')
    .select('position')
    .where('tenant_id', '=', tenantId)
    .where('list', '=', list)
    .where('revoked', '=', 1)
    .execute();
  return rows.map((r) => r.position);
}

/** Keeps the signed list for `revision`, unless a newer one was kept meanwhile. */
export async function keepSignedList(
  db: Db,
  tenantId: string,
  list: number,
  revision: number,
  keyId: string,
  signed: string,
): Promise<void> {
  await db
    .updateTable('credential_status_lists')
    .set({ signed, signed_revision: revision, signed_key_id: keyId })
    .where('tenant_id', '=', tenantId)
    .where('list', '=', list)
    .where((eb) => eb.or([eb('signed_revision', 'is', null), eb('signed_revision', '<=', revision)]))
    .execute();
}
