import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeIssuerKey,
  buildCredential,
  createDocumentLoader,
  credentialJwt,
  didDocument,
  identityHash,
  issueCredential,
  issuerKeys,
  jwks,
  LIST_SIZE,
  rotateIssuerKey,
  saltFor,
  setRevoked,
  signCredential,
  statusListCredential,
  statusListUrl,
  statusSlot,
  storedDidResolver,
  storedStatusLists,
  tenantDid,
  verifyCredential,
  verifyCredentialJwt,
  type CredentialFacts,
  type JsonObject,
  type SignedCredential,
  type VerifyOptions,
} from '../../../server/domain/credentials';
import { DomainError } from '../../../server/domain/errors';
import { openStorage, type Storage } from '../../../server/storage/database';
import { insertTenant } from '../../../server/storage/repositories/tenants';
import { ENGINES, scratchDatabase, type ScratchDatabase } from '../../support/storage';

/** Issue → verify → tamper → revoke → rotate, on both engines, offline: the loader resolves from storage. */
const SERVER = 'http://127.0.0.1:3000';
const ACME_BASE = 'https://certificates.acme.example:8443/attest';
const AT = new Date('2026-03-10T09:00:00.000Z');
const LATER = new Date('2026-06-01T00:00:00.000Z');

function facts(did: string, patch: Partial<Omit<CredentialFacts, 'status'>> = {}): Omit<CredentialFacts, 'status'> {
  return {
    id: `${ACME_BASE}/credentials/ABCDE`,
    issuer: { did, name: 'ACME Formation', url: 'https://acme.example' },
    achievement: {
      id: `${ACME_BASE}/certificates/c1`,
      name: 'Habilitation électrique B1V',
      description: 'Travaux d’ordre électrique en basse tension.',
      criteria: 'Avoir suivi les 21 heures de formation et réussi l’évaluation finale.',
      hours: 21,
    },
    learner: { email: ' Zoe.Martin@Example.org ', salt: 'FleurDeSel' },
    validFrom: '2026-03-10T00:00:00Z',
    validUntil: '2029-03-10T00:00:00Z',
    results: { grade: { value: '16.5', max: '20', min: '0' }, hours: 21 },
    ...patch,
  };
}

