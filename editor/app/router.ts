/**
 * Routing by URL path: the server sends index.html for any page address (SPA fallback), and the shell
 * maps the path to a screen. Pure, so it is easy to read and test.
 */
export type Route =
  | { screen: 'sign-in' }
  | { screen: 'templates' }
  | { screen: 'template'; id: string }
  | { screen: 'certificates' }
  | { screen: 'delivery'; code?: string }
  | { screen: 'dashboard' }
  | { screen: 'admin'; section: AdminSection }
  | { screen: 'not-found' };

/** The tenant's administration, one section per address: /admin/settings, /admin/people, /admin/tokens, /admin/notifications. */
export const ADMIN_SECTIONS = ['settings', 'people', 'tokens', 'notifications'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];
const isSection = (s: string | undefined): s is AdminSection => (ADMIN_SECTIONS as readonly (string | undefined)[]).includes(s);

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second] = parts;
  if (parts.length === 0) return { screen: 'templates' };
  if (first === 'sign-in' && parts.length === 1) return { screen: 'sign-in' };
  if (first === 'templates' && parts.length === 1) return { screen: 'templates' };
  if (first === 'templates' && second && parts.length === 2) return { screen: 'template', id: second };
  if (first === 'certificates' && parts.length === 1) return { screen: 'certificates' };
  if (first === 'delivery' && parts.length === 1) return { screen: 'delivery' };
  if (first === 'delivery' && second && parts.length === 2) return { screen: 'delivery', code: second };
  if (first === 'dashboard' && parts.length === 1) return { screen: 'dashboard' };
  if (first === 'admin' && parts.length === 1) return { screen: 'admin', section: 'settings' };
  if (first === 'admin' && isSection(second) && parts.length === 2) return { screen: 'admin', section: second };
  return { screen: 'not-found' };
}

export const paths = {
  signIn: '/sign-in',
  templates: '/templates',
  template: (id: string) => `/templates/${encodeURIComponent(id)}`,
  certificates: '/certificates',
  delivery: '/delivery',
  dashboard: '/dashboard',
  admin: (section: AdminSection = 'settings') => `/admin/${section}`,
};
