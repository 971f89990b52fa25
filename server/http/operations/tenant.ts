import { z } from 'zod';
import { DomainError } from '../../domain/errors';
import { changeOwnPassword, createPerson, deletePerson, endSessions, listPeople, resetPassword, updatePerson } from '../../domain/people';
import { createToken, listTokens, revokeToken } from '../../domain/tokens';
import { getTenant, rotateLinkSecret, rotateWebhookSecret, updateTenantSettings, webhookSecret } from '../../domain/tenants';
import { listRoles, setRoleCapabilities } from '../../domain/roles';
import { signIn, signOut } from '../../domain/sessions';
import { SESSION_COOKIE } from '../cookies';
import { operation, type Operation } from '../operation';
import { IdParam, Me, Ok, Person, Role, Tenant, TokenInfo } from '../schemas';
import { actorOf } from './util';

const Password = z.string().min(12).max(1000);
const webhookUrl = (baseUrl: string, slug: string) => `${baseUrl.replace(/\/+$/, '')}/api/v1/webhooks/${slug}/shop`;

export const tenantOperations: Operation[] = [
  operation({
    id: 'signIn',
    method: 'post',
    path: '/session',
    tag: 'Session',
    summary: 'Sign a person in: sets an httpOnly, SameSite=Strict session cookie. Rate-limited per address.',
    access: { public: true },
    body: { json: z.object({ tenant: z.string().min(1).max(63), username: z.string().min(1).max(100), password: z.string().min(1).max(1000) }).strict() },
    errors: ['SIGN_IN_FAILED'],
    responses: { 200: Me },
    example: `curl -c cookies.txt -X POST "$BASE/api/v1/session" -H 'Content-Type: application/json' -d '{"tenant":"demo","username":"admin","password":"…"}'`,
    handler: async ({ services, body }) => {
      const s = await signIn(services, body);
      const tenant = await getTenant(services.storage.db, s.actor.tenantId);
      const a = s.actor;
      if (a.kind !== 'person') throw new DomainError('unauthenticated', 'SIGN_IN_FAILED', 'Unknown tenant, username or password.');
      return {
        json: { kind: 'person', id: a.id, name: a.name, tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, capabilities: [...a.capabilities] },
        cookies: [{ name: SESSION_COOKIE, value: s.cookie, maxAgeSeconds: Math.round((s.expiresAt.getTime() - services.now().getTime()) / 1000) }],
      };
    },
  }),
  operation({
    id: 'signOut',
    method: 'delete',
    path: '/session',
    tag: 'Session',
    summary: 'End the session.',
    access: { public: true },
    responses: { 200: Ok },
    example: `curl -b cookies.txt -X DELETE "$BASE/api/v1/session"`,
    handler: async ({ services, sessionCookie }) => {
      if (sessionCookie) await signOut(services, sessionCookie);
      return { json: { ok: true }, cookies: [{ name: SESSION_COOKIE, value: '', maxAgeSeconds: 0 }] };
    },
  }),
  operation({
    id: 'me',
    method: 'get',
    path: '/me',
    tag: 'Session',
    summary: 'Who is calling, in which tenant, with which capabilities.',
    access: { authenticated: true, capabilities: [] },
    responses: { 200: Me },
    example: `curl "$BASE/api/v1/me" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor }) => {
      const a = actorOf(actor);
      if (a.kind !== 'person' && a.kind !== 'token') throw new DomainError('unauthenticated', 'AUTHENTICATION_REQUIRED', 'Sign in, or send an API token.');
      const tenant = await getTenant(services.storage.db, a.tenantId);
      return { json: { kind: a.kind, id: a.id, name: a.name, tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, capabilities: [...a.capabilities] } };
    },
  }),
  operation({
    id: 'changeOwnPassword',
    method: 'put',
    path: '/me/password',
    tag: 'Session',
    summary: 'Change your own password, giving the current one; your other sessions end, this one stays.',
    access: { authenticated: true, capabilities: [] },
    body: { json: z.object({ current_password: z.string().min(1).max(1000), new_password: Password }).strict() },
    errors: ['PERSON_REQUIRED', 'PASSWORD_WRONG', 'PASSWORD_TOO_SHORT'],
    responses: { 204: z.undefined() },
    example: `curl -b cookies.txt -X PUT "$BASE/api/v1/me/password" -H 'x-attest-csrf: 1' -H 'Content-Type: application/json' -d '{"current_password":"…","new_password":"…"}'`,
    handler: async ({ services, actor, body, sessionCookie }) => {
      await changeOwnPassword(services, actorOf(actor), { current: body.current_password, next: body.new_password, ...(sessionCookie ? { keepSession: sessionCookie } : {}) });
      return { status: 204 };
    },
  }),
  operation({
    id: 'getTenant',
    method: 'get',
    path: '/tenant',
    tag: 'Tenant',
    summary: 'The tenant and its settings (completion tracking, delivery lock, locale, verification page).',
    access: { capability: 'tenant:manage' },
    errors: ['NOT_FOUND'],
    responses: { 200: Tenant },
    example: `curl "$BASE/api/v1/tenant" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor }) => ({ json: await getTenant(services.storage.db, actorOf(actor).tenantId) }),
  }),
  operation({
    id: 'updateTenantSettings',
    method: 'patch',
    path: '/tenant/settings',
    tag: 'Tenant',
    summary: 'Change tenant settings (merged with the current ones).',
    access: { capability: 'tenant:manage' },
    body: { json: z.record(z.string(), z.unknown()) },
    errors: ['TENANT_SETTINGS_INVALID'],
    responses: { 200: Tenant },
    example: `curl -X PATCH "$BASE/api/v1/tenant/settings" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"delivery_lock":true}'`,
    handler: async ({ services, actor, body }) => ({ json: await updateTenantSettings(services, actorOf(actor), body) }),
  }),
  operation({
    id: 'getWebhookSecret',
    method: 'get',
    path: '/tenant/webhook-secret',
    tag: 'Tenant',
    summary: 'The secret the shop signs its webhooks with.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.object({ secret: z.string(), url: z.string() }) },
    example: `curl "$BASE/api/v1/tenant/webhook-secret" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor }) => {
      const a = actorOf(actor);
      const tenant = await getTenant(services.storage.db, a.tenantId);
      return { json: { secret: await webhookSecret(services, a), url: webhookUrl(services.baseUrl, tenant.slug) } };
    },
  }),
  operation({
    id: 'rotateWebhookSecret',
    method: 'post',
    path: '/tenant/webhook-secret/rotate',
    tag: 'Tenant',
    summary: 'Replace the webhook secret at once: deliveries signed with the old one are refused from now on; give the shop the new one.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.object({ secret: z.string(), url: z.string() }) },
    example: `curl -X POST "$BASE/api/v1/tenant/webhook-secret/rotate" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor }) => {
      const a = actorOf(actor);
      const secret = await rotateWebhookSecret(services, a);
      const tenant = await getTenant(services.storage.db, a.tenantId);
      return { json: { secret, url: webhookUrl(services.baseUrl, tenant.slug) } };
    },
  }),
  operation({
    id: 'rotateLinkSecret',
    method: 'post',
    path: '/tenant/link-secret/rotate',
    tag: 'Tenant',
    summary: 'Replace the key of download links: every link handed out before stops working (learners ask for new ones). For a leaked link or key.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.object({ rotatedAt: z.string() }) },
    example: `curl -X POST "$BASE/api/v1/tenant/link-secret/rotate" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor }) => ({ json: await rotateLinkSecret(services, actorOf(actor)) }),
  }),
  operation({
    id: 'listPeople',
    method: 'get',
    path: '/people',
    tag: 'Tenant',
    summary: 'People of the tenant and their roles.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.array(Person) },
    example: `curl "$BASE/api/v1/people" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor }) => ({ json: await listPeople(services, actorOf(actor)) }),
  }),
  operation({
    id: 'createPerson',
    method: 'post',
    path: '/people',
    tag: 'Tenant',
    summary: 'Add a person with roles (and a password to sign in to the editor). Only roles whose capabilities you hold.',
    access: { capability: 'tenant:manage' },
    body: {
      json: z
        .object({ username: z.string().min(1).max(100), display_name: z.string().min(1).max(200), email: z.email().max(300).optional(), password: Password.optional(), roles: z.array(z.string().max(63)).max(20) })
        .strict(),
    },
    idempotent: true,
    errors: ['USERNAME_INVALID', 'PASSWORD_TOO_SHORT', 'ROLE_UNKNOWN', 'ROLE_NOT_HELD', 'PERSON_EXISTS'],
    responses: { 201: Person },
    example: `curl -X POST "$BASE/api/v1/people" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"username":"j.moreau","display_name":"Julien Moreau","roles":["teacher"]}'`,
    handler: async ({ services, actor, body }) => ({
      status: 201,
      json: await createPerson(services, actorOf(actor), {
        username: body.username,
        displayName: body.display_name,
        roles: body.roles,
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.password !== undefined ? { password: body.password } : {}),
      }),
    }),
  }),
  operation({
    id: 'updatePerson',
    method: 'patch',
    path: '/people/:id',
    tag: 'Tenant',
    summary: 'Change a person: name, email, roles (only roles whose capabilities you hold), or disable them (their sessions end at once; enable again with false). Not someone holding capabilities you do not.',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    body: {
      json: z
        .object({ display_name: z.string().min(1).max(200).optional(), email: z.email().max(300).nullable().optional(), roles: z.array(z.string().max(63)).max(20).optional(), disabled: z.boolean().optional() })
        .strict(),
    },
    errors: ['PERSON_NOT_FOUND', 'PERSON_IS_YOU', 'PERSON_OUTRANKS_YOU', 'ROLE_UNKNOWN', 'ROLE_NOT_HELD'],
    responses: { 200: Person },
    example: `curl -X PATCH "$BASE/api/v1/people/$PERSON" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"disabled":true}'`,
    handler: async ({ services, actor, params, body }) => ({
      json: await updatePerson(services, actorOf(actor), params.id, {
        ...(body.display_name !== undefined ? { displayName: body.display_name } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.roles !== undefined ? { roles: body.roles } : {}),
        ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      }),
    }),
  }),
  operation({
    id: 'deletePerson',
    method: 'delete',
    path: '/people/:id',
    tag: 'Tenant',
    summary: 'Delete a person: name, email, password and roles are removed and their sessions end; the username stays taken, so nobody else becomes the learner of their documents.',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    errors: ['PERSON_NOT_FOUND', 'PERSON_IS_YOU', 'PERSON_OUTRANKS_YOU'],
    responses: { 204: z.undefined() },
    example: `curl -X DELETE "$BASE/api/v1/people/$PERSON" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor, params }) => {
      await deletePerson(services, actorOf(actor), params.id);
      return { status: 204 };
    },
  }),
  operation({
    id: 'resetPassword',
    method: 'put',
    path: '/people/:id/password',
    tag: 'Tenant',
    summary: 'Set another person’s password (they forgot theirs); all their sessions end.',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    body: { json: z.object({ password: Password }).strict() },
    errors: ['PERSON_NOT_FOUND', 'PERSON_IS_YOU', 'PERSON_OUTRANKS_YOU', 'PASSWORD_TOO_SHORT'],
    responses: { 204: z.undefined() },
    example: `curl -X PUT "$BASE/api/v1/people/$PERSON/password" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"password":"…"}'`,
    handler: async ({ services, actor, params, body }) => {
      await resetPassword(services, actorOf(actor), params.id, body.password);
      return { status: 204 };
    },
  }),
  operation({
    id: 'endSessions',
    method: 'delete',
    path: '/people/:id/sessions',
    tag: 'Tenant',
    summary: 'Sign a person out everywhere (a lost laptop, a shared computer).',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    errors: ['PERSON_NOT_FOUND', 'PERSON_IS_YOU', 'PERSON_OUTRANKS_YOU'],
    responses: { 200: z.object({ ended: z.number().int() }) },
    example: `curl -X DELETE "$BASE/api/v1/people/$PERSON/sessions" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor, params }) => ({ json: { ended: await endSessions(services, actorOf(actor), params.id) } }),
  }),
  operation({
    id: 'listRoles',
    method: 'get',
    path: '/roles',
    tag: 'Tenant',
    summary: 'Roles and the capabilities they grant.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.array(Role) },
    example: `curl "$BASE/api/v1/roles" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor }) => ({ json: await listRoles(services, actorOf(actor)) }),
  }),
  operation({
    id: 'setRole',
    method: 'put',
    path: '/roles/:name',
    tag: 'Tenant',
    summary: 'Set the capabilities a role grants (creates the role if needed): only capabilities you hold, and not a role granting some you do not.',
    access: { capability: 'tenant:manage' },
    params: z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/) }).strict(),
    body: { json: z.object({ capabilities: z.array(z.string().max(63)).max(50) }).strict() },
    errors: ['ROLE_CAPABILITIES_INVALID', 'ROLE_OUTRANKS_YOU'],
    responses: { 200: Role },
    example: `curl -X PUT "$BASE/api/v1/roles/manager" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"capabilities":["issues:manage","issues:unlock"]}'`,
    handler: async ({ services, actor, params, body }) => ({ json: await setRoleCapabilities(services, actorOf(actor), params.name, body.capabilities) }),
  }),
  operation({
    id: 'listTokens',
    method: 'get',
    path: '/tokens',
    tag: 'Tenant',
    summary: 'API tokens (never their secrets).',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.array(TokenInfo) },
    example: `curl "$BASE/api/v1/tokens" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor }) => ({ json: await listTokens(services, actorOf(actor)) }),
  }),
  operation({
    id: 'createToken',
    method: 'post',
    path: '/tokens',
    tag: 'Tenant',
    summary: 'Create an API token carrying a subset of your capabilities, optionally until a date (a token made by a token expires no later than it); its secret is shown once.',
    access: { capability: 'tenant:manage' },
    body: { json: z.object({ name: z.string().min(1).max(200), capabilities: z.array(z.string().max(63)).min(1).max(50), expires_at: z.iso.datetime({ offset: true }).optional() }).strict() },
    errors: ['TOKEN_CAPABILITIES_INVALID', 'TOKEN_EXPIRY_INVALID'],
    responses: { 201: z.object({ token: z.string(), info: TokenInfo }) },
    example: `curl -X POST "$BASE/api/v1/tokens" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"Moodle","capabilities":["certificate:view","certificate:apply","certificate:retrieve-own"]}'`,
    handler: async ({ services, actor, body }) => ({
      status: 201,
      json: await createToken(services, actorOf(actor), { name: body.name, capabilities: body.capabilities, ...(body.expires_at !== undefined ? { expiresAt: body.expires_at } : {}) }),
    }),
  }),
  operation({
    id: 'revokeToken',
    method: 'delete',
    path: '/tokens/:id',
    tag: 'Tenant',
    summary: 'Revoke an API token at once, with every token made with it (and those made with them).',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    errors: ['NOT_FOUND'],
    responses: { 204: z.undefined() },
    example: `curl -X DELETE "$BASE/api/v1/tokens/$TOKEN_ID" -H "Authorization: Bearer $TOKEN"`,
    handler: async ({ services, actor, params }) => {
      await revokeToken(services, actorOf(actor), params.id);
      return { status: 204 };
    },
  }),
];
