import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestDocument, retrieveDocument } from '../../../server/domain/issues';
import { credentialOfCode, credentialVerifier, embeddedCredential } from '../../../server/domain/badge-publishing';
import { versionContract } from '../../../server/domain/templates';
import { personas } from '../../../variables/personas';
import { previewData } from '../../../variables/samples';
import { ENGINES, freshServices, setupTenant, useRenderPool, type TestServices } from '../../support/storage';

/**
 * Issue 17, Open Badges: every bundled example with every sample learner, on both engines, issued with the
 * tenant's credential default: each document carries a credential (its PDF's `credential.json` is the text
 * served for the code) that verifies — proof, status, validity window — with the credentials core.
 */
const pool = useRenderPool(2);

describe.each(ENGINES)('the bundled examples with every sample learner get a verifying credential (%s)', (engine) => {
  let services: TestServices;
  const previous = process.env.ATTEST_SECRET_KEY;
  beforeAll(async () => {
    process.env.ATTEST_SECRET_KEY = 'installation key for the examples test';
    services = await freshServices(engine, { pool: pool() });
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.ATTEST_SECRET_KEY;
    else process.env.ATTEST_SECRET_KEY = previous;
  });

  for (const example of ['attestation-fr', 'diploma-background', 'transcript-en']) {
    it(`${example}`, async () => {
      // Not every sample learner completed a course (the minimal one has nothing optional): no completion rule here.
      const t = await setupTenant(services, { example, settings: { credential: {}, completion_tracking: false } });
      const declared = versionContract(t.version).declared;
      const verify = credentialVerifier(services);
      for (const persona of personas) {
        const { organization: _o, certificate: _c, ...data } = previewData(declared, persona.data);
        const r = await requestDocument(services, t.lms, { certificateId: t.certificate.id, learnerId: persona.id, data, available: true });
        const code = r.issue.code;
        const { json } = await credentialOfCode(services, code);
        const verdict = await verify(JSON.parse(json));
        expect(verdict.code, `${example} ${persona.id}: ${JSON.stringify(verdict)}`).toBe('CREDENTIAL_VALID');
        const pdf = await retrieveDocument(services, t.lms, code, 'api');
        expect(await embeddedCredential(pdf.pdf), `${example} ${persona.id}`).toBe(json);
      }
    }, 300_000);
  }
});
