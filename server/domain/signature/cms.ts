import { createHash, sign, webcrypto, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * The CMS of a PAdES baseline signature (ETSI EN 319 142-1 B-B, B-T), built and read with pkijs: detached
 * SignedData over the PDF's byte ranges, signed attributes contentType, messageDigest and
 * signing-certificate-v2 (RFC 5035), no signing-time (PAdES keeps the time in the signature dictionary);
 * B-T adds an RFC 3161 token over the signature value as the unsigned signature-time-stamp attribute.
 */
const crypto = webcrypto as unknown as Crypto;
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto }));

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

export const sha256 = (...parts: readonly Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** ArrayBuffer of exactly these bytes (asn1js wants buffers, Node hands out views of pooled ones). */
export const bufferOf = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export type KeyAlgorithm = 'rsa-2048' | 'rsa-3072' | 'ecdsa-p256' | 'ecdsa-p384';

/** The Web Crypto algorithm a key of this kind signs with (always SHA-256, what every PAdES reader checks). */
export function importParams(algorithm: KeyAlgorithm): RsaHashedImportParams | EcKeyImportParams {
  if (algorithm.startsWith('rsa')) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return { name: 'ECDSA', namedCurve: algorithm === 'ecdsa-p256' ? 'P-256' : 'P-384' };
}

export interface Signer {
  /** The signer's certificate, DER. */
  certificate: Uint8Array;
  privateKey: KeyObject;
}

/** ESSCertIDv2 with SHA-256 (the default, so not written) of the certificate and its issuer and serial. */
function signingCertificateV2(cert: pkijs.Certificate, der: Uint8Array): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })],
      }),
      cert.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: bufferOf(sha256(der)) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/** What a signature needs of its certificate, read once per certificate (a signing key is used for many documents). */
interface CertificateParts {
  cert: pkijs.Certificate;
  essAttribute: asn1js.Sequence;
}
const certificateParts = new WeakMap<Uint8Array, CertificateParts>();

function partsOf(signer: Signer): CertificateParts {
  let parts = certificateParts.get(signer.certificate);
  if (!parts) {
    const cert = pkijs.Certificate.fromBER(bufferOf(signer.certificate));
    parts = { cert, essAttribute: signingCertificateV2(cert, signer.certificate) };
    certificateParts.set(signer.certificate, parts);
  }
  return parts;
}

/**
 * A detached CMS SignedData over `content` (the PDF's signed byte ranges, in order). pkijs builds and
 * encodes every structure; the signature over the DER of the signed attributes (as a SET, RFC 5652 §5.4)
 * is Node's own, synchronous: pkijs's Web Crypto path cost about 2.5 ms of promises per document.
 */
export function signDetached(signer: Signer, content: readonly Uint8Array[]): { cms: pkijs.ContentInfo; signedData: pkijs.SignedData } {
  const { cert, essAttribute } = partsOf(signer);
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: bufferOf(sha256(...content)) })] }),
      new pkijs.Attribute({ type: OID.signingCertificateV2, values: [essAttribute] }),
    ],
  });
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER(false));
  toSign[0] = 0x31; // [0] IMPLICIT in the SignerInfo, a SET OF when signed
  const ec = signer.privateKey.asymmetricKeyType === 'ec';
  const value = sign('sha256', toSign, ec ? { key: signer.privateKey, dsaEncoding: 'der' } : signer.privateKey);
  const sha256Id = () => new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
  // ecdsa-with-SHA256 (no parameters) or sha256WithRSAEncryption (NULL parameters), RFC 5754.
  const signatureAlgorithm = ec
    ? new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.10045.4.3.2' })
    : new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256Id()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        digestAlgorithm: sha256Id(),
        signedAttrs,
        signatureAlgorithm,
        signature: new asn1js.OctetString({ valueHex: bufferOf(value) }),
      }),
    ],
    certificates: [cert],
  });
  return { cms: contentInfo(signedData), signedData };
}

const contentInfo = (signedData: pkijs.SignedData) =>
  new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });

/** The signature value a B-T timestamp is taken over. */
export function signatureValue(signedData: pkijs.SignedData): Uint8Array {
  return new Uint8Array(signedData.signerInfos[0]!.signature.valueBlock.valueHexView);
}

/** The same signature with an RFC 3161 token (a ContentInfo, DER) as its signature-time-stamp attribute. */
export function withTimestamp(signedData: pkijs.SignedData, token: Uint8Array): pkijs.ContentInfo {
  const parsed = asn1js.fromBER(bufferOf(token));
  signedData.signerInfos[0]!.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 1,
    attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [parsed.result] })],
  });
  return contentInfo(signedData);
}

export const derOf = (info: pkijs.ContentInfo): Uint8Array => new Uint8Array(info.toSchema().toBER(false));

export interface ReadSignature {
  /** The CMS verifies over these bytes: the messageDigest matches and the signature is the certificate's. */
  intact: boolean;
  /** The signer's certificate, DER (the one the SignerInfo names). */
  certificate?: Uint8Array;
  hasSigningCertificateV2: boolean;
  hasSigningTime: boolean;
  /** The time the timestamp token states (B-T). */
  timestampedAt?: Date;
}

/** Parses a CMS back and checks it over `content`; never throws for a bad signature, says so. */
export async function readSignature(der: Uint8Array, content: readonly Uint8Array[]): Promise<ReadSignature> {
  const info = pkijs.ContentInfo.fromBER(bufferOf(der));
  if (info.contentType !== OID.signedData) return { intact: false, hasSigningCertificateV2: false, hasSigningTime: false };
  const signedData = new pkijs.SignedData({ schema: info.content });
  const signerInfo = signedData.signerInfos[0];
  const attrs = signerInfo?.signedAttrs?.attributes ?? [];
  const out: ReadSignature = {
    intact: false,
    hasSigningCertificateV2: attrs.some((a) => a.type === OID.signingCertificateV2),
    hasSigningTime: attrs.some((a) => a.type === OID.signingTime),
  };
  const sid: unknown = signerInfo?.sid;
  const cert = (signedData.certificates ?? []).find(
    (c): c is pkijs.Certificate =>
      c instanceof pkijs.Certificate &&
      sid instanceof pkijs.IssuerAndSerialNumber &&
      c.serialNumber.isEqual(sid.serialNumber) &&
      c.issuer.isEqual(sid.issuer),
  );
  if (cert) out.certificate = new Uint8Array(cert.toSchema().toBER(false));
  const token: unknown = signerInfo?.unsignedAttrs?.attributes.find((a) => a.type === OID.signatureTimeStampToken)?.values[0];
  if (token) {
    try {
      const tokenInfo = new pkijs.ContentInfo({ schema: token });
      const tokenData = new pkijs.SignedData({ schema: tokenInfo.content });
      const eContent = tokenData.encapContentInfo.eContent;
      if (eContent) out.timestampedAt = pkijs.TSTInfo.fromBER(eContent.getValue()).genTime;
    } catch {
      // An unreadable token says nothing of the time; the signature itself is judged below.
    }
  }
  try {
    const data = bufferOf(Buffer.concat(content.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))));
    out.intact = await signedData.verify({ signer: 0, data, checkChain: false });
  } catch {
    out.intact = false;
  }
  return out;
}
