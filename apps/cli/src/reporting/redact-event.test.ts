import type { RunEvent } from '@multi-context/events';
import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { redactEvent, redactedEvents } from './redact-event.js';

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

describe('redactedEvents', () => {
  it('redacts each event once for every subscriber, who all get the same object', () => {
    const source = new Subject<RunEvent>();
    const events$ = redactedEvents(source, ['sk-secret-1']);
    const journal: RunEvent[] = [];
    const display: RunEvent[] = [];
    events$.subscribe((e) => journal.push(e));
    events$.subscribe((e) => display.push(e));
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      source.next(event);
      source.next({ ...event, seq: 8, error: { name: 'E', message: 'nothing secret' } });
      expect(stringify).toHaveBeenCalledTimes(2);
    } finally {
      stringify.mockRestore();
    }
    expect(journal).toHaveLength(2);
    expect(display[0]).toBe(journal[0]);
    expect(display[1]).toBe(journal[1]);
    expect(journal[0]!.type === 'task:end' && journal[0]!.error?.message).toBe(
      'bad key [redacted] ([redacted])',
    );
  });
});
