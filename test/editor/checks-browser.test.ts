import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEditor, launchChromium, serveStatic } from '../support/browser';

/**
 * What issue 14 found the editor's checks missing, in Chromium on the component gallery (built by Vite,
 * served as static files): the variables panel inserts a loop for a list of objects, and the diagnostics
 * the worker computes follow the interface language.
 */
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
