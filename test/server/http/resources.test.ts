import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { RenderPool } from '../../../server/render/pool';
import { freshServices, learnerData, setupTenant, type TenantFixture, type TestServices } from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';

/**
 * What an input can take from the server, over HTTP: hostile front matter is a template problem (never a
 * 500), and a tenant's heavy previews never hold up another tenant's documents.
 */

// Two workers; previews get 1.5 s, and the heavy preview below (150,000 table rows) needs seconds: each
// runs until this timeout, which is what a heavy preview costs at most.
const PREVIEW_TIMEOUT_MS = 1_500;
let pool: RenderPool;
let services: TestServices;
let app: Running;
let a: TenantFixture;
let b: TenantFixture;
let adminA: string;
let lmsB: string;

beforeAll(async () => {
  // The tenants' templates are published (a publish check in the preview lane) under generous limits, so a
  // busy machine cannot fail the set-up; the tests then run on the pool whose preview limit is short.
  const setupPool = new RenderPool({ size: 1, timeoutMs: 60_000, preview: { timeoutMs: 60_000 } });
  services = await freshServices('sqlite', { pool: setupPool });
  a = await setupTenant(services);
  b = await setupTenant(services);
  await setupPool.close();
  pool = new RenderPool({ size: 2, timeoutMs: 20_000, preview: { timeoutMs: PREVIEW_TIMEOUT_MS } });
  services.renderer = pool;
  app = await startApp(services);
  adminA = (await createToken(services, a.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
  lmsB = (
    await createToken(services, b.system, {
      name: 'lms',
      capabilities: ['certificate:view', 'certificate:apply', 'certificate:retrieve-own', 'learners:supply-data'],
    })
  ).token;
  await pool.whenReady();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await pool?.close();
});

const BOMB = [
  'name: Bomb',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
].join('\n');
const HOSTILE: [string, string, string][] = [
  ['an alias bomb', `---\n${BOMB}\n---\n<page></page>`, 'SOURCE_YAML_ALIASES'],
  ['a __proto__ variable', '---\nname: Proto\nvariables:\n  __proto__:\n    type: string\n---\n<page></page>', 'SOURCE_FORBIDDEN_NAME'],
  ['a constructor asset', '---\nname: Ctor\nassets:\n  constructor: seal.png\n---\n<page></page>', 'SOURCE_FORBIDDEN_NAME'],
];

describe('hostile front matter over HTTP', () => {
  it.each(HOSTILE)('%s is a template diagnostic: validate lists it, preview shows it, publish answers 422', async (_what, source, code) => {
    const validated = await call(app.base, 'POST', '/api/v1/validate', { token: adminA, body: { source } });
    expect(validated.status).toBe(200);
    expect(list(validated.json.diagnostics).map((d) => d.code)).toEqual([code]);

    const created = await call(app.base, 'POST', '/api/v1/templates', { token: adminA, body: { name: `hostile ${code}`, source } });
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    const preview = await call(app.base, 'POST', `/api/v1/templates/${id}/preview`, { token: adminA, body: {} });
    expect(preview.status).toBe(200);
    expect(list(preview.json.diagnostics).map((d) => d.code)).toEqual([code]);
    const edited = await call(app.base, 'POST', `/api/v1/templates/${a.templateId}/preview`, { token: adminA, body: { source } });
    expect(edited.status).toBe(200);
    expect(list(edited.json.diagnostics).map((d) => d.code)).toEqual([code]);

    const published = await call(app.base, 'POST', `/api/v1/templates/${id}/publish`, { token: adminA, body: {} });
    expect(published.status).toBe(422);
    expect(published.json.error?.code).toBe('TEMPLATE_HAS_ERRORS');
    expect(JSON.stringify(published.json)).toContain(code);
  });
});

describe('the fair render queue over HTTP', () => {
  it('issues tenant B’s document while tenant A runs four heavy previews, before any of them ends', async () => {
    // B's template compiled in both workers first: what is measured is the wait for a worker, not a compile.
    const warm = await Promise.all(
      ['L-warm-1', 'L-warm-2'].map((learner_id) =>
        call(app.base, 'POST', `/api/v1/certificates/${b.certificate.id}/issues`, {
          token: lmsB,
          body: { learner_id, available: true, data: learnerData() },
        }),
      ),
    );
    expect(warm.map((r) => r.status)).toEqual([201, 201]);

    const heavy = `---\nname: Heavy\n---\n<page><table x="10mm" y="10mm" width="150mm">{% for i in (1..3000) %}${'<tr><td>Row</td></tr>'.repeat(50)}{% endfor %}</table></page>`;
    const finished: string[] = [];
    const previews = Array.from({ length: 4 }, (_, i) =>
      call(app.base, 'POST', `/api/v1/templates/${a.templateId}/preview`, {
        token: adminA,
        body: { source: `${heavy}\n<!-- ${i} -->` },
      }).then((r) => {
        finished.push(`A${i}`);
        return r;
      }),
    );
    // The previews are in the pool before B asks.
    while (pool.stats().busy + pool.stats().queued < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    const issued = await call(app.base, 'POST', `/api/v1/certificates/${b.certificate.id}/issues`, {
      token: lmsB,
      body: { learner_id: 'L-during-previews', available: true, data: learnerData() },
    });
    finished.push('B');
    expect(issued.status).toBe(201);
    // B's issue was answered while every preview still held its place: before any of them timed out.
    expect(finished).toEqual(['B']);

    const answers = await Promise.all(previews);
    for (const r of answers) {
      expect(r.status).toBe(200);
      expect(list(r.json.diagnostics).map((d) => d.code)).toEqual(['RENDER_TIMEOUT']);
    }
  }, 90_000);
});
