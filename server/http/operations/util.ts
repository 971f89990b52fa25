import type { Actor } from '../../domain/context';
import { DomainError } from '../../domain/errors';

/** Operations that are not public always have an actor: the adapter refuses them before otherwise. */
export function actorOf(actor: Actor | undefined): Actor {
  if (!actor) throw new DomainError('unauthenticated', 'AUTHENTICATION_REQUIRED', 'Sign in, or send an API token.');
  return actor;
}
