import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEFAULT_ROLES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, startApp, type Running } from '../../support/http';
import { writeTemp } from '../../templates/pdf/helpers';

/**
 * Issue 17, tagged PDF, over HTTP on both engines: on by default, a tenant default and a certificate's own
 * setting, regeneration after turning it on (a tagged revision; the untagged one verifies as superseded),
 * and the verification answer and page saying so.
 */
const pool = useRenderPool(1);
const tool = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe.each(ENGINES)('tagged PDF over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  const ask = (learnerId: string) =>
    call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learnerId, available: true, data: learnerData() },
    });
  const documentOf = async (code: string) => {
    const doc = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
    expect(doc.status, doc.text).toBe(200);
    return doc.bytes;
  };
  const structure = (bytes: Uint8Array, name: string) => {
    const path = writeTemp(bytes, `${engine}-tagging-${name}.pdf`);
    expect(tool('qpdf', ['--check', path])).toContain('No syntax or stream encoding errors');
    return tool('pdfinfo', ['-struct-text', path]);
  };

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (await createToken(services, t.system, { name: 'lms', capabilities: [...DEFAULT_ROLES.lms!] })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('tags documents when nothing is set, and says so on the verification answer and page', async () => {
    const issued = await ask('L-default');
    expect(issued.status, issued.text).toBe(201);
    const code = String(issued.json.issue?.code);
    const struct = structure(await documentOf(code), 'default');
    expect(struct.startsWith('Document\n')).toBe(true);
    expect(struct).toContain('Camille Martin');
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json.tagged).toBe(true);
    expect((await call(app.base, 'GET', `/verify/${code}`)).text).toContain('PDF balisé, lisible par les lecteurs d’écran');
  });

  it('the tenant turns it off, a certificate’s own setting turns it back on; regeneration tags the document again', async () => {
    const off = await call(app.base, 'PATCH', '/api/v1/tenant/settings', { token: admin, body: { tagging: { enabled: false } } });
    expect(off.status, off.text).toBe(200);
    const issued = await ask('L-off');
    const code = String(issued.json.issue?.code);
    const before = await documentOf(code);
    expect(Buffer.from(before).includes('/StructTreeRoot')).toBe(false);
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json.tagged).toBe(false);
    expect((await call(app.base, 'GET', `/verify/${code}`)).text).not.toContain('PDF balisé');

    const on = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { tagging: { enabled: true } } },
    });
    expect(on.status, on.text).toBe(200);
    const regen = await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, { token: admin, body: { reason: 'accessibility' } });
    expect(regen.status, regen.text).toBe(200);
    const after = await documentOf(code);
    expect(structure(after, 'regenerated')).toContain('Camille Martin');
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json).toMatchObject({ status: 'valid', revision: 2, tagged: true });
    const check = async (bytes: Uint8Array) =>
      (await call(app.base, 'POST', `/api/v1/verify/${code}/document`, { raw: bytes, headers: { 'content-type': 'application/pdf' } })).json
        .match;
    expect(await check(after)).toBe('current');
    expect(await check(before)).toBe('superseded');

    // The same settings again: the same inputs, so the same bytes.
    const again = await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, { token: admin, body: { reason: 'again' } });
    expect(again.status, again.text).toBe(200);
    expect(Buffer.from(await documentOf(code)).equals(Buffer.from(after))).toBe(true);
  });

  it('refuses a tagging setting that is not { enabled }', async () => {
    const r = await call(app.base, 'PATCH', '/api/v1/tenant/settings', { token: admin, body: { tagging: { enabled: 'yes' } } });
    expect(r.status).toBe(422);
  });
});
