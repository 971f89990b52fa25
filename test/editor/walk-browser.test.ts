import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoEditor, signInAsAdmin } from '../support/editor-app';
import type { DemoSeed } from '../../server/domain/demo';
import { call, type Running } from '../support/http';
import { learnerData, useRenderPool } from '../support/storage';

/**
 * Issue 14's walk, "code and canvas as one", as a designer does it against the real server (Express,
 * SQLite, render pool) in Debian's Chromium: create a template from nothing; place a title, the learner's
 * name and a QR code on the canvas by hand; bind them to variables; resize and align; undo and redo;
 * check every sample learner at once; publish; issue a document through the API; open the public
 * verification page and check the PDF there. Each screen is saved at
 * 1440×900 and 800×900 in test-output/walk-*.png.
 */
const OUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 800, height: 900 };

const pool = useRenderPool(1);
let app: Running;
let seed: DemoSeed;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  ({ app, seed, browser, page } = await openDemoEditor(pool(), WIDE, pageErrors));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The screen at both widths; the wide one is left on. */
async function shots(p: Page, name: string): Promise<void> {
  await p.setViewportSize(NARROW);
  await p.screenshot({ path: join(OUT, `walk-${name}-800.png`) });
  await p.setViewportSize(WIDE);
  await p.screenshot({ path: join(OUT, `walk-${name}-1440.png`) });
}

const source = () => page.evaluate(() => document.querySelector('attest-source-editor')!.codeEditor!.getValue());
const previewText = () =>
  page.evaluate(() => (document.querySelector('attest-pdf-preview') as unknown as { renderedText: string } | null)?.renderedText ?? '');
const pxPerMm = () =>
  page.evaluate(() => {
    const sheet = document.querySelector('attest-pdf-preview')!.shadowRoot!.querySelector<HTMLElement>('.sheet')!;
    return sheet.getBoundingClientRect().width / 297;
  });
const panel = () => page.locator('attest-property-panel');
const mmOf = (line: string | undefined, name: string) => Number(new RegExp(`\\s${name}="([-\\d.]+)mm"`).exec(line ?? '')?.[1]);
const lineWith = async (find: string) => (await source()).split('\n').find((l) => l.includes(find));
/** The box the renderer drew for the element whose tag line holds `find`. */
const boxOf = async (find: string) => {
  const line = (await source()).split('\n').findIndex((l) => l.includes(find)) + 1;
  return page.locator(`attest-pdf-preview .box[data-line="${line}"]`).first();
};

/** Picks an element in the palette and clicks the page at (x, y) mm; the new element becomes the selection. */
async function place(kind: string, x: number, y: number): Promise<void> {
  const perMm = await pxPerMm();
  await page.locator('attest-canvas-palette').getByRole('button', { name: kind, exact: true }).click();
  const sheet = (await page.locator('attest-pdf-preview .sheet').boundingBox())!;
  await page.mouse.click(sheet.x + x * perMm, sheet.y + y * perMm);
  await expect.poll(() => page.locator('.notice').innerText()).toBe(`Inserted <${kind}>.`);
  await expect.poll(() => panel().getByLabel('x', { exact: true }).inputValue(), { timeout: 20_000 }).toBe(String(x));
}

let code = '';

