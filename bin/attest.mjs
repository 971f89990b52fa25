#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a fresh clone needs no build step before `npx attest`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
