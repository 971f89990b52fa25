import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { describe, expect, it } from 'vitest';
import { createDocumentLoader, verifyCredential, type JsonObject } from '../../../server/domain/credentials';
import { DID_CONTEXT, MULTIKEY_CONTEXT } from '../../../server/domain/credentials/loader';
import { signWithKeyPair } from '../../../server/domain/credentials/sign';

/**
 * Published test vectors, reproduced byte for byte: a key pair and a credential give the specification's
 * proof value, so our canonicalisation, hashing and signing are the standard's and not merely
 * self-consistent.
 */

// W3C Data Integrity EdDSA Cryptosuites v1.0 (vc-di-eddsa), TestVectors/keyPair.json and
// TestVectors/eddsa-rdfc-2022/ (unsigned credential, proof options, expected signedDataInt.json).
const W3C_KEY = {
  publicKeyMultibase: 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
  secretKeyMultibase: 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq',
};
const W3C_METHOD = `did:key:${W3C_KEY.publicKeyMultibase}#${W3C_KEY.publicKeyMultibase}`;
const W3C_CREDENTIAL: JsonObject = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
  id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
  type: ['VerifiableCredential', 'AlumniCredential'],
  name: 'Alumni Credential',
  description: 'A minimum viable example of an Alumni Credential.',
  issuer: 'https://vc.example/issuers/5678',
  validFrom: '2023-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'The School of Examples' },
};
const W3C_PROOF_VALUE = 'z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme';
// The examples context is W3C's (https://www.w3.org/ns/credentials/examples/v2): one @vocab, as the
// vector's canonical N-Quads show (every example term expands under .../credentials/examples#).
const EXAMPLES_CONTEXT: JsonObject = { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } };

// 1EdTech Open Badges 3.0 Implementation Guide, "Linked Data Proof Test Vector for Open Badges 3.0"
// (ob_v3p0/impl/linked-data-proof-ob): its key pair, credential and proof value.
const OB_KEY = {
  publicKeyMultibase: 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi',
  secretKeyMultibase: 'zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx',
};
const OB_ISSUER = 'https://example.edu/issuers/565049';
const OB_METHOD = `${OB_ISSUER}#${OB_KEY.publicKeyMultibase}`;
const OB_CREDENTIAL: JsonObject = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: 'http://example.com/credentials/3527',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: OB_ISSUER, type: ['Profile'], url: 'https://www.imsglobal.org', name: 'Example Corp' },
  validFrom: '2010-01-01T00:00:00Z',
  name: 'Teamwork Badge',
  credentialSubject: {
    id: 'did:example:ebfeb1f712ebc6f1c276e12ec21',
    type: ['AchievementSubject'],
    achievement: {
      id: 'https://example.com/achievements/21st-century-skills/teamwork',
      type: ['Achievement'],
      criteria: {
        narrative: 'Team members are nominated for this badge by their peers and recognized upon review by Example Corp management.',
      },
      description: 'This badge recognizes the development of the capacity to collaborate within a group environment.',
      name: 'Teamwork',
    },
  },
};
const OB_PROOF_VALUE = 'z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr';

/** The vector's issuer as a controller document, and its key, given to the loader (nothing is fetched). */
const obIssuerDocuments = new Map<string, JsonObject>([
  [
    OB_ISSUER,
    {
      '@context': [DID_CONTEXT, MULTIKEY_CONTEXT],
      id: OB_ISSUER,
      verificationMethod: [{ id: OB_METHOD, type: 'Multikey', controller: OB_ISSUER, publicKeyMultibase: OB_KEY.publicKeyMultibase }],
      assertionMethod: [OB_METHOD],
    },
  ],
  [
    OB_METHOD,
    { '@context': MULTIKEY_CONTEXT, id: OB_METHOD, type: 'Multikey', controller: OB_ISSUER, publicKeyMultibase: OB_KEY.publicKeyMultibase },
  ],
]);

describe('published eddsa-rdfc-2022 test vectors', () => {
  it('W3C vc-di-eddsa: its key pair signs its credential into its proof value', async () => {
    const pair = await Ed25519Multikey.from({ id: W3C_METHOD, ...W3C_KEY });
    const loader = createDocumentLoader(undefined, new Map([['https://www.w3.org/ns/credentials/examples/v2', EXAMPLES_CONTEXT]]));
    const signed = await signWithKeyPair(W3C_CREDENTIAL, pair, new Date('2023-02-24T23:36:38Z'), loader);
    expect(signed.proof).toEqual({
      type: 'DataIntegrityProof',
      created: '2023-02-24T23:36:38Z',
      verificationMethod: W3C_METHOD,
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
      proofValue: W3C_PROOF_VALUE,
    });
    // The signature covers the content: one changed word gives another proof value.
    const other = await signWithKeyPair({ ...W3C_CREDENTIAL, name: 'Alumni Credentials' }, pair, new Date('2023-02-24T23:36:38Z'), loader);
    expect(other.proof.proofValue).not.toBe(W3C_PROOF_VALUE);
  });

  it('1EdTech Open Badges 3.0: its key pair signs its badge into its proof value, and the badge verifies', async () => {
    const pair = await Ed25519Multikey.from({ id: OB_METHOD, ...OB_KEY });
    const signed = await signWithKeyPair(OB_CREDENTIAL, pair, new Date('2010-01-01T19:23:24Z'));
    expect(signed.proof).toEqual({
      type: 'DataIntegrityProof',
      created: '2010-01-01T19:23:24Z',
      verificationMethod: OB_METHOD,
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
      proofValue: OB_PROOF_VALUE,
    });
    const loader = createDocumentLoader(undefined, obIssuerDocuments);
    const result = await verifyCredential(signed, { loader, now: new Date('2026-12-01T00:00:00Z') });
    expect(result).toMatchObject({ valid: true, code: 'CREDENTIAL_VALID', issuer: OB_ISSUER, status: { code: 'CREDENTIAL_STATUS_NONE' } });
    const tampered: JsonObject = { ...structuredClone(signed), name: 'Leadership Badge' };
    expect((await verifyCredential(tampered, { loader, now: new Date('2026-12-01T00:00:00Z') })).code).toBe('CREDENTIAL_PROOF_INVALID');
  });
});
