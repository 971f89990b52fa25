import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback (smtp-server) that keeps what it accepts, parsed with mailparser, and
 * answers RCPT TO as the test says: accept, or refuse with a 451 (try later) or a 550 (never).
 */
export interface Smtp {
  port: number;
  messages: ParsedMail[];
  logins: string[];
  refuseWith(code: 0 | 451 | 550): void;
  close(): Promise<void>;
}

export async function startSmtp(credentials: { user: string; pass: string }): Promise<Smtp> {
  const messages: ParsedMail[] = [];
  const logins: string[] = [];
  let refusal: 0 | 451 | 550 = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) {
        logins.push(auth.username ?? '');
        callback(null, { user: auth.username });
      } else callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      if (refusal === 451) return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
      if (refusal === 550) return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((m) => {
          messages.push(m);
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    logins,
    refuseWith(code) {
      refusal = code;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
