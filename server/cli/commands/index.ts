import type { Register } from '../framework';
import { register as operator } from './operator';
import { register as exportCommand } from './export';
import { register as batch } from './batch';
import { register as issuesCommand } from './issues';
import { register as tenant } from './tenant';
import { register as person } from './person';
import { register as token } from './token';
import { register as signingKey } from './signing-key';
import { register as template } from './template';
import { register as serve } from './serve';
import { register as migrate } from './migrate';
import { register as regenerate } from './regenerate';
import { register as notifications } from './notifications';
import { register as learner } from './learner';
import { register as issue } from './issue';

/**
 * Every operator command group, one module each (`attest <group> …`). Order is the order of `attest --help`.
 */
export const COMMANDS: readonly Register[] = [
  serve,
  tenant,
  person,
  token,
  signingKey,
  template,
  migrate,
  regenerate,
  notifications,
  issue,
  issuesCommand,
  exportCommand,
  batch,
  learner,
  operator,
];
