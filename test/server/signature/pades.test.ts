import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import type { CompiledTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { personas } from '../../../variables/personas';
import { previewData } from '../../../variables/samples';
import { signPdf, signatureField, type DocumentSigning } from '../../../server/domain/signature';
import { OID, bufferOf } from '../../../server/domain/signature/cms';
import { checkUploadedSignature, lastSignature } from '../../../server/domain/signature/verify';
import { DomainError } from '../../../server/domain/errors';
import { writeTemp } from '../../templates/pdf/helpers';
import { SECRET, compiledExamples, keyRow } from './fixtures';
import { startStubTsa, type StubTsa } from './stub-tsa';

/**
 * Issue 17, digital signature, below HTTP: PAdES B-B and B-T on every bundled example with every sample
 * learner, RSA and ECDSA, checked by poppler's pdfsig (valid, the whole document signed) and by parsing
 * the CMS back (signing-certificate-v2 present, signing-time absent); one byte changed breaks it.
 */
let compiled: Map<string, CompiledTemplate>;
let tsa: StubTsa;
beforeAll(async () => {
  process.env.ATTEST_SECRET_KEY = SECRET;
  process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = '1';
  compiled = await compiledExamples();
  tsa = await startStubTsa();
});
afterAll(async () => {
  await tsa.close();
  delete process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
});

function pdfsig(pdf: Uint8Array, name: string): string {
  const r = spawnSync('pdfsig', [writeTemp(pdf, name)], { encoding: 'utf8' });
  return r.stdout + r.stderr;
}
const VALID = /Signature Validation: Signature is Valid\./;

function cmsOf(pdf: Uint8Array): pkijs.SignedData {
  const info = pkijs.ContentInfo.fromBER(bufferOf(lastSignature(pdf)!.cms));
  return new pkijs.SignedData({ schema: info.content });
}

async function signed(
  template: CompiledTemplate,
  data: unknown,
  signing: DocumentSigning,
  protection?: Parameters<typeof renderDocument>[2],
) {
  const r = renderDocument(template, data, { ...protection, signature: signatureField(signing, new Date()) });
  expect(r.pdf).toBeDefined();
  return (await signPdf(signing, r.pdf!)).pdf;
}

describe('PAdES baseline signatures of the bundled examples', () => {
  for (const algorithm of ['rsa-2048', 'ecdsa-p256'] as const) {
    it(`B-B, ${algorithm}: every example, every sample learner: pdfsig says valid and the whole document signed`, async () => {
      const signing: DocumentSigning = {
        level: 'B-B',
        key: await keyRow(algorithm),
        timestampTimeoutMs: 5000,
        reason: 'Attestation de formation',
      };
      for (const [example, template] of compiled) {
        for (const persona of personas) {
          const pdf = await signed(template, previewData(template.declared, persona.data), signing);
          const out = pdfsig(pdf, `signed-${example}-${persona.id}-${algorithm}.pdf`);
          expect(out, `${example} ${persona.id}`).toMatch(VALID);
          expect(out).toContain('Total document signed');
          expect(out).toContain('ETSI.CAdES.detached');
        }
      }
    });
  }

  it('the CMS has contentType, messageDigest and signing-certificate-v2, no signing-time; the time is the dictionary’s /M', async () => {
    const template = compiled.get('attestation-fr')!;
    for (const algorithm of ['rsa-3072', 'ecdsa-p384'] as const) {
      const signing: DocumentSigning = { level: 'B-B', key: await keyRow(algorithm), timestampTimeoutMs: 5000 };
      const pdf = await signed(template, previewData(template.declared, personas[0]!.data), signing);
      const types = cmsOf(pdf).signerInfos[0]!.signedAttrs!.attributes.map((a) => a.type);
      expect(types.sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
      expect(types).not.toContain(OID.signingTime);
      expect(Buffer.from(pdf).toString('latin1')).toMatch(/\/M \(D:\d{14}Z\)/);
      expect(pdfsig(pdf, `attrs-${algorithm}.pdf`)).toMatch(VALID);
    }
  });

  it('one byte changed: pdfsig and our own check say the signature is not intact', async () => {
    const template = compiled.get('transcript-en')!;
    const key = await keyRow('rsa-2048');
    const pdf = await signed(template, previewData(template.declared, personas[1]!.data), { level: 'B-B', key, timestampTimeoutMs: 5000 });
    const changed = Buffer.from(pdf);
    const at = changed.indexOf('/Producer (Attest)', 0, 'latin1') + '/Producer ('.length;
    changed[at] = 'a'.charCodeAt(0);
    expect(pdfsig(changed, 'changed.pdf')).not.toMatch(VALID);
    expect(pdfsig(changed, 'changed.pdf')).toMatch(/Signature Validation: Digest Mismatch|Signature is Invalid/);
    const fake = {
      selectFrom: () => ({ selectAll: () => ({ where: () => ({ where: () => ({ executeTakeFirst: async () => undefined }) }) }) }),
    };
    const db = fake as unknown as Parameters<typeof checkUploadedSignature>[0];
    expect(await checkUploadedSignature(db, 't', pdf)).toMatchObject({ signed: true, intact: true });
    expect(await checkUploadedSignature(db, 't', changed)).toMatchObject({ signed: true, intact: false });
  });

  it('B-T: an RFC 3161 token from the local authority over the signature value; pdfsig says valid', async () => {
    tsa.mode = 'ok';
    for (const algorithm of ['rsa-2048', 'ecdsa-p256'] as const) {
      const signing: DocumentSigning = { level: 'B-T', key: await keyRow(algorithm), timestampUrl: tsa.url, timestampTimeoutMs: 5000 };
      for (const [example, template] of compiled) {
        const pdf = await signed(template, previewData(template.declared, personas[2]!.data), signing);
        const out = pdfsig(pdf, `bt-${example}-${algorithm}.pdf`);
        expect(out, example).toMatch(VALID);
        expect(out).toContain('Total document signed');
        const unsigned = cmsOf(pdf).signerInfos[0]!.unsignedAttrs!.attributes.map((a) => a.type);
        expect(unsigned).toEqual([OID.signatureTimeStampToken]);
      }
    }
  });

  it('B-T: an authority that fails, refuses or stamps something else gives TIMESTAMP_FAILED and no document', async () => {
    const template = compiled.get('attestation-fr')!;
    const key = await keyRow('ecdsa-p256');
    const r = renderDocument(template, previewData(template.declared, personas[0]!.data), {
      signature: signatureField({ level: 'B-T' }, new Date()),
    });
    for (const mode of ['http-error', 'rejection', 'wrong-imprint'] as const) {
      tsa.mode = mode;
      const e = await signPdf({ level: 'B-T', key, timestampUrl: tsa.url, timestampTimeoutMs: 5000 }, r.pdf!).catch((x: unknown) => x);
      expect(e, mode).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('TIMESTAMP_FAILED');
    }
    tsa.mode = 'ok';
    // Nobody listens there: refused at once, not after the timeout.
    const closed = await signPdf({ level: 'B-T', key, timestampUrl: 'http://127.0.0.1:1/tsa', timestampTimeoutMs: 5000 }, r.pdf!).catch(
      (x: unknown) => x,
    );
    expect((closed as DomainError).code).toBe('TIMESTAMP_FAILED');
  });

  it('signed and protected: the /Contents is left clear, pdfsig says valid, qpdf checks the file', async () => {
    const template = compiled.get('diploma-background')!;
    for (const cipher of ['aes-256', 'aes-128'] as const) {
      const key = await keyRow('rsa-2048');
      const pdf = await signed(
        template,
        previewData(template.declared, personas[3]!.data),
        { level: 'B-B', key, timestampTimeoutMs: 5000, reason: 'Attestation', location: 'Lyon' },
        { protection: { cipher, permissions: { print: true }, secret: Buffer.alloc(32, 9) } },
      );
      const path = writeTemp(pdf, `protected-signed-${cipher}.pdf`);
      expect(pdfsig(pdf, `protected-signed-${cipher}.pdf`), cipher).toMatch(VALID);
      expect(execFileSync('qpdf', ['--check', path], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors');
    }
  });
});
