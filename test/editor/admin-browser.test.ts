import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEditor, launchChromium } from '../support/browser';
import { signInAsAdmin } from '../support/editor-app';
import { seedDemoTenant, type DemoSeed } from '../../server/domain/demo';
import { call, list, startApp, type Running } from '../support/http';
import { freshServices, learnerData, TestClock, useRenderPool } from '../support/storage';

/**
 * The administration screens, the delivery dashboard and the LMS-facing parts of the certificate and
 * delivery screens, built by Vite and served by the REAL server (Express, SQLite, render pool) with the
 * demo tenant, in Debian's Chromium: what an admin does with the mouse and with the keyboard only, at
 * 1440×900 and at 800 px wide (the header wraps; Sign out stays whole on every screen).
 */
const OUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `admin-${name}.png`), fullPage: true });

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a44a0000000049454e44ae426082',
  'hex',
);
const PNG_URL = `data:image/png;base64,${PNG.toString('base64')}`;

const pool = useRenderPool(1);
let app: Running;
let seed: DemoSeed;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let certificateId = '';
let code = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  // Today's date: the browser keeps the session cookie only while its expiry is in the real future.
  const services = await freshServices('sqlite', { pool: pool(), clock: new TestClock(new Date()) });
  const dir = builtEditor();
  const seeded = await seedDemoTenant(services);
  if (!seeded) throw new Error('the demo tenant was not created');
  seed = seeded;
  certificateId = seed.certificates[0]!.id;
  app = await startApp(services, { editorDir: dir });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.base });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

