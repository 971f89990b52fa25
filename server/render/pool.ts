import { Worker, type ResourceLimits } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Diagnostic } from '../../variables/diagnostics';
import {
  TEMPLATE_NOT_LOADED,
  WORKER_TEMPLATE_CACHE,
  compiledKey,
  type RenderAnswer,
  type RenderRequest,
  type TemplatePayload,
} from './protocol';
import type { DocumentRenderer } from './renderer';
import type { WarmUpKind } from './warm-up';

/**
 * Renders documents in worker threads. Templates are untrusted: liquidjs's limits are cooperative, so a
 * render that overstays its time is stopped for real by terminating its worker (a fresh one takes its
 * place), and each worker runs under V8 heap limits, so one that runs out of memory dies alone and its
 * job is answered. A bounded queue pushes back when the machine is saturated instead of growing without end.
 *
 * Two lanes share the workers. Issuing documents (the `issue` lane) is what learners wait for; previews,
 * validation and publish checks (the `preview` lane) are a designer's work in progress, may be heavy, and
 * get a shorter time limit and at most a part of the workers, so an issue never waits behind previews.
 * Within the pool, a tenant holds at most its share of the workers while other tenants have work waiting.
 */
export type RenderLane = 'issue' | 'preview';

export interface RenderPoolOptions {
  /** Worker threads; default: one per core. */
  size?: number;
  /** Hard limit for one document of the issue lane, from the moment a worker takes it. */
  timeoutMs?: number;
  /** Issue-lane requests waiting for a worker before new ones are refused with RENDER_BUSY (one tenant:
   *  half of it at most). */
  maxQueue?: number;
  preview?: {
    /** Hard limit for one preview or compile (a publish check gets three times this). Default 5 s. */
    timeoutMs?: number;
    /** Preview-lane requests waiting before new ones are refused with RENDER_BUSY. Default 200. */
    maxQueue?: number;
    /** Workers previews may hold at once; default: half the pool, at least one. The rest are for issues. */
    workers?: number;
  };
  /** V8 limits of each worker (heap sizes in MB); default DEFAULT_WORKER_LIMITS. */
  resourceLimits?: ResourceLimits;
  /**
   * How the pool's own workers warm up (warm-up.ts): `full` (the default) before they serve and for each
   * template they compile to issue; `light`, one small document and one per template, for processes whose
   * speed does not matter (the test suite sets it through ATTEST_RENDER_WARM_UP=light).
   */
  warmUp?: WarmUpKind;
}

/** Enough for a 500-page document (about 450 MB of heap at the output limit); a worker past it dies alone. */
export const DEFAULT_WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 };

/** The caller always gives the template; the pool sends it only to workers that do not hold it yet. */
export interface RenderJob {
  kind?: RenderRequest['kind'];
  /** Default: `issue` for a document that is not a specimen, `preview` for everything else. */
  lane?: RenderLane;
  /** Whose work this is, for the per-tenant share of workers. */
  tenantId?: string;
  templateKey: string;
  template: TemplatePayload;
  data?: unknown;
  /** See RenderRequest.bound. */
  bound?: boolean;
  specimen?: boolean;
  documentId?: string;
  /** See RenderRequest.items and print (a batch). */
  items?: unknown[];
  print?: boolean;
  /** See RenderRequest.language. */
  language?: RenderRequest['language'];
  /** See RenderRequest.protection. */
  protection?: RenderRequest['protection'];
  /** See RenderRequest.signature. */
  signature?: RenderRequest['signature'];
  /** See RenderRequest.attachments. */
  attachments?: RenderRequest['attachments'];
  /** See RenderRequest.archival. */
  archival?: boolean;
}

interface Pending {
  request: RenderRequest;
  template: TemplatePayload;
  lane: RenderLane;
  tenant: string;
  resend: boolean;
  resolve: (answer: RenderAnswer) => void;
}

interface Slot {
  worker: Worker;
  /** A worker says so once its modules are loaded and it has made a first document (worker-start.ts): start-up is not counted against a document. */
  ready: boolean;
  job?: Pending;
  timer?: NodeJS.Timeout;
  /** Mirror of the worker's compiled-template cache, in its eviction order. */
  known: string[];
}

