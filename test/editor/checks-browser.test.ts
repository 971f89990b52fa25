import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEditor, launchChromium, serveStatic } from '../support/browser';
import { seedDemoTenant } from '../../server/domain/demo';
import { call, startApp, type Running } from '../support/http';
import { freshServices, TestClock, useRenderPool } from '../support/storage';

/**
 * What issue 14 found the editor's checks missing, in Chromium on the component gallery (built by Vite,
 * served as static files): the variables panel inserts a loop for a list of objects, and the diagnostics
 * the worker computes follow the interface language. Then the app against the real server: publishing
 * lists what blocks it and, apart, the warnings, in the language chosen in the editor.
 */
const pool = useRenderPool(1);
let server: Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const SOURCE = `---
name: Checks
locale: fr
---
<page><text x="10mm" y="10mm" width="150mm">{{ learner.fulname }}</text></page>
`;

beforeAll(async () => {
  let base: string;
  ({ base, server } = await serveStatic(builtEditor()));
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' })).newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${base}/components.html`);
  await page.waitForFunction(() => window.attestComponents?.source.codeEditor !== undefined, undefined, { timeout: 20_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

/** The messages of the last diagnostics the source editor showed (what the worker answered). */
const shownMessages = () =>
  page.evaluate(() => (window as unknown as { lastDiagnostics?: { message: string }[] }).lastDiagnostics?.map((d) => d.message) ?? []);

describe('the editor’s checks in Chromium', () => {
  it('inserts a loop over the items’ fields for a list of objects, and a picked field inside its loop', async () => {
    const panel = page.locator('attest-variables-panel');
    await panel.getByLabel('Search variables').fill('teachers');
    await panel.locator('button.var[data-path="teachers"]').click();
    const inserted = () =>
      page.evaluate(() =>
        window.attestComponents!.events.filter((e) => e.type === 'insert-text').map((e) => (e.detail as { text: string }).text),
      );
    expect((await inserted()).at(-1)).toBe('{% for teacher in teachers %}{{ teacher.name }}, {{ teacher.role }}{% endfor %}');
    await panel.locator('button.var[data-path="teacher.name"]').click();
    expect((await inserted()).at(-1)).toBe('{% for teacher in teachers %}{{ teacher.name }}{% endfor %}');
    expect(pageErrors).toEqual([]);
  });

  it('shows the analyzer’s diagnostics in French once the interface is French, and in English again', async () => {
    await page.evaluate((text) => {
      document.addEventListener('diagnostics-change', (e) => {
        (window as unknown as { lastDiagnostics?: unknown }).lastDiagnostics = (
          e as CustomEvent<{ diagnostics: unknown }>
        ).detail.diagnostics;
      });
      window.attestComponents!.source.value = text;
    }, SOURCE);
    await expect.poll(shownMessages, { timeout: 10_000 }).toContain('"fulname" is not a property of learner. Did you mean "fullname"?');
    // The text does not change: the switch alone asks the worker again.
    await page.evaluate(() => window.attestComponents!.setLocale('fr'));
    await expect
      .poll(shownMessages, { timeout: 10_000 })
      .toContain('"fulname" n’est pas une propriété de learner. Vouliez-vous dire "fullname" ?');
    await page.evaluate(() => window.attestComponents!.setLocale('en'));
    await expect.poll(shownMessages, { timeout: 10_000 }).toContain('"fulname" is not a property of learner. Did you mean "fullname"?');
    expect(pageErrors).toEqual([]);
  });
});

describe('publishing in the editor app, against the real server', { timeout: 60_000 }, () => {
  let app: Running;
  let appPage: Page;
  let templateId = '';
  const draft = (body: string) =>
    `---\nname: Checks\nlocale: fr\n---\n<page>\n  <text x="20mm" y="20mm" width="150mm">${body}</text>\n</page>\n`;

  beforeAll(async () => {
    // Today's date: the browser keeps the session cookie only while its expiry is in the real future.
    const services = await freshServices('sqlite', { pool: pool(), clock: new TestClock(new Date()) });
    const seed = (await seedDemoTenant(services))!;
    app = await startApp(services, { editorDir: builtEditor() });
    // An English browser whose person chose French in the editor: the app must say so to the server.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    await context.addInitScript(() => localStorage.setItem('attest.locale', 'fr'));
    appPage = await context.newPage();
    appPage.on('pageerror', (e) => pageErrors.push(e.message));
    const signIn = await call(app.base, 'POST', '/api/v1/session', {
      headers: { 'x-attest-csrf': '1' },
      body: { tenant: 'demo', username: 'admin', password: seed.admin.password },
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
    await context.addCookies([{ name, value, url: app.base }]);
    const created = await call(app.base, 'POST', '/api/v1/templates', {
      cookie,
      headers: { 'x-attest-csrf': '1' },
      body: { name: 'Checks', source: draft('Délivré le {{ certificate.issued }}, achevé le {{ completion.date | date: "longg" }}') },
    });
    expect(created.status).toBe(201);
    templateId = String(created.json.id);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('shows the errors that block publishing and, apart, the warnings, in French', async () => {
    await appPage.goto(`${app.base}/templates/${encodeURIComponent(templateId)}`);
    await appPage.getByRole('button', { name: 'Publier' }).click();
    const errors = appPage.getByTestId('publish-errors');
    const warnings = appPage.getByTestId('publish-warnings');
    await errors.waitFor({ timeout: 20_000 });
    expect(await errors.locator('li').count()).toBe(1);
    expect(await errors.innerText()).toContain('DATE_FORMAT_UNKNOWN');
    // Found by the server's render worker, and written in the interface's language too.
    expect(await errors.innerText()).toContain('n’est pas un format de date');
    expect(await errors.locator('h3').innerText()).toBe('Empêche la publication (1)');
    expect(await warnings.locator('li').allInnerTexts()).toEqual([
      expect.stringContaining('DATE_PRINTED_RAW'),
      expect.stringContaining('OPTIONAL_WITHOUT_DEFAULT'),
    ]);
    // The server's own words follow the interface's language, which the browser's is not.
    expect(await appPage.locator('.error[data-code="TEMPLATE_HAS_ERRORS"]').innerText()).toContain('Le modèle contient des erreurs');
  });

  it('publishes once the error is fixed, still listing the warnings', async () => {
    await appPage.evaluate(() => {
      const ed = document.querySelector('attest-source-editor')!.codeEditor!;
      const model = ed.getModel()!;
      const match = model.findNextMatch('"longg"', { lineNumber: 1, column: 1 }, false, true, null, false)!;
      ed.executeEdits('test', [{ range: match.range, text: '"long"' }]);
    });
    await appPage.getByRole('button', { name: 'Publier' }).click();
    await appPage.getByText('Version 1 publiée.').waitFor({ timeout: 20_000 });
    expect(await appPage.getByTestId('publish-errors').count()).toBe(0);
    expect(await appPage.getByTestId('publish-warnings').locator('li').count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
