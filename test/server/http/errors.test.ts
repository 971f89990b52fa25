import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createTenant, webhookSecret } from '../../../server/domain/tenants';
import { createToken } from '../../../server/domain/tokens';
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
import { call, list, startApp, type Json, type Running } from '../../support/http';

/**
 * What an integrator reads when something goes wrong, from the outside: the message in the caller's
 * language (Accept-Language, else the tenant's), from every layer that answers (the adapter, validation,
 * the domain, the delivery rules); problems and warnings at paths written one way; and an API document
 * that declares each operation's error answers.
 */
const pool = useRenderPool(1);
let services: TestServices;
let app: Running;
let fr: TenantFixture;
let en: TenantFixture;
let frAdmin: string;
let enAdmin: string;
let frWeak: string;

const FR = { 'accept-language': 'fr-FR,fr;q=0.9' };
const EN = { 'accept-language': 'en-GB,en;q=0.8' };
const messages = (r: { json: Json }, field: 'problems' | 'warnings' | 'reasons') =>
  list(r.json.error?.[field]).map((p) => String(p.message));

beforeAll(async () => {
  services = await freshServices('sqlite', { pool: pool() });
  app = await startApp(services, { limits: { verifyPerMinute: 1 } });
  fr = await setupTenant(services, { settings: { locale: 'fr' } });
  en = await setupTenant(services, { settings: { locale: 'en' } });
  frAdmin = (await createToken(services, fr.system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
  enAdmin = (await createToken(services, en.system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
  frWeak = (await createToken(services, fr.system, { name: 'weak', capabilities: ['certificate:view'] })).token;
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('messages in the caller’s language', () => {
  it('the adapter’s 401: French or English by Accept-Language, English when nothing says', async () => {
    const french = await call(app.base, 'GET', '/api/v1/issues', { headers: FR });
    expect([french.status, french.json.error?.code]).toEqual([401, 'AUTHENTICATION_REQUIRED']);
    expect(french.json.error?.message).toBe('Connectez-vous, ou envoyez un jeton d’API : « Authorization: Bearer <jeton> ».');
    const english = await call(app.base, 'GET', '/api/v1/issues', { headers: EN });
    expect(english.json.error?.message).toBe('Sign in, or send an API token as "Authorization: Bearer <token>".');
    // A language we do not speak preferred first: the one of ours the caller accepts; none: English.
    const german = await call(app.base, 'GET', '/api/v1/issues', { headers: { 'accept-language': 'de-DE, fr;q=0.5' } });
    expect(german.json.error?.message).toMatch(/^Connectez-vous/);
    const nothing = await call(app.base, 'GET', '/api/v1/issues', { headers: { 'accept-language': 'de, *;q=0.1' } });
    expect(nothing.json.error?.message).toMatch(/^Sign in/);
  });

  it('the per-code failures of a batch answer follow the caller’s language too', async () => {
    const body = { codes: ['00000-00000-00000-00000', 'not a code'] };
    const french = await call(app.base, 'POST', '/api/v1/issues/unlock', { token: frAdmin, body });
    expect(french.status).toBe(200);
    expect(list(french.json.results).map((r) => [r.ok, r.error?.code, r.error?.message])).toEqual([
      [false, 'ISSUE_NOT_FOUND', 'Le document n’existe pas.'],
      [false, 'ISSUE_NOT_FOUND', 'Le document n’existe pas.'],
    ]);
    const asked = await call(app.base, 'POST', '/api/v1/issues/lock', { token: frAdmin, body, headers: EN });
    expect(list(asked.json.results).map((r) => r.error?.message)).toEqual(['The document does not exist.', 'The document does not exist.']);
  });

  it('a 403 of the adapter follows the tenant’s locale, with the capability named', async () => {
    const r = await call(app.base, 'GET', '/api/v1/issues', { token: frWeak });
    expect([r.status, r.json.error?.code]).toEqual([403, 'CAPABILITY_REQUIRED']);
    expect(r.json.error?.message).toBe('Il faut pour cela la capacité "issues:manage".');
    expect(r.json.error?.details).toEqual({ capability: 'issues:manage' });
    const asked = await call(app.base, 'GET', '/api/v1/issues', { token: frWeak, headers: EN });
    expect(asked.json.error?.message).toBe('This needs the capability "issues:manage".');
  });

  it('a 422 of validation: the message and every problem’s message, by tenant and by Accept-Language', async () => {
    const body = { learner_id: '', available: 'yes', data: {}, extra: 1 };
    const path = (t: TenantFixture) => `/api/v1/certificates/${t.certificate.id}/issues`;
    const french = await call(app.base, 'POST', path(fr), { token: frAdmin, body });
    expect([french.status, french.json.error?.code]).toEqual([422, 'REQUEST_INVALID']);
    expect(french.json.error?.message).toBe('La requête n’est pas valide ; chaque problème est indiqué avec son chemin.');
    expect(list(french.json.error?.problems).map((p) => [p.path, p.code, p.message])).toEqual(
      expect.arrayContaining([
        ['learner_id', 'TOO_SMALL', 'Doit compter au moins 1 caractère.'],
        ['available', 'INVALID_TYPE', 'Attendu : un booléen ; reçu : un texte.'],
        ['extra', 'UNRECOGNIZED_KEYS', 'Champ inconnu ; retirez-le.'],
      ]),
    );
    const english = await call(app.base, 'POST', path(en), { token: enAdmin, body });
    expect(english.json.error?.message).toBe('The request is not valid; every problem is listed with its path.');
    expect(messages(english, 'problems')).toEqual(
      expect.arrayContaining(['Must have at least 1 character.', 'Expected a boolean, got a string.']),
    );
    const frenchAsked = await call(app.base, 'POST', path(en), { token: enAdmin, body, headers: FR });
    expect(messages(frenchAsked, 'problems')).toContain('Attendu : un booléen ; reçu : un texte.');
  });

  it('a 404 and a 409 of the domain', async () => {
    const missing = await call(app.base, 'GET', '/api/v1/issues/NOPE-NOPE', { token: frAdmin });
    expect([missing.status, missing.json.error?.code, missing.json.error?.message]).toEqual([
      404,
      'ISSUE_NOT_FOUND',
      'Le document n’existe pas.',
    ]);
    const missingEn = await call(app.base, 'GET', '/api/v1/issues/NOPE-NOPE', { token: enAdmin });
    expect(missingEn.json.error?.message).toBe('The document does not exist.');
    const issued = await call(app.base, 'POST', `/api/v1/certificates/${en.certificate.id}/issues`, {
      token: enAdmin,
      body: { learner_id: 'L-409', available: true, data: learnerData() },
    });
    expect(issued.status).toBe(201);
    const code = String(issued.json.issue?.code);
    await call(app.base, 'POST', `/api/v1/issues/${code}/revoke`, { token: enAdmin, body: { reason: 'error' } });
    const twice = await call(app.base, 'POST', `/api/v1/issues/${code}/revoke`, { token: enAdmin, body: { reason: 'error' }, headers: FR });
    expect([twice.status, twice.json.error?.code, twice.json.error?.message]).toEqual([
      409,
      'ALREADY_REVOKED',
      'Le document est déjà révoqué.',
    ]);
    const gone = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: enAdmin });
    expect([gone.status, gone.json.error?.message, messages(gone, 'reasons')]).toEqual([
      410,
      'The document has been revoked.',
      ['The document has been revoked.'],
    ]);
  });

  it('a refusal: the reasons said again in the caller’s language, values and all', async () => {
    const ask = (headers: Record<string, string>) =>
      call(app.base, 'POST', `/api/v1/certificates/${fr.certificate.id}/issues`, {
        token: frAdmin,
        headers,
        body: {
          learner_id: 'L-refused',
          available: false,
          unavailable_reason: 'group restriction',
          data: learnerData({ completion: { completed: false } }),
        },
      });
    const french = await ask({});
    expect([french.status, french.json.error?.code]).toEqual([403, 'DELIVERY_REFUSED']);
    expect(messages(french, 'reasons')).toEqual([
      'Le cours n’est pas encore achevé.',
      'Ce certificat n’est pas accessible à l’apprenant (group restriction).',
    ]);
    expect(french.json.error?.message).toBe(
      'Le cours n’est pas encore achevé. Ce certificat n’est pas accessible à l’apprenant (group restriction).',
    );
    const english = await ask(EN);
    expect(messages(english, 'reasons')).toEqual([
      'The course is not completed yet.',
      'This certificate is not available to the learner (group restriction).',
    ]);
    expect(english.json.error?.message).toBe(
      'The course is not completed yet. This certificate is not available to the learner (group restriction).',
    );
  });

  it('a public route that names its tenant speaks the tenant’s language', async () => {
    const ts = Math.floor(services.now().getTime() / 1000);
    const body = JSON.stringify({ learner_id: 'x' });
    const send = (t: TenantFixture, signature: string) =>
      call(app.base, 'POST', `/api/v1/webhooks/${t.tenant.slug}/shop`, {
        raw: body,
        headers: { 'content-type': 'application/json', 'x-attest-timestamp': String(ts), 'x-attest-signature': signature },
      });
    const french = await send(fr, signWebhook('wrong', ts, body));
    expect([french.status, french.json.error?.code, french.json.error?.message]).toEqual([
      401,
      'WEBHOOK_SIGNATURE_INVALID',
      'La signature du webhook n’est pas valide.',
    ]);
    const english = await send(en, signWebhook('wrong', ts, body));
    expect(english.json.error?.message).toBe('The webhook signature is not valid.');
    // And a body the shop got wrong: problems at their path in the body, no "body." before it.
    const wrong = JSON.stringify({ learner_id: 7, bogus: true });
    const secret = await webhookSecret(services, fr.admin);
    const r = await call(app.base, 'POST', `/api/v1/webhooks/${fr.tenant.slug}/shop`, {
      raw: wrong,
      headers: {
        'content-type': 'application/json',
        'x-attest-timestamp': String(ts),
        'x-attest-signature': signWebhook(secret, ts, wrong),
      },
    });
    expect(r.json.error?.code).toBe('WEBHOOK_BODY_INVALID');
    expect(list(r.json.error?.problems).map((p) => [p.path, p.code, p.message])).toEqual([
      ['learner_id', 'INVALID_TYPE', 'Attendu : un texte ; reçu : un nombre.'],
      ['bogus', 'UNRECOGNIZED_KEYS', 'Champ inconnu ; retirez-le.'],
    ]);
  });

  it('errors met before any operation (unreadable JSON, unknown route) follow Accept-Language', async () => {
    const broken = await call(app.base, 'POST', `/api/v1/certificates/${fr.certificate.id}/issues`, {
      token: frAdmin,
      raw: '{"learner_id": ',
      headers: { 'content-type': 'application/json', ...FR },
    });
    expect([broken.status, broken.json.error?.code]).toEqual([400, 'BODY_NOT_JSON']);
    expect(broken.json.error?.message).toMatch(/^Le corps de la requête n’est pas du JSON valide/);
    const route = await call(app.base, 'GET', '/api/v1/nothing-here', { headers: FR });
    expect([route.status, route.json.error?.code, route.json.error?.message]).toEqual([
      404,
      'ROUTE_NOT_FOUND',
      'Aucune opération n’a cette méthode et ce chemin ; voir /api/v1/openapi.json.',
    ]);
    const english = await call(app.base, 'GET', '/api/v1/nothing-here');
    expect(english.json.error?.message).toBe('No operation has this method and path; see /api/v1/openapi.json.');
  });

  it('a 429 says when to come back, in French when asked', async () => {
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 15 && last?.status !== 429; i++) last = await call(app.base, 'GET', '/api/v1/verify/NOPE', { headers: FR });
    expect([last?.status, last?.json.error?.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last?.json.error?.message).toMatch(/^Trop de requêtes/);
  });
});

describe('learner data that does not fit', () => {
  it('a 422 DATA_INVALID lists the problems and the ignored fields, each at its path in the body', async () => {
    const data = learnerData({
      learner: { ...(learnerData().learner as object), nickname: 'Cam' },
      completion: { date: 'the day before yesterday' },
    });
    const r = await call(app.base, 'POST', `/api/v1/certificates/${en.certificate.id}/issues`, {
      token: enAdmin,
      body: { learner_id: 'L-bad', available: true, data },
    });
    expect([r.status, r.json.error?.code]).toEqual([422, 'DATA_INVALID']);
    expect(list(r.json.error?.problems).map((p) => p.path)).toEqual(['data.completion.date']);
    expect(list(r.json.error?.warnings).map((p) => [p.path, p.code])).toEqual([['data.learner.nickname', 'BIND_UNKNOWN']]);
    // English keeps binding's own sentence, with its "did you mean"; French says it from the code.
    expect(messages(r, 'warnings')[0]).toContain('"nickname"');
    const french = await call(app.base, 'POST', `/api/v1/certificates/${en.certificate.id}/issues`, {
      token: enAdmin,
      headers: FR,
      body: { learner_id: 'L-bad', available: true, data },
    });
    expect(french.json.error?.message).toMatch(/^Les données de l’apprenant ne correspondent pas/);
    expect(messages(french, 'warnings')).toEqual(['Le modèle n’a pas ce champ ; il est ignoré.']);
  });

  it('a 201 carries its warnings with their paths too', async () => {
    const data = learnerData({ learner: { ...(learnerData().learner as object), nickname: 'Cam' } });
    const r = await call(app.base, 'POST', `/api/v1/certificates/${en.certificate.id}/issues`, {
      token: enAdmin,
      body: { learner_id: 'L-warned', available: true, data },
    });
    expect(r.status).toBe(201);
    expect(list(r.json.warnings).map((w) => [w.path, w.code])).toContainEqual(['data.learner.nickname', 'BIND_UNKNOWN']);
  });

  it('paths are written one way: within the body without a prefix, params.x and query.x for the rest', async () => {
    const codes = await call(app.base, 'POST', '/api/v1/issues/unlock', { token: enAdmin, body: { codes: ['A', ''] } });
    expect(list(codes.json.error?.problems).map((p) => p.path)).toEqual(['codes[1]']);
    const query = await call(app.base, 'GET', '/api/v1/issues?limit=0', { token: enAdmin });
    expect(list(query.json.error?.problems).map((p) => p.path)).toEqual(['query.limit']);
    const param = await call(app.base, 'GET', `/api/v1/issues/${'Z'.repeat(41)}`, { token: enAdmin });
    expect(list(param.json.error?.problems).map((p) => p.path)).toEqual(['params.code']);
    const settings = await call(app.base, 'PATCH', `/api/v1/certificates/${en.certificate.id}`, {
      token: enAdmin,
      body: { settings: { min_grade_percent: 200 } },
    });
    expect(list(settings.json.error?.problems).map((p) => p.path)).toEqual(['settings.min_grade_percent']);
  });
});

describe('the API document', () => {
  let doc: {
    paths: Record<
      string,
      Record<
        string,
        {
          responses: Record<
            string,
            { 'x-error-codes'?: string[]; headers?: Record<string, unknown>; content?: Record<string, { schema: unknown }> }
          >;
        }
      >
    >;
  };
  beforeAll(async () => {
    doc = (await call(app.base, 'GET', '/api/v1/openapi.json')).json as never;
  });

  it('declares each operation’s error answers: status, body schema, codes', () => {
    const ask = doc.paths['/api/v1/certificates/{id}/issues']!.post!.responses;
    expect(ask['401']?.['x-error-codes']).toEqual(['TOKEN_INVALID', 'AUTHENTICATION_REQUIRED']);
    expect(ask['403']?.['x-error-codes']).toEqual(
      expect.arrayContaining(['CAPABILITY_REQUIRED', 'CSRF_HEADER_MISSING', 'DELIVERY_REFUSED', 'OTHER_LEARNER']),
    );
    expect(ask['422']?.['x-error-codes']).toEqual(expect.arrayContaining(['REQUEST_INVALID', 'DATA_INVALID', 'IDEMPOTENCY_KEY_REUSED']));
    expect(ask['400']?.['x-error-codes']).toEqual(expect.arrayContaining(['BODY_NOT_JSON']));
    expect(ask['422']?.content?.['application/json']?.schema).toEqual({
      allOf: [
        { $ref: '#/components/schemas/Error' },
        { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: ask['422']?.['x-error-codes'] } } } } },
      ],
    });
    expect(ask).not.toHaveProperty('default');
    // A public operation has no sign-in answers; one without a body has no body answers.
    const verify = doc.paths['/api/v1/verify/{code}']!.get!.responses;
    expect(verify['401']?.['x-error-codes']).toEqual(['TOKEN_INVALID']);
    expect(Object.values(verify).flatMap((r) => r['x-error-codes'] ?? [])).not.toContain('BODY_TOO_LARGE');
  });

  it('says Retry-After where the answer carries it (429, 503)', () => {
    const verify = doc.paths['/api/v1/verify/{code}']!.get!.responses;
    expect(verify['429']?.['x-error-codes']).toEqual(['RATE_LIMITED']);
    expect(verify['429']?.headers).toHaveProperty('Retry-After');
    const publish = doc.paths['/api/v1/templates/{id}/publish']!.post!.responses;
    expect(publish['503']?.['x-error-codes']).toEqual(['RENDER_BUSY', 'RENDER_CLOSED']);
    expect(publish['503']?.headers).toHaveProperty('Retry-After');
    expect(publish['422']?.headers).toBeUndefined();
  });
});