describe('issue 14: code and canvas as one', { timeout: 90_000 }, () => {
  it('signs in and creates a template from nothing', async () => {
    await signInAsAdmin(page, app.base, seed);
    await page.locator('table.list tbody tr').first().waitFor();
    await page.getByLabel('New template name').fill('Walk certificate');
    await shots(page, 'templates');
    await page.getByRole('button', { name: 'New empty template' }).click();
    await page.waitForURL(/\/templates\/[^/]+$/);
    await expect.poll(source, { timeout: 20_000 }).toContain('name: "Walk certificate"');
    await page.locator('attest-pdf-preview .sheet canvas').waitFor({ timeout: 20_000 });
    await shots(page, 'empty');
  });

  it('places a title, the learner’s name and a QR code by hand, and binds them to variables', async () => {
    await place('text', 40, 30);
    await panel().getByLabel('content', { exact: true }).fill('Certificate of achievement');
    await panel().getByLabel('content', { exact: true }).blur();
    await panel().getByLabel('size', { exact: true }).fill('28');
    await panel().getByLabel('size', { exact: true }).press('Enter');
    await panel().getByLabel('align', { exact: true }).selectOption('center');
    // 80 mm wide at 28 pt, the title wraps (the resize below gives it room).
    await expect.poll(previewText, { timeout: 15_000 }).toMatch(/Certificate of\s+achievement/);

    await place('text', 60, 70);
    await panel().getByRole('combobox', { name: 'Insert a variable in the content' }).selectOption('learner.fullname');
    await panel().getByRole('button', { name: 'Replace the content' }).click();
    await expect.poll(source).toContain('>{{ learner.fullname }}</text>');
    await panel().getByLabel('size', { exact: true }).fill('20');
    await panel().getByLabel('size', { exact: true }).press('Enter');
    // camille-martin is the default sample learner.
    await expect.poll(previewText, { timeout: 15_000 }).toContain('Camille Martin');

    await place('qr', 30, 140);
    await panel().getByRole('combobox', { name: 'Insert a variable in the content' }).selectOption('certificate.verification_url');
    await panel().getByRole('button', { name: 'Insert', exact: true }).click();
    await expect.poll(source).toContain('value="{{ certificate.verification_url }}"');
    await expect.poll(() => page.locator('attest-pdf-preview .box[data-kind="qr"]').count(), { timeout: 15_000 }).toBe(1);
    await shots(page, 'placed');
  });

  it('resizes the title by its handle and centres the name under it', async () => {
    const perMm = await pxPerMm();
    const title = await boxOf('Certificate of achievement');
    await title.click();
    const handle = (await page.locator('attest-pdf-preview .handle-e').boundingBox())!;
    const width = mmOf(await lineWith('Certificate of achievement'), 'width');
    // Alt: the drag is the hand's alone (no snapping), 137 mm wider.
    await page.keyboard.down('Alt');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 137 * perMm, handle.y + handle.height / 2, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.up('Alt');
    await expect.poll(async () => mmOf(await lineWith('Certificate of achievement'), 'width')).toBeCloseTo(width + 137, 0);
    // Drawn wider, the title is selected with the name (Shift+click), and both are centred on each other.
    await expect
      .poll(async () => (await (await boxOf('Certificate of achievement')).boundingBox())!.width / perMm, { timeout: 15_000 })
      .toBeCloseTo(width + 137, 0);
    await (await boxOf('learner.fullname')).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('attest-pdf-preview .box.selected').count()).toBe(2);
    await page.getByRole('button', { name: 'Align centres' }).click();
    await expect.poll(() => page.locator('.notice').innerText()).toBe('Aligned 2 elements.');
    const centre = async (find: string) => {
      const l = await lineWith(find);
      return mmOf(l, 'x') + mmOf(l, 'width') / 2;
    };
    expect(await centre('learner.fullname')).toBeCloseTo(await centre('Certificate of achievement'), 0);
    await shots(page, 'aligned');
  });

  it('undoes and redoes the alignment in one step each, from the canvas', async () => {
    const aligned = await source();
    await (await boxOf('learner.fullname')).focus();
    await page.keyboard.press('Control+z');
    await expect.poll(source).not.toBe(aligned);
    expect(await lineWith('learner.fullname')).toContain('x="60mm"');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(source).toBe(aligned);
    await expect.poll(() => page.locator('.save-state').innerText(), { timeout: 15_000 }).toBe('Saved');
  });

  it('checks every sample learner at once: each card drawn, or flagged with why', async () => {
    const toggle = page.getByRole('button', { name: 'All sample learners' });
    await toggle.click();
    const cards = page.locator('attest-samples-grid li[data-persona]');
    await expect
      .poll(
        () =>
          cards.evaluateAll(
            (els) =>
              els.length > 0 && els.every((e) => e.getAttribute('data-state') === 'broken' || e.getAttribute('data-drawn') === 'true'),
          ),
        { timeout: 60_000 },
      )
      .toBe(true);
    const states = await cards.evaluateAll((els) =>
      els.map((e) => ({ state: e.getAttribute('data-state'), problems: e.querySelector('.problems')?.textContent?.trim() ?? '' })),
    );
    // The template placed by hand prints only what every persona has: none of them breaks it.
    expect(states.length).toBeGreaterThan(3);
    expect(states.filter((c) => c.state !== 'ok')).toEqual([]);
    await shots(page, 'samples');
    await toggle.click();
    await expect.poll(() => page.locator('attest-samples-grid').count()).toBe(0);
  });

  it('publishes, issues a document through the API and opens its public verification page', async () => {
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published version 1.').waitFor({ timeout: 30_000 });
    await shots(page, 'published');
    const templateId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    // A certificate on the version, configured with the admin's session as the certificates screen would.
    const certificate = await page.evaluate(async (id) => {
      const t = (await fetch(`/api/v1/templates/${encodeURIComponent(id)}`).then((r) => r.json())) as { versions: { id: string }[] };
      const r = await fetch('/api/v1/certificates', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-attest-csrf': '1' },
        body: JSON.stringify({ name: 'Walk certificate', template_version_id: t.versions[0]!.id, course_id: 'course-walk' }),
      });
      return { status: r.status, body: (await r.json()) as { id: string } };
    }, templateId);
    expect(certificate.status).toBe(201);
    const issued = await call(app.base, 'POST', `/api/v1/certificates/${certificate.body.id}/issues`, {
      token: seed.lmsToken,
      body: { learner_id: 'walk-1', available: true, data: learnerData() },
    });
    expect(issued.status, issued.text).toBe(201);
    code = String(issued.json.issue?.code);

    const context = await browser.newContext({ viewport: WIDE, locale: 'en-US' });
    const anonymous = await context.newPage();
    const res = await anonymous.goto(`${app.base}/verify/${code}`);
    expect(res?.status()).toBe(200);
    const text = await anonymous.locator('body').innerText();
    expect(text.toLowerCase()).toMatch(/valid|valable/);
    expect(text).toContain(code);
    await shots(anonymous, 'verify');
    // The PDF check on the page: the issued file is the document; the same file one comment longer is not.
    const pdf = (await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: seed.lmsToken })).bytes;
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const verdict = async (before: string | null) => {
      await anonymous.waitForFunction((prev) => {
        const el = document.querySelector('.check .match');
        const m = el?.getAttribute('data-match');
        return !!m && m !== 'checking' && el!.textContent !== prev;
      }, before);
      return anonymous.$eval('.check .match', (el) => ({ match: el.getAttribute('data-match'), text: el.textContent ?? '' }));
    };
    await anonymous.setInputFiles('#document', { name: `${code}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(pdf) });
    const current = await verdict(null);
    expect(current.match).toBe('current');
    await shots(anonymous, 'verify-checked');
    const modified = Buffer.concat([Buffer.from(pdf), Buffer.from('%edited\n')]);
    await anonymous.setInputFiles('#document', { name: 'edited.pdf', mimeType: 'application/pdf', buffer: modified });
    expect((await verdict(current.text)).match).toBe('none');
    expect(anonymous.url()).toBe(`${app.base}/verify/${code}`);
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
