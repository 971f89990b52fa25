import { describe, expect, it } from 'vitest';
import {
  guardedLookup,
  hostIsPrivate,
  isPrivateAddress,
  PrivateAddressError,
  receiverUrlProblem,
} from '../../../server/domain/webhooks-out/receivers';

/** Where the server may connect on a tenant's say-so: the SSRF rules, without HTTP. */
describe('receiver addresses', () => {
  it('knows private, loopback, link-local, shared and reserved addresses, v4, v6 and v4-mapped', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
    ])
      expect([a, isPrivateAddress(a)]).toEqual([a, true]);
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect([a, isPrivateAddress(a)]).toEqual([a, false]);
    expect(hostIsPrivate('localhost')).toBe(true);
    expect(hostIsPrivate('api.localhost')).toBe(true);
    expect(hostIsPrivate('[::1]')).toBe(true);
    expect(hostIsPrivate('lms.example.org')).toBe(false);
  });

  it('refuses URLs by scheme, credentials and private hosts, unless private ones are allowed', () => {
    expect(receiverUrlProblem('https://lms.example.org/hook', false)).toBeUndefined();
    expect(receiverUrlProblem('file:///etc/passwd', false)).toBe('URL_SCHEME');
    expect(receiverUrlProblem('gopher://lms.example.org', false)).toBe('URL_SCHEME');
    expect(receiverUrlProblem('https://a:b@lms.example.org', false)).toBe('URL_CREDENTIALS');
    expect(receiverUrlProblem('http://2130706433/', false)).toBe('URL_PRIVATE'); // 127.0.0.1 as one number
    expect(receiverUrlProblem('http://0x7f.1/', false)).toBe('URL_PRIVATE');
    expect(receiverUrlProblem('http://127.0.0.1:9/', true)).toBeUndefined();
  });

  it('refuses at connect time a name that resolves to a private address', async () => {
    const err = await new Promise<unknown>((resolve) => guardedLookup(false)('localhost', {}, (e) => resolve(e)));
    expect(err).toBeInstanceOf(PrivateAddressError);
    const ok = await new Promise<unknown>((resolve) => guardedLookup(true)('localhost', {}, (e, address) => resolve(e ?? address)));
    expect(String(ok)).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
