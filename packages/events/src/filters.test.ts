import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { forContext, forPhase, forTask, isEventType, ofType } from './filters.js';
import type { RunEvent, RunEventPayload } from './run-event.js';

const base = { runId: 'r', time: 0 };
let seq = 0;
const e = (event: RunEventPayload): RunEvent => ({ ...base, seq: seq++, ...event }) as RunEvent;

const events: RunEvent[] = [
  e({ type: 'run:start', workflowName: 'w', totalTasks: 2, phases: [] }),
  e({ type: 'phase:start', phaseIndex: 0, phaseName: 'a' }),
  e({
    type: 'task:start',
    taskId: 't1',
    phaseIndex: 0,
    contextName: 'c1',
    profile: 'p',
    prompt: 'x',
  }),
  e({ type: 'task:delta', taskId: 't1', text: 'he' }),
  e({
    type: 'context:message',
    contextName: 'c1',
    taskId: 't1',
    message: { role: 'user', content: 'x' },
  }),
  e({ type: 'task:end', taskId: 't1', status: 'succeeded', attempts: 1, durationMs: 1 }),
  e({ type: 'phase:end', phaseIndex: 0, phaseName: 'a', status: 'succeeded' }),
  e({ type: 'phase:start', phaseIndex: 1, phaseName: 'b' }),
  e({
    type: 'task:start',
    taskId: 't2',
    phaseIndex: 1,
    contextName: 'c2',
    profile: 'p',
    prompt: 'y',
  }),
  e({ type: 'context:trim', contextName: 'c2', removed: 1, remaining: 4 }),
  e({ type: 'task:end', taskId: 't2', status: 'failed', attempts: 2, durationMs: 1 }),
  e({ type: 'phase:end', phaseIndex: 1, phaseName: 'b', status: 'failed' }),
];

const through = <T>(
  operator: (source: ReturnType<typeof from<RunEvent[]>>) => import('rxjs').Observable<T>,
) => lastValueFrom(operator(from(events)).pipe(toArray()));

describe('event filters', () => {
  it('ofType keeps the events of the given types, in order', async () => {
    const ends = await through((s) => s.pipe(ofType('task:end', 'phase:end')));
    expect(ends.map((x) => x.seq)).toEqual([5, 6, 10, 11]);
  });

  it('forTask keeps the events of one task', async () => {
    const t1 = await through((s) => s.pipe(forTask('t1')));
    expect(t1.map((x) => x.type)).toEqual(['task:start', 'task:delta', 'task:end']);
  });

  it('forPhase keeps a phase from its start to its end, context events included', async () => {
    const second = await through((s) => s.pipe(forPhase(1)));
    expect(second.map((x) => x.seq)).toEqual([7, 8, 9, 10, 11]);
    const first = await through((s) => s.pipe(forPhase(0)));
    expect(first.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('forPhase keeps separate state per subscription', async () => {
    const operator = forPhase(0);
    const a = await lastValueFrom(from(events).pipe(operator, toArray()));
    const b = await lastValueFrom(from(events).pipe(operator, toArray()));
    expect(a).toEqual(b);
  });

  it('forContext keeps the events naming one context', async () => {
    const c2 = await through((s) => s.pipe(forContext('c2')));
    expect(c2.map((x) => x.type)).toEqual(['task:start', 'context:trim']);
  });

  it('isEventType narrows', () => {
    const event = events[5]!;
    expect(isEventType(event, 'task:end')).toBe(true);
    expect(isEventType(event, 'task:start', 'run:end')).toBe(false);
    if (isEventType(event, 'task:end')) expect(event.status).toBe('succeeded');
  });
});
