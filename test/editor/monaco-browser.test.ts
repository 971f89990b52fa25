import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEditor, launchChromium, serveStatic } from '../support/browser';

/**
 * The editor as a designer gets it: built by Vite (as `npm run build:editor` does), served as static
 * files, driven in Debian's Chromium. Checks that Monaco's worker and ours load from the build, and that
 * completion, markers, quick fixes and highlighting work in a real page.
 */
const SCREENSHOT = fileURLToPath(new URL('../../test-output/editor-monaco.png', import.meta.url));

const TEMPLATE = `---
name: Browser test
assets:
  seal: assets/seal.png
---
<page>
  <text x="20mm" y="20mm" width="170mm" align="center">{{ course.fullname }}</text>
  <text x="20mm" y="40mm" width="170mm"></text>
</page>
`;

let dir: string;
let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = builtEditor();
  let base: string;
  ({ base, server } = await serveStatic(dir));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/monaco-demo.html`);
  await page.waitForFunction(() => window.attest?.element.codeEditor !== undefined, undefined, { timeout: 20_000 });
  expect(errors).toEqual([]);
  await page.evaluate((text) => {
    window.attest!.element.value = text;
  }, TEMPLATE);
  await page.waitForFunction((text) => window.attest!.element.codeEditor!.getValue() === text, TEMPLATE);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

const markers = (p: Page) =>
  p.evaluate(() =>
    window
      .attest!.editor.getModelMarkers({ owner: 'attest' })
      .map((m) => ({ code: typeof m.code === 'object' ? m.code.value : String(m.code), message: m.message, line: m.startLineNumber })),
  );
const source = (p: Page) => p.evaluate(() => window.attest!.element.codeEditor!.getValue());

describe('the template editor in Chromium', () => {
  it('completes learner. with fullname, and accepting it inserts the text', async () => {
    // Inside the empty <text> on line 8: after `width="170mm">`.
    await page.evaluate(() => window.attest!.element.setCursor({ line: 8, column: 41 }));
    await page.keyboard.type('{{ learner.');
    const widget = page.locator('.suggest-widget.visible');
    await widget.waitFor({ timeout: 10_000 });
    await expect.poll(() => widget.innerText(), { timeout: 10_000 }).toContain('fullname');
    await page.keyboard.type('fulln');
    await expect
      .poll(() => page.locator('.suggest-widget.visible .monaco-list-row.focused').innerText(), { timeout: 5_000 })
      .toContain('fullname');
    await page.keyboard.press('Enter');
    await page.keyboard.type(' }}');
    expect(await source(page)).toContain('<text x="20mm" y="40mm" width="170mm">{{ learner.fullname }}</text>');
    // The text is valid: the worker has nothing to say about it.
    await expect.poll(() => markers(page), { timeout: 10_000 }).toEqual([]);
  });

  it('marks an unknown variable and fixes it with the did-you-mean quick fix', async () => {
    await page.evaluate(() => {
      const ed = window.attest!.element.codeEditor!;
      const model = ed.getModel()!;
      const match = model.findNextMatch('learner.fullname', { lineNumber: 1, column: 1 }, false, true, null, false)!;
      ed.executeEdits('test', [{ range: { ...match.range, endColumn: match.range.startColumn + 7 }, text: 'lerner' }]);
    });
    await expect
      .poll(() => markers(page), { timeout: 10_000 })
      .toEqual([{ code: 'UNKNOWN_VARIABLE', message: 'Unknown variable "lerner". Did you mean "learner"?', line: 8 }]);
    await page.locator('.squiggly-error').first().waitFor({ timeout: 5_000 });
    await page.screenshot({
      path: (mkdirSync(fileURLToPath(new URL('../../test-output/', import.meta.url)), { recursive: true }), SCREENSHOT),
    });
    // The quick fix menu at the marker offers the analyzer's fix; choosing it rewrites the name.
    await page.evaluate(() => {
      const ed = window.attest!.element.codeEditor!;
      ed.setPosition({ lineNumber: 8, column: 46 });
      ed.focus();
      ed.trigger('test', 'editor.action.quickFix', null);
    });
    const fix = page.locator('.action-widget').getByText('Replace with "learner"');
    await fix.waitFor({ timeout: 10_000 });
    await fix.click();
    await expect.poll(() => source(page), { timeout: 5_000 }).toContain('{{ learner.fullname }}</text>');
    await expect.poll(() => markers(page), { timeout: 10_000 }).toEqual([]);
  });

  it('colours front matter, Liquid and markup with distinct token classes', async () => {
    const classes = await page.evaluate(() => {
      const spans = [...document.querySelectorAll<HTMLSpanElement>('.view-lines .view-line span span')];
      const classOf = (text: string): string | undefined => spans.find((s) => s.textContent === text)?.className;
      return {
        liquid: classOf('{{'),
        variable: classOf('course'),
        tag: classOf('text'),
        attribute: classOf('width'),
        key: classOf('name'),
      };
    });
    expect(classes.liquid).toMatch(/mtk\d+/);
    expect(classes.tag).toMatch(/mtk\d+/);
    expect(new Set(Object.values(classes)).size).toBe(5);
  });
});
