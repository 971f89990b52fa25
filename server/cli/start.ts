import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { openServices } from '../services';
import { seedDemoTenant } from '../domain/demo';
import { listTenants } from '../domain/tenants';
import { isLoopback, publicUrlProblem } from '../domain/public-url';
import { StorageError } from '../storage/database';
import { STORAGE_EVENTS, type StorageEvent } from '../storage/fullness';
import { createApp } from '../http/app';
import { startQueueWorkers } from '../jobs/workers';
import { answerUnparsableRequest } from '../http/client-errors';
import { CliError, EXIT } from './output';
import { selectTenants, workersFrom } from './framework';
import { tenantScope } from '../domain/scope';

export const DEFAULT_DATABASE = 'data/attest.sqlite';
export const EDITOR_DIR = fileURLToPath(new URL('../../editor/dist/', import.meta.url));

/**
 * A client that trickles its headers or body (slowloris) is cut off instead of holding a connection for
 * Node's defaults (1 and 5 minutes); the largest upload (20 MB) still has a minute.
 */
export const CONNECTION_LIMITS = {
  headersTimeout: 10_000,
  requestTimeout: 60_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 2_000,
} as const;
export type ConnectionLimits = Record<keyof typeof CONNECTION_LIMITS, number>;

export interface StartOptions {
  port: string;
  host: string;
  database?: string;
  baseUrl?: string;
  workers?: string;
  trustProxy?: string;
  /** `attest serve --tenant` (repeatable): serve only these tenants; others are answered as unknown. Absent: every tenant. */
  tenant?: string[];
  /** `attest serve --all-tenants`: every tenant, said explicitly (the default). */
  allTenants?: boolean;
  /** Not a flag: tests set these small instead of waiting the real limits. Default CONNECTION_LIMITS. */
  connectionLimits?: Partial<ConnectionLimits>;
}

let running = 0;
/** Whether a server started by this process is still running (bin/attest.mjs then lets the process live). */
export const serving = (): boolean => running > 0;

/** A document is staged and recorded within milliseconds: older unrecorded bytes are left over. */
const SWEEP_GRACE_MS = 10 * 60_000;

/**
 * `attest start` and `attest serve`: migrate, make the demo tenant on a fresh database (its administrator's
 * password and an LMS token printed this once), serve the API, the verification pages and the editor, and
 * say where. With `tenant` (serve --tenant), only those tenants are served and no demo tenant is made.
 * This is the one startup function: whatever else a server process runs (a job-queue worker) starts here
 * and stops in the returned close().
 */