describe.each(ENGINES)('a new tenant’s defaults and language (%s)', (engine) => {
  let own: TestServices;
  let server: Running;
  beforeAll(async () => {
    own = await freshServices(engine, { pool: pool() });
    server = await startApp(own);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });
  const tokenOf = async (tenantId: string) =>
    (await createToken(own, { kind: 'system', tenantId }, { name: 't', capabilities: ['tenant:manage'] })).token;

  it('are in its own language; the locale stays French unless given', async () => {
    const english = await createTenant(own, { slug: 'defaults-en', name: 'Acme', settings: { locale: 'en' } });
    const french = await createTenant(own, { slug: 'defaults-fr', name: 'Acme FR' });
    const named = await createTenant(own, {
      slug: 'defaults-named',
      name: 'Acme',
      settings: { locale: 'en', organization: { name: 'Acme Academy' } },
    });
    const read = async (tenantId: string) =>
      (await call(server.base, 'GET', '/api/v1/tenant', { token: await tokenOf(tenantId) })).json.settings;
    expect((await read(english.id))?.organization).toEqual({ name: 'Training organisation' });
    const frSettings = await read(french.id);
    expect([frSettings?.locale, frSettings?.organization]).toEqual(['fr', { name: 'Organisme de formation' }]);
    expect((await read(named.id))?.organization).toEqual({ name: 'Acme Academy' });
  });

  it('its errors are said in its language, read from its settings as they are now', async () => {
    const t = await createTenant(own, { slug: 'speaks', name: 'Speaks', settings: { locale: 'en' } });
    const token = await tokenOf(t.id);
    const before = await call(server.base, 'DELETE', '/api/v1/tokens/nope', { token });
    expect([before.status, before.json.error?.code, before.json.error?.message]).toEqual([404, 'NOT_FOUND', 'This does not exist.']);
    await call(server.base, 'PATCH', '/api/v1/tenant/settings', { token, body: { locale: 'fr' } });
    const after = await call(server.base, 'DELETE', '/api/v1/tokens/nope', { token });
    expect(after.json.error?.message).toBe('Cela n’existe pas.');
  });
});
