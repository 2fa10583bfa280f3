import { type RunEvent, runEventSchema } from '@multi-context/events';
import { defineProvider, ProviderError } from '@multi-context/provider';
import { filter, Observable } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { collect, contentPipeline, recordingProvider } from '../test/helpers.js';
import { MultiContextOrchestrator } from './index.js';

/** A provider that streams the prompt word by word, on timers, so tasks interleave. */
const wordStreamer = defineProvider({
  id: 'words',
  stream: ({ prompt, contextName }) =>
    new Observable((subscriber) => {
      const words = `${contextName} says ${prompt}`.split(' ');
      let i = 0;
      const tick = () => {
        if (i < words.length) {
          subscriber.next({ type: 'text-delta', text: (i === 0 ? '' : ' ') + words[i++] });
          timer = setTimeout(tick, 1 + (contextName.length % 3));
        } else {
          subscriber.next({
            type: 'finish',
            usage: { inputTokens: 1, outputTokens: words.length },
          });
          subscriber.complete();
        }
      };
      let timer = setTimeout(tick, 1);
      return () => clearTimeout(timer);
    }),
});

/** Checks every ordering promise of design.md on one run's events. */
function assertOrdering(events: RunEvent[]): void {
  expect(events[0]!.type).toBe('run:start');
  expect(events.at(-1)!.type).toBe('run:end');
  expect(events.filter((e) => e.type === 'run:start')).toHaveLength(1);
  expect(events.filter((e) => e.type === 'run:end')).toHaveLength(1);
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));

  let openPhase: number | undefined;
  let lastEndedPhase = -1;
  const taskState = new Map<string, 'started' | 'ended'>();
  for (const event of events) {
    switch (event.type) {
      case 'phase:start':
        expect(openPhase).toBeUndefined();
        expect(event.phaseIndex).toBe(lastEndedPhase + 1);
        openPhase = event.phaseIndex;
        break;
      case 'phase:end':
        expect(event.phaseIndex).toBe(openPhase);
        openPhase = undefined;
        lastEndedPhase = event.phaseIndex;
        break;
      case 'task:start':
        expect(openPhase).toBe(event.phaseIndex);
        expect(taskState.has(event.taskId)).toBe(false);
        taskState.set(event.taskId, 'started');
        break;
      case 'task:delta':
      case 'task:retry':
        expect(openPhase).toBeDefined();
        expect(taskState.get(event.taskId)).toBe('started');
        break;
      case 'task:end':
        expect(openPhase).toBeDefined();
        expect(taskState.get(event.taskId)).not.toBe('ended');
        taskState.set(event.taskId, 'ended');
        break;
      case 'context:message':
      case 'context:trim':
        expect(openPhase).toBeDefined();
        break;
      default:
        break;
    }
  }
  expect(openPhase).toBeUndefined();
  expect([...taskState.values()].every((state) => state === 'ended')).toBe(true);
}

