export type { EmbeddableFont, GlyphPlacement } from './types';
export type { FontFace, FontStyle, FaceDescriptor } from './face';
export { parseFace, sniffFormat } from './face';
export { FontLibrary, familyKey } from './library';
export { BUNDLED_FAMILIES, GLOBAL_FALLBACK } from './bundled';
export { resolveRoles, DEFAULT_ROLES } from './roles';
export type { FontRoles, FontRole, FontRoleSpec } from './roles';
