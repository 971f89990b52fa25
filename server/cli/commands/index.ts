import type { Register } from '../framework';
import { register as migrate } from './migrate';

/**
 * Every operator command group, one module each (`attest <group> …`). Order is the order of `attest --help`.
 */
export const COMMANDS: readonly Register[] = [migrate];
