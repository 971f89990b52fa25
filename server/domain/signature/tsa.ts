import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { DomainError } from '../errors';
import { hostIsPrivate, privateReceiversAllowed } from '../webhooks-out/receivers';
import { OID, bufferOf, sha256 } from './cms';

/**
 * An RFC 3161 client: one POST of application/timestamp-query to the tenant's timestamp authority, bounded
 * by a timeout. The answer is checked before it is used — granted, over our signature's digest, with our
 * nonce, signed by the token's own certificate — so a document is never signed with a token for something
 * else; any failure is TIMESTAMP_FAILED and no document is made.
 */
export interface TimestampOptions {
  url: string;
  timeoutMs: number;
}

const failed = (url: string, why: string) =>
  new DomainError('busy', 'TIMESTAMP_FAILED', `The timestamp authority at ${url} did not give a timestamp: ${why}.`, {
    details: { url, why },
  });

/** The timestamp token (a CMS ContentInfo, DER) over `signature`. */
export async function timestampToken(signature: Uint8Array, options: TimestampOptions): Promise<{ token: Uint8Array; time: Date }> {
  // The same rule as webhook receivers: a tenant's setting does not make the server call into its own network.
  if (hostIsPrivate(new URL(options.url).hostname) && !privateReceiversAllowed()) throw failed(options.url, 'a private address');
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0]! & 0x7f) | 0x40; // positive, minimal: echoed back byte for byte
  const imprint = sha256(signature);
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: bufferOf(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: bufferOf(nonce) }),
    certReq: true,
  });
  let body: ArrayBuffer;
  try {
    const res = await fetch(options.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
      body: request.toSchema().toBER(false),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
    if (!res.ok) throw failed(options.url, `HTTP ${res.status}`);
    body = await res.arrayBuffer();
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw failed(options.url, e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : 'unreachable');
  }
  let response: pkijs.TimeStampResp;
  try {
    response = pkijs.TimeStampResp.fromBER(body);
  } catch {
    throw failed(options.url, 'the answer is not a timestamp response');
  }
  const status: number = response.status.status;
  if ((status !== 0 && status !== 1) || !response.timeStampToken) throw failed(options.url, `refused (status ${status})`);
  const token = response.timeStampToken;
  let time: Date;
  try {
    const signed = new pkijs.SignedData({ schema: token.content });
    const eContent = signed.encapContentInfo.eContent;
    if (signed.encapContentInfo.eContentType !== OID.tstInfo || !eContent) throw new Error('not a TSTInfo');
    const info = pkijs.TSTInfo.fromBER(eContent.getValue());
    const hashed = Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView);
    if (!hashed.equals(imprint)) throw new Error('over another digest');
    if (!info.nonce || !Buffer.from(info.nonce.valueBlock.valueHexView).equals(nonce)) throw new Error('another nonce');
    // pkijs also checks a TSTInfo's imprint against `data`: what was timestamped.
    if (!(await signed.verify({ signer: 0, data: bufferOf(signature), checkChain: false })))
      throw new Error('its signature does not verify');
    time = info.genTime;
  } catch (e) {
    throw failed(options.url, `the token is not ours (${e instanceof Error ? e.message : String(e)})`);
  }
  return { token: new Uint8Array(token.toSchema().toBER(false)), time };
}
