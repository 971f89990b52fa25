import { randomInt } from 'node:crypto';
import { BitstringStatusList } from '@digitalbazaar/vc-bitstring-status-list';
import type { Db } from '../../storage/db';
import {
  keepSignedList,
  lastListOf,
  listOf,
  openList,
  revokedPositions,
  setSlotRevoked,
  slotOf,
  takeSlot,
} from '../../storage/repositories/credentials';
import { DomainError } from '../errors';
import { activeIssuerKey } from './keys';
import { VC_V2_CONTEXT } from './loader';
import { signWithKeyPair, tenantKeyPair } from './sign';
import type { JsonObject, SignedCredential, StatusSlot } from './types';

/**
 * Bitstring Status Lists (W3C, 2025): a revocation is one bit in a list the tenant signs and serves; a
 * verifier fetches the list, never asks about one credential, so it learns nothing of who is checked.
 *
 * Positions are drawn at random (the specification's herd privacy: neighbours in a list are not
 * neighbours in time), and a list takes new slots until half full, so a draw rarely meets a taken
 * position; then the next list opens. 131,072 bits is the specification's 16 KB minimum.
 */
export const LIST_SIZE = 131_072;
const FILL = LIST_SIZE / 2;
const DRAWS = 64;

const slot = (row: { tenant_id: string; list: number; position: number }): StatusSlot => ({
  tenantId: row.tenant_id,
  list: row.list,
  index: row.position,
});

export async function statusSlot(db: Db, tenantId: string, issueId: string): Promise<StatusSlot> {
  const at = new Date().toISOString();
  for (let attempt = 0; attempt < DRAWS; attempt++) {
    const had = await slotOf(db, issueId);
    if (had) {
      if (had.tenant_id !== tenantId) throw new Error(`Issue ${issueId} has a status slot of another tenant.`);
      return slot(had);
    }
    let list = await lastListOf(db, tenantId);
    if (!list || list.used >= FILL) {
      await openList(db, tenantId, (list?.list ?? 0) + 1, LIST_SIZE, at);
      list = await lastListOf(db, tenantId);
      if (!list) throw new Error('No status list after opening one.');
    }
    const row = { issue_id: issueId, tenant_id: tenantId, list: list.list, position: randomInt(list.size), revoked: 0, updated_at: at };
    if (await takeSlot(db, row)) return slot(row);
  }
  throw new DomainError('busy', 'CREDENTIAL_STATUS_FULL', 'No free position was found in the tenant’s status list.');
}

export async function setRevoked(db: Db, tenantId: string, issueId: string, revoked: boolean): Promise<StatusSlot> {
  const s = await statusSlot(db, tenantId, issueId);
  await setSlotRevoked(db, issueId, revoked, new Date().toISOString());
  return s;
}

/** The list's bits, encoded as the specification says: GZIP, then base64url without padding, multibase 'u'. */
export async function encodedList(db: Db, tenantId: string, list: number): Promise<string> {
  const row = await listOf(db, tenantId, list);
  if (!row) throw new DomainError('not-found', 'CREDENTIAL_STATUS_LIST_NOT_FOUND', `The tenant has no status list ${list}.`);
  const bits = new BitstringStatusList({ length: row.size });
  for (const p of await revokedPositions(db, tenantId, list)) bits.setStatus(p, true);
  return bits.encode();
}

/** The bit at `index` of an encoded list; undefined when the list cannot be decoded or is too short. */
export async function decodedStatus(encoded: string, index: number): Promise<boolean | undefined> {
  try {
    const list = await BitstringStatusList.decode({ encodedList: encoded });
    if (!Number.isInteger(index) || index < 0 || index >= list.length) return undefined;
    return list.getStatus(index);
  } catch {
    return undefined;
  }
}

export function unsignedStatusList(url: string, did: string, encoded: string, now: Date): JsonObject {
  return {
    '@context': [VC_V2_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: did,
    validFrom: `${now.toISOString().slice(0, 19)}Z`,
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encoded },
  };
}

/**
 * The signed list, signed again only when a bit changed since, the active key changed, or it was
 * signed for another address or DID (a tenant that changed its public address).
 */
export async function statusListCredential(
  db: Db,
  tenantId: string,
  list: number,
  options: { url: string; did: string; now: Date },
): Promise<SignedCredential> {
  const row = await listOf(db, tenantId, list);
  if (!row) throw new DomainError('not-found', 'CREDENTIAL_STATUS_LIST_NOT_FOUND', `The tenant has no status list ${list}.`);
  const key = await activeIssuerKey(db, tenantId, options.now);
  if (row.signed && row.signed_revision === row.revision && row.signed_key_id === key.id) {
    const kept = JSON.parse(row.signed) as SignedCredential;
    if (kept.id === options.url && kept.issuer === options.did) return kept;
  }
  const unsigned = unsignedStatusList(options.url, options.did, await encodedList(db, tenantId, list), options.now);
  const signed = await signWithKeyPair(unsigned, await tenantKeyPair(db, key, options.did), options.now);
  await keepSignedList(db, tenantId, list, row.revision, key.id, JSON.stringify(signed));
  return signed as SignedCredential;
}
