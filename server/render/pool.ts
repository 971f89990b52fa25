import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Diagnostic } from '../../variables/diagnostics';
import { TEMPLATE_NOT_LOADED, WORKER_TEMPLATE_CACHE, type RenderAnswer, type RenderRequest, type TemplatePayload } from './protocol';

/**
 * Renders documents in worker threads. Templates are untrusted: liquidjs's limits are cooperative, so a
 * render that overstays its time is stopped for real by terminating its worker (a fresh one takes its
 * place). A bounded queue pushes back when the machine is saturated instead of growing without end.
 */
export interface RenderPoolOptions {
  /** Worker threads; default: one per core. */
  size?: number;
  /** Hard limit for one document, from the moment a worker takes it. */
  timeoutMs?: number;
  /** Requests waiting for a worker before new ones are refused with RENDER_BUSY. */
  maxQueue?: number;
}

/** The caller always gives the template; the pool sends it only to workers that do not hold it yet. */
export interface RenderJob {
  kind?: RenderRequest['kind'];
  templateKey: string;
  template: TemplatePayload;
  data?: unknown;
  specimen?: boolean;
  documentId?: string;
}

interface Pending {
  request: RenderRequest;
  template: TemplatePayload;
  resend: boolean;
  resolve: (answer: RenderAnswer) => void;
}

interface Slot {
  worker: Worker;
  /** A worker says so once its modules are loaded: start-up time is not counted against a document. */
  ready: boolean;
  job?: Pending;
  timer?: NodeJS.Timeout;
  /** Mirror of the worker's compiled-template cache, in its eviction order. */
  known: string[];
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;

  constructor(options: RenderPoolOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxQueue = options.maxQueue ?? 1_000;
    // Zero workers is allowed: the CLI's admin commands never render and should not start any.
    const size = Math.max(0, options.size ?? availableParallelism());
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Never rejects: every outcome, including a timeout or a crashed worker, is an answer with diagnostics. */
  render(job: RenderJob): Promise<RenderAnswer> {
    const id = this.nextId++;
    if (this.closed || this.slots.length === 0) return Promise.resolve(failure(id, 'RENDER_CLOSED', 'The render service is shutting down.'));
    if (this.queue.length >= this.maxQueue) {
      return Promise.resolve(failure(id, 'RENDER_BUSY', 'Too many documents are waiting to be made; try again shortly.'));
    }
    return new Promise((resolve) => {
      const { template, kind, ...rest } = job;
      this.queue.push({ request: { ...rest, kind: kind ?? 'render', id }, template, resend: false, resolve });
      this.dispatch();
    });
  }

  /** Workers and waiting requests, for the health endpoint and tests. */
  stats(): { workers: number; busy: number; queued: number } {
    return { workers: this.slots.length, busy: this.slots.filter((s) => s.job).length, queued: this.queue.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.resolve(failure(p.request.id, 'RENDER_CLOSED', 'The render service is shutting down.'));
    await Promise.all(this.slots.map((s) => this.finish(s, failure(s.job?.request.id ?? 0, 'RENDER_CLOSED', 'The render service is shutting down.'))));
  }

  private spawn(): Slot {
    const worker = new Worker(ENTRY);
    const slot: Slot = { worker, ready: false, known: [] };
    worker.on('message', (answer: RenderAnswer | 'ready') => {
      if (answer === 'ready') {
        slot.ready = true;
        this.dispatch();
        return;
      }
      if (!slot.job || slot.job.request.id !== answer.id) return;
      const job = slot.job;
      clearTimeout(slot.timer);
      slot.job = undefined;
      if (answer.diagnostics[0]?.code === TEMPLATE_NOT_LOADED && !job.resend) {
        // The mirror was wrong (the worker evicted it): send again, with the template this time.
        slot.known = slot.known.filter((k) => k !== job.request.templateKey);
        this.queue.unshift({ ...job, resend: true });
      } else job.resolve(answer);
      this.dispatch();
    });
    worker.on('error', () => this.replace(slot, 'RENDER_FAILED', 'The document could not be made: its render worker failed.'));
    worker.on('exit', () => {
      if (!this.closed && this.slots.includes(slot) && slot.job) this.replace(slot, 'RENDER_FAILED', 'The document could not be made: its render worker stopped.');
    });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || !slot.ready) continue;
      const next = this.queue.shift();
      if (!next) return;
      slot.job = next;
      // A check renders one document per sample learner: it gets the time of a few documents, not one.
      const limit = next.request.kind === 'check' ? this.timeoutMs * 3 : this.timeoutMs;
      slot.timer = setTimeout(
        () => this.replace(slot, 'RENDER_TIMEOUT', `The document took longer than ${limit} ms to make and was stopped; simplify the template (loops, very long tables).`),
        limit,
      );
      const key = next.request.templateKey;
      const request: RenderRequest = slot.known.includes(key) ? next.request : { ...next.request, template: next.template };
      if (!slot.known.includes(key)) {
        slot.known.push(key);
        if (slot.known.length > WORKER_TEMPLATE_CACHE) slot.known.shift();
      }
      slot.worker.postMessage(request);
    }
  }

  /** Ends a slot's job with a failure and puts a fresh worker in its place. */
  private replace(slot: Slot, code: string, message: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    const id = slot.job?.request.id ?? 0;
    void this.finish(slot, failure(id, code, message));
    if (!this.closed) {
      this.slots[index] = this.spawn();
      this.dispatch();
    } else this.slots.splice(index, 1);
  }

  private async finish(slot: Slot, answer: RenderAnswer): Promise<void> {
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    job?.resolve(answer);
    slot.worker.removeAllListeners('exit');
    await slot.worker.terminate();
  }
}

function failure(id: number, code: string, message: string): RenderAnswer {
  const d: Diagnostic = { stage: 'draw', code, severity: 'error', message };
  return { id, pageCount: 0, diagnostics: [d] };
}
