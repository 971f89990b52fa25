import type { Db } from '../../storage/db';
import { buildCredential } from './build';
import { signCredential } from './sign';
import { statusSlot } from './status-list';
import type { CredentialFacts, SignedCredential } from './types';

/**
 * The whole issue step for one document: its status slot (taken once, so a regeneration points at the
 * same bit), the credential built from the facts with that entry, signed by the tenant's active key.
 */
export async function issueCredential(
  db: Db,
  input: {
    tenantId: string;
    issueId: string;
    facts: Omit<CredentialFacts, 'status'>;
    statusListUrl: (list: number) => string;
    now: Date;
  },
): Promise<SignedCredential> {
  const slot = await statusSlot(db, input.tenantId, input.issueId);
  const credential = buildCredential({
    ...input.facts,
    status: { statusListCredential: input.statusListUrl(slot.list), statusListIndex: slot.index },
  });
  return signCredential(db, input.tenantId, credential, input.now);
}
