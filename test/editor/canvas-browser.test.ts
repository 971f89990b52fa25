import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoEditor, signInAsAdmin } from '../support/editor-app';
import type { DemoSeed } from '../../server/domain/demo';
import type { Running } from '../support/http';
import { useRenderPool } from '../support/storage';

/**
 * The preview as a canvas, against the real server (SQLite, render pool) in Debian's Chromium: a template
 * made from nothing, elements moved by dragging and by the keyboard (each move lands in the source, every
 * time), and copies of an example told apart by their names.
 */
const OUT = fileURLToPath(new URL('../../test-output/', import.meta.url));

const pool = useRenderPool(1);
let app: Running;
let seed: DemoSeed;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  ({ app, seed, browser, page } = await openDemoEditor(pool(), { width: 1440, height: 900 }, pageErrors));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const source = () => page.evaluate(() => document.querySelector('attest-source-editor')!.codeEditor!.getValue());
const attribute = async (find: string, name: string): Promise<number> => {
  const line = (await source()).split('\n').find((l) => l.includes(find));
  const m = line?.match(new RegExp(`\\s${name}="([-\\d.]+)mm"`));
  if (!m) throw new Error(`no ${name} in ${line}`);
  return Number(m[1]);
};
/** CSS pixels per millimetre of the page shown (the sheet is the page at the preview's scale). */
const pxPerMm = () =>
  page.evaluate(() => {
    const sheet = document.querySelector('attest-pdf-preview')!.shadowRoot!.querySelector<HTMLElement>('.sheet')!;
    return sheet.getBoundingClientRect().width / 297;
  });
const box = (kind: string) => page.locator(`attest-pdf-preview .box[data-kind="${kind}"]`).first();
const notice = () => page.locator('.notice').innerText();

async function signIn(): Promise<void> {
  await signInAsAdmin(page, app.base, seed);
}

