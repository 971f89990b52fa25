import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../server/domain/capabilities';
import { createToken } from '../../server/domain/tokens';
import { openDemoEditor, signInAsAdmin, type DemoEditor } from '../support/editor-app';
import { call } from '../support/http';
import { learnerData, useRenderPool } from '../support/storage';

/**
 * The delivery screen shows a document's re-issue chain (recertification) above its audit trail, in the
 * built editor served by the real server, in Chromium: the older document marked superseded, the newer
 * current, each reachable from the other.
 */
const pool = useRenderPool(1);
let demo: DemoEditor;
const pageErrors: string[] = [];

beforeAll(async () => {
  demo = await openDemoEditor(pool(), { width: 1280, height: 800 }, pageErrors);
}, 120_000);
afterAll(async () => {
  await demo?.browser.close();
  await demo?.app.close();
});

describe('the re-issue chain in the delivery screen', { timeout: 60_000 }, () => {
  it('lists the chain of a re-issued document and moves between its documents', async () => {
    const { app, seed, services, page } = demo;
    const admin = (
      await createToken(services, { kind: 'system', tenantId: seed.tenant.id }, { name: 'a', capabilities: [...ALL_CAPABILITIES] })
    ).token;
    const issued = await call(app.base, 'POST', `/api/v1/certificates/${seed.certificates[0]!.id}/issues`, {
      token: seed.lmsToken,
      body: { learner_id: 'chain-1', available: true, data: learnerData() },
    });
    expect(issued.status).toBe(201);
    const older = String(issued.json.issue?.code);
    const re = await call(app.base, 'POST', `/api/v1/issues/${older}/reissue`, { token: admin, body: { reason: 'course retaken' } });
    expect(re.status).toBe(201);
    const newer = String(re.json.issue?.code);

    await signInAsAdmin(page, app.base, seed);
    await page.goto(`${app.base}/delivery/${older}`);
    const links = page.locator('.chain-links li');
    await links.nth(1).waitFor();
    expect(
      await links.evaluateAll((ls) =>
        ls.map((l): [string | null, string] => [l.getAttribute('data-code'), String(l.getAttribute('class'))]),
      ),
    ).toEqual([
      [older, 'superseded'],
      [newer, 'current'],
    ]);
    expect(await links.nth(0).innerText()).toContain('superseded by a newer certificate');
    expect(await links.nth(1).innerText()).toContain('current document');
    // The list marks the superseded document too.
    await page.locator(`tr[data-code="${older}"] .superseded`).waitFor();
    await links.nth(1).getByRole('button').click();
    await page.getByRole('heading', { name: `Audit trail of ${newer}` }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
