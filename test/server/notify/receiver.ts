import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook receiver on loopback, as an LMS would write one from the README: it checks the signature with
 * node:crypto (not with Attest's code), remembers the delivery ids it acknowledged, and answers what the
 * test says (fail the first N attempts of each delivery, then 200).
 */
export interface Received {
  id: string;
  event: string;
  headers: Record<string, string>;
  body: { id: string; event: string; occurred_at: string; tenant: string; issue: Record<string, unknown> };
  signatureValid: boolean;
  answered: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Ids of deliveries answered 2xx, in order, with repeats. */
  acknowledged: string[];
  secret: string;
  /** Answers this status to the first `failures` attempts of each delivery id. */
  failFirst(failures: number, status?: number): void;
  /** Answers every request this way (a redirect, a huge body) until called with undefined. */
  answerWith(answer: { status: number; headers?: Record<string, string>; body: string } | undefined): void;
  close(): Promise<void>;
}

export function verify(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const acknowledged: string[] = [];
  const seen = new Map<string, number>();
  let failures = 0;
  let failStatus = 500;
  let fixed: { status: number; headers?: Record<string, string>; body: string } | undefined;
  const r: Receiver = {
    url: '',
    received,
    acknowledged,
    secret: '',
    failFirst(n, status = 500) {
      failures = n;
      failStatus = status;
    },
    answerWith(answer) {
      fixed = answer;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const signatureValid = verify(r.secret, headers['x-attest-timestamp'] ?? '', text, headers['x-attest-signature'] ?? '');
      const body = JSON.parse(text) as Received['body'];
      const n = (seen.get(body.id) ?? 0) + 1;
      seen.set(body.id, n);
      if (fixed) {
        received.push({ id: body.id, event: body.event, headers, body, signatureValid, answered: fixed.status });
        res.writeHead(fixed.status, { 'content-type': 'text/plain', ...fixed.headers });
        res.end(fixed.body);
        return;
      }
      const status = !signatureValid ? 401 : n <= failures ? failStatus : 200;
      received.push({ id: body.id, event: body.event, headers, body, signatureValid, answered: status });
      if (status === 200) acknowledged.push(body.id);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? `ok ${body.id}` : `try again later (${n})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/attest-hook`;
  return r;
}
