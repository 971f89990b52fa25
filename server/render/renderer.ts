import type { RenderAnswer } from './protocol';
import type { RenderJob } from './pool';

/**
 * What the domain asks of rendering: a job in, an answer out (never a rejection: failures are answers
 * with diagnostics). The worker pool is one; a test can give another.
 */
export interface DocumentRenderer {
  render(job: RenderJob): Promise<RenderAnswer>;
  /** What /health reports of the workers. */
  stats(): { workers: number; busy: number; queued: number };
}
