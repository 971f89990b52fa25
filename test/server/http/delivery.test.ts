import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { updateTenantSettings, webhookSecret } from '../../../server/domain/tenants';
import { signWebhook } from '../../../server/domain/webhook';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';

/**
 * The delivery journey as an LMS and a shop live it, over HTTP, on both engines: ask, ask again, ask 50
 * times at once, find the document locked everywhere, get it unlocked by a signed webhook, verify it.
 */
const pool = useRenderPool(2);

describe.each(ENGINES)('delivery over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  const ask = (learner: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learner, available: true, data: learnerData(), ...extra },
      headers,
    });

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:view', 'certificate:apply', 'learners:supply-data', 'certificate:retrieve-own'],
      })
    ).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('issues once, answers the same document after, and serves the PDF with the learner in it', async () => {
    const first = await ask('L1');
    expect(first.status).toBe(201);
    expect(first.json.created).toBe(true);
    const again = await ask('L1');
    expect(again.status).toBe(200);
    expect(again.json.created).toBe(false);
    expect(again.json.issue?.code).toBe(first.json.issue?.code);
    const doc = await call(app.base, 'GET', String(first.json.document), { token: lms });
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toBe('application/pdf');
    expect(doc.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    expect(pdftotext(writeTemp(doc.bytes))).toContain('Camille Martin');
    const state = await call(app.base, 'GET', `/api/v1/issues/${String(first.json.issue?.code)}`, { token: lms });
    expect(state.json.firstDeliveryChannel).toBe('api');
  });

  it('50 identical requests at once make one document', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => ask('L-concurrent')));
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(49).fill(200), 201]);
    expect(new Set(answers.map((a) => a.json.issue?.code)).size).toBe(1);
    const rows = await services.storage.db.selectFrom('issues').select('id').where('learner_id', '=', 'L-concurrent').execute();
    expect(rows).toHaveLength(1);
  });

  it('honours Idempotency-Key, and refuses the key reused for another request', async () => {
    const key = `k-${engine}-${Date.now()}`;
    const one = await ask('L-idem', {}, { 'idempotency-key': key });
    const two = await ask('L-idem', {}, { 'idempotency-key': key });
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect(two.headers.get('idempotent-replayed')).toBe('true');
    expect(two.json.issue?.code).toBe(one.json.issue?.code);
    const other = await ask('L-other', {}, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.json.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses with reason codes in the tenant’s language, and lists the refusal for managers', async () => {
    const r = await ask('L-refused', {
      available: false,
      unavailable_reason: 'group restriction',
      data: learnerData({ completion: { completed: false } }),
    });
    expect(r.status).toBe(403);
    expect(r.json.error?.code).toBe('DELIVERY_REFUSED');
    expect(list(r.json.error?.reasons).map((x) => x.code)).toEqual(['COURSE_NOT_COMPLETED', 'NOT_AVAILABLE']);
    expect(String(list(r.json.error?.reasons)[1]?.message)).toContain('group restriction');
    const refusals = await call(app.base, 'GET', '/api/v1/refusals?learner=L-refused', { token: admin });
    expect(list(refusals.json as never)[0]?.learnerId).toBe('L-refused');
  });

  it('keeps a locked document from every path until the shop’s signed webhook unlocks it', async () => {
    await updateTenantSettings(services, t.admin, { delivery_lock: true });
    const issued = await ask('L-locked');
    expect(issued.status).toBe(201);
    expect(issued.json.issue?.locked).toBe(true);
    const code = String(issued.json.issue?.code);

    const api = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
    expect(api.status).toBe(423);
    expect(list(api.json.error?.reasons)[0]?.code).toBe('DOCUMENT_LOCKED');
    const staff = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: admin });
    expect(staff.status).toBe(423);
    const link = await call(app.base, 'POST', `/api/v1/issues/${code}/links`, { token: lms, body: {} });
    expect(link.status).toBe(201);
    const viaLink = await call(app.base, 'GET', String(link.json.url).replace(/^https?:\/\/[^/]+/, ''));
    expect(viaLink.status).toBe(423);
    const preview = await call(app.base, 'POST', `/api/v1/templates/${t.templateId}/preview`, { token: admin, body: { issue: code } });
    expect(preview.status).toBe(423);
    const verify = await call(app.base, 'GET', `/api/v1/verify/${code}`);
    expect(verify.json).toEqual({ status: 'locked', code, locale: 'fr' });
    const page = await call(app.base, 'GET', `/verify/${code}`);
    expect(page.text).not.toContain('Camille');

    const secret = await webhookSecret(services, t.admin);
    const body = JSON.stringify({ learner_id: 'L-locked', reference: 'order-77' });
    const ts = Math.floor(services.now().getTime() / 1000);
    const bad = await call(app.base, 'POST', `/api/v1/webhooks/${t.tenant.slug}/shop`, {
      raw: body,
      headers: {
        'content-type': 'application/json',
        'x-attest-timestamp': String(ts),
        'x-attest-signature': signWebhook('wrong', ts, body),
      },
    });
    expect(bad.status).toBe(401);
    expect(bad.json.error?.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    const headers = {
      'content-type': 'application/json',
      'x-attest-timestamp': String(ts),
      'x-attest-signature': signWebhook(secret, ts, body),
    };
    const good = await call(app.base, 'POST', `/api/v1/webhooks/${t.tenant.slug}/shop`, { raw: body, headers });
    expect(good.status).toBe(200);
    expect(list(good.json.unlocked).map((u) => u.code)).toEqual([code]);
    const replay = await call(app.base, 'POST', `/api/v1/webhooks/${t.tenant.slug}/shop`, { raw: body, headers });
    expect(replay.status).toBe(409);
    expect(replay.json.error?.code).toBe('WEBHOOK_REPLAYED');

    const now = await call(app.base, 'GET', String(link.json.url).replace(/^https?:\/\/[^/]+/, ''));
    expect(now.status).toBe(200);
    expect(pdftotext(writeTemp(now.bytes))).toContain('Camille Martin');
    const audit = await call(app.base, 'GET', `/api/v1/issues/${code}/audit`, { token: admin });
    const unlocked = list(audit.json as never).find((e) => String(e.action) === 'unlocked');
    expect(unlocked).toMatchObject({ actor: 'webhook:shop', actorName: 'shop (webhook)', reason: 'payment order-77' });
    await updateTenantSettings(services, t.admin, { delivery_lock: false });
  });

  it('applies a certificate’s own rules, and a rule set to null is removed', async () => {
    const strict = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { min_grade_percent: 95 } },
    });
    expect(strict.json.settings?.min_grade_percent).toBe(95);
    const refused = await ask('L-grade', { data: learnerData({ grade: { value: 12, max: 20 } }) });
    expect(list(refused.json.error?.reasons).map((x) => x.code)).toEqual(['GRADE_TOO_LOW']);
    const relaxed = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { min_grade_percent: null } },
    });
    expect(relaxed.status).toBe(200);
    expect(relaxed.json.settings?.min_grade_percent).toBeUndefined();
    expect((await ask('L-grade', { data: learnerData({ grade: { value: 12, max: 20 } }) })).status).toBe(201);
  });

  it('revokes, regenerates and verifies: the page, the JSON and an uploaded copy', async () => {
    const issued = await ask('L-verify');
    const code = String(issued.json.issue?.code);
    const v1 = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
    // A second version of the template (one more line of text), then the document made again with it.
    const draft = await call(app.base, 'GET', `/api/v1/templates/${t.templateId}`, { token: admin });
    const source = String(draft.json.source).replace('</page>', '<text x="10mm" y="5mm" width="80mm" size="6">v2</text></page>');
    expect((await call(app.base, 'PATCH', `/api/v1/templates/${t.templateId}`, { token: admin, body: { source } })).status).toBe(200);
    const published = await call(app.base, 'POST', `/api/v1/templates/${t.templateId}/publish`, { token: admin });
    expect(published.status).toBe(201);
    const regen = await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, {
      token: admin,
      body: { reason: 'typo', template_version_id: published.json.version?.id },
    });
    expect(regen.status).toBe(200);
    expect(regen.json.revision).toBe(2);
    expect(regen.json.issuedOn).toBe(issued.json.issue?.issuedOn);
    expect(regen.json.code).toBe(code);
    expect(regen.json.templateVersionId).toBe(published.json.version?.id);
    const v2 = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
    const check = async (bytes: Uint8Array) =>
      (await call(app.base, 'POST', `/api/v1/verify/${code}/document`, { raw: bytes, headers: { 'content-type': 'application/pdf' } })).json
        .match;
    expect(await check(v2.bytes)).toBe('current');
    expect(await check(v1.bytes)).toBe('superseded');
    expect(await check(new Uint8Array([1, 2, 3]))).toBe('none');
    const page = await call(app.base, 'GET', `/verify/${code.toLowerCase().replace(/-/g, '')}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Document valide');
    expect(page.text).toContain('Camille Martin');
    const revoke = await call(app.base, 'POST', `/api/v1/issues/${code}/revoke`, { token: admin, body: { reason: 'fraud' } });
    expect(revoke.json.state).toBe('revoked');
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json.status).toBe('revoked');
    expect((await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms })).status).toBe(410);
    expect((await call(app.base, 'GET', '/api/v1/verify/AAAAA-BBBBB-CCCCC-DDDDD')).json.error?.code).toBe('VERIFICATION_CODE_UNKNOWN');
  });

  it('prints a name that looks like code as text on the verification page', async () => {
    const issued = await ask('L-markup', { data: learnerData({}, 'markup') });
    expect(issued.status, issued.text).toBe(201);
    const page = await call(app.base, 'GET', `/verify/${String(issued.json.issue?.code)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('&lt;b&gt;{{ 7*7 }}&lt;/b&gt; &amp; {% raw %}');
    expect(page.text).not.toContain('<b>{{');
  });

  it('makes the document of a name no font can draw, and says so in the answer and the audit trail', async () => {
    // Yi syllables: no bundled face has them.
    const issued = await ask('L-yi', { data: learnerData({ learner: { firstname: 'ꆈꌠ', lastname: 'Martin' } }) });
    expect(issued.status, issued.text).toBe(201);
    const warnings = issued.json.warnings as unknown as { code: string; message: string }[];
    expect(warnings.map((w) => w.code)).toContain('FONT_GLYPH_MISSING');
    expect(warnings.find((w) => w.code === 'FONT_GLYPH_MISSING')!.message).toContain('U+A188');
    const code = String(issued.json.issue?.code);
    const audit = await call(app.base, 'GET', `/api/v1/issues/${code}/audit`, { token: admin });
    const rendered = (audit.json as unknown as { action: string; details: { warnings?: { code: string }[] } }[]).find(
      (a) => a.action === 'rendered',
    )!;
    expect(rendered.details.warnings?.map((w) => w.code)).toContain('FONT_GLYPH_MISSING');
    // Made again, it still cannot draw the name, and its audit entry says so too.
    expect((await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, { token: admin, body: { reason: 'retry' } })).status).toBe(
      200,
    );
    const after = await call(app.base, 'GET', `/api/v1/issues/${code}/audit`, { token: admin });
    const regenerated = (after.json as unknown as { action: string; details: { warnings?: { code: string }[] } }[]).find(
      (a) => a.action === 'regenerated',
    )!;
    expect(regenerated.details.warnings?.map((w) => w.code)).toContain('FONT_GLYPH_MISSING');
    // Asking again answers the same document; the warnings were for the one who made it.
    const again = await ask('L-yi', { data: learnerData({ learner: { firstname: 'ꆈꌠ', lastname: 'Martin' } }) });
    expect(again.status).toBe(200);
    expect(again.json.warnings).toBeUndefined();
    // A name every font draws makes a document with nothing to say.
    const plain = await ask('L-plain');
    expect(plain.status).toBe(201);
    expect(plain.json.warnings).toBeUndefined();
  });

  it('shows a right-to-left name in its own direction on the verification page', async () => {
    const issued = await ask('L-rtl', { data: learnerData({ learner: { firstname: 'فاطمة', lastname: 'الزهراء' } }) });
    expect(issued.status, issued.text).toBe(201);
    const page = await call(app.base, 'GET', `/verify/${String(issued.json.issue?.code)}`);
    expect(page.text).toMatch(/<dd dir="auto">فاطمة الزهراء<\/dd>/);
  });
});
