import { describe, expect, it } from 'vitest';
import { ProviderError } from './provider-error.js';
import { httpProviderError, redactedProviderError } from './redacted-provider-error.js';

const KEY = 'sk-SENTINEL-7f3a';
const context = { providerId: 'my-api', secrets: [KEY, undefined] };

describe('redactedProviderError', () => {
  it('prefixes the provider id, redacts secrets and keeps a clean cause', () => {
    const cause = new Error('socket hang up');
    const error = redactedProviderError(context, `bad key ${KEY}`, {
      retryable: false,
      cause,
    });
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.message).toBe('my-api: bad key [redacted]');
    expect(error.providerId).toBe('my-api');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
  });

  it('drops a cause in which a secret appears anywhere', () => {
    const cause = new Error('outer', { cause: { body: { echoed: `Bearer ${KEY}` } } });
    const error = redactedProviderError(context, 'HTTP 401', { retryable: false, cause });
    expect(error.cause).toBeUndefined();
  });
});

describe('httpProviderError', () => {
  it('reads retryability from the status and the wait from the headers', () => {
    const limited = httpProviderError(
      context,
      429,
      'slow down',
      new Headers({ 'retry-after': '2' }),
    );
    expect(limited.message).toBe('my-api: HTTP 429: slow down');
    expect([limited.status, limited.retryable, limited.retryAfterMs]).toEqual([429, true, 2000]);

    const denied = httpProviderError(context, 401, `invalid key ${KEY}`);
    expect(denied.message).toBe('my-api: HTTP 401: invalid key [redacted]');
    expect([denied.status, denied.retryable, denied.retryAfterMs]).toEqual([401, false, undefined]);
  });
});
