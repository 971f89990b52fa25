import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, bufferOf } from '../../../server/domain/signature/cms';
import { selfSigned } from '../../../server/domain/signature/certificates';

/**
 * A local RFC 3161 timestamp authority for the tests: real tokens (TSTInfo in a CMS SignedData signed by a
 * test TSA key, built with pkijs) over whatever imprint it is sent, with the request's nonce. `mode` makes
 * it fail the ways a real one can: an HTTP error, a rejection, a token over another digest.
 */
export interface StubTsa {
  url: string;
  requests: number;
  mode: 'ok' | 'http-error' | 'rejection' | 'wrong-imprint';
  close(): Promise<void>;
}

const crypto = webcrypto as unknown as Crypto;

export async function startStubTsa(): Promise<StubTsa> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const certDer = await selfSigned(keys, 'Attest test TSA', new Date(Date.now() - 60_000), 1);
  const cert = pkijs.Certificate.fromBER(bufferOf(certDer));
  let serial = 1;
  const state = { requests: 0, mode: 'ok' as StubTsa['mode'] };

  async function answer(body: Buffer): Promise<Buffer> {
    const req = pkijs.TimeStampReq.fromBER(bufferOf(body));
    if (state.mode === 'rejection')
      return Buffer.from(new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: 2 }) }).toSchema().toBER(false));
    const imprint = new Uint8Array(req.messageImprint.hashedMessage.valueBlock.valueHexView);
    if (state.mode === 'wrong-imprint') imprint[0] = imprint[0]! ^ 0xff;
    const info = new pkijs.TSTInfo({
      version: 1,
      policy: '1.3.6.1.4.1.99999.1',
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
        hashedMessage: new asn1js.OctetString({ valueHex: bufferOf(imprint) }),
      }),
      serialNumber: new asn1js.Integer({ value: serial++ }),
      genTime: new Date(Math.floor(Date.now() / 1000) * 1000),
      ...(req.nonce ? { nonce: req.nonce } : {}),
    });
    const tstInfo = info.toSchema().toBER(false);
    const digest = await crypto.subtle.digest('SHA-256', tstInfo);
    const signed = new pkijs.SignedData({
      version: 3,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({
        eContentType: OID.tstInfo,
        eContent: new asn1js.OctetString({ valueHex: tstInfo }),
      }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 0,
            attributes: [
              new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.tstInfo })] }),
              new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
            ],
          }),
        }),
      ],
      certificates: [cert],
    });
    await signed.sign(keys.privateKey, 0, 'SHA-256', tstInfo);
    const token = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
    return Buffer.from(
      new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: 0 }), timeStampToken: token }).toSchema().toBER(false),
    );
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (state.mode === 'http-error' || req.headers['content-type'] !== 'application/timestamp-query') {
        res.writeHead(500).end();
        return;
      }
      answer(Buffer.concat(chunks)).then(
        (bytes) => res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(bytes),
        () => res.writeHead(400).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    get requests() {
      return state.requests;
    },
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