describe('the preview as a canvas', { timeout: 60_000 }, () => {
  it('creates a template from nothing with the name typed', async () => {
    await signIn();
    await page.getByLabel('New template name').fill('Canvas: from nothing');
    await page.getByRole('button', { name: 'New empty template' }).click();
    await page.waitForURL(/\/templates\/[^/]+$/);
    await expect.poll(source, { timeout: 20_000 }).toContain('name: "Canvas: from nothing"');
    expect(await page.getByLabel('Template name').inputValue()).toBe('Canvas: from nothing');
  });

  it('writes every drag and every arrow-key nudge into the source, the first one after opening included', async () => {
    await page.evaluate(() => {
      const ed = document.querySelector('attest-source-editor')!.codeEditor!;
      const model = ed.getModel()!;
      const end = model.findNextMatch('</page>', { lineNumber: 1, column: 1 }, false, true, null, false)!.range;
      ed.executeEdits('test', [
        {
          range: { ...end, endLineNumber: end.startLineNumber, endColumn: end.startColumn },
          text: '  <rect x="20mm" y="30mm" width="40mm" height="20mm" fill="#dde"/>\n',
        },
      ]);
    });
    await box('rect').waitFor({ timeout: 20_000 });
    const perMm = await pxPerMm();
    for (const expected of [30, 40]) {
      const b = (await box('rect').boundingBox())!;
      // Alt: no snapping, the move is exactly the hand's.
      await page.keyboard.down('Alt');
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
      await page.mouse.down();
      await page.mouse.move(b.x + b.width / 2 + 5 * perMm, b.y + b.height / 2, { steps: 4 });
      await page.mouse.move(b.x + b.width / 2 + 10 * perMm, b.y + b.height / 2, { steps: 4 });
      await page.mouse.up();
      await page.keyboard.up('Alt');
      await expect.poll(() => attribute('<rect', 'x')).toBeCloseTo(expected, 0);
      expect(await notice()).toBe('Moved the element.');
      // The next drag starts from the box drawn where the source now says.
      await expect.poll(async () => ((await box('rect').boundingBox())!.x - b.x) / perMm, { timeout: 15_000 }).toBeCloseTo(10, 0);
    }
    await box('rect').focus();
    for (const expected of [31, 32, 42]) {
      await page.keyboard.press(expected === 42 ? 'Shift+ArrowDown' : 'ArrowDown');
      await expect.poll(() => attribute('<rect', 'y')).toBe(expected);
    }
    // Opened again, the very first move lands too (it used to be dropped by the editor's echo of the text it loaded).
    await expect.poll(() => page.locator('.save-state').innerText(), { timeout: 15_000 }).toBe('Saved');
    await page.reload();
    await box('rect').waitFor({ timeout: 20_000 });
    await expect.poll(() => attribute('<rect', 'x'), { timeout: 20_000 }).toBeCloseTo(40, 0);
    const x = await attribute('<rect', 'x');
    await box('rect').focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => attribute('<rect', 'x')).toBeCloseTo(x - 1, 5);
    await page.screenshot({ path: join(OUT, 'canvas-moved.png') });
  });

  it('selects an element, resizes it by a handle, and shows its properties in its units', async () => {
    await box('rect').click();
    expect(await box('rect').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('attest-pdf-preview .handle').count()).toBe(8);
    const panel = page.locator('attest-property-panel');
    await expect.poll(() => panel.getByLabel('x', { exact: true }).inputValue()).toBe(String(await attribute('<rect', 'x')));
    const perMm = await pxPerMm();
    const handle = (await page.locator('attest-pdf-preview .handle-e').boundingBox())!;
    await page.keyboard.down('Alt');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 10 * perMm, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Alt');
    await expect.poll(() => attribute('<rect', 'width')).toBeCloseTo(50, 0);
    expect(await notice()).toBe('Resized the element.');
    // The panel writes in the unit the attribute has: typing 55 in "width" gives 55mm.
    await panel.getByLabel('width', { exact: true }).fill('55');
    await panel.getByLabel('width', { exact: true }).press('Enter');
    await expect.poll(() => attribute('<rect', 'width')).toBe(55);
    await page.screenshot({ path: join(OUT, 'canvas-selected.png') });
  });

  it('places a text from the palette where the page is clicked, and edits it from the panel', async () => {
    const perMm = await pxPerMm();
    await page.locator('attest-canvas-palette').getByRole('button', { name: 'text', exact: true }).click();
    const sheet = (await page.locator('attest-pdf-preview .sheet').boundingBox())!;
    await page.mouse.click(sheet.x + 100 * perMm, sheet.y + 100 * perMm);
    await expect.poll(source).toContain('<text x="100mm" y="100mm" width="80mm">Text</text>');
    expect(await notice()).toBe('Inserted <text>.');
    // Once drawn, the new element is the selection and its properties are shown.
    const panel = page.locator('attest-property-panel');
    await expect.poll(() => panel.getByLabel('x', { exact: true }).inputValue(), { timeout: 15_000 }).toBe('100');
    await panel.getByLabel('content', { exact: true }).fill('Hello canvas');
    await panel.getByLabel('content', { exact: true }).blur();
    await expect.poll(source).toContain('>Hello canvas</text>');
    await panel.getByLabel('size', { exact: true }).fill('20');
    await panel.getByLabel('size', { exact: true }).press('Enter');
    await expect.poll(source).toContain('<text x="100mm" y="100mm" width="80mm" size="20">Hello canvas</text>');
    await panel.getByLabel('align', { exact: true }).selectOption('center');
    await expect.poll(source).toContain('size="20" align="center">');
  });

  it('snaps a dragged element to another’s edge, with a guide, and aligns a selection in one undo step', async () => {
    const perMm = await pxPerMm();
    await expect.poll(() => page.locator('attest-pdf-preview .box[data-kind="text"]').count(), { timeout: 15_000 }).toBe(1);
    const text = box('text');
    const b = (await text.boundingBox())!;
    const rectX = await attribute('<rect', 'x');
    // 100 → about 0.8 mm right of the rect's left edge: it snaps onto it.
    const dx = (rectX + 0.8 - 100) * perMm;
    await page.mouse.move(b.x + 5, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + 5 + dx / 2, b.y + b.height / 2, { steps: 4 });
    await page.mouse.move(b.x + 5 + dx, b.y + b.height / 2, { steps: 4 });
    await expect.poll(() => page.locator('attest-pdf-preview svg.guides line.guide').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(OUT, 'canvas-snapping.png') });
    await page.mouse.up();
    await expect.poll(() => attribute('<text', 'x')).toBe(rectX);
    // Shift+click adds the rect to the selection; "Align top edges" moves the lower one, in one edit.
    await expect.poll(async () => ((await text.boundingBox())!.x - b.x) / perMm, { timeout: 15_000 }).toBeCloseTo(rectX - 100, 0);
    await box('rect').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('attest-pdf-preview .box.selected').count()).toBe(2);
    const before = await source();
    const top = Math.min(await attribute('<rect', 'y'), await attribute('<text', 'y'));
    await page.getByRole('button', { name: 'Align top edges' }).click();
    await expect.poll(() => attribute('<text', 'y')).toBe(top);
    expect(await attribute('<rect', 'y')).toBe(top);
    const aligned = await source();
    await box('rect').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(source).toBe(before);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(source).toBe(aligned);
  });

  it('says why an element placed by Liquid cannot be dragged, and leaves it where it is', async () => {
    await page.evaluate(() => {
      const ed = document.querySelector('attest-source-editor')!.codeEditor!;
      const model = ed.getModel()!;
      const end = model.findNextMatch('</page>', { lineNumber: 1, column: 1 }, false, true, null, false)!.range;
      ed.executeEdits('test', [
        {
          range: { ...end, endLineNumber: end.startLineNumber, endColumn: end.startColumn },
          text: '  <qr x="{{ 15 }}mm" y="150mm" size="20mm" value="x"/>\n',
        },
      ]);
    });
    await box('qr').waitFor({ timeout: 20_000 });
    expect(await box('qr').getAttribute('title')).toBe('The x attribute is computed by Liquid; edit it in the source.');
    const before = await source();
    await box('qr').focus();
    await page.keyboard.press('ArrowRight');
    await page.locator('attest-pdf-preview .fixed-reason').getByText('computed by Liquid').waitFor();
    expect(await source()).toBe(before);
  });

  it('selects with the keyboard (Tab, Enter) and from the cursor in the source', async () => {
    await box('rect').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('attest-pdf-preview .box.selected').count()).toBe(1);
    const picked = await page.locator('attest-pdf-preview .box.selected').getAttribute('data-kind');
    expect(picked).not.toBe('rect');
    // The cursor put in the rect's tag in the source makes it the selection, shown in the panel.
    await page.evaluate(() => {
      const ed = document.querySelector('attest-source-editor')!.codeEditor!;
      const match = ed.getModel()!.findNextMatch('fill="#dde"', { lineNumber: 1, column: 1 }, false, true, null, false)!;
      ed.focus();
      ed.setPosition(match.range.getStartPosition());
    });
    await expect.poll(() => page.locator('attest-pdf-preview .box.selected').getAttribute('data-kind')).toBe('rect');
    await expect.poll(() => page.locator('attest-property-panel h3').first().innerText()).toContain('<rect>');
    // The palette without a pointer: pick, then Enter on the page puts it at the top-left margin corner.
    await page.locator('attest-canvas-palette').getByRole('button', { name: 'line', exact: true }).click();
    await page.locator('attest-pdf-preview .stage').focus();
    await page.keyboard.press('Enter');
    await expect.poll(source).toContain('<line x1="15mm" y1="15mm" x2="75mm" y2="15mm"/>');
  });

  it('names copies of an example apart', async () => {
    await page.goto(`${app.base}/templates`);
    await page.locator('table.list tbody tr').first().waitFor();
    for (const expected of ['Attestation de formation (copy)', 'Attestation de formation (copy 2)']) {
      await page.goto(`${app.base}/templates`);
      await page.getByLabel('Example').selectOption('attestation-fr');
      await page.getByRole('button', { name: 'Create from example' }).click();
      await page.waitForURL(/\/templates\/[^/]+$/);
      await expect.poll(() => page.getByLabel('Template name').inputValue(), { timeout: 20_000 }).toBe(expected);
    }
    expect(pageErrors).toEqual([]);
  });
});
