import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEditor, launchChromium, serveStatic } from '../support/browser';
import { compileTemplateFile } from '../../templates/files';
import { renderDocument } from '../../templates/render';
import { PT_PER_MM } from '../../templates/layout/units';
import { findPersona } from '../../variables/personas';
import { previewData } from '../../variables/samples';
import type { DrawnBox } from '../../templates/layout/boxes';

/**
 * The editor's components on their gallery page (editor/components.html), built by Vite, served as static
 * files and driven in Debian's Chromium. The PDF is the real one: the transcript example rendered here in
 * Node for Oliver Bennett, handed to the page with its drawn boxes, as the app will get them from the API.
 */
const EXAMPLE = fileURLToPath(new URL('../../templates/examples/transcript-en.liquid', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));

let dir: string;
let server: Server;
let browser: Browser;
let page: Page;
let source: string;
let boxes: DrawnBox[];
/** The `<text>` that prints the learner's name, on page 1. */
let nameBox: DrawnBox;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(OUTPUT, `editor-components-${name}.png`) });
const events = (type: string) =>
  page.evaluate((t) => window.attestComponents!.events.filter((e) => e.type === t).map((e) => e.detail as Record<string, unknown>), type);
const preview = () => page.locator('attest-pdf-preview');
const previewState = () =>
  page.evaluate(() => {
    const p = window.attestComponents!.preview;
    const canvas = p.shadowRoot!.querySelector('canvas');
    return {
      page: p.dataset.page,
      text: p.renderedText,
      canvasWidth: canvas?.width ?? 0,
      scale: (p as unknown as { scale: number }).scale,
    };
  });

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  source = readFileSync(EXAMPLE, 'utf8');
  const compiled = await compileTemplateFile(EXAMPLE);
  const template = compiled.template!;
  const rendered = renderDocument(template, previewData(template.declared, findPersona('oliver-bennett')!.data), { specimen: true });
  expect(rendered.pageCount).toBe(2);
  boxes = rendered.boxes;
  const lines = source.split('\n');
  nameBox = boxes.find((b) => b.kind === 'text' && b.page === 0 && lines[b.range!.start.line - 1]!.includes('{{ learner.fullname }}'))!;
  expect(nameBox).toBeDefined();

  dir = builtEditor();
  let base: string;
  ({ base, server } = await serveStatic(dir));
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${base}/components.html`);
  await page.waitForFunction(() => window.attestComponents?.source.codeEditor !== undefined, undefined, { timeout: 20_000 });

  const pdf = Buffer.from(rendered.pdf!).toString('base64');
  await page.evaluate(
    ({ pdf, boxes }) => {
      const p = window.attestComponents!.preview;
      p.boxes = boxes;
      p.pdf = Uint8Array.from(atob(pdf), (c) => c.charCodeAt(0));
    },
    { pdf, boxes },
  );
  await page.waitForFunction(() => window.attestComponents!.preview.dataset.page === '1', undefined, { timeout: 20_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describe('the editor components in Chromium', () => {
  it('loads without page errors and shows page 1 of 2 with the learner’s name as PDF text', async () => {
    expect(pageErrors).toEqual([]);
    const state = await previewState();
    expect(state.text).toContain('Oliver Bennett');
    expect(state.text).toContain('Certificate of Completion');
    await expect.poll(() => preview().locator('.page-count').innerText()).toBe('of 2');
    const rendered = (await events('preview-rendered'))[0] as { page: number; pageCount: number; ms: number };
    expect(rendered).toMatchObject({ page: 1, pageCount: 2 });
    // Not a budget here (one cold start of pdf.js and its worker); printed so the run shows the figure.
    console.log(`pdf.js: PDF bytes to page 1 on screen in ${rendered.ms.toFixed(0)} ms (cold)`);
    expect(await preview().locator('input.page-input').inputValue()).toBe('1');
    await shot('preview');
  });

  it('replaces the PDF in place: the old page stays on screen until the new one is drawn', async () => {
    const before = (await events('preview-rendered')).length;
    const blanks = await page.evaluate(async () => {
      const p = window.attestComponents!.preview;
      let blank = 0;
      const watch = new MutationObserver(() => {
        if (!p.shadowRoot!.querySelector('canvas')) blank++;
      });
      watch.observe(p.shadowRoot!, { childList: true, subtree: true });
      p.pdf = p.pdf!.slice();
      await new Promise((resolve) => p.addEventListener('preview-rendered', resolve, { once: true }));
      watch.disconnect();
      return blank;
    });
    expect(blanks).toBe(0);
    const rendered = (await events('preview-rendered')).slice(before);
    expect(rendered).toHaveLength(1);
    console.log(`pdf.js: PDF bytes to page 1 on screen in ${(rendered[0] as { ms: number }).ms.toFixed(0)} ms (warm)`);
  });

  it('navigates to page 2 and back, with buttons and the keyboard', async () => {
    await preview().getByRole('button', { name: 'Next page' }).click();
    await expect.poll(async () => (await previewState()).page).toBe('2');
    const state = await previewState();
    // The transcript flows onto page 2: its last module is there, the name is not.
    expect(state.text).toContain('Capstone');
    expect(state.text).not.toContain('Oliver Bennett');
    expect(await preview().getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await preview().locator('.stage').focus();
    await page.keyboard.press('PageUp');
    await expect.poll(async () => (await previewState()).page).toBe('1');
  });

  it('zooms in, out and back to fit, changing the canvas size', async () => {
    const before = await previewState();
    await preview().getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(async () => (await previewState()).canvasWidth).toBeGreaterThan(before.canvasWidth);
    await preview().getByRole('button', { name: 'Zoom out' }).click();
    await preview().getByRole('button', { name: 'Zoom out' }).click();
    await expect.poll(async () => (await previewState()).canvasWidth).toBeLessThan(before.canvasWidth);
    await preview().getByRole('button', { name: 'Fit to width' }).click();
    await expect.poll(async () => (await previewState()).canvasWidth).toBe(before.canvasWidth);
  });

  it('clicking the learner’s name selects its markup and puts the cursor there', async () => {
    const box = preview().locator(`.box[data-kind="text"][data-line="${nameBox.range!.start.line}"]`).first();
    await box.click();
    const selected = await events('element-select');
    expect(selected.at(-1)).toMatchObject({ range: nameBox.range, kind: 'text', origin: 'preview' });
    const cursor = await page.evaluate(() => window.attestComponents!.source.codeEditor!.getSelection()!.startLineNumber);
    expect(cursor).toBe(nameBox.range!.start.line);
  });

  it('dragging the name by 10 mm emits element-move, and moveElement rewrites its x by about 10 mm', async () => {
    const box = preview().locator(`.box[data-kind="text"][data-line="${nameBox.range!.start.line}"]`).first();
    const rect = (await box.boundingBox())!;
    const { scale } = await previewState();
    const dx = 10 * PT_PER_MM * scale;
    const x = rect.x + rect.width / 2;
    const y = rect.y + rect.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + dx / 2, y, { steps: 4 });
    await page.mouse.move(x + dx, y, { steps: 4 });
    await expect.poll(() => preview().locator('.box.dragging').count()).toBe(1);
    await shot('drag');
    await page.mouse.up();
    const moves = await events('element-move');
    expect(moves).toHaveLength(1);
    const move = moves[0] as { range: unknown; page: number; dxPt: number; dyPt: number; dxMm: number };
    expect(move.range).toEqual(nameBox.range);
    expect(move.page).toBe(0);
    expect((move as unknown as { pageMm: { width: number; height: number } }).pageMm.width).toBeCloseTo(210, 0);
    expect(move.dxMm).toBeCloseTo(10, 0);
    expect(Math.abs(move.dyPt)).toBeLessThan(1);
    // The gallery page applies moveElement to the source, as the app will.
    const result = await page.evaluate(() => window.attestComponents!.lastMove);
    expect(result?.ok).toBe(true);
    const line = await page.evaluate(
      (n) => window.attestComponents!.source.codeEditor!.getModel()!.getLineContent(n),
      nameBox.range!.start.line,
    );
    const newX = Number(/<text x="([\d.]+)mm"/.exec(line)![1]);
    expect(Math.abs(newX - 30)).toBeLessThanOrEqual(0.5);
    expect(line).toContain('y="73mm"');
  });

  it('writes each text given from outside into the source, one after another (no change is dropped)', async () => {
    const texts = await page.evaluate(async () => {
      const source = window.attestComponents!.source;
      const model = source.codeEditor!.getModel()!;
      const start = model.getValue();
      const seen: string[] = [];
      for (const mark of ['a', 'b', 'c']) {
        source.value = `${start}\n<!-- ${mark} -->`;
        await source.updateComplete;
        seen.push(model.getValue().slice(start.length));
      }
      source.value = start;
      await source.updateComplete;
      return { seen, restored: model.getValue() === start };
    });
    expect(texts).toEqual({ seen: ['\n<!-- a -->', '\n<!-- b -->', '\n<!-- c -->'], restored: true });
  });

  it('shows the error list in place of a stale preview, then the preview again', async () => {
    await page.evaluate(() => {
      window.attestComponents!.preview.error = [
        {
          stage: 'markup',
          code: 'MARKUP_UNKNOWN_ELEMENT',
          severity: 'error',
          message: '<txt> is not a certificate element. Did you mean <text>?',
          range: { start: { line: 62, column: 3 }, end: { line: 62, column: 7 } },
        },
        {
          stage: 'bind',
          code: 'BIND_MISSING',
          severity: 'error',
          message: 'Required string missing: learner.fullname',
          path: 'learner.fullname',
        },
      ];
    });
    const list = preview().getByRole('alert');
    await expect.poll(() => list.innerText()).toContain('<txt> is not a certificate element');
    expect(await list.innerText()).toContain('2 problem(s)');
    expect(await preview().locator('canvas').count()).toBe(0);
    await shot('errors');
    await list.getByRole('button', { name: /line 62/ }).click();
    expect((await events('element-select')).at(-1)).toMatchObject({ origin: 'diagnostic', range: { start: { line: 62, column: 3 } } });
    await page.evaluate(() => {
      window.attestComponents!.preview.error = undefined;
    });
    await expect.poll(() => preview().locator('canvas').count()).toBe(1);
    expect((await previewState()).text).toContain('Oliver Bennett');
  });

  it('the variables panel inserts {{ learner.fullname }} on click and on Enter', async () => {
    await page.evaluate(() => {
      const ed = window.attestComponents!.source.codeEditor!;
      ed.setPosition({ lineNumber: 1, column: 1 });
    });
    const panel = page.locator('attest-variables-panel');
    await panel.getByLabel('Search variables').fill('fullname');
    const item = panel.locator('button.var[data-path="learner.fullname"]');
    await item.click();
    expect((await events('insert-text')).at(-1)).toEqual({ text: '{{ learner.fullname }}' });
    const first = await page.evaluate(() => window.attestComponents!.source.codeEditor!.getModel()!.getLineContent(1));
    expect(first).toBe('{{ learner.fullname }}---');
    await item.focus();
    await page.keyboard.press('Enter');
    expect(await events('insert-text')).toHaveLength(2);
    // Dragging carries the same text for Monaco's drop.
    const dragged = await item.evaluate((el) => {
      const data = new DataTransfer();
      el.dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
      return data.getData('text/plain');
    });
    expect(dragged).toBe('{{ learner.fullname }}');
    await shot('variables');
    await page.evaluate(() => window.attestComponents!.source.codeEditor!.trigger('test', 'undo', null));
  });

  it('sample data lists every problem with its path, and emits only valid data', async () => {
    const sample = page.locator('attest-sample-data');
    // "My own JSON" starts from the chosen persona's data, which is valid, so choosing it emits once.
    await sample.getByLabel('Sample data', { exact: true }).selectOption('__own__');
    const before = (await events('sample-change')).length;
    const textarea = sample.getByLabel('Sample data as JSON');
    await textarea.fill('{"learner": {"email": 3}}');
    const problems = sample.locator('ul.problems');
    await expect.poll(() => problems.innerText(), { timeout: 5_000 }).toContain('learner.email');
    expect(await problems.innerText()).toContain('course.fullname');
    expect(await textarea.getAttribute('aria-invalid')).toBe('true');
    await shot('sample-invalid');
    expect(await events('sample-change')).toHaveLength(before);
    await sample.getByLabel('Sample data', { exact: true }).selectOption('arabic');
    const emitted = (await events('sample-change')).at(-1) as { persona?: string; data?: { learner?: { fullname?: string } } };
    expect(emitted.persona).toBe('arabic');
    expect(emitted.data?.learner?.fullname).toMatch(/[\u0600-\u06ff]/);
  });

  it('compares two versions with Monaco’s diff editor', async () => {
    await expect
      .poll(() => page.evaluate(() => window.attestComponents!.diff.diffEditor?.getLineChanges()?.length ?? -1), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await page.locator('attest-version-diff').scrollIntoViewIfNeeded();
    expect(await page.locator('attest-version-diff .attest-diff-left').innerText()).toBe('v1');
    await shot('diff');
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('switching the locale changes the labels from English to French', async () => {
    expect(await preview().getByRole('button', { name: 'Next page' }).count()).toBe(1);
    await page.locator('#locale').selectOption('fr');
    await expect.poll(() => preview().getByRole('button', { name: 'Page suivante' }).count()).toBe(1);
    expect(await preview().getByRole('button', { name: 'Zoom avant' }).count()).toBe(1);
    expect(await page.locator('attest-variables-panel').getByLabel('Rechercher une variable').count()).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem('attest.locale'))).toBe('fr');
    await shot('french');
    await page.locator('#locale').selectOption('en');
  });
});
