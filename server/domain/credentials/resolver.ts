import type { Db } from '../../storage/db';
import { publicBaseUrl } from '../public-url';
import { findTenantBySlug, type Tenant } from '../tenants';
import { didDocument, DID_PATH, parseTenantDid, tenantDid } from './did';
import { issuerKeys } from './keys';
import { statusListCredential } from './status-list';
import type { DidResolver, JsonObject } from './types';

/**
 * What this installation publishes, read from storage instead of over HTTP: its tenants' DID documents and
 * status lists. A DID or list address resolves only when it is exactly what the tenant publishes today
 * (its public address, else the server's): a credential naming another host with a tenant's slug is not
 * that tenant's.
 */

/** Where list `list` of a tenant is served: beside its did.json. */
export const statusListUrl = (base: string, tenantSlug: string, list: number): string =>
  `${base.replace(/\/+$/, '')}/${DID_PATH}/${encodeURIComponent(tenantSlug)}/status/${list}`;

const tenantBase = (tenant: Tenant, serverBaseUrl: string): string => publicBaseUrl(tenant.settings.public_base_url, serverBaseUrl);

export function storedDidResolver(db: Db, serverBaseUrl: string): DidResolver {
  return async (did) => {
    const parts = parseTenantDid(did);
    if (!parts) return undefined;
    const tenant = await findTenantBySlug(db, parts.slug);
    if (!tenant || tenantDid(tenantBase(tenant, serverBaseUrl), tenant.slug) !== did) return undefined;
    return didDocument(did, await issuerKeys(db, tenant.id));
  };
}

/** Status lists by the address statusListUrl gives, signed as they are served (VerifyOptions.statusList). */
export function storedStatusLists(
  db: Db,
  serverBaseUrl: string,
  now: () => Date = () => new Date(),
): (url: string) => Promise<JsonObject | undefined> {
  return async (url) => {
    const m = new RegExp(`/${DID_PATH}/([^/]+)/status/([1-9][0-9]{0,8})$`).exec(url);
    if (!m?.[1] || !m[2]) return undefined;
    const tenant = await findTenantBySlug(db, decodeURIComponent(m[1]));
    if (!tenant) return undefined;
    const base = tenantBase(tenant, serverBaseUrl);
    const list = Number(m[2]);
    if (statusListUrl(base, tenant.slug, list) !== url) return undefined;
    try {
      return await statusListCredential(db, tenant.id, list, { url, did: tenantDid(base, tenant.slug), now: now() });
    } catch {
      return undefined;
    }
  };
}
