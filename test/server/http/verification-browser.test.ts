import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../server/domain/tokens';
import { freshServices, learnerData, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';
import { call, startApp, type Running } from '../../support/http';
import { launchChromium } from '../../support/browser';

/**
 * The verification page's file check in a real browser with JavaScript off, under the server's own
 * Content-Security-Policy: a person picks the PDF they were given and reads what it is.
 */
const pool = useRenderPool(1);
let services: TestServices;
let app: Running;
let t: TenantFixture;
let browser: Browser;

beforeAll(async () => {
  services = await freshServices('sqlite', { pool: pool() });
  app = await startApp(services);
  t = await setupTenant(services);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the verification page in a browser without JavaScript', () => {
  it('tells a visitor that the PDF they picked is the document issued under the code', async () => {
    const lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:apply', 'certificate:retrieve-own', 'learners:supply-data'],
      })
    ).token;
    const issued = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: 'L-browser', available: true, data: learnerData() },
    });
    const code = String(issued.json.issue?.code);
    const file = join(tmpdir(), `attestation-${code}.pdf`);
    writeFileSync(file, (await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms })).bytes);

    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    try {
      await page.goto(`${app.base}/verify/${code}`);
      expect(await page.textContent('[data-status]')).toBe('Document valide');
      await page.setInputFiles('#document', file);
      await Promise.all([page.waitForURL(`${app.base}/verify/${code}/document`), page.click('form.upload button')]);
      expect(await page.getAttribute('[data-match]', 'data-match')).toBe('current');
      expect(await page.textContent('[data-match]')).toContain('version en vigueur');
      expect(refused).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
