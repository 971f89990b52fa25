import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { seedDemoTenant, type DemoSeed } from '../../server/domain/demo';
import type { RenderPool } from '../../server/render/pool';
import { builtEditor, launchChromium } from './browser';
import { startApp, type Running } from './http';
import { freshServices, TestClock, type TestServices } from './storage';

/** The editor app as people get it: the demo tenant on a fresh SQLite file, the real server serving the built editor, Debian's Chromium. */
export interface DemoEditor {
  services: TestServices;
  seed: DemoSeed;
  app: Running;
  browser: Browser;
  page: Page;
}

/** Opens it with one page at `viewport`; the page's uncaught errors are pushed to `pageErrors`. */
export async function openDemoEditor(
  pool: RenderPool,
  viewport: { width: number; height: number },
  pageErrors: string[],
  context: BrowserContextOptions = {},
): Promise<DemoEditor> {
  // Today's date, not the test clock's default day: the browser keeps the session cookie only while its
  // expiry (computed from the server's clock) is in the real future.
  const services = await freshServices('sqlite', { pool, clock: new TestClock(new Date()) });
  const seed = await seedDemoTenant(services);
  if (!seed) throw new Error('the demo tenant was not created');
  const app = await startApp(services, { editorDir: builtEditor() });
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport, locale: 'en-US', ...context })).newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { services, seed, app, browser, page };
}

/** Signs in as the demo tenant's administrator and waits for the template list. */
export async function signInAsAdmin(page: Page, base: string, seed: DemoSeed): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Organisation').fill('demo');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(seed.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/templates$/);
}
