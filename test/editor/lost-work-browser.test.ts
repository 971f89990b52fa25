import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../server/domain/demo';
import { openDemoEditor, signInAsAdmin } from '../support/editor-app';
import type { Running } from '../support/http';
import { useRenderPool } from '../support/storage';

/**
 * Work a designer could lose or could not reach, on the editor app as people get it: built by Vite, served
 * by the real server (SQLite, render pool) with the demo tenant, driven in Debian's Chromium.
 *
 * Saves are watched on the wire, never waited for: the autosave timer runs only while the draft is
 * "unsaved" (`data-save-state`), and Ctrl+S sends at once whatever would be sent; a later save that does
 * go out shows that nothing went before it.
 */
const OUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
const pool = useRenderPool(1);
let app: Running;
let seed: DemoSeed;
let browser: Browser;
let page: Page;
let templateId = '';
/** The draft as the server stores it when the template was opened. */
let opened = '';
/** Every save the page sent (PATCH of the template), in order. */
const saves: Request[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  ({ app, seed, browser, page } = await openDemoEditor(pool(), { width: 1280, height: 800 }, pageErrors));
  // Leaving with a save on its way asks first (beforeunload): the tests leave anyway.
  page.on('dialog', (d) => void d.accept());
  page.on('request', (r) => {
    if (r.method() === 'PATCH' && /\/api\/v1\/templates\/[^/]+$/.test(new URL(r.url()).pathname)) saves.push(r);
  });
  await signInAsAdmin(page, app.base, seed);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The draft the server has now, read as the signed-in admin. */
async function storedDraft(): Promise<string> {
  const r = await page.request.get(`${app.base}/api/v1/templates/${templateId}`);
  expect(r.status()).toBe(200);
  return ((await r.json()) as { source: string }).source;
}

/** Opens the template afresh (each check below starts from the stored draft, whatever came before). */
async function reopen(): Promise<void> {
  await page.goto(`${app.base}/templates/${encodeURIComponent(templateId)}`);
  const stored = await storedDraft();
  await expect.poll(source, { timeout: 20_000 }).toBe(stored);
}

const source = () => page.evaluate(() => document.querySelector('attest-source-editor')!.codeEditor!.getValue());
const saveState = () => page.locator('attest-template-editor main').getAttribute('data-save-state');
/** Whether the keyboard focus is inside the source editor. */
const focusInEditor = () => page.evaluate(() => document.querySelector('attest-source-editor')!.contains(document.activeElement));

/** Puts the cursor at the end (or start) of the first `find` in the source and focuses the editor. */
async function cursorAt(find: string, where: 'start' | 'end' = 'end'): Promise<void> {
  await page.evaluate(
    ({ find, where }) => {
      const ed = document.querySelector('attest-source-editor')!.codeEditor!;
      const match = ed.getModel()!.findNextMatch(find, { lineNumber: 1, column: 1 }, false, true, null, false);
      if (!match) throw new Error(`not in the source: ${find}`);
      const position = where === 'end' ? match.range.getEndPosition() : match.range.getStartPosition();
      // As a click does: what is typed next is a new step of the undo history.
      ed.pushUndoStop();
      ed.setPosition(position);
      ed.revealPositionInCenter(position);
      ed.focus();
    },
    { find, where },
  );
}

/** Replaces the first `find` in the source, as one edit of the designer's. */
async function replaceInSource(find: string, text: string): Promise<void> {
  await page.evaluate(
    ({ find, text }) => {
      const ed = document.querySelector('attest-source-editor')!.codeEditor!;
      const match = ed.getModel()!.findNextMatch(find, { lineNumber: 1, column: 1 }, false, true, null, false);
      if (!match) throw new Error(`not in the source: ${find}`);
      ed.executeEdits('test', [{ range: match.range, text }]);
    },
    { find, text },
  );
}

describe('work the designer could lose or could not reach', { timeout: 60_000 }, () => {
  it('opens a template made from an example', async () => {
    await page.getByLabel('Example').selectOption('attestation-fr');
    await page.getByRole('button', { name: 'Create from example' }).click();
    await page.waitForURL(/\/templates\/[^/]+$/);
    templateId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    opened = await storedDraft();
    await expect.poll(source, { timeout: 20_000 }).toBe(opened);
    expect(await saveState()).toBe('saved');
  });

  it('Ctrl+Z right after opening a template leaves it as it was, and nothing is saved', async () => {
    await cursorAt('ATTESTATION DE FORMATION');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    expect(await source()).toBe(opened);
    // Saved: no autosave is due, and Ctrl+S does not write an unchanged draft.
    expect(await saveState()).toBe('saved');
    await page.keyboard.press('Control+s');
    // A change the designer makes is saved: once that save is on the wire, any earlier one would be too.
    await page.keyboard.type('!');
    expect(await saveState()).toBe('dirty');
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.ok());
    await page.keyboard.press('Control+s');
    await saved;
    await expect.poll(saveState).toBe('saved');
    expect(saves.map((r) => (r.postDataJSON() as { source: string }).source)).toEqual([
      opened.replace('ATTESTATION DE FORMATION', 'ATTESTATION DE FORMATION!'),
    ]);
  });

  it('undoing a change back to the saved text marks the draft saved and sends nothing', async () => {
    await reopen();
    const before = saves.length;
    const stored = await storedDraft();
    await cursorAt('ATTESTATION DE FORMATION');
    await page.keyboard.type('?');
    expect(await saveState()).toBe('dirty');
    await page.keyboard.press('Control+z');
    expect(await source()).toBe(stored);
    expect(await saveState()).toBe('saved');
    await page.keyboard.press('Control+s');
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.ok());
    await page.keyboard.type('?');
    await page.keyboard.press('Control+s');
    await saved;
    expect(saves.length).toBe(before + 1);
    expect(await storedDraft()).toBe(stored.replace('DE FORMATION', 'DE FORMATION?'));
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+s');
    await expect.poll(storedDraft).toBe(stored);
  });

  it('"Skip to content" moves the focus to the screen, without leaving it', async () => {
    await reopen();
    const url = page.url();
    await page.locator('a.skip').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(page.url()).toBe(url);
    expect(await page.locator('attest-template-editor').count()).toBe(1);
  });

  it('says how to leave the source with the keyboard: Escape then Tab (or Shift+Tab), or Ctrl+M', async () => {
    await reopen();
    const hint = page.locator('.attest-source-hint');
    await expect.poll(() => hint.innerText()).toContain('Escape, then Tab');
    const describedBy = await page.locator('attest-source-editor textarea').getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).innerText()).toContain('Ctrl+M');
    const text = await source();
    await cursorAt('ATTESTATION DE FORMATION', 'start');
    // Tab alone indents, as in any code editor…
    await page.keyboard.press('Tab');
    expect(await focusInEditor()).toBe(true);
    expect(await source()).not.toBe(text);
    await page.keyboard.press('Control+z');
    expect(await source()).toBe(text);
    // …Escape then Tab leaves, forward or back, without touching the text.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await focusInEditor()).toBe(false);
    await cursorAt('ATTESTATION DE FORMATION', 'start');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    expect(await focusInEditor()).toBe(false);
    // Ctrl+M makes Tab move focus until pressed again.
    await cursorAt('ATTESTATION DE FORMATION', 'start');
    await page.keyboard.press('Control+m');
    await page.keyboard.press('Tab');
    expect(await focusInEditor()).toBe(false);
    await cursorAt('ATTESTATION DE FORMATION', 'start');
    await page.keyboard.press('Control+m');
    await page.keyboard.press('Tab');
    expect(await focusInEditor()).toBe(true);
    await page.keyboard.press('Control+z');
    expect(await source()).toBe(text);
  });

  it('does not mark French typography as suspicious, and still marks a hidden character', async () => {
    await reopen();
    const french = 'Délivrée à « Camille » le 3\u00a0février\u202f: l’attestation — “ok” … œuvre';
    await replaceInSource('a suivi avec assiduité', `${french} \u200b`);
    await cursorAt('Délivrée');
    const highlighted = () =>
      page.evaluate(() => {
        const model = document.querySelector('attest-source-editor')!.codeEditor!.getModel()!;
        return model
          .getAllDecorations()
          .filter((d) => /unicode-highlight/.test(d.options.className ?? '') || /unicode-highlight/.test(d.options.inlineClassName ?? ''))
          .map((d) => model.getValueInRange(d.range));
      });
    // The zero-width space is the control: the highlighter runs, and it picks that one only.
    await expect.poll(highlighted, { timeout: 10_000 }).toEqual(['\u200b']);
    await page.keyboard.press('Control+z');
  });

  it('lists every problem with the cause first, goes to it, and offers to close an unclosed <text>', async () => {
    await reopen();
    const title = /ATTESTATION DE FORMATION!?/.exec(await source())![0];
    const panel = page.locator('attest-problems-panel');
    const items = panel.locator('li');
    await expect.poll(() => panel.locator('h2').innerText(), { timeout: 10_000 }).toMatch(/^Problems \(\d+\)$/);
    const clean = await items.count();
    await replaceInSource(`${title}</text>`, title);
    await expect.poll(() => items.first().innerText(), { timeout: 10_000 }).toContain('<text> is never closed');
    // One problem more, not one per element that follows: those are not reported as inside it.
    expect(await items.count()).toBe(clean + 1);
    expect(await panel.innerText()).not.toContain('cannot go inside <text>');
    await page.screenshot({ path: join(OUT, 'lost-work-problems.png') });
    const at = await items.first().locator('.at').innerText();
    const line = await page.evaluate(() => {
      const ed = document.querySelector('attest-source-editor')!.codeEditor!;
      return ed.getModel()!.findNextMatch('ATTESTATION DE FORMATION', { lineNumber: 1, column: 1 }, false, true, null, false)!.range
        .startLineNumber;
    });
    expect(at).toMatch(new RegExp(`^${line}:\\d+$`));
    // Choosing it puts the cursor on the opening tag…
    await items.first().locator('button.go').click();
    expect(await focusInEditor()).toBe(true);
    const selection = await page.evaluate(() => document.querySelector('attest-source-editor')!.codeEditor!.getSelection()!);
    expect([selection.startLineNumber, `${selection.startLineNumber}:${selection.startColumn}`]).toEqual([line, at]);
    // …where Monaco's quick fix (Ctrl+.) closes it on its own line.
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget').getByText('Close <text> here');
    await action.waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await expect.poll(source).toContain(`${title}\n  </text>\n  <line`);
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(clean);
    // The panel offers the same fix, for whoever does not use the light bulb.
    await page.keyboard.press('Control+z');
    await expect.poll(() => items.first().innerText(), { timeout: 10_000 }).toContain('<text> is never closed');
    await items.first().getByRole('button', { name: 'Close <text> here' }).click();
    await expect.poll(source).toContain(`${title}\n  </text>\n  <line`);
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(clean);
    expect(pageErrors).toEqual([]);
  });
});