describe('the event stream', () => {
  it('keeps every ordering promise, with contiguous seq, on a streaming run', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { wordStreamer } });
    const run = orchestrator.run(contentPipeline());
    const events = collect(run);
    const result = await run.result;
    assertOrdering(events);
    expect(events.filter((e) => e.type === 'task:end')).toHaveLength(9);
    expect(events.filter((e) => e.type === 'task:delta').length).toBeGreaterThan(9 * 3);
    // Deltas of parallel tasks really interleave, which is what the ordering rules are about.
    const research = events.filter((e) => e.type === 'task:delta').slice(0, 6);
    expect(new Set(research.map((e) => (e as { taskId: string }).taskId)).size).toBeGreaterThan(1);
    // Deltas add up to the response.
    const delta = (taskId: string) =>
      events
        .filter(
          (e): e is Extract<RunEvent, { type: 'task:delta' }> =>
            e.type === 'task:delta' && e.taskId === taskId,
        )
        .map((e) => e.text)
        .join('');
    expect(delta('market_research')).toBe('market_research says market');
    expect(result.phases[0]!.results[0]!.response).toBe('market_research says market');
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded', result });
  });

  it('emits run:start with the plan, and context messages before task:end', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const run = orchestrator.run(contentPipeline());
    const events = collect(run);
    await run.result;
    expect(events[0]).toMatchObject({
      type: 'run:start',
      workflowName: 'Content Creation Pipeline',
      totalTasks: 9,
      phases: [
        {
          name: 'Research',
          executionMode: 'parallel',
          taskIds: ['market_research', 'technical_research', 'competitive_analysis'],
        },
        {
          name: 'Writing',
          executionMode: 'sequential',
          taskIds: ['content_writer', 'technical_writer'],
        },
        {
          name: 'Review',
          executionMode: 'parallel',
          taskIds: ['content_reviewer', 'technical_reviewer'],
        },
        {
          name: 'Polish',
          executionMode: 'sequential',
          taskIds: ['content_writer-2', 'technical_writer-2'],
        },
      ],
    });
    const ofTask = events.filter(
      (e) =>
        ('taskId' in e && e.taskId === 'content_writer') ||
        ('contextName' in e && e.contextName === 'content_writer' && e.seq < 30),
    );
    expect(ofTask.map((e) => e.type)).toEqual([
      'task:start',
      'context:message',
      'context:message',
      'task:end',
    ]);
    expect(ofTask[1]).toMatchObject({ message: { role: 'user', content: 'draft blog' } });
    expect(ofTask[2]).toMatchObject({
      message: { role: 'assistant', content: 'content_writer:draft blog' },
    });
    expect(ofTask[0]).toMatchObject({
      phaseIndex: 1,
      contextName: 'content_writer',
      profile: 'writer',
      prompt: 'draft blog',
    });
    for (const event of events) {
      expect(typeof event.time).toBe('number');
      expect(Math.abs(event.time - Date.now())).toBeLessThan(60_000);
    }
  });

  it("names on task:start the provider's id and the profile's model, when it names one", async () => {
    const orchestrator = new MultiContextOrchestrator({
      providers: { rec: recordingProvider() },
      profiles: { writer: { provider: 'rec', model: 'm-1' } },
      defaultProvider: 'rec',
    });
    const run = orchestrator.run(contentPipeline());
    const events = collect(run);
    await run.result;
    const starts = events.filter((e) => e.type === 'task:start');
    expect(starts.find((e) => e.profile === 'writer')).toMatchObject({
      provider: recordingProvider().id,
      model: 'm-1',
    });
    const general = starts.find((e) => e.profile !== 'writer')!;
    expect(general.provider).toBe(recordingProvider().id);
    expect('model' in general).toBe(false);
  });

  it('stamps each event with the epoch millisecond it happened in, in order', async () => {
    const slowish = defineProvider({
      id: 'slowish',
      complete: ({ prompt }) =>
        new Promise<string>((resolve) => setTimeout(() => resolve(prompt), 15)),
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { slowish } });
    const before = Date.now();
    const run = orchestrator.run(contentPipeline());
    const events = collect(run);
    await run.result;
    const after = Date.now();
    let previous = before;
    for (const event of events) {
      expect(Number.isInteger(event.time)).toBe(true);
      // A millisecond of slack either side: Date.now() and the monotonic clock round apart.
      expect(event.time).toBeGreaterThanOrEqual(previous - 1);
      expect(event.time).toBeLessThanOrEqual(after + 1);
      previous = Math.max(previous, event.time);
    }
    // A task's end is stamped as late after its start as its duration says.
    for (const end of events.filter((event) => event.type === 'task:end')) {
      const start = events.find(
        (event) => event.type === 'task:start' && event.taskId === end.taskId,
      )!;
      expect(end.durationMs).toBeGreaterThanOrEqual(14);
      expect(Math.abs(end.time - start.time - end.durationMs)).toBeLessThanOrEqual(1);
    }
  });

  it('emits events that survive JSON and match their zod schema', async () => {
    const flaky = defineProvider({
      id: 'flaky',
      complete: async ({ contextName }) => {
        if (contextName === 'technical_research')
          throw new ProviderError({ message: 'bad', status: 400 });
        return { text: 'fine', usage: { inputTokens: 3, outputTokens: 4 } };
      },
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { flaky } });
    const run = orchestrator.run(contentPipeline({ maxContextHistory: 1 }));
    const events = collect(run);
    await run.result;
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'run:start',
        'phase:start',
        'phase:end',
        'task:start',
        'task:end',
        'context:message',
        'context:trim',
        'run:end',
      ]),
    );
    for (const event of events) {
      const copy = JSON.parse(JSON.stringify(event));
      expect(copy).toEqual(event);
      expect(runEventSchema.parse(copy)).toEqual(event);
    }
  });

  it('starts on the next turn, so a run handed back by an async function still shows run:start', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const start = async () => {
      await Promise.resolve();
      return orchestrator.run(contentPipeline());
    };
    const run = await start();
    const events = collect(run);
    await run.result;
    expect(events[0]!.type).toBe('run:start');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  });

  it('completes events$ after run:end, and the result resolves after that', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const run = orchestrator.run(contentPipeline());
    const seen: string[] = [];
    run.events$.subscribe({
      next: (e) => seen.push(e.type),
      complete: () => seen.push('complete'),
    });
    await run.result;
    expect(seen.at(-2)).toBe('run:end');
    expect(seen.at(-1)).toBe('complete');
    // A late subscriber is told the stream is over.
    const late = vi.fn();
    run.events$.subscribe({ complete: late });
    expect(late).toHaveBeenCalledOnce();
  });

  it('isolates a subscriber that throws from the run and from other subscribers', async () => {
    const reported: unknown[] = [];
    const orchestrator = new MultiContextOrchestrator({
      providers: { rec: recordingProvider() },
      onSubscriberError: (error, event) => reported.push([(error as Error).message, event?.type]),
    });
    const run = orchestrator.run(contentPipeline());
    run.events$.subscribe(() => {
      throw new Error('boom');
    });
    run.events$.subscribe({
      next: (event) => {
        if (event.type === 'task:end') throw new Error('object boom');
      },
    });
    run.events$.subscribe({
      complete: () => {
        throw new Error('complete boom');
      },
    });
    const fromOn: string[] = [];
    run.on('task:start', () => {
      throw new Error('listener boom');
    });
    run.on('task:start', (e) => fromOn.push(e.taskId));
    const events = collect(run);
    const result = await run.result;
    expect(result.status).toBe('succeeded');
    expect(events.at(-1)!.type).toBe('run:end');
    expect(fromOn).toHaveLength(9);
    expect(reported.filter((r) => (r as string[])[0] === 'boom')).toHaveLength(events.length);
    expect(reported).toContainEqual(['object boom', 'task:end']);
    expect(reported).toContainEqual(['listener boom', 'task:start']);
    // The end of the stream is no event: the handler is told of none.
    expect(reported).toContainEqual(['complete boom', undefined]);
  });

  it('reports a throwing subscriber on the console by default', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const orchestrator = new MultiContextOrchestrator({
        providers: { rec: recordingProvider() },
      });
      const run = orchestrator.run(contentPipeline());
      run.events$.subscribe((e) => {
        if (e.type === 'run:start') throw new Error('first');
      });
      expect((await run.result).status).toBe('succeeded');
      expect(spy).toHaveBeenCalledOnce();
      expect(String(spy.mock.calls[0]![0])).toMatch(
        /subscriber threw on "run:start"; the run goes on/,
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('lets operator chains work on events$', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const run = orchestrator.run(contentPipeline());
    const ends: string[] = [];
    run.events$.pipe(filter((e) => e.type === 'task:end')).subscribe((e) => ends.push(e.type));
    await run.result;
    expect(ends).toHaveLength(9);
  });

  it('offers on/once/off and a * wildcard that see the same events as events$', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const run = orchestrator.run(contentPipeline());
    const all: RunEvent[] = [];
    const starts: string[] = [];
    const firstEnd: string[] = [];
    const removed = vi.fn();
    run.on('*', (e) => all.push(e));
    run.on('task:start', (e) => starts.push(e.taskId));
    run.once('task:end', (e) => firstEnd.push(e.taskId));
    run.on('phase:start', removed);
    run.off('phase:start', removed);
    const viaRx = collect(run);
    await run.result;
    expect(all).toEqual(viaRx);
    expect(starts).toHaveLength(9);
    expect(firstEnd).toEqual(['market_research']);
    expect(removed).not.toHaveBeenCalled();
  });
});
