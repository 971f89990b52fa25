// The one Node-only file in variables/: a script, never imported by the library (index.ts leaves it out).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { variablesMarkdown } from './docs';

const target = fileURLToPath(new URL('../docs/variables.md', import.meta.url));
writeFileSync(target, variablesMarkdown());
console.log(`wrote ${target}`);
