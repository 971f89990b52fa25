import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestDocument } from '../../server/domain/issues';
import { authenticateToken } from '../../server/domain/tokens';
import { runNotificationsOnce } from '../../server/jobs/notifications';
import { openDemoEditor, signInAsAdmin, type DemoEditor } from '../support/editor-app';
import { learnerData, useRenderPool } from '../support/storage';
import { startReceiver, type Receiver } from '../server/notify/receiver';
import { startSmtp, type Smtp } from '../server/notify/smtp';

/**
 * The notification screens in Debian's Chromium against the real server (SQLite), at 800 px wide: a
 * manager adds a webhook receiver (a loopback one that fails first, then answers 200), sees the signing
 * secret once, a delivery's attempts with their HTTP statuses, replays it, and reads the server's refusal
 * to replay one acknowledged with a 2xx; saves SMTP settings with a bad port (the error at the field), then
 * good ones (a loopback smtp-server); edits a certificate's mail subject with an unknown variable (the
 * analyzer's finding under the field, the preview rendered with a sample learner); and on the delivery
 * screen reads a document's message deferred with the SMTP server's 451, resends it and sees it sent.
 * The queue is run by the test (runNotificationsOnce): nothing waits for a timer.
 */
const pool = useRenderPool(1);
const RETRY = { firstDelayMs: 60_000, maxAttempts: 5, maxDelayMs: 600_000 };
const pageErrors: string[] = [];
let editor: DemoEditor;
let page: Page;
let receiver: Receiver;
let smtp: Smtp;
const previous = process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;

const round = () =>
  runNotificationsOnce(editor.services, { webhooks: { retry: RETRY, timeoutMs: 5000 }, mail: { retry: RETRY, timeoutMs: 5000 } });

async function issue(learner: string): Promise<string> {
  const lms = await authenticateToken(editor.services, editor.seed.lmsToken);
  const data = learnerData();
  data.learner = { ...(data.learner as object), email: `${learner.toLowerCase()}@example.org` };
  const r = await requestDocument(editor.services, lms, {
    certificateId: editor.seed.certificates[0]!.id,
    learnerId: learner,
    data,
    available: true,
  });
  return r.issue.code;
}

async function fitsWidth(): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
  const main = await page.evaluate(() => {
    const m = document.querySelector('main')!;
    return { scroll: m.scrollWidth, client: m.clientWidth };
  });
  expect(main.scroll).toBeLessThanOrEqual(main.client);
}

beforeAll(async () => {
  process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = '1';
  editor = await openDemoEditor(pool(), { width: 800, height: 900 }, pageErrors);
  page = editor.page;
  page.on('dialog', (d) => void d.accept());
  receiver = await startReceiver();
  smtp = await startSmtp({ user: 'attest', pass: 'smtp-pw' });
  await signInAsAdmin(page, editor.app.base, editor.seed);
}, 120_000);

afterAll(async () => {
  if (previous === undefined) delete process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
  else process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = previous;
  await editor?.browser.close();
  await editor?.app.close();
  await receiver?.close();
  await smtp?.close();
});