/** Presses Tab until the focused element matches `selector`; how many presses it took. */
async function tabTo(selector: string, max = 80): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('the administration and dashboard screens against the real server', { timeout: 60_000 }, () => {
  it('signs in as the demo admin, who sees the dashboard and the administration', async () => {
    await signInAsAdmin(page, app.base, seed);
    for (const name of ['Dashboard', 'Administration']) await page.getByRole('link', { name, exact: true }).waitFor();
  });

  it('shows each certificate’s id with a copy button, a curl example and a Moodle example', async () => {
    await page.getByRole('link', { name: 'Certificates', exact: true }).click();
    const id = page.getByTestId('certificate-id').first();
    await id.waitFor();
    const ids = await page.getByTestId('certificate-id').allInnerTexts();
    expect(ids).toContain(certificateId);
    const row = page.locator('tr', { has: page.locator(`code[data-testid="certificate-id"]`, { hasText: certificateId }) });
    await row.getByRole('button', { name: /^Copy Id for the LMS/ }).click();
    await expect.poll(clipboard).toBe(certificateId);
    await row.locator('details.integration summary').click();
    const curl = await row.locator('pre[data-example="curl"]').innerText();
    expect(curl).toContain(`${app.base}/api/v1/certificates/${certificateId}/issues`);
    expect(curl).toContain('Authorization: Bearer $TOKEN');
    const moodle = await row.locator('pre[data-example="moodle"]').innerText();
    expect(moodle).toContain(`$curl->post('${app.base}/api/v1/certificates/${certificateId}/issues'`);
    await row.getByRole('button', { name: 'Copy With curl' }).click();
    await expect.poll(clipboard).toBe(curl);
    await shot(page, 'certificates-1440');
  });

  it('lists learners by name, filters by certificate and counts each document’s public checks', async () => {
    const issued = await call(app.base, 'POST', `/api/v1/certificates/${certificateId}/issues`, {
      token: seed.lmsToken,
      body: { learner_id: 'admin-l1', available: true, data: learnerData() },
    });
    expect(issued.status, issued.text).toBe(201);
    code = String(issued.json.issue?.code);
    const refused = await call(app.base, 'POST', `/api/v1/certificates/${certificateId}/issues`, {
      token: seed.lmsToken,
      body: { learner_id: 'admin-l2', available: false, data: learnerData() },
    });
    expect(refused.status).toBe(403);
    for (let i = 0; i < 2; i++) expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).status).toBe(200);

    await page.getByRole('link', { name: 'Delivery', exact: true }).click();
    const row = page.locator(`tr[data-code="${code}"]`);
    await row.waitFor();
    expect(await row.locator('td[data-learner="admin-l1"]').innerText()).toContain('Camille Martin');
    expect(await row.locator('td[data-checks]').getAttribute('data-checks')).toBe('2');
    const other = seed.certificates[1]!;
    await page.locator('select[name=certificate]').selectOption(other.id);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No document matches.').waitFor();
    await page.locator('select[name=certificate]').selectOption(certificateId);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await row.waitFor();
  });

  it('draws the dashboard: per-week charts, refusals by reason, the most checked documents', async () => {
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.getByRole('heading', { name: 'Delivery dashboard' }).waitFor();
    const issued = page.locator('figure[data-series="issued"]');
    await issued.waitFor();
    expect(await page.locator('attest-bar-chart').count()).toBe(4);
    expect(await issued.locator('.total').getAttribute('data-total')).toBe('1');
    expect(await page.locator('figure[data-series="verified"] .total').getAttribute('data-total')).toBe('2');
    // Twelve weeks by default, one bar each, the week of today holding the document.
    const bars = issued.locator('attest-bar-chart').locator('rect.bar');
    expect(await bars.count()).toBe(12);
    expect(await bars.last().getAttribute('data-value')).toBe('1');
    expect(await page.locator('table.by-reason').innerText()).toContain('NOT_AVAILABLE');
    expect(await page.locator(`table.checked tr[data-code="${code}"]`).innerText()).toContain('2');
    await shot(page, 'dashboard-1440');

    // A range the server refuses: its problem is shown, nothing else changes.
    await page.locator('main input[name=from]').fill('2026-05-01');
    await page.locator('main input[name=to]').fill('2026-04-01');
    await page.getByRole('button', { name: 'Show' }).click();
    const alert = page.locator('.error[data-code="REQUEST_INVALID"]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('query.to');
  });

  it('changes the tenant settings, listing the server’s problems beside their fields', async () => {
    await page.getByRole('link', { name: 'Administration', exact: true }).click();
    await page.waitForURL(/\/admin\/settings$/);
    await page.locator('input[name=delivery_lock]').check();
    await page.getByLabel('Name', { exact: true }).fill('Institut Exemple — Lyon');
    await page.getByLabel('Public address of verification links').fill('ftp://attest.example.org');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#ts-public_base_url[aria-invalid="true"]').waitFor();
    expect(await page.locator('.field-error[id="err-public_base_url"]').innerText()).not.toBe('');
    await page.getByLabel('Public address of verification links').fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const tenant = await page.evaluate(() =>
      fetch('/api/v1/tenant').then(
        (r) => r.json() as Promise<{ settings: { delivery_lock: boolean; organization: { name: string }; public_base_url?: string } }>,
      ),
    );
    expect(tenant.settings.delivery_lock).toBe(true);
    expect(tenant.settings.organization.name).toBe('Institut Exemple — Lyon');
    expect(tenant.settings.public_base_url).toBeUndefined();
    await page.getByRole('button', { name: 'Show the webhook secret' }).click();
    expect((await page.getByTestId('webhook-secret').innerText()).length).toBeGreaterThan(20);
    await shot(page, 'settings-1440');
  });

  it('uploads a logo and sets the colour and the revocation reason: the public verification page shows them', async () => {
    await page.goto(`${app.base}/admin/settings`);
    await page.locator('form.settings-form').waitFor();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await page.getByLabel('Upload a logo').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: svg });
    await page.getByTestId('logo-preview').waitFor();
    await page.getByLabel('Colour (#rrggbb)').fill('green');
    await page.getByRole('button', { name: 'Save' }).click();
    // Both problems at once, each beside its field.
    await page.locator('#ts-org-colour[aria-invalid="true"]').waitFor();
    expect(await page.locator('.field-error[id="err-organization.logo"]').innerText()).toContain('PNG or JPEG');
    expect(await page.locator('.field-error[id="err-organization.colour"]').innerText()).not.toBe('');

    await page.getByLabel('Upload a logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.getByTestId('logo-preview').getAttribute('src')).toBe(PNG_URL);
    await page.getByLabel('Colour (#rrggbb)').fill('#0a7f3c');
    await page.getByLabel('Why a revoked document was revoked').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await shot(page, 'settings-logo-1440');
    const tenant = await page.evaluate(() =>
      fetch('/api/v1/tenant').then(
        (r) =>
          r.json() as Promise<{
            settings: { organization: { logo?: string; colour?: string }; verification_shows: { revocation_reason?: boolean } };
          }>,
      ),
    );
    expect(tenant.settings.organization).toMatchObject({ logo: PNG_URL, colour: '#0a7f3c' });
    expect(tenant.settings.verification_shows.revocation_reason).toBe(true);

    const visitor = await browser.newPage();
    try {
      await visitor.goto(`${app.base}/verify/${code}`);
      const logo = visitor.locator('header.brand img');
      expect(await logo.getAttribute('src')).toBe(PNG_URL);
      // Drawn, not a broken picture: the page's own policy lets a data: image in.
      await expect.poll(() => logo.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(1);
      expect(await visitor.locator('header.brand .org').evaluate((e) => getComputedStyle(e).color)).toBe('rgb(10, 127, 60)');
      await visitor.screenshot({ path: join(OUT, 'admin-verify-branded.png'), fullPage: true });
    } finally {
      await visitor.close();
    }
  });

  it('adds a person with a role, disables and enables them', async () => {
    await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: 'People and roles' }).click();
    await page.waitForURL(/\/admin\/people$/);
    await page.getByLabel('Username').fill('zoe.test');
    await page.getByLabel('Name', { exact: true }).fill('Zoé Test');
    await page.locator('.person-form').getByLabel('designer').check();
    await page.getByRole('button', { name: 'Add a person' }).click();
    const row = page.locator('tr[data-person="zoe.test"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('designer');
    await row.getByRole('button', { name: 'Disable Zoé Test' }).click();
    await row.locator('td[data-disabled="true"]').waitFor();
    await row.getByRole('button', { name: 'Enable Zoé Test' }).click();
    await row.locator('td[data-disabled="false"]').waitFor();
    await row.getByRole('button', { name: 'Change the roles of Zoé Test' }).click();
    await row.getByLabel('manager').check();
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.locator('td').nth(2).innerText()).toMatch(/^(designer, manager|manager, designer)$/);

    // A new role, granting only what the admin holds; then given to Zoé.
    await page.getByRole('button', { name: 'New role' }).click();
    await page.locator('#rf-name').fill('auditor');
    const roleForm = page.getByRole('form', { name: 'New role' });
    await roleForm.getByLabel('issues:manage').check();
    await roleForm.getByRole('button', { name: 'Save' }).click();
    const auditor = page.locator('tr[data-role="auditor"]');
    await auditor.waitFor();
    expect(await auditor.innerText()).toContain('issues:manage');
    await auditor.getByRole('button', { name: 'Capabilities of the role auditor' }).click();
    await auditor.getByLabel('certificate:view').check();
    await auditor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => auditor.innerText()).toContain('certificate:view');
    await shot(page, 'people-1440');
  });

  it('creates a token with the keyboard only: the secret is shown once and works; revoked, it does not', async () => {
    await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: 'API tokens' }).click();
    await page.waitForURL(/\/admin\/tokens$/);
    await page.locator('#tf-name').waitFor();
    await page.locator('main h1').click();
    await tabTo('#tf-name');
    await page.keyboard.type('Moodle');
    await tabTo('.choices button.small');
    await page.keyboard.press('Enter');
    await tabTo('.token-form button[type=submit]');
    // Focus is visible: the outline the stylesheet gives :focus-visible.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    const secret = page.locator('#token-secret');
    await secret.waitFor();
    // Focus moves to the secret's heading, so a keyboard user is where the secret is.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token-secret-title');
    const token = await secret.inputValue();
    expect(token).toMatch(/^att_/);
    const me = await call(app.base, 'GET', '/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect(list(me.json.capabilities)).toEqual([
      'certificate:view',
      'certificate:apply',
      'learners:supply-data',
      'certificate:retrieve-own',
    ]);
    await shot(page, 'tokens-1440');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.locator('#token-secret').count()).toBe(0);

    page.once('dialog', (d) => void d.accept());
    await page.locator('tr[data-token="Moodle"]').getByRole('button', { name: 'Revoke Moodle' }).click();
    await page.locator('tr[data-token="Moodle"][data-revoked="true"]').waitFor();
    expect((await call(app.base, 'GET', '/api/v1/me', { token })).status).toBe(401);
  });

  it('states the asset limit, offers to name an upload in the front matter, and completes its path', async () => {
    await page.getByRole('link', { name: 'Templates', exact: true }).click();
    await page.getByLabel('Example').selectOption('attestation-fr');
    await page.getByRole('button', { name: 'Create from example' }).click();
    await page.waitForURL(/\/templates\/[^/]+$/);
    const source = () => page.evaluate(() => document.querySelector('attest-source-editor')!.codeEditor!.getValue());
    await expect.poll(source, { timeout: 20_000 }).toMatch(/^---\n/);
    await page.getByRole('tab', { name: 'Assets' }).click();
    await page.getByText('At most 20 MB per file.').waitFor();
    await page.getByLabel('Name used in the front matter').fill('assets/stamp.png');
    await page.locator('#asset-file').setInputFiles(fileURLToPath(new URL('../../templates/examples/assets/seal.png', import.meta.url)));
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('button', { name: 'Add “stamp: assets/stamp.png” to the front matter' }).click();
    await expect.poll(source).toContain('  stamp: assets/stamp.png\n');
    // A new entry of the map: the uploaded file's path is proposed as it is typed.
    await page.evaluate(() => {
      const ed = document.querySelector('attest-source-editor')!.codeEditor!;
      const model = ed.getModel()!;
      const at = model.findNextMatch('stamp: assets/stamp.png', { lineNumber: 1, column: 1 }, false, true, null, false)!.range;
      ed.executeEdits('test', [{ range: { ...at, startColumn: at.endColumn }, text: '\n  other: ' }]);
      ed.setPosition({ lineNumber: at.endLineNumber + 1, column: '  other: '.length + 1 });
      ed.focus();
    });
    await page.keyboard.type('assets/');
    const widget = page.locator('.suggest-widget.visible');
    await widget.waitFor({ timeout: 10_000 });
    await expect.poll(() => widget.innerText()).toContain('assets/stamp.png');
    await page.keyboard.type('st');
    await expect
      .poll(() => page.locator('.suggest-widget.visible .monaco-list-row.focused').innerText(), { timeout: 5_000 })
      .toContain('assets/stamp.png');
    await page.keyboard.press('Enter');
    await expect.poll(source).toContain('  other: assets/stamp.png');
    await shot(page, 'assets-1440');
  });

  it('works at 800 px: the header wraps, Sign out is whole on every screen, nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    for (const [path, ready] of [
      ['/templates', 'table.list'],
      ['/certificates', 'table.list'],
      ['/delivery', 'table.list'],
      ['/dashboard', 'figure.chart'],
      ['/admin/settings', 'form.settings-form'],
      ['/admin/people', 'table.people'],
      ['/admin/tokens', 'table.tokens'],
    ] as const) {
      await page.goto(`${app.base}${path}`);
      await page.locator(ready).first().waitFor();
      if (path === '/dashboard' || path === '/admin/settings' || path === '/admin/people') await shot(page, `${path.split('/').pop()}-800`);
      const box = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
      expect(box, path).not.toBeNull();
      expect(box!.x, path).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, path).toBeLessThanOrEqual(800);
      const header = await page.evaluate(() => {
        const h = document.querySelector('.app-header')!;
        return { scroll: h.scrollWidth, client: h.clientWidth };
      });
      expect(header.scroll, path).toBeLessThanOrEqual(header.client);
      // The page itself does not scroll sideways (wide tables scroll in their own box).
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(800);
      // Nor does the screen: wide tables scroll in their own box, forms and charts fit.
      if (path !== '/templates') {
        const main = await page.evaluate(() => {
          const m = document.querySelector('main')!;
          return { scroll: m.scrollWidth, client: m.clientWidth };
        });
        expect(main.scroll, path).toBeLessThanOrEqual(main.client);
      }
    }
  });

  it('reaches every part of a screen with Tab, in reading order, on real controls', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.base}/admin/people`);
    await page.locator('table.people').waitFor();
    // Everything the screen loads is there (the role choices come with the roles: the seven default ones and the auditor made above).
    await expect.poll(() => page.locator('.person-form input[name=roles]').count()).toBe(8);
    const stop = () =>
      page.evaluate(() => {
        const e = document.activeElement!;
        const name = (e.getAttribute('aria-label') ?? (e as HTMLElement).innerText ?? '').trim().slice(0, 30);
        return `${e.tagName.toLowerCase()}:${name || (e as HTMLInputElement).name}`;
      });
    // From the skip link to the end of the page (where Tab leaves the page: the focus is then on <body>).
    const order: string[] = [];
    await page.focus('a.skip');
    for (let next = await stop(); !next.startsWith('body:') && order.length < 80; next = await stop()) {
      order.push(next);
      await page.keyboard.press('Tab');
    }
    // Every stop is a link, a button or a form control: nothing clickable is a div.
    for (const stop of order) expect(stop, order.join(' | ')).toMatch(/^(a|button|input|select|summary|textarea):/);
    const at = (s: string) => order.findIndex((o) => o.includes(s));
    // Skip link, main navigation, sign out, the section links, then the form: in that order.
    expect(at('Skip to content')).toBe(0);
    expect(at('a:Administration')).toBeGreaterThan(at('a:Templates'));
    expect(at('button:Sign out')).toBeGreaterThan(at('a:Administration'));
    expect(at('a:API tokens')).toBeGreaterThan(at('button:Sign out'));
    expect(at('input:username')).toBeGreaterThan(at('a:API tokens'));
    expect(at('button:Add a person')).toBeGreaterThan(at('input:password'));
    expect(at('button:Disable Zoé Test')).toBeGreaterThan(at('button:Add a person'));
    expect(pageErrors).toEqual([]);
  });
});
