import { z } from 'zod';

/**
 * The address printed in documents (and their QR codes) as where to verify them: the tenant's
 * `public_base_url`, else the server's `--base-url` / PUBLIC_BASE_URL. It outlives the server that
 * printed it, so only a plain web address will do: http or https, no user name or password (they would be
 * printed on every certificate), no query or fragment (`/verify/<code>` is appended to it).
 */
export function publicUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a web address; write it as https://certificates.example.org.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an https:// (or http://) address, not ${url.protocol}.`;
  if (url.username || url.password) return 'must not carry a user name or password: they would be printed on every document.';
  if (url.search || value.includes('?')) return 'must not have a query (?…): the verification path is appended to it.';
  if (url.hash || value.includes('#')) return 'must not have a fragment (#…): the verification path is appended to it.';
  return undefined;
}

/** The tenant setting; a bad address is refused with PUBLIC_BASE_URL_INVALID and why. */
export const PublicBaseUrl = z
  .url()
  .max(500)
  .superRefine((value, ctx) => {
    const problem = URL.canParse(value) ? publicUrlProblem(value) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: `public_base_url ${problem}`, params: { code: 'PUBLIC_BASE_URL_INVALID' } });
  });

/** Where documents say to verify them: the tenant's address when it set one, else the server's. */
export function publicBaseUrl(tenantSetting: string | undefined, serverBase: string): string {
  return (tenantSetting ?? serverBase).replace(/\/+$/, '');
}

/** Whether an address only this machine can open (localhost, 127.0.0.0/8, ::1, or the "any" address). */
export function isLoopback(base: string): boolean {
  const host = new URL(base).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '::1' ||
    host === '0.0.0.0' ||
    host === '::'
  );
}
