import { randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bufferOf, importParams, type KeyAlgorithm } from './cms';

/** X.509 certificates of signing keys, with pkijs: made self-signed, read back, named as readers name them. */
const crypto = webcrypto as unknown as Crypto;

const NAME_OIDS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.5': 'serialNumber',
};

export const parseCertificate = (der: Uint8Array): pkijs.Certificate => pkijs.Certificate.fromBER(bufferOf(der));

/** A distinguished name as RFC 4514 writes it, most specific first (CN=…, O=…). */
export function nameText(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((t) => `${NAME_OIDS[t.type] ?? t.type}=${String(t.value.valueBlock.value).replace(/([,+"\\<>;=])/g, '\\$1')}`)
    .reverse()
    .join(', ');
}

/** One attribute of a name (CN, O), or undefined. */
export function nameAttribute(name: pkijs.RelativeDistinguishedNames, attribute: 'CN' | 'O'): string | undefined {
  const oid = attribute === 'CN' ? '2.5.4.3' : '2.5.4.10';
  const v = name.typesAndValues.find((t) => t.type === oid)?.value.valueBlock.value;
  return v === undefined ? undefined : String(v);
}

/** The kind of a certificate's key, or undefined when it is not one we sign with. */
export function algorithmOf(cert: pkijs.Certificate): KeyAlgorithm | undefined {
  const spki = cert.subjectPublicKeyInfo;
  const oid = spki.algorithm.algorithmId;
  if (oid === '1.2.840.113549.1.1.1') {
    const parsed = spki.parsedKey;
    if (!(parsed instanceof pkijs.RSAPublicKey)) return undefined;
    let bytes = new Uint8Array(parsed.modulus.valueBlock.valueHexView);
    while (bytes[0] === 0) bytes = bytes.subarray(1);
    const bits = bytes.length * 8;
    return bits === 2048 ? 'rsa-2048' : bits === 3072 ? 'rsa-3072' : undefined;
  }
  if (oid === '1.2.840.10045.2.1') {
    const params: unknown = spki.algorithm.algorithmParams;
    const curve = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : '';
    return curve === '1.2.840.10045.3.1.7' ? 'ecdsa-p256' : curve === '1.3.132.0.34' ? 'ecdsa-p384' : undefined;
  }
  return undefined;
}

export const publicKeyOf = (cert: pkijs.Certificate, algorithm: KeyAlgorithm): Promise<CryptoKey> =>
  crypto.subtle.importKey('spki', cert.subjectPublicKeyInfo.toSchema().toBER(false), importParams(algorithm), false, ['verify']);

export function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

function rdn(organisation: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: organisation }) }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: organisation }) }),
    ],
  });
}

/** A self-signed certificate for this key pair, in the organisation's name (CN and O), valid `years`. */
export async function selfSigned(keys: CryptoKeyPair, organisation: string, now: Date, years: number): Promise<Uint8Array> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = new asn1js.Integer({ valueHex: bufferOf(serial) });
  cert.issuer = rdn(organisation);
  cert.subject = rdn(organisation);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  cert.notBefore.value = new Date(Math.floor(now.getTime() / 1000) * 1000);
  cert.notAfter.value = notAfter;
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  // digitalSignature and nonRepudiation (contentCommitment): what a document signature is for.
  const usage = new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 });
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
      parsedValue: new pkijs.BasicConstraints({ cA: false }),
    }),
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: usage.toBER(false) }),
  ];
  await cert.sign(keys.privateKey, 'SHA-256');
  return new Uint8Array(cert.toSchema(true).toBER(false));
}
