import { beforeAll, describe, expect, it } from 'vitest';
import { parseApiToken } from '../../../server/domain/codes';
import {
  authenticateOperator,
  createOperatorToken,
  listOperatorTokens,
  parseOperatorToken,
  provisionTenant,
  revokeOperatorToken,
  updateOperatorTenantSettings,
  type Operator,
} from '../../../server/domain/operators';
import { listPeople } from '../../../server/domain/people';
import { signIn } from '../../../server/domain/sessions';
import { createTenant, findTenantBySlug } from '../../../server/domain/tenants';
import { authenticateToken, createToken } from '../../../server/domain/tokens';
import { RenderPool } from '../../../server/render/pool';
import { auditOf } from '../../../server/storage/repositories/audit';
import { domainFailure, ENGINES, failure, freshServices, uniqueSlug, type TestServices } from '../../support/storage';

/** The operator's domain functions, called as the CLI and the API call them, without HTTP, on both engines. */
describe.each(ENGINES)('operators (%s)', (engine) => {
  let services: TestServices;
  let operator: Operator;
  let operatorToken: string;

  beforeAll(async () => {
    services = await freshServices(engine, { pool: new RenderPool({ size: 0 }) });
    const made = await createOperatorToken(services, { name: 'panel' });
    operatorToken = made.token;
    operator = await authenticateOperator(services, made.token);
  }, 60_000);

  it('keeps only the hash of a token; an operator token and a tenant token never pass for each other', async () => {
    expect(operator).toEqual({ kind: 'operator', id: expect.any(String), name: 'panel' });
    const rows = await services.storage.db.selectFrom('operator_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(parseOperatorToken(operatorToken)!.secret);
    const tenant = await createTenant(services, { slug: uniqueSlug(), name: 'T' });
    const { token } = await createToken(services, { kind: 'system', tenantId: tenant.id }, { name: 't', capabilities: ['tenant:manage'] });
    expect(parseOperatorToken(token)).toBeUndefined();
    expect(parseApiToken(operatorToken)).toBeUndefined();
    expect((await domainFailure(() => authenticateOperator(services, token))).code).toBe('TOKEN_INVALID');
    expect((await domainFailure(() => authenticateToken(services, operatorToken))).code).toBe('TOKEN_INVALID');
  });

  it('refuses a revoked and an expired token; revoking twice keeps the first date', async () => {
    const revoked = await createOperatorToken(services, { name: 'revoked' });
    const first = await revokeOperatorToken(services, revoked.info.id);
    services.clock.advance(60_000);
    const second = await revokeOperatorToken(services, revoked.info.id);
    expect(second.revokedAt).toBe(first.revokedAt);
    expect((await domainFailure(() => authenticateOperator(services, revoked.token))).code).toBe('TOKEN_INVALID');

    const expiring = await createOperatorToken(services, {
      name: 'expiring',
      expiresAt: new Date(services.now().getTime() + 1000).toISOString(),
    });
    await authenticateOperator(services, expiring.token);
    services.clock.advance(1000);
    expect((await domainFailure(() => authenticateOperator(services, expiring.token))).code).toBe('TOKEN_INVALID');
    expect((await domainFailure(() => revokeOperatorToken(services, '00000000-0000-4000-8000-000000000000'))).code).toBe(
      'OPERATOR_TOKEN_NOT_FOUND',
    );
    const listed = await listOperatorTokens(services);
    expect(listed.map((t) => t.name)).toEqual(expect.arrayContaining(['panel', 'revoked', 'expiring']));
    expect(JSON.stringify(listed)).not.toContain('secret');
  });

  it('provisions a tenant and its administrator together, recorded as the operator', async () => {
    const slug = uniqueSlug('site');
    const { tenant, admin, password } = await provisionTenant(services, operator, {
      slug,
      name: 'Campus',
      admin: { username: 'claire', displayName: 'Claire' },
    });
    expect(admin.roles).toEqual(['admin']);
    const session = await signIn(services, { tenant: slug, username: 'claire', password: password! });
    expect(session.actor.tenantId).toBe(tenant.id);
    const people = await listPeople(services, session.actor);
    expect(people.map((p) => p.username)).toEqual(['claire']);
    expect((await auditOf(services.storage.db, tenant.id, 'tenant', tenant.id))[0]?.actor).toBe(`operator:${operator.id}`);

    const changed = await updateOperatorTenantSettings(services, operator, slug, { locale: 'en' });
    expect(changed.settings.locale).toBe('en');
    expect((await auditOf(services.storage.db, tenant.id, 'tenant', tenant.id)).at(-1)?.actor).toBe(`operator:${operator.id}`);
  });

  it('makes nothing when a part is refused, and names the part', async () => {
    const slug = uniqueSlug('site');
    const short = await domainFailure(() =>
      provisionTenant(services, operator, { slug, name: 'X', admin: { username: 'x', displayName: 'X', password: 'short' } }),
    );
    expect([short.code, short.extra.problems?.map((p) => p.path)]).toEqual(['PASSWORD_TOO_SHORT', ['admin.password']]);
    const user = await domainFailure(() =>
      provisionTenant(services, operator, { slug, name: 'X', admin: { username: 'a b', displayName: 'X' } }),
    );
    expect([user.code, user.extra.problems?.map((p) => p.path)]).toEqual(['USERNAME_INVALID', ['admin.username']]);
    const settings = await domainFailure(() =>
      provisionTenant(services, operator, { slug, name: 'X', settings: { locale: 'de' }, admin: { username: 'x', displayName: 'X' } }),
    );
    expect([settings.code, settings.extra.problems?.map((p) => p.path)]).toEqual(['TENANT_SETTINGS_INVALID', ['settings.locale']]);
    expect(await findTenantBySlug(services.storage.db, slug)).toBeUndefined();

    // A failure inside the transaction takes the tenant with it.
    await failure(() =>
      createTenant(
        services,
        { slug, name: 'X' },
        {
          within: async () => {
            throw new Error('the administrator could not be written');
          },
        },
      ),
    );
    expect(await findTenantBySlug(services.storage.db, slug)).toBeUndefined();
  });
});
