import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEditor, launchChromium } from '../support/browser';
import type { PreviewMeasure } from '../../editor/app/controllers/preview-controller';
import { seedDemoTenant, type DemoSeed } from '../../server/domain/demo';
import { createPerson } from '../../server/domain/people';
import { call, startApp, type Running } from '../support/http';
import { freshServices, learnerData, TestClock, useRenderPool } from '../support/storage';

/**
 * The editor app as people get it: built by Vite, served by the REAL server (Express, SQLite, render pool)
 * on loopback with the demo tenant, driven in Debian's Chromium. One journey, step by step: sign in,
 * create a template from an example, complete a variable, see an error marked and fixed, see the preview
 * change (its PDF text), switch to a hard persona, publish, configure a certificate, issue a document
 * through the API (locked), unlock it from the delivery screen, verify it on the public page.
 */
const OUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `app-${name}.png`) });

const pool = useRenderPool(1);
let dir: string;
let app: Running;
let seed: DemoSeed;
let services: Awaited<ReturnType<typeof freshServices>>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  // Today's date, not the test clock's default day: the browser keeps the session cookie only while
  // its expiry (computed from the server's clock) is in the real future.
  services = await freshServices('sqlite', { pool: pool(), clock: new TestClock(new Date()) });
  dir = builtEditor();
  const seeded = await seedDemoTenant(services);
  if (!seeded) throw new Error('the demo tenant was not created');
  seed = seeded;
  app = await startApp(services, { editorDir: dir });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Monaco, the preview and the editor screen, read in the page (all in light DOM but the preview's internals). */
const source = () => page.evaluate(() => document.querySelector('attest-source-editor')!.codeEditor!.getValue());
const previewText = () =>
  page.evaluate(() => (document.querySelector('attest-pdf-preview') as unknown as { renderedText: string } | null)?.renderedText ?? '');
const markers = () =>
  page.evaluate(() => {
    const ed = document.querySelector('attest-source-editor')!.codeEditor!;
    // The markers Monaco shows: read through the editor's model decorations of the squiggly kind.
    return ed
      .getModel()!
      .getAllDecorations()
      .filter((d) => /squiggly-error/.test(d.options.className ?? ''))
      .map((d) => d.range.startLineNumber);
  });

/** Selects the text `find` in the source and puts the cursor at its end (or at its start). */
async function cursorAt(find: string, where: 'start' | 'end' = 'end'): Promise<void> {
  await page.evaluate(
    ({ find, where }) => {
      const ed = document.querySelector('attest-source-editor')!.codeEditor!;
      const match = ed.getModel()!.findNextMatch(find, { lineNumber: 1, column: 1 }, false, true, null, false);
      if (!match) throw new Error(`not in the source: ${find}`);
      const p = where === 'end' ? match.range.getEndPosition() : match.range.getStartPosition();
      ed.setPosition(p);
      ed.focus();
    },
    { find, where },
  );
}

let templateId = '';
let certificateId = '';
let code = '';

describe('the editor app against the real server', { timeout: 60_000 }, () => {
  it('builds without server code: the app imports only the HTTP contract from server/', () => {
    const scripts = readdirSync(join(dir, 'assets')).filter((f) => /\.m?js$/.test(f));
    for (const f of scripts) {
      const text = readFileSync(join(dir, 'assets', f), 'utf8');
      for (const marker of ['better-sqlite3', 'kysely', 'TEMPLATE_HAS_ERRORS', 'CSRF_HEADER_MISSING'])
        expect(text.includes(marker), `${marker} in ${f}`).toBe(false);
    }
  });

  it('signs in as the demo admin and lists the templates', async () => {
    await page.goto(`${app.base}/`);
    await page.waitForURL(/\/sign-in$/);
    await page.getByLabel('Organisation').fill('demo');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The server's refusal is shown as it says it.
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill(seed.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/templates$/);
    await expect.poll(() => page.getByTestId('who').innerText()).toContain('Administrator');
    // Navigation follows the capabilities: the admin has them all.
    for (const name of ['Templates', 'Certificates', 'Delivery']) await page.getByRole('link', { name, exact: true }).waitFor();
    await page.locator('table.list tbody tr').first().waitFor();
    expect(await page.locator('table.list tbody tr').count()).toBe(3);
    await shot(page, 'templates');
  });

  it('creates a template from an example and shows its live preview', async () => {
    await page.getByLabel('Example').selectOption('attestation-fr');
    await page.getByRole('button', { name: 'Create from example' }).click();
    await page.waitForURL(/\/templates\/[^/]+$/);
    templateId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await expect.poll(source, { timeout: 20_000 }).toContain('ATTESTATION DE FORMATION');
    // The title is letter-spaced (pdf.js gives it letter by letter): check the plain sentence under it.
    await expect.poll(previewText, { timeout: 30_000 }).toContain('soussignés');
    // camille-martin is the default sample learner.
    expect(await previewText()).toContain('Camille');
  });

  it('completes `{{ learner.` from the catalogue, and the preview shows the new text', async () => {
    // A new line of text to type in: a fresh <text> element after the title.
    await page.evaluate(() => {
      const ed = document.querySelector('attest-source-editor')!.codeEditor!;
      const model = ed.getModel()!;
      const match = model.findNextMatch('ATTESTATION DE FORMATION</text>', { lineNumber: 1, column: 1 }, false, true, null, false)!;
      const line = match.range.endLineNumber;
      ed.executeEdits('test', [
        {
          range: {
            startLineNumber: line,
            startColumn: model.getLineMaxColumn(line),
            endLineNumber: line,
            endColumn: model.getLineMaxColumn(line),
          },
          text: '\n  <text x="30mm" y="55mm" width="237mm" align="center" size="11">Zqx </text>',
        },
      ]);
    });
    await cursorAt('>Zqx ');
    await page.keyboard.type('{{ learner.');
    const widget = page.locator('.suggest-widget.visible');
    await widget.waitFor({ timeout: 10_000 });
    await page.keyboard.type('lastn');
    await expect
      .poll(() => page.locator('.suggest-widget.visible .monaco-list-row.focused').innerText(), { timeout: 5_000 })
      .toContain('lastname');
    await page.keyboard.press('Enter');
    await page.keyboard.type(' }}');
    expect(await source()).toContain('>Zqx {{ learner.lastname }}</text>');
    await expect.poll(previewText, { timeout: 15_000 }).toMatch(/Zqx Martin/);
  });

  it('marks an error as it is typed, lists it over the last good page, and clears both once fixed', async () => {
    await cursorAt('learner.lastname', 'start');
    await page.keyboard.type('x');
    // The worker marks "xlearner" in the source…
    await expect.poll(markers, { timeout: 10_000 }).not.toEqual([]);
    await page.locator('.squiggly-error').first().waitFor({ timeout: 5_000 });
    await expect.poll(() => page.getByTestId('problems').innerText(), { timeout: 10_000 }).toMatch(/[1-9]\d* error/);
    // …and the preview lists the server's problem over the last good page, which stays (never a blank pane).
    await page.locator('attest-preview-problems').getByText('Unknown variable "xlearner"').waitFor({ timeout: 15_000 });
    await shot(page, 'editor-error');
    await page.keyboard.press('Backspace');
    await expect.poll(markers, { timeout: 10_000 }).toEqual([]);
    // No error left (the analyzer still warns that learner.lastname is optional and has no default).
    await expect.poll(() => page.getByTestId('problems').innerText(), { timeout: 10_000 }).toMatch(/^(No problems|0 error)/);
    await expect.poll(previewText, { timeout: 15_000 }).toMatch(/Zqx Martin/);
  });

  it('refreshes the preview quickly after the last keystroke', async () => {
    const samples: number[] = [];
    const timings: string[] = [];
    // The screen tells each measure in a `preview-measured` event (detail: PreviewMeasure); the test keeps them.
    await page.evaluate(() => {
      const w = window as unknown as { previewMeasures: PreviewMeasure[] };
      w.previewMeasures = [];
      document.addEventListener('preview-measured', (e) => w.previewMeasures.push((e as CustomEvent<PreviewMeasure>).detail));
    });
    const measures = () => page.evaluate(() => (window as unknown as { previewMeasures: PreviewMeasure[] }).previewMeasures);
    for (const letter of ['A', 'B', 'C', 'D']) {
      await cursorAt('Zqx', 'end');
      const measured = async () => String((await measures()).length);
      const before = await measured();
      await page.keyboard.type(letter);
      await expect.poll(previewText, { timeout: 15_000 }).toContain(`Zqx${letter}`);
      // The app measures from the edit (Monaco's change event, in the keystroke) to pdf.js's page on screen.
      await expect.poll(measured, { timeout: 5_000 }).not.toBe(before);
      const last = (await measures()).at(-1)!;
      samples.push(last.ms);
      timings.push(JSON.stringify(last.timing));
      await page.keyboard.press('Backspace');
      await expect.poll(previewText, { timeout: 15_000 }).not.toContain(`Zqx${letter}`);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const median = (sorted[1]! + sorted[2]!) / 2;
    console.log(
      `preview latency, last keystroke → new preview on screen (reference example attestation-fr): ${samples.join(', ')} ms; median ${median} ms\n  breakdown (ms): ${timings.join(' ')}`,
    );
    // Target < 300 ms; the bound is generous because this machine's two cores are shared with other runs.
    expect(median).toBeLessThan(2_000);
    await shot(page, 'editor');
  });

  it('switches to a hard persona', async () => {
    await page.getByRole('tab', { name: 'Sample' }).click();
    await page.locator('attest-sample-data').getByLabel('Sample data', { exact: true }).selectOption('long-name');
    await expect.poll(previewText, { timeout: 15_000 }).toContain('Maximiliane');
    await expect.poll(previewText).toContain('Zqx von Hohenzollern-Sigmaringen');
    await shot(page, 'editor-long-name');
  });

  it('publishes the template (saving the draft first)', async () => {
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published version 1.').waitFor({ timeout: 20_000 });
    const saved = await call(app.base, 'GET', `/api/v1/templates/${templateId}/versions/1`, { token: seed.lmsToken });
    // The LMS token may not read templates; the version is checked through the editor's list below instead.
    expect([200, 403]).toContain(saved.status);
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.locator('#panel-versions').getByText('v1').first().waitFor();
  });

  it('configures a certificate on the published version, with the server’s problems next to the fields', async () => {
    await page.getByRole('link', { name: 'Certificates', exact: true }).click();
    await page.waitForURL(/\/certificates$/);
    await page.getByRole('button', { name: 'New certificate' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Browser test certificate');
    await page.getByLabel('Template version').selectOption({ label: 'Attestation de formation — v1' });
    await page.getByLabel('Course id (LMS)').fill('course-browser');
    await page.getByLabel('Minimum grade (%)').fill('150');
    await page.getByRole('button', { name: 'Save' }).click();
    // 150 % is refused by the server; its message sits under the field.
    await page.locator('.field-error').first().waitFor();
    expect(await page.getByLabel('Minimum grade (%)').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'certificates-problem');
    await page.getByLabel('Minimum grade (%)').fill('50');
    await page.getByLabel('Validity (days)').fill('365');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Certificate saved.').waitFor();
    await page.getByRole('row', { name: /Browser test certificate/ }).waitFor();
    await shot(page, 'certificates');
    const list = await page.evaluate(() => fetch('/api/v1/certificates').then((r) => r.json() as Promise<{ id: string; name: string }[]>));
    certificateId = list.find((c) => c.name === 'Browser test certificate')!.id;
    expect(certificateId).toBeTruthy();
  });

  it('issues a locked document through the API and unlocks it from the delivery screen', async () => {
    // The tenant's delivery lock, set as an admin would (the session's cookie, from the page).
    const lock = await page.evaluate(() =>
      fetch('/api/v1/tenant/settings', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-attest-csrf': '1' },
        body: JSON.stringify({ delivery_lock: true }),
      }).then((r) => r.status),
    );
    expect(lock).toBe(200);
    const data = learnerData();
    const issued = await call(app.base, 'POST', `/api/v1/certificates/${certificateId}/issues`, {
      token: seed.lmsToken,
      body: { learner_id: 'browser-42', available: true, data },
    });
    expect(issued.status, issued.text).toBe(201);
    code = String(issued.json.issue?.code);
    expect(issued.json.issue?.locked).toBe(true);

    await page.getByRole('link', { name: 'Delivery', exact: true }).click();
    await page.waitForURL(/\/delivery$/);
    await page.getByLabel('Lock').selectOption('true');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const row = page.locator(`tr[data-code="${code}"]`);
    await row.waitFor();
    expect(await row.locator('td[data-locked]').getAttribute('data-locked')).toBe('true');
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByLabel('Reason (optional)').fill('paid by bank transfer');
    await shot(page, 'delivery-unlock');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('1 done, 0 failed').waitFor();
    // The filter still asks for locked documents: the unlocked one leaves the list; all of them shows it unlocked.
    await page.getByLabel('Lock').selectOption('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => row.locator('td[data-locked]').getAttribute('data-locked')).toBe('false');
    await row.getByRole('button', { name: `Audit trail of ${code}` }).click();
    await page.locator('.audit').getByText('paid by bank transfer').waitFor();
    await shot(page, 'delivery');
    const after = await call(app.base, 'GET', `/api/v1/issues/${code}`, { token: seed.lmsToken });
    expect(after.json.locked).toBe(false);
  });

  it('shows in the audit trail that a name had a character no font draws', async () => {
    const data = learnerData({ learner: { firstname: 'ꆈꌠ', lastname: 'Martin' } });
    const issued = await call(app.base, 'POST', `/api/v1/certificates/${certificateId}/issues`, {
      token: seed.lmsToken,
      body: { learner_id: 'browser-yi', available: true, data },
    });
    expect(issued.status, issued.text).toBe(201);
    const yi = String(issued.json.issue?.code);
    await page.getByLabel('Learner id').fill('browser-yi');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page
      .locator(`tr[data-code="${yi}"]`)
      .getByRole('button', { name: `Audit trail of ${yi}` })
      .click();
    const warning = page.locator('.audit p.warning[data-code="FONT_GLYPH_MISSING"]').first();
    await warning.waitFor();
    expect(await warning.innerText()).toContain('U+A188');
    await page.getByLabel('Learner id').fill('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
  });

  it('verifies the document on the public page, without a session', async () => {
    const href = await page
      .locator(`tr[data-code="${code}"]`)
      .getByRole('link', { name: `Verify ${code}` })
      .getAttribute('href');
    expect(href).toBe(`/verify/${code}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const anonymous = await context.newPage();
    const res = await anonymous.goto(`${app.base}${href}`);
    expect(res?.status()).toBe(200);
    const text = await anonymous.locator('body').innerText();
    expect(text.toLowerCase()).toMatch(/valid|valable/);
    expect(text).toContain(code);
    await anonymous.screenshot({ path: join(OUT, 'app-verify.png') });
    await context.close();
  });

  it('switches the interface to French and signs out', async () => {
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Délivrance' }).waitFor();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(/\/sign-in$/);
    expect(pageErrors).toEqual([]);
  });
});

/**
 * What every screen owes its users: each control has a name a screen reader says, nothing spills sideways
 * at 1280×800, the keyboard reaches the main action, and a person sees only what their capabilities allow.
 */
describe('every screen', { timeout: 60_000 }, () => {
  /** Controls without an accessible name (label, aria-label(ledby), title, or text for buttons and links). */
  const unnamed = () =>
    page.evaluate(() => {
      const out: string[] = [];
      const named = (el: Element): boolean => {
        if (el.getAttribute('aria-label')?.trim() || el.getAttribute('title')?.trim()) return true;
        const by = el.getAttribute('aria-labelledby');
        if (by && by.split(/\s+/).some((id) => document.getElementById(id)?.textContent?.trim())) return true;
        if ((el as HTMLInputElement).labels?.length && [...(el as HTMLInputElement).labels!].some((l) => l.textContent?.trim()))
          return true;
        if (/^(BUTTON|A|SUMMARY)$/.test(el.tagName) && (el.textContent?.trim() || el.querySelector('img[alt]:not([alt=""])'))) return true;
        return false;
      };
      const visible = (el: Element) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed';
      // Monaco's own inputs (find widget, hidden textarea) are named by Monaco; ours are everything else.
      for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')) {
        if (!visible(el) || el.closest('.monaco-editor')) continue;
        if (!named(el)) out.push(el.outerHTML.slice(0, 160));
      }
      return out;
    });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it('names every control and fits 1280×800 on each screen', async () => {
    await page.goto(`${app.base}/sign-in`);
    // The journey ended in French; the switch is on the sign-in screen too.
    await page.getByLabel(/^(Language|Langue)/).selectOption('en');
    await page.getByLabel('Username').waitFor();
    expect(await unnamed(), 'sign-in').toEqual([]);
    // The check sees an unnamed control when there is one.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<input id="probe-unnamed">'));
    expect(await unnamed()).toEqual(['<input id="probe-unnamed">']);
    await page.evaluate(() => document.getElementById('probe-unnamed')!.remove());
    await page.getByLabel('Organisation').fill('demo');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(seed.admin.password);
    // The keyboard signs in: Enter in the password field submits the form.
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(/\/templates$/);
    for (const [path, ready] of [
      ['/templates', 'table.list tbody tr'],
      [`/templates/${encodeURIComponent(templateId)}`, 'attest-source-editor .monaco-editor'],
      ['/certificates', 'table.list tbody tr'],
      ['/delivery', `tr[data-code="${code}"]`],
    ] as const) {
      await page.goto(`${app.base}${path}`);
      await page.locator(ready).first().waitFor();
      expect(await unnamed(), path).toEqual([]);
      expect(await overflow(), `${path} is wider than the window`).toBeLessThanOrEqual(0);
    }
  });

  it('reaches the main action with the keyboard alone', async () => {
    await page.goto(`${app.base}/templates`);
    await page.locator('table.list tbody tr').first().waitFor();
    const focused: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
      if (focused.at(-1) === 'Create from example') break;
    }
    expect(focused.at(-1), `tab order: ${focused.join(' | ')}`).toBe('Create from example');
    // And it shows where it is: the focused control has a visible outline.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
  });

  it('shows a designer the templates, not the delivery of documents', async () => {
    const admin = { kind: 'system' as const, tenantId: seed.tenant.id };
    await createPerson(services, admin, {
      username: 'dora',
      displayName: 'Dora Designer',
      password: 'correct horse battery',
      roles: ['designer'],
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.getByLabel('Organisation').fill('demo');
    await page.getByLabel('Username').fill('dora');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/templates$/);
    await page.getByRole('link', { name: 'Templates', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Delivery', exact: true }).count()).toBe(0);
    await page.goto(`${app.base}/delivery`);
    await page.getByRole('alert').waitFor();
    // The server agrees: the page's own session cannot list issues.
    const status = await page.evaluate(() => fetch('/api/v1/issues').then((r) => r.status));
    expect(status).toBe(403);
    expect(pageErrors).toEqual([]);
  });
});
