import { createHash, createHmac, randomBytes } from 'node:crypto';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from './loader';
import type { CredentialFacts, JsonObject, OpenBadgeCredential, ResultFacts, StatusEntryFacts } from './types';

/**
 * The OpenBadgeCredential of a document, from plain facts (Open Badges 3.0 §8, VC Data Model 2.0). The
 * learner is named by a salted hash of their email (IdentityObject), and by their DID when they gave
 * one: an email in clear would be published with every shared badge.
 */
export function identityHash(email: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(email.trim().toLowerCase() + salt, 'utf8')
    .digest('hex')}`;
}

export const newSalt = (): string => randomBytes(16).toString('base64url');

/**
 * A salt derived from the issue and the installation key: the same for every regeneration of the
 * document without being stored, and unguessable without the key (so the hash cannot be tested against a
 * list of emails by whoever sees the issue id).
 */
export function saltFor(issueId: string): string {
  const secret = process.env.ATTEST_SECRET_KEY ?? '';
  return createHmac('sha256', `attest identity salt\0${secret}`).update(issueId).digest('base64url').slice(0, 22);
}

function resultParts(achievementId: string, results: ResultFacts | undefined): { descriptions: JsonObject[]; results: JsonObject[] } {
  const grade = results?.grade;
  if (!grade) return { descriptions: [], results: [] };
  const id = `${achievementId}#grade`;
  const kind = grade.kind ?? (/^-?\d+(\.\d+)?$/.test(grade.value.trim()) ? 'RawScore' : 'LetterGrade');
  return {
    descriptions: [
      {
        id,
        type: ['ResultDescription'],
        name: 'Grade',
        resultType: kind,
        ...(grade.min !== undefined ? { valueMin: grade.min } : {}),
        ...(grade.max !== undefined ? { valueMax: grade.max } : {}),
      },
    ],
    results: [{ type: ['Result'], resultDescription: id, value: grade.value }],
  };
}

export function statusEntry(status: StatusEntryFacts): JsonObject {
  return {
    id: `${status.statusListCredential}#${status.statusListIndex}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(status.statusListIndex),
    statusListCredential: status.statusListCredential,
  };
}

export function buildCredential(facts: CredentialFacts): OpenBadgeCredential {
  const { issuer, achievement, learner } = facts;
  const { descriptions, results } = resultParts(achievement.id, facts.results);
  const profile: JsonObject = {
    id: issuer.did,
    type: ['Profile'],
    name: issuer.name,
    ...(issuer.url ? { url: issuer.url } : {}),
    ...(issuer.email ? { email: issuer.email } : {}),
    ...(issuer.description ? { description: issuer.description } : {}),
    ...(issuer.image ? { image: { id: issuer.image, type: 'Image' } } : {}),
  };
  const subject: JsonObject = {
    ...(learner.did ? { id: learner.did } : {}),
    type: ['AchievementSubject'],
    identifier: [
      {
        type: 'IdentityObject',
        identityHash: identityHash(learner.email, learner.salt),
        identityType: 'emailAddress',
        hashed: true,
        salt: learner.salt,
      },
    ],
    achievement: {
      id: achievement.id,
      type: ['Achievement'],
      name: achievement.name,
      description: achievement.description,
      criteria: { narrative: achievement.criteria || achievement.description },
      ...(achievement.image ? { image: { id: achievement.image, type: 'Image' } } : {}),
      ...(achievement.hours !== undefined ? { creditsAvailable: achievement.hours } : {}),
      ...(descriptions.length ? { resultDescription: descriptions } : {}),
    },
    ...(facts.results?.hours !== undefined ? { creditsEarned: facts.results.hours } : {}),
    ...(results.length ? { result: results } : {}),
  };
  return {
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: facts.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: achievement.name,
    issuer: profile,
    validFrom: facts.validFrom,
    ...(facts.validUntil ? { validUntil: facts.validUntil } : {}),
    awardedDate: facts.awardedDate ?? facts.validFrom,
    credentialSubject: subject,
    ...(facts.status ? { credentialStatus: statusEntry(facts.status) } : {}),
  };
}