describe('notifications in the editor', () => {
  it('adds a receiver, shows a delivery’s attempts, replays it, and says why it cannot replay an acknowledged one', async () => {
    await page.goto(`${editor.app.base}/admin/notifications`);
    await page.getByRole('heading', { name: 'Webhook receivers' }).waitFor();
    await page.getByLabel('Receiver URL').fill(receiver.url);
    await page.getByLabel('Description (optional)').fill('the LMS');
    await page.getByRole('button', { name: 'Add a receiver' }).click();
    const secret = page.getByTestId('receiver-secret');
    await secret.waitFor();
    receiver.secret = (await secret.textContent()) ?? '';
    expect(receiver.secret).toMatch(/^whsec_/);
    await fitsWidth();

    receiver.failFirst(1, 503);
    const code = await issue('WEB1');
    expect((await round()).webhookAttempts).toBe(1);
    await page.getByRole('button', { name: `Deliveries to ${receiver.url}` }).click();
    const row = page.locator('tr[data-delivery]').first();
    await expect.poll(() => row.locator('td[data-status]').getAttribute('data-status')).toBe('pending');
    // Focus goes to what opened, so a keyboard or screen-reader user lands on it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('deliveries-title');
    expect(await row.textContent()).toContain(code);
    const id = (await row.getAttribute('data-delivery'))!;
    await page.getByRole('button', { name: `Attempts of delivery ${id}` }).click();
    await expect.poll(() => page.locator('table.attempts tbody tr').count()).toBe(1);
    expect(await page.locator('table.attempts tr[data-attempt="1"]').textContent()).toContain('HTTP 503');
    await fitsWidth();

    // Replayed by hand: due now, sent at the queue's next round, answered 200.
    await page.getByRole('button', { name: `Replay delivery ${id}` }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Delivery ${id} is due again now`).waitFor();
    expect((await round()).webhookAttempts).toBe(1);
    expect(receiver.received.map((r) => r.answered)).toEqual([503, 200]);
    await page.locator('section.deliveries').getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => row.locator('td[data-status]').getAttribute('data-status')).toBe('delivered');
    await expect.poll(() => page.locator('table.attempts tbody tr').count()).toBe(2);
    expect(await page.locator('table.attempts tr[data-attempt="2"]').textContent()).toContain('HTTP 200');

    // Acknowledged: the server refuses, and the screen says so.
    await page.getByRole('button', { name: `Replay delivery ${id}` }).click();
    const refusal = page.locator('section.deliveries .error[data-code="DELIVERY_ALREADY_ACKNOWLEDGED"]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    expect(await refusal.textContent()).toContain('2xx');
    expect(receiver.received).toHaveLength(2);
  });

  it('shows the server’s refusal of a bad port at the field, then saves the SMTP server', async () => {
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('Port').fill('70000');
    await page.getByLabel('User name (optional)').fill('attest');
    await page.getByLabel('Password').fill('smtp-pw');
    await page.getByLabel('From address').fill('formation@example.org');
    // Enter in a field submits the form, as everywhere.
    await page.getByLabel('Port').press('Enter');
    const error = page.locator('#err-smtp-port');
    await error.waitFor();
    expect(await page.getByLabel('Port').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Host').getAttribute('aria-invalid')).toBe('false');
    expect(await page.getByLabel('Port').getAttribute('aria-describedby')).toContain('err-smtp-port');
    await fitsWidth();

    await page.getByLabel('Port').fill(String(smtp.port));
    await page.locator('form.smtp-form').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Mail server saved.').waitFor();
    expect(await page.locator('#err-smtp-port').count()).toBe(0);
    // Write-only: the field is empty again, and the hint says a password is set.
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await page.getByText('A password is set; it is never shown.').waitFor();
  });

  it('shows the analyzer’s finding for an unknown variable in a certificate’s mail subject, and a preview', async () => {
    const cert = editor.seed.certificates[0]!;
    await page.goto(`${editor.app.base}/certificates`);
    await page.getByRole('button', { name: `Mail of ${cert.name}` }).click();
    const subject = page.getByLabel('Subject');
    await expect.poll(() => subject.inputValue()).toContain('{{');
    await page.getByLabel('Language of the message').selectOption('en');
    await subject.fill('Hello {{ learner.fulname }}');
    const finding = page.locator('#diag-mail-subject li');
    await expect.poll(() => finding.first().textContent(), { timeout: 10_000 }).toContain('UNKNOWN_PROPERTY');
    expect(await finding.first().textContent()).toContain('fullname');
    expect(await finding.first().textContent()).toContain('Subject, line 1, column 18');
    expect(await subject.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.getByTestId('preview-subject').textContent()).toBe('Hello');
    await fitsWidth();

    // Saving is refused for the same reason, shown at the same field.
    await page.getByLabel('Other addresses told of each award (one per line)').fill('rh@example.org');
    await page.locator('.cert-mail').getByRole('button', { name: 'Save' }).click();
    await page.locator('.cert-mail .error[data-code="MAIL_SETTINGS_INVALID"]').waitFor();

    await subject.fill('Hello {{ learner.fullname }}');
    await expect.poll(() => page.getByTestId('preview-subject').textContent()).toBe('Hello Camille Martin');
    expect(await finding.count()).toBe(0);
    await page.locator('.cert-mail').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Mail settings saved.').waitFor();
  });

  it('shows a document’s message deferred with the SMTP answer, resends it and sees it sent', async () => {
    const code = await issue('MAIL1');
    smtp.refuseWith(451);
    expect((await round()).mailAttempts).toBe(1);
    await page.goto(`${editor.app.base}/delivery`);
    await page.getByRole('button', { name: `Mail of ${code}` }).click();
    const row = page.locator('tr[data-message]').first();
    await expect.poll(() => row.locator('td[data-status]').getAttribute('data-status')).toBe('deferred');
    expect(await row.textContent()).toContain('rh@example.org');
    expect(await row.getByTestId('smtp-answer').textContent()).toContain('451');
    await fitsWidth();

    smtp.refuseWith(0);
    await page.getByRole('button', { name: 'Resend to rh@example.org' }).click();
    await page.getByText('The message to rh@example.org is queued again.').waitFor();
    await expect.poll(() => row.locator('td[data-status]').getAttribute('data-status')).toBe('queued');
    expect((await round()).mailAttempts).toBe(1);
    await page.locator('section.issue-mail').getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => row.locator('td[data-status]').getAttribute('data-status')).toBe('sent');
    expect(await row.getByTestId('smtp-answer').textContent()).toMatch(/^250/);
    expect(smtp.messages.map((m) => m.subject)).toEqual([expect.stringContaining('Camille Martin')]);
    expect(pageErrors).toEqual([]);
  });
});