export async function startCommand(
  opts: StartOptions,
  io: { out: (s: string) => void; err: (s: string) => void },
): Promise<{
  close(): Promise<void>;
  /** The public address. */ url: string;
  /** Where it listens, as this machine reaches it. */ listening: string;
  /** The slugs of the tenants it serves, or 'all'. */ tenants: string[] | 'all';
}> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be a port number, not "${opts.port}".`, EXIT.usage);
  const databaseUrl = opts.database ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE;
  const workers = opts.workers === undefined ? undefined : workersFrom(opts.workers);
  // Printed in every document issued from now on: checked before anything is made with it.
  const baseUrl = opts.baseUrl ?? (process.env.PUBLIC_BASE_URL || undefined);
  const problem = baseUrl === undefined ? undefined : publicUrlProblem(baseUrl);
  if (problem) throw new CliError(`--base-url (or PUBLIC_BASE_URL) ${problem}`, EXIT.usage);
  let services: Awaited<ReturnType<typeof openServices>>;
  const provisionalBase = baseUrl ?? `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}`;
  try {
    services = await openServices({ databaseUrl, baseUrl: provisionalBase, ...(workers ? { render: { size: workers } } : {}) });
  } catch (e) {
    if (e instanceof StorageError) throw new CliError(e.message, EXIT.io);
    throw e;
  }
  let tenants: string[] | 'all' = 'all';
  if (opts.tenant?.length && !opts.allTenants) {
    try {
      const served = await selectTenants(services, { tenant: opts.tenant });
      services.scope = tenantScope(served);
      tenants = served.map((t) => t.slug);
      io.out(`Serving ${served.length === 1 ? 'the tenant' : 'the tenants'} ${served.map((t) => t.slug).join(', ')} only.\n`);
    } catch (e) {
      await services.close();
      throw e;
    }
  } else if ((await listTenants(services.storage.db)).length === 0) {
    io.out(`Preparing the demo tenant (bundled templates, certificates, sample people)…\n`);
    const seed = await seedDemoTenant(services);
    if (seed) {
      io.out(
        [
          '',
          'First start: a demo tenant was created. These secrets are shown once and stored only hashed:',
          `  tenant          ${seed.tenant.slug}`,
          `  administrator   ${seed.admin.username} / ${seed.admin.password}`,
          `  LMS API token   ${seed.lmsToken}`,
          `  certificates    ${seed.certificates.map((c) => `${c.name} (${c.id})`).join('\n                  ')}`,
          '',
        ].join('\n') + '\n',
      );
    }
  }
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination({ dest: 2, sync: false }));
  // What the document store tells the operator: a document whose bytes changed, a disk that is full.
  const onStorageEvent = (message: unknown) => {
    const e = message as StorageEvent;
    if (e.event === 'document-corrupt')
      logger.error(e, 'a stored document does not match its SHA-256: it is not served; restore it from a backup');
    else logger.error(e, 'no room left to store a document: free space where the documents are kept');
  };
  subscribe(STORAGE_EVENTS, onStorageEvent);
  const app = createApp(services, {
    logger,
    editorDir: EDITOR_DIR,
    ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
  });
  const server = createServer({ ...CONNECTION_LIMITS, ...opts.connectionLimits }, app)
    .on('clientError', answerUnparsableRequest)
    .listen(port, opts.host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const listening = `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${address.port}`;
  const url = (baseUrl ?? listening).replace(/\/+$/, '');
  services.baseUrl = url;
  io.out(`Attest is listening on ${url}  (database ${services.storage.location}; editor ${url}/ ; API ${url}/api/v1/docs)\n`);
  if (url !== listening) io.out(`  (on this machine: ${listening})\n`);
  if (isLoopback(url)) {
    io.err(
      `Warning: documents issued now print ${url}/verify/… as the address to verify them, a loopback address only this machine can open: their QR codes will not work for anyone else. ` +
        `Pass --base-url https://<your public address> (or set PUBLIC_BASE_URL); a tenant's public_base_url setting takes precedence for that tenant.\n`,
    );
  }
  // What else runs in a server process starts here, each with what stops it (close() runs them in reverse).
  const background: (() => Promise<void>)[] = [];
  // Regeneration work of `attest regenerate` runs (on PostgreSQL, of every process sharing the queue).
  const queueWorkers = startQueueWorkers(services, { log: (message) => logger.info(message) });
  background.push(() => queueWorkers.stop());
  // Bytes a stop left unrecorded (see DocumentFiles.sweep), looked for once the server already answers.
  const stopping = new AbortController();
  const sweeping = services.storage.documents
    .sweep(services.storage.db, new Date(Date.now() - SWEEP_GRACE_MS), stopping.signal)
    .then(({ removed }) => {
      if (removed) logger.info({ removed }, 'documents no issue refers to were removed');
    })
    .catch((e: unknown) => logger.warn({ err: e }, 'looking for documents no issue refers to failed'));
  running++;
  let closed = false;
  return {
    url,
    listening,
    tenants,
    async close() {
      if (!closed) {
        closed = true;
        running--;
      }
      app.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      stopping.abort();
      await sweeping;
      for (const stop of background.reverse()) await stop();
      unsubscribe(STORAGE_EVENTS, onStorageEvent);
      await services.close();
    },
  };
}

/** Stops the server cleanly on Ctrl-C or a service manager's stop (the running requests end first). */
export function stopOnSignal(running: { close(): Promise<void> }): void {
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