/** What a batch may take per document beyond its lane's limit (a document takes 1–5 ms). */
export const BATCH_MS_PER_DOCUMENT = 50;

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export class RenderPool implements DocumentRenderer {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly limits: Record<RenderLane, { timeoutMs: number; maxQueue: number }>;
  private readonly previewWorkers: number;
  private readonly resourceLimits: ResourceLimits;
  private readonly warmUp: WarmUpKind;
  /** Workers in a row that died before they were ready: a pool whose workers cannot start answers its queue. */
  private failedStarts = 0;
  private started = 0;
  private readyWaiters: (() => void)[] = [];

  constructor(options: RenderPoolOptions = {}) {
    this.limits = {
      issue: { timeoutMs: options.timeoutMs ?? 10_000, maxQueue: options.maxQueue ?? 1_000 },
      preview: { timeoutMs: options.preview?.timeoutMs ?? 5_000, maxQueue: options.preview?.maxQueue ?? 200 },
    };
    this.resourceLimits = options.resourceLimits ?? DEFAULT_WORKER_LIMITS;
    this.warmUp = options.warmUp ?? (process.env.ATTEST_RENDER_WARM_UP === 'light' ? 'light' : 'full');
    // Zero workers is allowed: the CLI's admin commands never render and should not start any.
    const size = Math.max(0, options.size ?? availableParallelism());
    this.previewWorkers = Math.max(1, Math.min(size, options.preview?.workers ?? Math.floor(size / 2)));
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Never rejects: every outcome, including a timeout or a crashed worker, is an answer with diagnostics. */
  render(job: RenderJob): Promise<RenderAnswer> {
    const id = this.nextId++;
    if (this.closed || this.slots.length === 0)
      return Promise.resolve(failure(id, 'RENDER_CLOSED', 'The render service is shutting down.'));
    const { template, kind, lane: asked, tenantId, ...rest } = job;
    const lane = asked ?? ((kind ?? 'render') === 'render' && !job.specimen ? 'issue' : 'preview');
    const tenant = tenantId ?? '';
    const waiting = this.queue.filter((p) => p.lane === lane);
    const max = this.limits[lane].maxQueue;
    // One tenant may fill at most half of a lane's queue, so another tenant's requests still find room.
    if (waiting.length >= max || waiting.filter((p) => p.tenant === tenant).length >= Math.max(1, Math.floor(max / 2))) {
      return Promise.resolve(failure(id, 'RENDER_BUSY', 'Too many documents are waiting to be made; try again shortly.'));
    }
    return new Promise((resolve) => {
      this.queue.push({ request: { ...rest, kind: kind ?? 'render', id }, template, lane, tenant, resend: false, resolve });
      this.dispatch();
    });
  }

  /** Resolves once every worker has loaded its modules (a server can wait for it before taking traffic). */
  async whenReady(): Promise<void> {
    while (!this.closed && this.slots.some((s) => !s.ready)) await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
  }

  /** Workers and waiting requests, for the health endpoint and tests. */
  stats(): { workers: number; busy: number; queued: number } {
    return { workers: this.slots.length, busy: this.slots.filter((s) => s.job).length, queued: this.queue.length };
  }

  /** Workers started since the pool opened (the first ones and every replacement): a stopped job's worker really went. */
  workersStarted(): number {
    return this.started;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.readyWaiters.splice(0)) wake();
    for (const p of this.queue.splice(0)) p.resolve(failure(p.request.id, 'RENDER_CLOSED', 'The render service is shutting down.'));
    await Promise.all(
      this.slots.map((s) => this.finish(s, failure(s.job?.request.id ?? 0, 'RENDER_CLOSED', 'The render service is shutting down.'))),
    );
  }

  /**
   * The pool's first workers warm up fully before they are ready (warm-up.ts); a replacement for a worker
   * that died or was stopped has jobs waiting for it, so it makes one small document and serves.
   */
  private spawn(replacement = false): Slot {
    const warmUp: WarmUpKind = replacement ? 'light' : this.warmUp;
    const worker = new Worker(ENTRY, { resourceLimits: this.resourceLimits, workerData: { warmUp } });
    this.started++;
    const slot: Slot = { worker, ready: false, known: [] };
    worker.on('message', (answer: RenderAnswer | 'ready') => {
      if (answer === 'ready') {
        slot.ready = true;
        this.failedStarts = 0;
        for (const wake of this.readyWaiters.splice(0)) wake();
        this.dispatch();
        return;
      }
      if (!slot.job || slot.job.request.id !== answer.id) return;
      const job = slot.job;
      clearTimeout(slot.timer);
      slot.job = undefined;
      if (answer.diagnostics[0]?.code === TEMPLATE_NOT_LOADED && !job.resend) {
        // The mirror was wrong (the worker evicted it): send again, with the template this time.
        slot.known = slot.known.filter((k) => k !== compiledKey(job.request));
        this.queue.unshift({ ...job, resend: true });
      } else job.resolve(answer);
      this.dispatch();
    });
    // A worker dies of running out of heap (ERR_WORKER_OUT_OF_MEMORY), of a crash in native code, or of an
    // error nothing caught: its job is answered, never left waiting, and a fresh worker takes the place.
    worker.on('error', (e: Error & { code?: string }) =>
      this.replace(slot, 'RENDER_WORKER_DIED', diedMessage(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : 'it failed')),
    );
    worker.on('exit', () => this.replace(slot, 'RENDER_WORKER_DIED', diedMessage('it stopped')));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || !slot.ready) continue;
      const index = this.nextJob();
      if (index < 0) return;
      const next = this.queue.splice(index, 1)[0]!;
      slot.job = next;
      // A check renders one document per sample learner: it gets the time of a few documents, not one.
      const base = this.limits[next.lane].timeoutMs;
      // A batch gets its lane's time plus a bound per document of it (each is a document's render).
      const limit =
        next.request.kind === 'check'
          ? base * 3
          : next.request.kind === 'batch'
            ? base + BATCH_MS_PER_DOCUMENT * (next.request.items?.length ?? 0)
            : base;
      slot.timer = setTimeout(
        () =>
          this.replace(
            slot,
            'RENDER_TIMEOUT',
            `The document took longer than ${limit} ms to make and was stopped; simplify the template (loops, very long tables).`,
          ),
        limit,
      );
      const key = compiledKey(next.request);
      const request: RenderRequest = slot.known.includes(key) ? next.request : { ...next.request, template: next.template };
      if (!slot.known.includes(key)) {
        slot.known.push(key);
        if (slot.known.length > WORKER_TEMPLATE_CACHE) slot.known.shift();
      }
      slot.worker.postMessage(request);
    }
  }

  /**
   * The waiting job a free worker takes next, or -1. Issues before previews; previews only while fewer
   * than their workers are busy with previews; a tenant only below its share of the pool (the pool divided
   * among the tenants with work running or waiting), and among those the tenant holding the fewest
   * workers; then first come, first served.
   */
  private nextJob(): number {
    const held = new Map<string, number>();
    let previews = 0;
    for (const s of this.slots) {
      if (!s.job) continue;
      held.set(s.job.tenant, (held.get(s.job.tenant) ?? 0) + 1);
      if (s.job.lane === 'preview') previews++;
    }
    const tenants = new Set([...held.keys(), ...this.queue.map((p) => p.tenant)]);
    const share = Math.max(1, Math.ceil(this.slots.length / tenants.size));
    let best = -1;
    let bestRank = Infinity;
    for (const [i, p] of this.queue.entries()) {
      const holding = held.get(p.tenant) ?? 0;
      if (holding >= share) continue;
      if (p.lane === 'preview' && previews >= this.previewWorkers) continue;
      const rank = (p.lane === 'issue' ? 0 : 1) * 1e6 + holding * 1e3;
      if (rank < bestRank) [best, bestRank] = [i, rank];
    }
    return best;
  }

  /** Ends a slot's job with a failure and puts a fresh worker in its place. */
  private replace(slot: Slot, code: string, message: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    const id = slot.job?.request.id ?? 0;
    void this.finish(slot, failure(id, code, message));
    if (this.closed) {
      this.slots.splice(index, 1);
      return;
    }
    if (!slot.ready && ++this.failedStarts >= MAX_FAILED_STARTS) {
      // Workers die before they can take anything (limits too small for the modules, a broken install):
      // the waiting jobs are answered now, and new workers are tried again after a pause, not in a loop.
      for (const p of this.queue.splice(0))
        p.resolve(failure(p.request.id, 'RENDER_WORKER_DIED', diedMessage('render workers cannot start on this server')));
      // Until then the place holds the dead slot (not ready, so nothing is dispatched to it).
      const retry = setTimeout(() => {
        if (!this.closed && this.slots[index] === slot) this.slots[index] = this.spawn(true);
      }, RESTART_PAUSE_MS);
      retry.unref();
      return;
    }
    this.slots[index] = this.spawn(true);
    this.dispatch();
  }

  private async finish(slot: Slot, answer: RenderAnswer): Promise<void> {
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    job?.resolve(answer);
    slot.worker.removeAllListeners('exit');
    slot.worker.removeAllListeners('error');
    // The 'error' listener is gone: a late error from a worker being terminated must not crash the server.
    slot.worker.on('error', () => {});
    await slot.worker.terminate();
  }
}

const MAX_FAILED_STARTS = 3;
const RESTART_PAUSE_MS = 1_000;

function diedMessage(why: string): string {
  return `The document could not be made: its render worker died (${why}). If this template keeps doing this, simplify it (very long tables, very large images).`;
}

function failure(id: number, code: string, message: string): RenderAnswer {
  const d: Diagnostic = { stage: 'draw', code, severity: 'error', message };
  return { id, pageCount: 0, diagnostics: [d] };
}
