import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../server/domain/context';
import { seedDemoTenant, type DemoSeed } from '../../server/domain/demo';
import { createPerson } from '../../server/domain/people';
import { setRoleCapabilities } from '../../server/domain/roles';
import { builtEditor, launchChromium } from '../support/browser';
import { call, startApp, type Running } from '../support/http';
import { freshServices, TestClock, useRenderPool } from '../support/storage';

/**
 * The People screen's actions on someone else, in Debian's Chromium against the real server (Express,
 * SQLite): a password reset whose new password signs in from a fresh browser, sessions ended so an open
 * one is refused, a deletion; each through a dialog used with the keyboard, focus handed back; and the
 * server's refusal shown in the dialog when the person outranks the one asking.
 */
const PASSWORD = 'the old passphrase of Léa';

// The demo seed publishes its templates: one worker.
const pool = useRenderPool(1);
let app: Running;
let seed: DemoSeed;
let browser: Browser;
let admin: Page;
/** The password the reset gave Léa. */
let newPassword = '';
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function freshPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

async function signIn(username: string, password: string): Promise<Page> {
  const page = await freshPage();
  await page.goto(`${app.base}/sign-in`);
  await page.getByLabel('Organisation').fill('demo');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  return page;
}

const signInStatus = async (username: string, password: string) =>
  (await call(app.base, 'POST', '/api/v1/session', { body: { tenant: 'demo', username, password } })).status;

const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement;
    return e ? `${e.tagName.toLowerCase()}:${e.getAttribute('aria-label') ?? e.id ?? ''}` : '';
  });

async function openPeople(page: Page): Promise<void> {
  await page.goto(`${app.base}/admin/people`);
  await page.locator('table.people').waitFor();
}

beforeAll(async () => {
  const services = await freshServices('sqlite', { pool: pool(), clock: new TestClock(new Date()) });
  const seeded = await seedDemoTenant(services);
  if (!seeded) throw new Error('the demo tenant was not created');
  seed = seeded;
  const system: Actor = { kind: 'system', tenantId: seed.tenant.id };
  await createPerson(services, system, { username: 'lea', displayName: 'Léa Petit', password: PASSWORD, roles: ['designer'] });
  // A help desk: manages people, but holds less than the administrator does.
  await setRoleCapabilities(services, system, 'helpdesk', ['tenant:manage', 'certificate:view']);
  await createPerson(services, system, { username: 'hd', displayName: 'Help Desk', password: PASSWORD, roles: ['helpdesk'] });
  app = await startApp(services, { editorDir: builtEditor() });
  browser = await launchChromium();
  admin = await signIn('admin', seed.admin.password);
  await openPeople(admin);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await app?.close();
});

