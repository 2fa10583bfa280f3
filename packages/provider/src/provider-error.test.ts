import { describe, expect, it } from 'vitest';
import {
  isRetryableStatus,
  ProviderAbortError,
  ProviderError,
  parseRetryAfter,
} from './provider-error.js';

describe('ProviderError', () => {
  it('carries retryable, status and retryAfterMs, and is recognised across copies by its marker', () => {
    const error = new ProviderError({
      message: 'slow down',
      status: 429,
      retryable: true,
      retryAfterMs: 1500,
      providerId: 'openai',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProviderError');
    expect([error.retryable, error.status, error.retryAfterMs, error.providerId]).toEqual([
      true,
      429,
      1500,
      'openai',
    ]);
    expect(ProviderError.isInstance(error)).toBe(true);
    // A copy from another install of the package has the same Symbol.for marker.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('multi-context.error.ProviderError')]: true,
    });
    expect(ProviderError.isInstance(foreign)).toBe(true);
    expect(ProviderError.isInstance(new Error('x'))).toBe(false);
    expect(ProviderError.isInstance(null)).toBe(false);
    expect(new ProviderError({ message: 'm' }).retryable).toBe(false);
    expect(ProviderAbortError.isInstance(new ProviderAbortError())).toBe(true);
    expect(ProviderAbortError.isInstance(error)).toBe(false);
  });

  it('knows which statuses a retry may cure', () => {
    expect([408, 409, 429, 500, 502, 503, 504, 529].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 422].some(isRetryableStatus)).toBe(false);
  });

  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(
      parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now),
    ).toBe(5000);
    expect(
      parseRetryAfter(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 00:00:05 GMT' }), now),
    ).toBe(0);
    expect(parseRetryAfter({ 'Retry-After': '2' }, now)).toBe(2000);
    expect(
      parseRetryAfter(new Headers({ 'retry-after-ms': 'soon', 'retry-after': '1' }), now),
    ).toBe(1000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'whenever' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });
});
