import { workerData } from 'node:worker_threads';
import { warmUp, warmUpKindOf, warmUpLight } from './warm-up';

/**
 * A render worker's first module. Before the worker says it is ready it makes documents (warm-up.ts), so
 * what its first documents would pay (fonts read and parsed, base subsets encoded, the layout, QR and PDF
 * code run cold and not yet optimised) is start-up time, which the pool does not count against a
 * document's time limit. Then the worker proper.
 */
const kind = warmUpKindOf(workerData);
if (kind === 'light') await warmUpLight();
else await warmUp();
await import('./worker');
