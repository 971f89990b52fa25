import { describe, expect, it } from 'vitest';
import { linkedInAddToProfileUrl, verificationPage } from '../../../server/http/pages/verify';
import { apiDocsPage } from '../../../server/http/pages/api-docs';
import type { Verification } from '../../../server/domain/verification';

/**
 * The page functions on their own, for what the HTTP tests do not reach easily: a document without expiry,
 * an expired one, the English page, a brand colour that is not one, and the API docs page's policy.
 */
const valid: Verification = {
  status: 'valid',
  code: 'ABCDE-FGHIJ-KLMNO-PQRST',
  certificate: 'Sauveteur secouriste du travail',
  organization: 'Institut Lumière',
  issuedOn: '2026-03-10',
  expiresOn: null,
  locale: 'en',
};
const URL_OF = 'https://certs.example.org/verify/ABCDE-FGHIJ-KLMNO-PQRST';

describe('the verification page, rendered', () => {
  it('leaves the expiry out of the LinkedIn entry of a document that never expires', () => {
    const url = new URL(linkedInAddToProfileUrl(valid, 'Institut Lumière', URL_OF)!);
    expect([...url.searchParams.keys()]).toEqual(['startTask', 'name', 'organizationName', 'issueYear', 'issueMonth', 'certUrl', 'certId']);
    expect(url.searchParams.get('issueMonth')).toBe('3');
    expect(linkedInAddToProfileUrl({ ...valid, certificate: undefined }, 'X', URL_OF)).toBeUndefined();
  });

  it('offers LinkedIn only for a valid document, in the page’s language', () => {
    const page = verificationPage(valid, { verificationUrl: URL_OF, brand: { name: 'Institut Lumière' } }).html;
    expect(page).toContain('>Add to LinkedIn profile</a>');
    expect(page).toContain('Drop the PDF file here, or choose it.');
    for (const status of ['expired', 'revoked'] as const)
      expect(verificationPage({ ...valid, status }, { verificationUrl: URL_OF }).html).not.toContain('<a class="linkedin"');
  });

  it('takes nothing but a #rrggbb colour into its stylesheet', () => {
    const page = verificationPage(valid, { brand: { name: 'X', colour: 'red}body{display:none' } }).html;
    expect(page).not.toContain('display:none');
    expect(page).toContain('--accent:#1f3a5f');
  });

  it('shows no logo that is not a data:image URL', () => {
    // The domain passes on only data:image URLs; the page escapes whatever it is given.
    const page = verificationPage(valid, { brand: { name: 'X', logo: 'data:image/png;base64,AA"><script>' } }).html;
    expect(page).toContain('src="data:image/png;base64,AA&quot;&gt;&lt;script&gt;"');
  });
});

describe('the API docs page, rendered', () => {
  it('answers with a policy that allows its one stylesheet and nothing else', () => {
    const { html, policy } = apiDocsPage({ info: { title: 'T', description: 'D' }, paths: {} });
    expect(html).toMatch(/<style>[^<]+<\/style>/);
    expect(policy).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'none'; img-src data:; connect-src 'none'; form-action 'none'/,
    );
    expect(html).not.toMatch(/<script/);
  });
});
