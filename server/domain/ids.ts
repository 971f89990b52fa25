import { randomBytes, randomUUID } from 'node:crypto';

/** Row ids and the secrets kept in clear because they must be (the tenant's HMAC keys). */
export const newId = (): string => randomUUID();

export const newSecret = (): string => randomBytes(32).toString('base64url');