describe.each(ENGINES)('Open Badges credentials (%s)', (engine) => {
  let scratch: ScratchDatabase;
  let storage: Storage;
  let options: (now: Date) => VerifyOptions;
  let did: string;
  const secret = process.env.ATTEST_SECRET_KEY;

  beforeAll(async () => {
    process.env.ATTEST_SECRET_KEY = 'credentials test installation key';
    scratch = await scratchDatabase(engine);
    storage = await openStorage(scratch.url);
    const tenant = (id: string, slug: string, settings: object) =>
      insertTenant(storage.db, {
        id,
        slug,
        name: slug,
        settings: JSON.stringify(settings),
        webhook_secret: 'w',
        link_secret: 'l',
        created_at: AT.toISOString(),
      });
    await tenant('t-acme', 'acme', { public_base_url: ACME_BASE });
    await tenant('t-other', 'other', {});
    did = tenantDid(ACME_BASE, 'acme');
    const loader = createDocumentLoader(storedDidResolver(storage.db, SERVER));
    options = (now) => ({ loader, now, statusList: storedStatusLists(storage.db, SERVER, () => AT) });
  });

  afterAll(async () => {
    if (secret === undefined) delete process.env.ATTEST_SECRET_KEY;
    else process.env.ATTEST_SECRET_KEY = secret;
    await storage.close();
    await scratch.drop();
  });

  const issue = (
    issueId: string,
    patch: Partial<Omit<CredentialFacts, 'status'>> = {},
    tenantId = 't-acme',
    slug = 'acme',
    base = ACME_BASE,
  ) =>
    issueCredential(storage.db, {
      tenantId,
      issueId,
      facts: facts(tenantDid(base, slug), patch),
      statusListUrl: (n) => statusListUrl(base, slug, n),
      now: AT,
    });

  it('issues an OpenBadgeCredential from plain facts that verifies offline', async () => {
    const vc = await issue('issue-1');
    expect(vc).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: 'Habilitation électrique B1V',
      issuer: { id: 'did:web:certificates.acme.example%3A8443:attest:tenants:acme', type: ['Profile'], name: 'ACME Formation' },
      validFrom: '2026-03-10T00:00:00Z',
      validUntil: '2029-03-10T00:00:00Z',
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [
          {
            type: 'IdentityObject',
            identityType: 'emailAddress',
            hashed: true,
            salt: 'FleurDeSel',
            identityHash: identityHash('zoe.martin@example.org', 'FleurDeSel'),
          },
        ],
        achievement: {
          type: ['Achievement'],
          criteria: { narrative: 'Avoir suivi les 21 heures de formation et réussi l’évaluation finale.' },
          creditsAvailable: 21,
          resultDescription: [{ type: ['ResultDescription'], resultType: 'RawScore', valueMax: '20', valueMin: '0' }],
        },
        creditsEarned: 21,
        result: [{ type: ['Result'], value: '16.5', resultDescription: `${ACME_BASE}/certificates/c1#grade` }],
      },
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListCredential: `${ACME_BASE}/tenants/acme/status/1`,
      },
      proof: {
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        proofPurpose: 'assertionMethod',
        created: '2026-03-10T09:00:00Z',
      },
    });
    expect(JSON.stringify(vc)).not.toContain('example.org');
    expect(vc.credentialSubject).not.toHaveProperty('id');
    const result = await verifyCredential(vc, options(LATER));
    expect(result).toEqual({
      valid: true,
      code: 'CREDENTIAL_VALID',
      issuer: did,
      proof: { code: 'CREDENTIAL_PROOF_VALID', verificationMethod: expect.stringMatching(new RegExp(`^${did}#z6Mk`)) },
      status: { code: 'CREDENTIAL_STATUS_ACTIVE', list: `${ACME_BASE}/tenants/acme/status/1`, index: expect.any(Number) },
      validity: { code: 'CREDENTIAL_IN_VALIDITY', validFrom: '2026-03-10T00:00:00Z', validUntil: '2029-03-10T00:00:00Z' },
    });
  });

  it('names the learner by their DID when they gave one; the hash matches OB 3.0’s own example', async () => {
    const vc = await issue('issue-did', { learner: { email: 'a@b.c', salt: 's', did: 'did:example:ebfeb1f712ebc6f1c276e12ec21' } });
    expect(vc.credentialSubject.id).toBe('did:example:ebfeb1f712ebc6f1c276e12ec21');
    expect((await verifyCredential(vc, options(LATER))).code).toBe('CREDENTIAL_VALID');
    // Implementation guide: sha256 of "jjefferson18@example.comFleurDeSel".
    expect(identityHash('jjefferson18@example.com', 'FleurDeSel')).toBe(
      'sha256$658625b25ab3d75d613ca97d9a5a77f70e2192feca5557f4ad09a4d4f121f5fc',
    );
    expect(saltFor('issue-1')).toBe(saltFor('issue-1'));
    expect(saltFor('issue-1')).not.toBe(saltFor('issue-2'));
  });

  it('fails the proof when any field is changed after signing', async () => {
    const vc = await issue('issue-tamper');
    const changes: ((c: SignedCredential) => void)[] = [
      (c) => ((c.credentialSubject.achievement as JsonObject).name = 'Habilitation électrique B2V'),
      (c) => (c.validUntil = '2039-03-10T00:00:00Z'),
      (c) => ((c.credentialSubject.result as JsonObject[])[0]!.value = '19'),
      (c) => ((c.credentialStatus as JsonObject).statusListIndex = '7'),
    ];
    for (const change of changes) {
      const tampered = structuredClone(vc);
      change(tampered);
      expect((await verifyCredential(tampered, options(LATER))).code).toBe('CREDENTIAL_PROOF_INVALID');
    }
  });

  it('says revoked once the bit is set in the signed status list, and active again once cleared', async () => {
    const vc = await issue('issue-revoked');
    const slot = await statusSlot(storage.db, 't-acme', 'issue-revoked');
    expect(await statusSlot(storage.db, 't-acme', 'issue-revoked')).toEqual(slot);
    expect((vc.credentialStatus as JsonObject).statusListIndex).toBe(String(slot.index));
    await setRevoked(storage.db, 't-acme', 'issue-revoked', true);
    const revoked = await verifyCredential(vc, options(LATER));
    expect(revoked).toMatchObject({ valid: false, code: 'CREDENTIAL_REVOKED', proof: { code: 'CREDENTIAL_PROOF_VALID' } });
    expect((await verifyCredential(await issue('issue-1'), options(LATER))).code).toBe('CREDENTIAL_VALID');
    await setRevoked(storage.db, 't-acme', 'issue-revoked', false);
    expect((await verifyCredential(vc, options(LATER))).code).toBe('CREDENTIAL_VALID');
  });

  it('serves a BitstringStatusListCredential as the specification encodes it, re-signed only when a bit changes', async () => {
    const url = statusListUrl(ACME_BASE, 'acme', 1);
    const list = await statusListCredential(storage.db, 't-acme', 1, { url, did, now: AT });
    expect(list).toMatchObject({
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: did,
      credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation' },
    });
    const encoded = (list.credentialSubject as { encodedList: string }).encodedList;
    expect(encoded[0]).toBe('u');
    const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bits.length * 8).toBe(LIST_SIZE);
    expect(bits.length).toBeGreaterThanOrEqual(16 * 1024);
    const again = await statusListCredential(storage.db, 't-acme', 1, { url, did, now: LATER });
    expect(again).toEqual(list);
    await setRevoked(storage.db, 't-acme', 'issue-1', true);
    const changed = await statusListCredential(storage.db, 't-acme', 1, { url, did, now: LATER });
    expect(changed.proof).not.toEqual(list.proof);
    const slot = await statusSlot(storage.db, 't-acme', 'issue-1');
    const raw = gunzipSync(Buffer.from((changed.credentialSubject as { encodedList: string }).encodedList.slice(1), 'base64url'));
    // Bit 0 is the first (most significant) bit of the first byte.
    expect((raw[slot.index >> 3]! >> (7 - (slot.index & 7))) & 1).toBe(1);
    await setRevoked(storage.db, 't-acme', 'issue-1', false);
  });

  it('judges the validity window at the given instant', async () => {
    const vc = await issue('issue-window');
    expect(await verifyCredential(vc, options(new Date('2026-03-09T23:59:59Z')))).toMatchObject({
      valid: false,
      code: 'CREDENTIAL_NOT_YET_VALID',
      proof: { code: 'CREDENTIAL_PROOF_VALID' },
    });
    expect(await verifyCredential(vc, options(new Date('2029-03-10T00:00:01Z')))).toMatchObject({
      valid: false,
      code: 'CREDENTIAL_EXPIRED',
      proof: { code: 'CREDENTIAL_PROOF_VALID' },
      status: { code: 'CREDENTIAL_STATUS_ACTIVE' },
    });
  });

  it('keeps what a retired key signed verifiable after rotation, and signs new credentials with the new key', async () => {
    const before = await issue('issue-rotation');
    const first = await activeIssuerKey(storage.db, 't-acme', AT);
    const { active, retired } = await rotateIssuerKey(storage.db, 't-acme', LATER);
    expect(retired).toMatchObject({ id: first.id, state: 'retired', retiredAt: LATER.toISOString() });
    expect(active.publicKeyMultibase).not.toBe(first.publicKeyMultibase);
    const keys = await issuerKeys(storage.db, 't-acme');
    expect(keys.map((k) => k.state)).toEqual(['active', 'retired']);
    const doc = didDocument(did, keys);
    expect(doc.assertionMethod).toEqual([`${did}#${active.publicKeyMultibase}`, `${did}#${first.publicKeyMultibase}`]);
    expect(jwks(did, keys).keys.map((k) => [k.kid, k.kty, k.crv, Buffer.from(k.x, 'base64url').length])).toEqual([
      [`${did}#${active.publicKeyMultibase}`, 'OKP', 'Ed25519', 32],
      [`${did}#${first.publicKeyMultibase}`, 'OKP', 'Ed25519', 32],
    ]);
    expect((await verifyCredential(before, options(LATER))).code).toBe('CREDENTIAL_VALID');
    const after = await issue('issue-rotation-2');
    expect((after.proof as JsonObject).verificationMethod).toBe(`${did}#${active.publicKeyMultibase}`);
    expect((await verifyCredential(after, options(LATER))).code).toBe('CREDENTIAL_VALID');
  });

  it('keeps private keys sealed at rest and refuses to sign without the installation key', async () => {
    const rows = await storage.db.selectFrom('credential_keys').selectAll().where('tenant_id', '=', 't-acme').execute();
    expect(rows.length).toBe(2);
    for (const row of rows) expect(row.secret_key_sealed).toMatch(/^sealed:/);
    const saved = process.env.ATTEST_SECRET_KEY;
    delete process.env.ATTEST_SECRET_KEY;
    try {
      await expect(activeIssuerKey(storage.db, 't-other', AT)).rejects.toMatchObject({ code: 'CREDENTIALS_NEED_SECRET_KEY' });
    } finally {
      process.env.ATTEST_SECRET_KEY = saved;
    }
  });

  it('resolves only this installation’s DIDs, as they are published today; refuses every other URL', async () => {
    // The other tenant has no public address: its DID is the server's host (port %3A-encoded).
    const other = await issue('issue-other', {}, 't-other', 'other', SERVER);
    expect(other.issuer).toMatchObject({ id: 'did:web:127.0.0.1%3A3000:tenants:other' });
    expect((await verifyCredential(other, options(LATER))).code).toBe('CREDENTIAL_VALID');
    // A credential naming acme's slug under another host is not acme's, whatever key signed it.
    const elsewhere = buildCredential({ ...facts('did:web:evil.example:tenants:acme') });
    const forged = await signCredential(storage.db, 't-acme', elsewhere, AT);
    expect(await verifyCredential(forged, options(LATER))).toMatchObject({ valid: false, code: 'CREDENTIAL_ISSUER_UNKNOWN' });
    // One tenant's key does not sign for another: acme's DID document has no such key.
    const borrowed = await signCredential(storage.db, 't-other', buildCredential(facts(did)), AT);
    expect((await verifyCredential(borrowed, options(LATER))).code).toBe('CREDENTIAL_ISSUER_UNKNOWN');
    // Nor does a proof copied from another credential of the same issuer.
    const genuine = await issue('issue-copied-proof');
    const copied = { ...buildCredential(facts(did, { id: `${ACME_BASE}/credentials/OTHER` })), proof: genuine.proof };
    expect((await verifyCredential(copied, options(LATER))).code).toBe('CREDENTIAL_PROOF_INVALID');
    const loader = createDocumentLoader(storedDidResolver(storage.db, SERVER));
    for (const url of [
      'https://www.w3.org/2018/credentials/examples/v1',
      'https://example.org/context.json',
      'did:key:z6Mkabc',
      'file:///etc/passwd',
    ]) {
      const refusal = await loader(url).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ code: 'CREDENTIAL_URL_REFUSED' });
    }
    const unknownContext = {
      ...structuredClone(other),
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://example.org/context.json'],
    };
    expect((await verifyCredential(unknownContext, options(LATER))).code).toBe('CREDENTIAL_MALFORMED');
    expect((await verifyCredential('not a credential', options(LATER))).code).toBe('CREDENTIAL_MALFORMED');
  });

  it('says the status is unavailable when the list cannot be had, and does not take a list signed by someone else', async () => {
    const vc = await issue('issue-status');
    expect(await verifyCredential(vc, { ...options(LATER), statusList: async () => undefined })).toMatchObject({
      valid: false,
      code: 'CREDENTIAL_STATUS_UNAVAILABLE',
    });
    const url = statusListUrl(SERVER, 'other', 1);
    const othersList = await statusListCredential(storage.db, 't-other', 1, { url, did: tenantDid(SERVER, 'other'), now: AT });
    expect((await verifyCredential(vc, { ...options(LATER), statusList: async () => othersList })).status.code).toBe(
      'CREDENTIAL_STATUS_UNAVAILABLE',
    );
  });

  it('gives the VC-JWT form too: a compact EdDSA JWS whose claims match the credential, tamper-evident and revocable', async () => {
    const vc = await issue('issue-jwt', { learner: { email: 'a@b.c', salt: 's', did: 'did:example:learner' } });
    const jws = await credentialJwt(storage.db, 't-acme', vc, AT);
    const [header, payload] = jws
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as JsonObject);
    const key = await activeIssuerKey(storage.db, 't-acme', AT);
    expect(header).toEqual({ alg: 'EdDSA', kid: `${did}#${key.publicKeyMultibase}`, typ: 'JWT' });
    expect(payload).toMatchObject({
      iss: did,
      jti: vc.id,
      sub: 'did:example:learner',
      nbf: Date.parse('2026-03-10T00:00:00Z') / 1000,
      exp: Date.parse('2029-03-10T00:00:00Z') / 1000,
      proof: vc.proof,
    });
    expect(await verifyCredentialJwt(jws, options(LATER))).toMatchObject({ valid: true, code: 'CREDENTIAL_VALID' });
    expect((await verifyCredentialJwt(jws, options(new Date('2030-01-01T00:00:00Z')))).code).toBe('CREDENTIAL_EXPIRED');
    const [h, p, sig] = jws.split('.');
    const forged = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as JsonObject;
    forged.name = 'Autre habilitation';
    expect(
      (await verifyCredentialJwt(`${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}`, options(LATER))).code,
    ).toBe('CREDENTIAL_PROOF_INVALID');
    expect((await verifyCredentialJwt('not.a.jws', options(LATER))).code).toBe('CREDENTIAL_MALFORMED');
    await setRevoked(storage.db, 't-acme', 'issue-jwt', true);
    expect((await verifyCredentialJwt(jws, options(LATER))).code).toBe('CREDENTIAL_REVOKED');
  });

  it('gives every issue its own position, even under concurrent requests', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `issue-many-${i}`);
    const slots = await Promise.all([...ids, ...ids].map((id) => statusSlot(storage.db, 't-acme', id)));
    const byIssue = new Map<string, number>();
    slots.forEach((s, i) => {
      const id = [...ids, ...ids][i]!;
      if (byIssue.has(id)) expect(byIssue.get(id)).toBe(s.index);
      byIssue.set(id, s.index);
    });
    expect(new Set(byIssue.values()).size).toBe(ids.length);
  });
});
