import { DomainError } from '../../domain/errors';
import { changeOwnPassword, createPerson, deletePerson, endSessions, listPeople, resetPassword, updatePerson } from '../../domain/people';
import { createToken, listTokens, revokeToken } from '../../domain/tokens';
import { getTenant, rotateLinkSecret, rotateWebhookSecret, updateTenantSettings, webhookSecret } from '../../domain/tenants';
import { listRoles, setRoleCapabilities } from '../../domain/roles';
import { signIn, signOut } from '../../domain/sessions';
import { API_PREFIX, SESSION_COOKIE } from '../contract/constants';
import { tenantDeclarations } from '../contract/tenant';
import { bindOperations, type Operation } from '../operation';
import { actorOf } from './util';

const webhookUrl = (baseUrl: string, slug: string) => `${baseUrl.replace(/\/+$/, '')}${API_PREFIX}/webhooks/${slug}/shop`;

export const tenantOperations: Operation[] = bindOperations(tenantDeclarations, {
  signIn: {
    errors: ['SIGN_IN_FAILED'],
    handler: async ({ services, body }) => {
      const s = await signIn(services, body);
      const tenant = await getTenant(services.storage.db, s.actor.tenantId);
      const a = s.actor;
      if (a.kind !== 'person') throw new DomainError('unauthenticated', 'SIGN_IN_FAILED', 'Unknown tenant, username or password.');
      return {
        json: {
          kind: 'person',
          id: a.id,
          name: a.name,
          tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
          capabilities: [...a.capabilities],
        },
        cookies: [
          { name: SESSION_COOKIE, value: s.cookie, maxAgeSeconds: Math.round((s.expiresAt.getTime() - services.now().getTime()) / 1000) },
        ],
      };
    },
  },
  signOut: {
    handler: async ({ services, sessionCookie }) => {
      if (sessionCookie) await signOut(services, sessionCookie);
      return { json: { ok: true }, cookies: [{ name: SESSION_COOKIE, value: '', maxAgeSeconds: 0 }] };
    },
  },
  me: {
    handler: async ({ services, actor }) => {
      const a = actorOf(actor);
      if (a.kind !== 'person' && a.kind !== 'token')
        throw new DomainError('unauthenticated', 'AUTHENTICATION_REQUIRED', 'Sign in, or send an API token.');
      const tenant = await getTenant(services.storage.db, a.tenantId);
      return {
        json: {
          kind: a.kind,
          id: a.id,
          name: a.name,
          tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
          capabilities: [...a.capabilities],
        },
      };
    },
  },
  changeOwnPassword: {
    errors: ['PERSON_REQUIRED', 'PASSWORD_WRONG', 'PASSWORD_TOO_SHORT'],
    handler: async ({ services, actor, body, sessionCookie }) => {
      await changeOwnPassword(services, actorOf(actor), {
        current: body.current_password,
        next: body.new_password,
        ...(sessionCookie ? { keepSession: sessionCookie } : {}),
      });
      return { status: 204 };
    },
  },
  getTenant: {
    errors: ['NOT_FOUND'],
    handler: async ({ services, actor }) => ({ json: await getTenant(services.storage.db, actorOf(actor).tenantId) }),
  },
  updateTenantSettings: {
    errors: ['TENANT_SETTINGS_INVALID'],
    handler: async ({ services, actor, body }) => ({ json: await updateTenantSettings(services, actorOf(actor), body) }),
  },
  getWebhookSecret: {
    handler: async ({ services, actor }) => {
      const a = actorOf(actor);
      const tenant = await getTenant(services.storage.db, a.tenantId);
      return { json: { secret: await webhookSecret(services, a), url: webhookUrl(services.baseUrl, tenant.slug) } };
    },
  },
  rotateWebhookSecret: {
    handler: async ({ services, actor }) => {
      const a = actorOf(actor);
      const secret = await rotateWebhookSecret(services, a);
      const tenant = await getTenant(services.storage.db, a.tenantId);
      return { json: { secret, url: webhookUrl(services.baseUrl, tenant.slug) } };
    },
  },
  rotateLinkSecret: {
    handler: async ({ services, actor }) => ({ json: await rotateLinkSecret(services, actorOf(actor)) }),
  },
  listPeople: {
    handler: async ({ services, actor }) => ({ json: await listPeople(services, actorOf(actor)) }),
  },
  createPerson: {
    errors: ['USERNAME_INVALID', 'PASSWORD_TOO_SHORT', 'ROLE_UNKNOWN', 'ROLE_NOT_HELD', 'PERSON_EXISTS'],
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
  },
  updatePerson: {
    errors: ['PERSON_NOT_FOUND', 'PERSON_IS_YOU', 'PERSON_OUTRANKS_YOU', 'ROLE_UNKNOWN', 'ROLE_NOT_HELD'],
    handler: async ({ services, actor, params, body }) => ({
      json: await updatePerson(services, actorOf(actor), params.id, {
        ...(body.display_name !== undefined ? { displayName: body.display_name } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.roles !== undefined ? { roles: body.roles } : {}),
        ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      }),
    }),
  },
  deletePerson: {
    errors: ['PERSON_NOT_FOUND', 'PERSON_IS_YOU', 'PERSON_OUTRANKS_YOU'],
    handler: async ({ services, actor, params }) => {
      await deletePerson(services, actorOf(actor), params.id);
      return { status: 204 };
    },
  },
  resetPassword: {
    errors: ['PERSON_NOT_FOUND', 'PERSON_IS_YOU', 'PERSON_OUTRANKS_YOU', 'PASSWORD_TOO_SHORT'],
    handler: async ({ services, actor, params, body }) => {
      await resetPassword(services, actorOf(actor), params.id, body.password);
      return { status: 204 };
    },
  },
  endSessions: {
    errors: ['PERSON_NOT_FOUND', 'PERSON_IS_YOU', 'PERSON_OUTRANKS_YOU'],
    handler: async ({ services, actor, params }) => ({ json: { ended: await endSessions(services, actorOf(actor), params.id) } }),
  },
  listRoles: {
    handler: async ({ services, actor }) => ({ json: await listRoles(services, actorOf(actor)) }),
  },
  setRole: {
    errors: ['ROLE_CAPABILITIES_INVALID', 'ROLE_OUTRANKS_YOU'],
    handler: async ({ services, actor, params, body }) => ({
      json: await setRoleCapabilities(services, actorOf(actor), params.name, body.capabilities),
    }),
  },
  listTokens: {
    handler: async ({ services, actor }) => ({ json: await listTokens(services, actorOf(actor)) }),
  },
  createToken: {
    errors: ['TOKEN_CAPABILITIES_INVALID', 'TOKEN_EXPIRY_INVALID'],
    handler: async ({ services, actor, body }) => ({
      status: 201,
      json: await createToken(services, actorOf(actor), {
        name: body.name,
        capabilities: body.capabilities,
        ...(body.expires_at !== undefined ? { expiresAt: body.expires_at } : {}),
      }),
    }),
  },
  revokeToken: {
    errors: ['NOT_FOUND'],
    handler: async ({ services, actor, params }) => {
      await revokeToken(services, actorOf(actor), params.id);
      return { status: 204 };
    },
  },
});
