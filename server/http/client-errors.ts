import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorMessage } from '../domain/error-codes';

/**
 * Requests Node's HTTP parser refuses never reach the app (headers over 16 KB, bytes that are not HTTP, a
 * client too slow to send its headers): they still get the JSON error every other refusal gets, with a
 * stable code, instead of Node's bare status line.
 */
export function answerUnparsableRequest(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ([431, 'HEADERS_TOO_LARGE'] as const)
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ([408, 'REQUEST_TIMEOUT'] as const)
        : ([400, 'REQUEST_MALFORMED'] as const);
  // No header was read, Accept-Language included: the catalogue's English.
  const body = JSON.stringify({ error: { code, message: errorMessage(code, 'en') } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
