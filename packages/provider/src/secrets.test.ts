import { describe, expect, it } from 'vitest';
import { mentionsSecret, redactSecrets } from './secrets.js';

describe('secrets', () => {
  it('redacts every occurrence and ignores missing or tiny secrets', () => {
    expect(redactSecrets('key sk-1234 and sk-1234', ['sk-1234', undefined, 'k'])).toBe(
      'key [redacted] and [redacted]',
    );
  });

  it('finds a secret in a message, a nested body, headers or a cause', () => {
    const secret = 'sk-SENTINEL-123';
    expect(mentionsSecret(new Error(`bad key ${secret}`), [secret])).toBe(true);
    expect(mentionsSecret({ error: { detail: [secret] } }, [secret])).toBe(true);
    expect(mentionsSecret({ headers: new Headers({ 'x-echo': secret }) }, [secret])).toBe(true);
    expect(mentionsSecret(new Error('outer', { cause: new Error(secret) }), [secret])).toBe(true);
    expect(mentionsSecret(new Error('clean'), [secret])).toBe(false);
    expect(mentionsSecret(new Error(secret), [undefined])).toBe(false);
  });
});
