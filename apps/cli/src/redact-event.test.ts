import type { RunEvent } from '@multi-context/events';
import { describe, expect, it } from 'vitest';
import { redactEvent } from './redact-event.js';

const event: RunEvent = {
  type: 'task:end',
  runId: 'r',
  seq: 7,
  time: 2,
  taskId: 't',
  status: 'failed',
  error: { name: 'ProviderError', message: 'bad key sk-secret-1 (sk-secret-1)' },
  attempts: 1,
  durationMs: 12,
};

describe('redactEvent', () => {
  it('replaces every secret anywhere in the event', () => {
    expect(redactEvent(event, ['sk-secret-1'])).toEqual({
      ...event,
      error: { name: 'ProviderError', message: 'bad key [redacted] ([redacted])' },
    });
  });

  it('returns the same event when it holds no secret, or there are none', () => {
    expect(redactEvent(event, ['sk-other-2'])).toBe(event);
    expect(redactEvent(event, [])).toBe(event);
  });
});
