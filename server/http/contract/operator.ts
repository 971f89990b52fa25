import { z } from 'zod';
import { TenantSettings } from '../../domain/settings';
import { declareOperations } from './declaration';
import { Person, Tenant } from './schemas';
import { Password } from './tenant';

/**
 * The operator's operations: a hosting provider provisions a site's tenant and its first administrator
 * without a shell. Only an operator token (`atop_…`, made with `attest operator token create`) opens them;
 * a tenant's token or session is refused here, and an operator token is refused everywhere else.
 */

/** A tenant slug, as server/domain/tenants.ts checks it. */
const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/);

/**
 * The settings a new tenant is given: each one the tenant settings know, optional and without its default
 * (defaults are filled by the domain, in the tenant's language), so every problem is named with its path.
 */
const SettingsGiven = z
  .object(
    Object.fromEntries(
      Object.entries(TenantSettings.shape).map(([name, schema]) => {
        const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
        return [name, (schema.description ? inner.describe(schema.description) : inner).optional()];
      }),
    ),
  )
  .strict();

const TenantParam = z.object({ tenant: z.string().min(1).max(63) }).strict();

const OPERATOR = `-H "Authorization: Bearer $OPERATOR_TOKEN"`;

export const operatorDeclarations = declareOperations({
  operatorCreateTenant: {
    method: 'post',
    path: '/operator/tenants',
    tag: 'Operator',
    summary:
      'Provision a tenant (one per LMS site) with its settings and its first administrator (role admin). The password is the one given or one made and answered once (`password`). Operator token only.',
    access: { operator: true },
    body: {
      json: z
        .object({
          slug: Slug.describe('Short name used in addresses: 2 to 63 lowercase letters, digits or dashes.'),
          name: z.string().min(1).max(200),
          settings: SettingsGiven.optional(),
          admin: z
            .object({
              username: z
                .string()
                .regex(/^[\p{L}\p{N}._@-]{1,100}$/u)
                .describe('1 to 100 letters, digits, dots, dashes, underscores or @.'),
              display_name: z.string().min(1).max(200),
              email: z.email().max(300).optional(),
              password: Password.optional().describe('At least 12 characters; left out, one is made and answered once.'),
            })
            .strict(),
        })
        .strict(),
    },
    responses: {
      201: z.object({
        tenant: Tenant,
        admin: Person,
        password: z.string().optional().describe('The administrator’s password when it was made here: shown this once, never again.'),
      }),
    },
    example: `curl -X POST "$BASE/api/v1/operator/tenants" ${OPERATOR} -H 'Content-Type: application/json' -d '{"slug":"campus-nord","name":"Campus Nord","settings":{"locale":"fr"},"admin":{"username":"claire","display_name":"Claire Dubois"}}'`,
  },
  operatorListTenants: {
    method: 'get',
    path: '/operator/tenants',
    tag: 'Operator',
    summary: 'Every tenant of the installation and its settings. Operator token only.',
    access: { operator: true },
    responses: { 200: z.array(Tenant) },
    example: `curl "$BASE/api/v1/operator/tenants" ${OPERATOR}`,
  },
  operatorGetTenant: {
    method: 'get',
    path: '/operator/tenants/:tenant',
    tag: 'Operator',
    summary: 'One tenant, by slug, and its settings. Operator token only.',
    access: { operator: true },
    params: TenantParam,
    responses: { 200: Tenant },
    example: `curl "$BASE/api/v1/operator/tenants/campus-nord" ${OPERATOR}`,
  },
  operatorUpdateTenantSettings: {
    method: 'patch',
    path: '/operator/tenants/:tenant/settings',
    tag: 'Operator',
    summary:
      'Change a tenant’s settings (merged with the current ones), as its managers can; recorded in its audit as the operator. Operator token only.',
    access: { operator: true },
    params: TenantParam,
    body: { json: z.record(z.string(), z.unknown()) },
    responses: { 200: Tenant },
    example: `curl -X PATCH "$BASE/api/v1/operator/tenants/campus-nord/settings" ${OPERATOR} -H 'Content-Type: application/json' -d '{"delivery_lock":true}'`,
  },
});
