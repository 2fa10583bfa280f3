import { describe, expect, it } from 'vitest';
import { describeNetworkError, isTransientNetworkError } from './network-error.js';

describe('isTransientNetworkError', () => {
  it('finds a reset or a cut-off body anywhere in the cause chain', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(isTransientNetworkError(new Error('wrapped', { cause: reset }))).toBe(true);
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(isTransientNetworkError(new TypeError('terminated', { cause: socket }))).toBe(true);
    expect(isTransientNetworkError(new TypeError('fetch failed'))).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isTransientNetworkError(new TypeError('x is not a function'))).toBe(false);
    expect(isTransientNetworkError(new SyntaxError('Unexpected token'))).toBe(false);
    expect(isTransientNetworkError('ECONNRESET')).toBe(false);
  });
});

describe('describeNetworkError', () => {
  it('names the error and its causes', () => {
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(describeNetworkError(new TypeError('terminated', { cause: socket }))).toBe(
      'terminated (other side closed [UND_ERR_SOCKET])',
    );
  });
});
