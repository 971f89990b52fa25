import type { Register } from '../framework';
import { register as regenerate } from './regenerate';

/**
 * Every operator command group, one module each (`attest <group> …`). Order is the order of `attest --help`.
 */
export const COMMANDS: readonly Register[] = [regenerate];