describe('resetting passwords, ending sessions and deleting people on the People screen', { timeout: 60_000 }, () => {
  it('offers no action on oneself', async () => {
    const me = admin.locator('tr[data-person="admin"]');
    await me.waitFor();
    expect(await me.locator('button').count()).toBe(0);
    expect(await admin.locator('tr[data-person="lea"] button').allInnerTexts()).toEqual([
      'Change roles',
      'Disable',
      'Reset password',
      'End sessions',
      'Delete',
    ]);
  });

  it('ends a person’s sessions with the keyboard: their open session is refused at once', async () => {
    const lea = await signIn('lea', PASSWORD);
    expect(await lea.evaluate(() => fetch('/api/v1/me').then((r) => r.status))).toBe(200);

    const button = admin.getByRole('button', { name: 'End the sessions of Léa Petit' });
    await button.focus();
    await admin.keyboard.press('Enter');
    const dialog = admin.getByRole('dialog', { name: 'End the sessions of Léa Petit' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Sign Léa Petit out everywhere now?');
    // Cancel has the focus on arrival; Escape closes and gives the focus back to the button.
    expect(await admin.evaluate(() => document.activeElement?.classList.contains('cancel'))).toBe(true);
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => focused(admin)).toBe('button:End the sessions of Léa Petit');
    expect(await lea.evaluate(() => fetch('/api/v1/me').then((r) => r.status))).toBe(200);

    await admin.keyboard.press('Enter');
    await dialog.waitFor();
    await admin.keyboard.press('Shift+Tab');
    await admin.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await admin.getByRole('status').filter({ hasText: 'Léa Petit: 1 session(s) ended.' }).waitFor();
    await expect.poll(() => focused(admin)).toBe('button:End the sessions of Léa Petit');

    expect(await lea.evaluate(() => fetch('/api/v1/me').then((r) => r.status))).toBe(401);
    // The app she has open sends her back to signing in.
    await lea.reload();
    await lea.getByLabel('Organisation').waitFor();
  });

  it('resets a password: a short one is refused in the dialog, the proposed one is shown once and signs in from a fresh browser', async () => {
    const lea = await signIn('lea', PASSWORD);
    await admin.getByRole('button', { name: 'Reset the password of Léa Petit' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Reset the password of Léa Petit' });
    await dialog.waitFor();
    const field = dialog.getByLabel('New password (12 characters or more)');
    // The field has the focus, with a proposed password in it.
    expect(await focused(admin)).toBe('input:pa-password');
    expect((await field.inputValue()).length).toBe(18);

    await admin.keyboard.press('ControlOrMeta+a');
    await admin.keyboard.type('too short');
    await admin.keyboard.press('Enter');
    // The server's answer, at the field: the request's rules refuse it before the password rules would.
    await dialog.locator('[role=alert][data-code="REQUEST_INVALID"]').waitFor();
    expect(await dialog.locator('#err-pa-password').innerText()).toContain('12');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await lea.evaluate(() => fetch('/api/v1/me').then((r) => r.status))).toBe(200);

    await dialog.getByRole('button', { name: 'Propose another' }).click();
    const proposed = await field.inputValue();
    newPassword = proposed;
    expect(proposed).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{18}$/);
    await field.focus();
    await admin.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });

    const shown = admin.getByRole('region', { name: 'The new password of Léa Petit, shown this once' });
    await shown.waitFor();
    await expect.poll(() => focused(admin)).toBe('h2:password-set-title');
    expect(await shown.getByLabel('Password', { exact: true }).inputValue()).toBe(proposed);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
    await expect.poll(() => focused(admin)).toBe('button:Reset the password of Léa Petit');

    // Her open session ended; the old password no longer opens one; the new one does, in a browser that never saw either.
    expect(await lea.evaluate(() => fetch('/api/v1/me').then((r) => r.status))).toBe(401);
    expect(await signInStatus('lea', PASSWORD)).toBe(401);
    const fresh = await signIn('lea', proposed);
    expect(await fresh.evaluate(() => fetch('/api/v1/me').then((r) => r.json() as Promise<{ name: string }>))).toMatchObject({
      name: 'Léa Petit',
    });
  });

  it('shows the server’s refusal in the dialog when the person outranks the one asking', async () => {
    const desk = await signIn('hd', PASSWORD);
    await openPeople(desk);
    await desk.getByRole('button', { name: 'Delete Administrator' }).click();
    const dialog = desk.getByRole('dialog', { name: 'Delete Administrator' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    const refusal = dialog.locator('[role=alert][data-code="PERSON_OUTRANKS_YOU"]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('holds capabilities you do not');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await desk.locator('tr[data-person="admin"]').waitFor();
    expect(await signInStatus('admin', seed.admin.password)).toBe(200);
  });

  it('deletes a person after the dialog: the row goes, the focus lands on the list, and they cannot sign in', async () => {
    const lea = admin.locator('tr[data-person="lea"]');
    await lea.getByRole('button', { name: 'Delete Léa Petit' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Delete Léa Petit' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('the username lea stays taken');
    await admin.keyboard.press('Shift+Tab');
    await admin.keyboard.press('Enter');
    await lea.waitFor({ state: 'detached' });
    await admin.getByRole('status').filter({ hasText: 'Deleted Léa Petit.' }).waitFor();
    await expect.poll(() => focused(admin)).toBe('h2:people-title');
    expect(newPassword).not.toBe('');
    expect(await signInStatus('lea', newPassword)).toBe(401);
  });
});

describe('the API tokens screen shows everything the API tells about a token', { timeout: 60_000 }, () => {
  it('says who made each token, when it was last used and when it expires; revoking one revokes those it made', async () => {
    // A token made by the admin in the browser, and one made with that token, with an expiry, used once.
    const parent = await admin.evaluate(async () => {
      const r = await fetch('/api/v1/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-attest-csrf': '1' },
        body: JSON.stringify({ name: 'Parent', capabilities: ['tenant:manage', 'certificate:view'] }),
      });
      return (await r.json()) as { token: string };
    });
    const child = await call(app.base, 'POST', '/api/v1/tokens', {
      token: parent.token,
      body: { name: 'Child', capabilities: ['certificate:view'], expires_at: '2099-01-01T12:00:00Z' },
    });
    expect(child.status, child.text).toBe(201);
    const childToken = String(child.json.token);
    expect((await call(app.base, 'GET', '/api/v1/me', { token: childToken })).status).toBe(200);

    await admin.goto(`${app.base}/admin/tokens`);
    const row = (name: string) => admin.locator(`tr[data-token="${name}"]`);
    await row('Child').waitFor();
    expect(await row('Demo LMS').locator('td[data-created-by="system"]').innerText()).toBe('Attest (command line or set-up)');
    expect(await row('Parent').locator('td[data-created-by^="person:"]').innerText()).toBe('Administrator');
    const cells = await row('Child').locator('td').allInnerTexts();
    expect(cells[2]).toBe('the token “Parent”');
    expect(cells[3]).not.toBe('never'); // last used
    expect(cells[4]).toContain('2099'); // expires
    expect(await row('Parent').locator('td').nth(3).innerText()).not.toBe('never');

    admin.once('dialog', (d) => void d.accept());
    await row('Parent').getByRole('button', { name: 'Revoke Parent' }).click();
    await admin.locator('tr[data-token="Child"][data-revoked="true"]').waitFor();
    expect((await call(app.base, 'GET', '/api/v1/me', { token: childToken })).status).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
