import type { Register } from '../framework';
import { register as tenant } from './tenant';
import { register as person } from './person';
import { register as token } from './token';
import { register as template } from './template';
import { register as serve } from './serve';

/**
 * Every operator command group, one module each (`attest <group> …`). Order is the order of `attest --help`.
 */
export const COMMANDS: readonly Register[] = [tenant, person, token, template, serve];
