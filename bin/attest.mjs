#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a fresh clone needs no build step before `npx attest`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli/main.ts');
const { serving } = await import('../server/cli/start.ts');
const code = await main(process.argv.slice(2));
// A command that is done ends the process, whatever a library left scheduled (a queue's timers, a pool's
// sockets); a server (start, serve) keeps it until it is stopped.
if (serving()) process.exitCode = code;
else process.exit(code);
