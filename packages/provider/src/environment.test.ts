import { afterEach, describe, expect, it } from 'vitest';
import { readEnv, resolveApiKey } from './environment.js';

const NAME = 'MULTI_CONTEXT_TEST_PROVIDER_KEY';

describe('resolveApiKey', () => {
  afterEach(() => {
    delete process.env[NAME];
  });

  it('prefers the given key, then the variable, and counts empty strings as none', () => {
    expect(resolveApiKey({ apiKey: 'given', apiKeyEnv: NAME })).toBe('given');
    expect(resolveApiKey({ apiKeyEnv: NAME })).toBeUndefined();
    process.env[NAME] = 'from-env';
    expect(readEnv(NAME)).toBe('from-env');
    expect(resolveApiKey({ apiKeyEnv: NAME })).toBe('from-env');
    expect(resolveApiKey({ apiKey: '', apiKeyEnv: NAME })).toBe('from-env');
    process.env[NAME] = '';
    expect(resolveApiKey({ apiKeyEnv: NAME })).toBeUndefined();
  });
});
