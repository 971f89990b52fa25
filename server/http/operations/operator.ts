import { DomainError } from '../../domain/errors';
import { operatorTenant, operatorTenants, provisionTenant, updateOperatorTenantSettings, type Operator } from '../../domain/operators';
import { operatorDeclarations } from '../contract/operator';
import { bindOperations, type Operation } from '../operation';

/** Operator operations always have an operator: the adapter refuses anyone else before. */
function operatorOf(operator: Operator | undefined): Operator {
  if (!operator) throw new DomainError('forbidden', 'OPERATOR_REQUIRED', 'Only the operator token opens this operation.');
  return operator;
}

export const operatorOperations: Operation[] = bindOperations(operatorDeclarations, {
  operatorCreateTenant: {
    errors: ['TENANT_SLUG_INVALID', 'TENANT_SETTINGS_INVALID', 'TENANT_EXISTS', 'USERNAME_INVALID', 'PASSWORD_TOO_SHORT'],
    handler: async ({ services, operator, body }) => ({
      status: 201,
      json: await provisionTenant(services, operatorOf(operator), {
        slug: body.slug,
        name: body.name,
        ...(body.settings !== undefined ? { settings: body.settings } : {}),
        admin: {
          username: body.admin.username,
          displayName: body.admin.display_name,
          ...(body.admin.email !== undefined ? { email: body.admin.email } : {}),
          ...(body.admin.password !== undefined ? { password: body.admin.password } : {}),
        },
      }),
    }),
  },
  operatorListTenants: {
    handler: async ({ services, operator }) => ({ json: await operatorTenants(services, operatorOf(operator)) }),
  },
  operatorGetTenant: {
    errors: ['TENANT_NOT_FOUND'],
    handler: async ({ services, operator, params }) => ({ json: await operatorTenant(services, operatorOf(operator), params.tenant) }),
  },
  operatorUpdateTenantSettings: {
    errors: ['TENANT_NOT_FOUND', 'TENANT_SETTINGS_INVALID'],
    handler: async ({ services, operator, params, body }) => ({
      json: await updateOperatorTenantSettings(services, operatorOf(operator), params.tenant, body),
    }),
  },
});
