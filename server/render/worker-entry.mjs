// Workers start as plain Node: load TypeScript through tsx, as bin/attest.mjs does.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
