import { DID_CONTEXT, MULTIKEY_CONTEXT } from './loader';
import type { DidDocument, IssuerKey, Jwk, Jwks } from './types';

/**
 * did:web identifiers of tenants. A tenant's DID is made from the address its documents name
 * (public_base_url, else the server's), so a verifier elsewhere resolves it where the tenant's documents
 * already point: `https://<host>[:port]/<base path>/tenants/<slug>/did.json`. The "tenants" segment keeps
 * tenants' DIDs beside one another under one host without any tenant owning the host's
 * /.well-known/did.json.
 */
export const DID_PATH = 'tenants';

export function tenantDid(publicBaseUrl: string, tenantSlug: string): string {
  const url = new URL(publicBaseUrl);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const segments = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => encodeURIComponent(decodeURIComponent(s)));
  return ['did:web', host, ...segments, DID_PATH, encodeURIComponent(tenantSlug)].join(':');
}

/** The parts of a tenant's did:web, or undefined when it is not one of that shape. */
export function parseTenantDid(did: string): { host: string; path: string[]; slug: string } | undefined {
  const parts = did.split(':');
  if (parts.length < 5 || parts[0] !== 'did' || parts[1] !== 'web') return undefined;
  const [, , host, ...rest] = parts;
  const slug = rest.pop();
  if (!host || !slug || rest.pop() !== DID_PATH) return undefined;
  return { host: decodeURIComponent(host), path: rest.map((s) => decodeURIComponent(s)), slug: decodeURIComponent(slug) };
}

/** Where a did:web resolver fetches the document (did:web always means https). */
export function didDocumentUrl(did: string): string {
  const parts = did.split(':');
  if (parts[0] !== 'did' || parts[1] !== 'web' || !parts[2]) throw new TypeError(`${did} is not a did:web.`);
  const host = decodeURIComponent(parts[2]);
  const path = parts.slice(3);
  return `https://${host}/${path.length ? `${path.join('/')}/did.json` : '.well-known/did.json'}`;
}

export const verificationMethodId = (did: string, key: Pick<IssuerKey, 'publicKeyMultibase'>): string => `${did}#${key.publicKeyMultibase}`;

/**
 * The DID document: every key the tenant has had, retired ones included, as assertion methods: what a
 * retired key signed stays verifiable; only the active key signs anything new.
 */
export function didDocument(did: string, keys: readonly IssuerKey[]): DidDocument {
  const ids = keys.map((k) => verificationMethodId(did, k));
  return {
    '@context': [DID_CONTEXT, MULTIKEY_CONTEXT],
    id: did,
    verificationMethod: keys.map((k, i) => ({
      id: ids[i] ?? '',
      type: 'Multikey',
      controller: did,
      publicKeyMultibase: k.publicKeyMultibase,
    })),
    assertionMethod: ids,
  };
}

/** The same keys as a JWK Set (RFC 8037 OKP), for verifiers of the VC-JWT form and JOSE tooling. */
export function jwks(did: string, keys: readonly IssuerKey[]): Jwks {
  return {
    keys: keys.map((k): Jwk => ({
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(ed25519PublicKey(k.publicKeyMultibase)).toString('base64url'),
      kid: verificationMethodId(did, k),
      alg: 'EdDSA',
      use: 'sig',
    })),
  };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58Decode(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const ch of text) {
    let carry = BASE58.indexOf(ch);
    if (carry < 0) throw new TypeError('Not base58btc.');
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] ?? 0) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (const ch of text) {
    if (ch !== '1') break;
    bytes.push(0);
  }
  return Uint8Array.from(bytes.reverse());
}

/** The 32 raw bytes of an Ed25519 Multikey ('z' + base58btc of 0xed 0x01 + key). */
export function ed25519PublicKey(publicKeyMultibase: string): Uint8Array {
  if (!publicKeyMultibase.startsWith('z')) throw new TypeError('An Ed25519 Multikey is base58btc (z…).');
  const raw = base58Decode(publicKeyMultibase.slice(1));
  if (raw.length !== 34 || raw[0] !== 0xed || raw[1] !== 0x01) throw new TypeError('Not an Ed25519 public Multikey.');
  return raw.subarray(2);
}
