import { lookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where Attest may connect on a tenant's say-so (webhook receivers, SMTP servers). The server is on the
 * internet and a tenant's manager types the address: without a check, a receiver URL is a way to make the
 * server call its own admin ports, the cloud's metadata address or the private network behind it (SSRF).
 * Loopback, private, link-local, shared, multicast and reserved addresses are refused unless the
 * installation allows them (ATTEST_ALLOW_PRIVATE_RECEIVERS=1: a receiver on the same machine or network,
 * and the tests). The check runs on the address actually connected to (a name resolved at connect time),
 * so a name that resolves to a public address when saved and to 127.0.0.1 when used is refused too.
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

export function privateReceiversAllowed(): boolean {
  return process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS === '1';
}

/** Whether an IP address (v4 or v6, v4-mapped v6 read as v4) is one the internet cannot route to us. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family === 6) return PRIVATE.check(address, 'ipv6');
  return true;
}

export type AddressProblem = 'URL_INVALID' | 'URL_SCHEME' | 'URL_CREDENTIALS' | 'URL_PRIVATE';

/** Checks a receiver URL as typed: http(s), no user or password, a host that is not a private address by name or number. */
export function receiverUrlProblem(value: string, allowPrivate = privateReceiversAllowed()): AddressProblem | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'URL_INVALID';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'URL_SCHEME';
  if (url.username || url.password) return 'URL_CREDENTIALS';
  if (!allowPrivate && hostIsPrivate(url.hostname)) return 'URL_PRIVATE';
  return undefined;
}

/** A host name or literal that is private without asking DNS (the literal, or a name every resolver keeps local). */
export function hostIsPrivate(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) return isPrivateAddress(host);
  return (
    host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal') || !host.includes('.')
  );
}

export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor(readonly address: string) {
    super(`The receiver resolves to ${address}, a private address: refused.`);
  }
}

/**
 * The `lookup` to connect with: Node's, then every address it answers is checked, so the socket can only
 * reach an address that passed (no second resolution between the check and the connection).
 */
export function guardedLookup(allowPrivate = privateReceiversAllowed()): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list: LookupAddress[] = addresses;
      const bad = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(new PrivateAddressError(bad.address), '', 4);
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}.`), { code: 'ENOTFOUND' }), '', 4);
      callback(null, first.address, first.family);
    });
  };
}
