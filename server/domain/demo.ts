import { randomBytes } from 'node:crypto';
import type { Actor, Services } from './context';
import { createCertificate } from './certificates';
import { createTemplate, exampleTemplates, publishTemplate } from './templates';
import { createAdministrator, createPerson } from './people';
import { createTenant, findTenantBySlug, type Tenant } from './tenants';
import { createToken } from './tokens';

/**
 * The tenant a fresh installation starts with, so `npm start` shows something real: the bundled example
 * templates published, one certificate each, a teacher and a signatory to print. The administrator's
 * password and an LMS token are returned once, to be printed once; only their hashes are kept.
 */
export interface DemoSeed {
  tenant: Tenant;
  admin: { username: string; password: string };
  lmsToken: string;
  certificates: { id: string; name: string }[];
}

export async function seedDemoTenant(services: Services, slug = 'demo'): Promise<DemoSeed | undefined> {
  if (await findTenantBySlug(services.storage.db, slug)) return undefined;
  const tenant = await createTenant(services, {
    slug,
    name: 'Démo — Institut Exemple',
    settings: {
      locale: 'fr',
      completion_tracking: true,
      delivery_lock: false,
      organization: { name: 'Institut Exemple', address: '12 rue des Écoles, 69002 Lyon' },
    },
  });
  const system: Actor = { kind: 'system', tenantId: tenant.id };
  const password = randomBytes(12).toString('base64url');
  await createAdministrator(services, tenant.id, 'admin', password);
  await createPerson(services, system, { username: 'julien.moreau', displayName: 'Julien Moreau', roles: ['teacher'] });
  await createPerson(services, system, { username: 'claire.dubois', displayName: 'Claire Dubois', roles: ['signatory'] });
  const certificates: DemoSeed['certificates'] = [];
  for (const [i, example] of exampleTemplates().entries()) {
    const template = await createTemplate(services, system, { example: example.id });
    const { version } = await publishTemplate(services, system, template.id);
    const certificate = await createCertificate(services, system, {
      name: example.name,
      templateVersionId: version.id,
      courseId: `course-${i + 1}`,
      settings: { delivery: 'download', validity_days: 3 * 365 },
    });
    certificates.push({ id: certificate.id, name: certificate.name });
  }
  const { token } = await createToken(services, system, {
    name: 'Demo LMS',
    capabilities: ['certificate:view', 'certificate:apply', 'learners:supply-data', 'certificate:retrieve-own', 'issues:manage'],
  });
  return { tenant, admin: { username: 'admin', password }, lmsToken: token, certificates };
}
