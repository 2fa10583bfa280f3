import type { RunEvent } from '@multi-context/events';
import { describe, expect, it } from 'vitest';
import { EventHub } from './event-hub.js';
import { now, RunEnvelope } from './run-envelope.js';

function envelope(firstSeq: number) {
  const hub = new EventHub();
  const events: RunEvent[] = [];
  hub.add({ next: (event: RunEvent) => events.push(event) } as never);
  return { envelope: new RunEnvelope('run-1', firstSeq, hub), events };
}

describe('RunEnvelope', () => {
  it('gives every event the run id, the next seq and the time, before the payload', () => {
    const { envelope: env, events } = envelope(7);
    const before = Date.now();
    const at = now();
    env.emit({ type: 'phase:start', phaseIndex: 0, phaseName: 'p' });
    env.taskStart(at, 't', 0, 'c', 'default', 'hi', 'echo', undefined);
    env.taskDelta('t', 'he');
    env.contextMessage(before, 'c', 't', 'user', 'hi');
    env.taskSucceeded(before, 't', 'hello', 1, 3, undefined, undefined);
    env.taskSucceeded(
      before,
      'u',
      '{}',
      2,
      4,
      {},
      { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    );
    // A resume continues the record's seq.
    expect(events.map((e) => e.seq)).toEqual([7, 8, 9, 10, 11, 12]);
    for (const event of events) {
      expect(Object.keys(event).slice(0, 4)).toEqual(['type', 'runId', 'seq', 'time']);
      expect(event.runId).toBe('run-1');
      expect(event.time).toBeGreaterThanOrEqual(before - 1);
      expect(event.time).toBeLessThanOrEqual(Date.now());
    }
    expect(events.map((e) => Object.keys(e).slice(4))).toEqual([
      ['phaseIndex', 'phaseName'],
      ['taskId', 'phaseIndex', 'contextName', 'profile', 'prompt', 'provider'],
      ['taskId', 'text'],
      ['contextName', 'taskId', 'message'],
      ['taskId', 'status', 'response', 'attempts', 'durationMs'],
      ['taskId', 'status', 'response', 'attempts', 'durationMs', 'json', 'usage'],
    ]);
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
  });
});
