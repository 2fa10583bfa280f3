import type { RunEvent } from '@multi-context/events';
import { describe, expect, it } from 'vitest';
import { redactEvent } from './redact-event.js';

const event: RunEvent = {
  type: 'task:retry',
  runId: 'r',
  seq: 3,
  time: 1,
  taskId: 't',
  attempt: 2,
  delayMs: 10,
  error: { name: 'Error', message: 'bad key sk-secret-1 (sk-secret-1)' },
};

describe('redactEvent', () => {
  it('replaces every secret anywhere in the event', () => {
    expect(redactEvent(event, ['sk-secret-1'])).toEqual({
      ...event,
      error: { name: 'Error', message: 'bad key [redacted] ([redacted])' },
    });
  });

  it('returns the same event when it holds no secret, or there are none', () => {
    expect(redactEvent(event, ['sk-other-2'])).toBe(event);
    expect(redactEvent(event, [])).toBe(event);
  });
});
