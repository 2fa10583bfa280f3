import { ProviderError } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { RemoteAttemptError } from './remote-attempt-error.js';
import { parseReplyMessage, rebuildError, reportError } from './reply-message.js';

describe('reportError / rebuildError', () => {
  it('brings a ProviderError back with retryable, status and retryAfterMs', () => {
    const sent = new ProviderError({
      message: 'busy',
      retryable: true,
      status: 429,
      retryAfterMs: 250,
      providerId: 'mock',
    });
    const back = rebuildError(JSON.parse(JSON.stringify(reportError(sent))), 'w1');
    expect(ProviderError.isInstance(back)).toBe(true);
    expect(back).toMatchObject({
      message: 'busy',
      retryable: true,
      status: 429,
      retryAfterMs: 250,
      providerId: 'mock',
    });
  });

  it('brings any other error back as a RemoteAttemptError naming the worker', () => {
    const back = rebuildError(reportError(new TypeError('boom')), 'w1');
    expect(RemoteAttemptError.isInstance(back)).toBe(true);
    expect(back).toMatchObject({ message: 'boom', remoteName: 'TypeError', workerId: 'w1' });
    expect(ProviderError.isInstance(back)).toBe(false);
  });
});

describe('parseReplyMessage', () => {
  it('reads a message and refuses anything else without throwing', () => {
    const message = { job: 'j', worker: 'w', token: 't', seq: 0, kind: 'complete' };
    expect(parseReplyMessage(JSON.stringify(message))).toEqual(message);
    expect(parseReplyMessage('not json')).toBeUndefined();
    expect(parseReplyMessage('{"job":"j","kind":"other"}')).toBeUndefined();
  });
});
