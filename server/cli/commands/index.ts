import type { Register } from '../framework';
import { register as operator } from './operator';
import { register as exportCommand } from './export';
import { register as issuesCommand } from './issues';

/**
 * Every operator command group, one module each (`attest <group> …`). Order is the order of `attest --help`.
 */
export const COMMANDS: readonly Register[] = [issuesCommand, exportCommand, operator];
