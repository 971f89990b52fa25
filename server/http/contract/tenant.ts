import { z } from 'zod';
import { CSRF_HEADER } from './constants';
import { declareOperations } from './declaration';
import { IdParam, Me, Ok, Person, Role, Tenant, TokenInfo } from './schemas';

/** The length rules of a password (people.ts checkPassword says the same). */
export const Password = z.string().min(12).max(1000);

export const tenantDeclarations = declareOperations({
  signIn: {
    method: 'post',
    path: '/session',
    tag: 'Session',
    summary: 'Sign a person in: sets an httpOnly, SameSite=Strict session cookie. Rate-limited per address.',
    access: { public: true },
    body: {
      json: z
        .object({ tenant: z.string().min(1).max(63), username: z.string().min(1).max(100), password: z.string().min(1).max(1000) })
        .strict(),
    },
    responses: { 200: Me },
    example: `curl -c cookies.txt -X POST "$BASE/api/v1/session" -H 'Content-Type: application/json' -d '{"tenant":"demo","username":"admin","password":"…"}'`,
  },
  signOut: {
    method: 'delete',
    path: '/session',
    tag: 'Session',
    summary: 'End the session.',
    access: { public: true },
    responses: { 200: Ok },
    example: `curl -b cookies.txt -X DELETE "$BASE/api/v1/session"`,
  },
  me: {
    method: 'get',
    path: '/me',
    tag: 'Session',
    summary: 'Who is calling, in which tenant, with which capabilities.',
    access: { authenticated: true, capabilities: [] },
    responses: { 200: Me },
    example: `curl "$BASE/api/v1/me" -H "Authorization: Bearer $TOKEN"`,
  },
  changeOwnPassword: {
    method: 'put',
    path: '/me/password',
    tag: 'Session',
    summary: 'Change your own password, giving the current one; your other sessions end, this one stays.',
    access: { authenticated: true, capabilities: [] },
    body: { json: z.object({ current_password: z.string().min(1).max(1000), new_password: Password }).strict() },
    responses: { 204: z.undefined() },
    example: `curl -b cookies.txt -X PUT "$BASE/api/v1/me/password" -H '${CSRF_HEADER}: 1' -H 'Content-Type: application/json' -d '{"current_password":"…","new_password":"…"}'`,
  },
  getTenant: {
    method: 'get',
    path: '/tenant',
    tag: 'Tenant',
    summary: 'The tenant and its settings (completion tracking, delivery lock, locale, verification page).',
    access: { capability: 'tenant:manage' },
    responses: { 200: Tenant },
    example: `curl "$BASE/api/v1/tenant" -H "Authorization: Bearer $TOKEN"`,
  },
  updateTenantSettings: {
    method: 'patch',
    path: '/tenant/settings',
    tag: 'Tenant',
    summary: 'Change tenant settings (merged with the current ones; a setting sent as null goes back to its default, or to none).',
    access: { capability: 'tenant:manage' },
    body: { json: z.record(z.string(), z.unknown()) },
    responses: { 200: Tenant },
    example: `curl -X PATCH "$BASE/api/v1/tenant/settings" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"delivery_lock":true}'`,
  },
  getWebhookSecret: {
    method: 'get',
    path: '/tenant/webhook-secret',
    tag: 'Tenant',
    summary: 'The secret the shop signs its webhooks with.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.object({ secret: z.string(), url: z.string() }) },
    example: `curl "$BASE/api/v1/tenant/webhook-secret" -H "Authorization: Bearer $TOKEN"`,
  },
  rotateWebhookSecret: {
    method: 'post',
    path: '/tenant/webhook-secret/rotate',
    tag: 'Tenant',
    summary: 'Replace the webhook secret at once: deliveries signed with the old one are refused from now on; give the shop the new one.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.object({ secret: z.string(), url: z.string() }) },
    example: `curl -X POST "$BASE/api/v1/tenant/webhook-secret/rotate" -H "Authorization: Bearer $TOKEN"`,
  },
  rotateLinkSecret: {
    method: 'post',
    path: '/tenant/link-secret/rotate',
    tag: 'Tenant',
    summary:
      'Replace the key of download links: every link handed out before stops working (learners ask for new ones). For a leaked link or key.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.object({ rotatedAt: z.string() }) },
    example: `curl -X POST "$BASE/api/v1/tenant/link-secret/rotate" -H "Authorization: Bearer $TOKEN"`,
  },
  listPeople: {
    method: 'get',
    path: '/people',
    tag: 'Tenant',
    summary: 'People of the tenant and their roles.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.array(Person) },
    example: `curl "$BASE/api/v1/people" -H "Authorization: Bearer $TOKEN"`,
  },
  createPerson: {
    method: 'post',
    path: '/people',
    tag: 'Tenant',
    summary: 'Add a person with roles (and a password to sign in to the editor). Only roles whose capabilities you hold.',
    access: { capability: 'tenant:manage' },
    body: {
      json: z
        .object({
          username: z.string().min(1).max(100),
          display_name: z.string().min(1).max(200),
          email: z.email().max(300).optional(),
          password: Password.optional(),
          roles: z.array(z.string().max(63)).max(20),
        })
        .strict(),
    },
    idempotent: true,
    responses: { 201: Person },
    example: `curl -X POST "$BASE/api/v1/people" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"username":"j.moreau","display_name":"Julien Moreau","roles":["teacher"]}'`,
  },
  updatePerson: {
    method: 'patch',
    path: '/people/:id',
    tag: 'Tenant',
    summary:
      'Change a person: name, email, roles (only roles whose capabilities you hold), or disable them (their sessions end at once; enable again with false). Not someone holding capabilities you do not.',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    body: {
      json: z
        .object({
          display_name: z.string().min(1).max(200).optional(),
          email: z.email().max(300).nullable().optional(),
          roles: z.array(z.string().max(63)).max(20).optional(),
          disabled: z.boolean().optional(),
        })
        .strict(),
    },
    responses: { 200: Person },
    example: `curl -X PATCH "$BASE/api/v1/people/$PERSON" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"disabled":true}'`,
  },
  deletePerson: {
    method: 'delete',
    path: '/people/:id',
    tag: 'Tenant',
    summary:
      'Delete a person: name, email, password and roles are removed and their sessions end; the username stays taken, so nobody else becomes the learner of their documents.',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    responses: { 204: z.undefined() },
    example: `curl -X DELETE "$BASE/api/v1/people/$PERSON" -H "Authorization: Bearer $TOKEN"`,
  },
  resetPassword: {
    method: 'put',
    path: '/people/:id/password',
    tag: 'Tenant',
    summary: 'Set another person’s password (they forgot theirs); all their sessions end.',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    body: { json: z.object({ password: Password }).strict() },
    responses: { 204: z.undefined() },
    example: `curl -X PUT "$BASE/api/v1/people/$PERSON/password" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"password":"…"}'`,
  },
  endSessions: {
    method: 'delete',
    path: '/people/:id/sessions',
    tag: 'Tenant',
    summary: 'Sign a person out everywhere (a lost laptop, a shared computer).',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    responses: { 200: z.object({ ended: z.number().int() }) },
    example: `curl -X DELETE "$BASE/api/v1/people/$PERSON/sessions" -H "Authorization: Bearer $TOKEN"`,
  },
  listRoles: {
    method: 'get',
    path: '/roles',
    tag: 'Tenant',
    summary: 'Roles and the capabilities they grant.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.array(Role) },
    example: `curl "$BASE/api/v1/roles" -H "Authorization: Bearer $TOKEN"`,
  },
  setRole: {
    method: 'put',
    path: '/roles/:name',
    tag: 'Tenant',
    summary:
      'Set the capabilities a role grants (creates the role if needed): only capabilities you hold, and not a role granting some you do not.',
    access: { capability: 'tenant:manage' },
    params: z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/) }).strict(),
    body: { json: z.object({ capabilities: z.array(z.string().max(63)).max(50) }).strict() },
    responses: { 200: Role },
    example: `curl -X PUT "$BASE/api/v1/roles/manager" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"capabilities":["issues:manage","issues:unlock"]}'`,
  },
  listTokens: {
    method: 'get',
    path: '/tokens',
    tag: 'Tenant',
    summary: 'API tokens (never their secrets).',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.array(TokenInfo) },
    example: `curl "$BASE/api/v1/tokens" -H "Authorization: Bearer $TOKEN"`,
  },
  createToken: {
    method: 'post',
    path: '/tokens',
    tag: 'Tenant',
    summary:
      'Create an API token carrying a subset of your capabilities, optionally until a date (a token made by a token expires no later than it); its secret is shown once.',
    access: { capability: 'tenant:manage' },
    body: {
      json: z
        .object({
          name: z.string().min(1).max(200),
          capabilities: z.array(z.string().max(63)).min(1).max(50),
          expires_at: z.iso.datetime({ offset: true }).optional(),
        })
        .strict(),
    },
    responses: { 201: z.object({ token: z.string(), info: TokenInfo }) },
    example: `curl -X POST "$BASE/api/v1/tokens" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"Moodle","capabilities":["certificate:view","certificate:apply","certificate:retrieve-own"]}'`,
  },
  revokeToken: {
    method: 'delete',
    path: '/tokens/:id',
    tag: 'Tenant',
    summary: 'Revoke an API token at once, with every token made with it (and those made with them).',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    responses: { 204: z.undefined() },
    example: `curl -X DELETE "$BASE/api/v1/tokens/$TOKEN_ID" -H "Authorization: Bearer $TOKEN"`,
  },
});
