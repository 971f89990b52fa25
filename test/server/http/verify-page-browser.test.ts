import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../server/domain/tokens';
import { freshServices, learnerData, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';
import { call, startApp, type Running } from '../../support/http';
import { launchChromium } from '../../support/browser';

/**
 * The pages the server writes, in Debian's Chromium under their own Content-Security-Policy: the
 * verification page's in-page file check (a real issued PDF and a modified copy dropped on it, and one
 * picked with the file field) and the API docs page's stylesheet. Any policy violation the browser
 * reports fails the test.
 */
const pool = useRenderPool(1);
let services: TestServices;
let app: Running;
let t: TenantFixture;
let browser: Browser;

beforeAll(async () => {
  services = await freshServices('sqlite', { pool: pool() });
  app = await startApp(services);
  t = await setupTenant(services, { settings: { organization: { name: 'Institut Lumière', colour: '#aa3300' } } });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A page that records what the policy refused, as the browser reports it (events and console). */
async function watchedPage(locale = 'fr-FR'): Promise<{ page: Page; refused: () => Promise<string[]>; close: () => Promise<void> }> {
  const context = await browser.newContext({ locale });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __refused: string[] }).__refused = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const consoleRefusals: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleRefusals.push(m.text());
  });
  return {
    page,
    refused: async () => [...consoleRefusals, ...(await page.evaluate(() => (window as unknown as { __refused: string[] }).__refused))],
    close: () => context.close(),
  };
}

/** Drops a file on the element the way a person dragging it from their desktop does. */
async function dropFile(page: Page, selector: string, bytes: Uint8Array, name: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ base64, name }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type: 'application/pdf' }));
      return dt;
    },
    { base64: Buffer.from(bytes).toString('base64'), name },
  );
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: transfer });
}

const verdict = async (page: Page, previous?: string) => {
  await page.waitForFunction((before) => {
    const el = document.querySelector('.check .match');
    const m = el?.getAttribute('data-match');
    return !!m && m !== 'checking' && el!.textContent !== before;
  }, previous ?? null);
  return page.$eval('.check .match', (el) => ({ match: el.getAttribute('data-match'), text: el.textContent ?? '' }));
};

describe('the verification page’s file check in a browser', () => {
  it('says a dropped PDF is the document, a modified copy is not, and a picked file is checked without leaving the page', async () => {
    const lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:apply', 'certificate:retrieve-own', 'learners:supply-data'],
      })
    ).token;
    const issued = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: 'L-drop', available: true, data: learnerData() },
    });
    const code = String(issued.json.issue?.code);
    const pdf = (await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms })).bytes;
    // Still a PDF every reader opens, one comment longer: not the bytes that were issued.
    const modified = new Uint8Array([...pdf, ...new TextEncoder().encode('%edited\n')]);

    const { page, refused, close } = await watchedPage();
    try {
      await page.goto(`${app.base}/verify/${code}`);
      expect(await page.textContent('[data-status]')).toBe('Document valide');
      expect(await page.$eval('.brand .org', (el) => getComputedStyle(el).color)).toBe('rgb(170, 51, 0)');

      await dropFile(page, '.drop', pdf, `attestation-${code}.pdf`);
      const first = await verdict(page);
      expect(first).toEqual({ match: 'current', text: 'Ce fichier est le document délivré sous ce code, dans sa version en vigueur.' });

      await dropFile(page, '.drop', modified, 'attestation-modifiee.pdf');
      const second = await verdict(page, first.text);
      expect(second).toEqual({ match: 'none', text: 'Ce fichier n’est pas le document délivré sous ce code.' });

      await page.setInputFiles('#document', { name: 'attestation.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) });
      expect((await verdict(page, second.text)).match).toBe('current');
      expect(page.url()).toBe(`${app.base}/verify/${code}`);
      expect(await refused()).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the API docs page in a browser', () => {
  it('is styled by its own stylesheet, and the browser refuses nothing', async () => {
    const { page, refused, close } = await watchedPage('en-GB');
    try {
      const answer = await page.goto(`${app.base}/api/v1/docs`);
      expect(answer?.status()).toBe(200);
      const style = await page.evaluate(() => {
        const body = getComputedStyle(document.body);
        const pre = document.querySelector('pre');
        return { maxWidth: body.maxWidth, font: body.fontFamily, pre: pre ? getComputedStyle(pre).backgroundColor : undefined };
      });
      expect(style).toEqual({ maxWidth: '960px', font: expect.stringContaining('system-ui'), pre: 'rgb(245, 245, 245)' });
      expect(await refused()).toEqual([]);
    } finally {
      await close();
    }
  });
});
