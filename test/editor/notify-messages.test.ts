import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../editor/i18n';
import { NOTIFY_MESSAGE_KEYS, tn } from '../../editor/app/notify-messages';

afterEach(() => setLocale('en'));

describe('the notification screens’ strings', () => {
  it('has every key in both languages, never empty, with the same placeholders', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of NOTIFY_MESSAGE_KEYS) {
      setLocale('en');
      const en = tn(key);
      setLocale('fr');
      const fr = tn(key);
      expect(en.trim(), key).not.toBe('');
      expect(fr.trim(), key).not.toBe('');
      expect(placeholders(fr), key).toEqual(placeholders(en));
    }
  });

  it('fills placeholders in the locale', () => {
    setLocale('fr');
    expect(tn('hooks.deliveriesOf', { url: 'https://lms.example/x' })).toBe('Envois vers https://lms.example/x');
    setLocale('en');
    expect(tn('messages.resendOf', { recipient: 'rh@example.org' })).toBe('Resend to rh@example.org');
  });
});
