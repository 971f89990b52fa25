import { describe, expect, it } from 'vitest';
import { isSealed, openStored, sealStored, SEALED_PREFIX } from '../../../server/domain/sealing';

describe('sealed values as they are stored', () => {
  it('say they are sealed, open with their purpose and key only, and never leave the clear text in sight', () => {
    const stored = sealStored('pdf protection password', 'Münster-2026', 'installation key');
    expect(stored.startsWith(SEALED_PREFIX)).toBe(true);
    expect(isSealed(stored)).toBe(true);
    expect(stored).not.toContain('Münster');
    expect(openStored('pdf protection password', stored, 'installation key')).toBe('Münster-2026');
    expect(openStored('smtp password', stored, 'installation key')).toBeUndefined();
    expect(openStored('pdf protection password', stored, 'another key')).toBeUndefined();
    // Sealing twice gives two values (a fresh IV each time), both opening to the same text.
    const again = sealStored('pdf protection password', 'Münster-2026', 'installation key');
    expect(again).not.toBe(stored);
    expect(openStored('pdf protection password', again, 'installation key')).toBe('Münster-2026');
  });

  it('a value without the prefix, or damaged after it, is not opened', () => {
    const stored = sealStored('credential signing key', 'z6Mk…secret', 'k');
    expect(isSealed('plain text')).toBe(false);
    expect(openStored('credential signing key', stored.slice(SEALED_PREFIX.length), 'k')).toBeUndefined();
    expect(openStored('credential signing key', `${SEALED_PREFIX}AAAA${stored.slice(SEALED_PREFIX.length + 4)}`, 'k')).toBeUndefined();
    expect(openStored('credential signing key', `${SEALED_PREFIX}!!`, 'k')).toBeUndefined();
  });
});
