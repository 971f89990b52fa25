import {
  badgeOfCode,
  checkCredential,
  credentialOfCode,
  issuerDidDocument,
  issuerJwks,
  rotateCredentialKey,
  statusListDocument,
} from '../../domain/badge-publishing';
import { DomainError } from '../../domain/errors';
import { verifyKnownCode } from '../../domain/verification';
import { credentialDeclarations } from '../contract/credentials';
import { bindOperations, type Operation, type Reply } from '../operation';
import { actorOf } from './util';

/** What verifiers fetch again and again changes rarely: five minutes of caching, then asked again. */
const CACHEABLE = { 'Cache-Control': 'public, max-age=300' };

const document = (value: unknown, type: string, headers: Record<string, string> = CACHEABLE): Reply => ({
  bytes: { data: new TextEncoder().encode(JSON.stringify(value)), type },
  headers,
});

function parsedJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown;
  } catch {
    throw new DomainError('malformed', 'BODY_NOT_JSON', 'The request body is not valid JSON.');
  }
}

export const credentialOperations: Operation[] = bindOperations(credentialDeclarations, {
  issuerDid: {
    errors: ['ISSUER_NOT_FOUND'],
    handler: async ({ services, params }) => document(await issuerDidDocument(services, params.tenant), 'application/did+json'),
  },
  issuerJwks: {
    errors: ['ISSUER_NOT_FOUND'],
    handler: async ({ services, params }) => document(await issuerJwks(services, params.tenant), 'application/jwk-set+json'),
  },
  statusList: {
    errors: ['ISSUER_NOT_FOUND', 'CREDENTIAL_STATUS_LIST_NOT_FOUND', 'CREDENTIALS_NEED_SECRET_KEY'],
    handler: async ({ services, params }) =>
      document(await statusListDocument(services, params.tenant, params.list), 'application/ld+json'),
  },
  documentCredential: {
    errors: ['VERIFICATION_CODE_UNKNOWN', 'CREDENTIAL_LOCKED', 'CREDENTIAL_NOT_ISSUED', 'CREDENTIAL_WITHDRAWN'],
    handler: async ({ services, params }) => {
      const c = await credentialOfCode(services, params.code);
      return {
        bytes: {
          data: new TextEncoder().encode(c.json),
          type: 'application/ld+json',
          fileName: `${c.code}.credential.json`,
          disposition: 'inline',
        },
      };
    },
  },
  documentBadge: {
    errors: ['VERIFICATION_CODE_UNKNOWN', 'CREDENTIAL_LOCKED', 'CREDENTIAL_NOT_ISSUED', 'CREDENTIAL_WITHDRAWN'],
    handler: async ({ services, params }) => {
      const b = await badgeOfCode(services, params.code);
      return { bytes: { data: b.png, type: 'image/png', fileName: `${b.code}.badge.png`, disposition: 'inline' } };
    },
  },
  verifyCredential: {
    body: { limit: 1_000_000 },
    errors: ['VERIFICATION_CODE_UNKNOWN', 'CREDENTIAL_WITHDRAWN', 'BODY_NOT_JSON'],
    handler: async ({ services, params, body }) => {
      const verification = await verifyKnownCode(services, params.code);
      return { json: { verification, credential: await checkCredential(services, params.code, parsedJson(body)) } };
    },
  },
  rotateCredentialKey: {
    errors: ['CREDENTIALS_NEED_SECRET_KEY', 'CREDENTIAL_KEY_ROTATION_CONFLICT'],
    handler: async ({ services, actor, body }) => {
      const r = await rotateCredentialKey(services, actorOf(actor), body.reason);
      const info = (k: typeof r.active) => ({
        publicKeyMultibase: k.publicKeyMultibase,
        state: k.state,
        createdAt: k.createdAt,
        retiredAt: k.retiredAt,
      });
      return { json: { did: r.did, active: info(r.active), ...(r.retired ? { retired: info(r.retired) } : {}) } };
    },
  },
});
