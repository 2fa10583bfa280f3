import { defineProvider, ProviderError, type ProviderRequest } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { collect, workflow } from '../test/helpers.js';
import { MultiContextOrchestrator } from './index.js';

/** Answers with `reply(request)` and records every request. */
function scripted(reply: (request: ProviderRequest) => string | Promise<string>) {
  const requests: ProviderRequest[] = [];
  const provider = defineProvider({
    id: 'scripted',
    complete: (request) => {
      requests.push(request);
      return reply(request);
    },
  });
  return { provider, requests };
}

const planSchema = {
  type: 'object',
  required: ['title', 'sections'],
  properties: {
    title: { type: 'string' },
    sections: { type: 'array', items: { type: 'string' }, minItems: 1 },
  },
};

const pipeline = (maxRepairs = 2) =>
  workflow({
    name: 'Pipeline',
    inputs: { topic: { type: 'string' } },
    phases: [
      {
        name: 'Research',
        executionMode: 'parallel',
        tasks: [
          { contextName: 'market', prompt: 'Research {{ inputs.topic }} buyers' },
          { contextName: 'tech', prompt: 'Research {{ inputs.topic }} tooling' },
        ],
      },
      {
        name: 'Plan',
        tasks: [
          {
            id: 'plan',
            contextName: 'writer',
            prompt: 'Plan a post from:\n{{ outputs.market }}\n{{ outputs.tech }}',
            output: { format: 'json', schema: planSchema, maxRepairs },
          },
          {
            id: 'draft',
            contextName: 'writer',
            prompt:
              'Write "{{ outputs.plan.json.title }}" ({{ outputs.plan.json.sections.0 }} first)',
          },
        ],
      },
      {
        name: 'Review',
        tasks: [{ contextName: 'reviewer', prompt: 'Review:\n{{ outputs.draft }}' }],
      },
    ],
  });

describe('data flow between contexts', () => {
  it('renders inputs and earlier outputs into prompts, and parses structured output', async () => {
    const { provider, requests } = scripted(({ taskId, prompt }) => {
      if (taskId === 'plan')
        return '```json\n{ "title": "Tides", "sections": ["intro", "depth"] }\n```';
      return `answer to: ${prompt}`;
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { provider } });
    const run = orchestrator.run(pipeline(), { inputs: { topic: 'CLI tools' } });
    const events = collect(run);
    const result = await run.result;

    expect(result.status).toBe('succeeded');
    const byTask = Object.fromEntries(requests.map((r) => [r.taskId, r.prompt]));
    expect(byTask.market).toBe('Research CLI tools buyers');
    expect(byTask.plan).toBe(
      'Plan a post from:\nanswer to: Research CLI tools buyers\nanswer to: Research CLI tools tooling',
    );
    expect(byTask.draft).toBe('Write "Tides" (intro first)');
    expect(byTask.reviewer).toBe('Review:\nanswer to: Write "Tides" (intro first)');
    const plan = result.phases[1]!.results[0]!;
    expect(plan.json).toEqual({ title: 'Tides', sections: ['intro', 'depth'] });
    expect(events.find((e) => e.type === 'task:end' && e.taskId === 'plan')).toMatchObject({
      json: { title: 'Tides', sections: ['intro', 'depth'] },
    });
    // task:start carries the prompt as sent, and the context keeps it.
    expect(events.find((e) => e.type === 'task:start' && e.taskId === 'draft')).toMatchObject({
      prompt: 'Write "Tides" (intro first)',
    });
    expect(orchestrator.getOrCreateContext('writer').getHistory()[2]).toEqual({
      role: 'user',
      content: 'Write "Tides" (intro first)',
    });
  });

  it('sends an invalid JSON answer back with the problem, and keeps only the accepted answer', async () => {
    const { provider, requests } = scripted(({ taskId }) => {
      if (taskId !== 'plan') return 'notes';
      const planCalls = requests.filter((r) => r.taskId === 'plan').length;
      return planCalls === 1 ? '{ "title": 42 }' : '{"title":"Fixed","sections":["a"]}';
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { provider } });
    const run = orchestrator.run(pipeline(), { inputs: { topic: 't' } });
    const events = collect(run);
    const result = await run.result;
    const plan = result.phases[1]!.results[0]!;
    expect(plan).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      json: { title: 'Fixed', sections: ['a'] },
    });
    const retry = events.find((e) => e.type === 'task:retry' && e.taskId === 'plan');
    expect(retry).toMatchObject({
      attempt: 2,
      delayMs: 0,
      error: { name: 'OutputValidationError' },
    });
    expect((retry as { error: { message: string } }).error.message).toMatch(
      /title: Instance type "number" is invalid\. Expected "string"/,
    );
    expect((retry as { error: { message: string } }).error.message).toMatch(/"sections"/);
    const repair = requests.filter((r) => r.taskId === 'plan')[1]!;
    expect(repair.messages.at(-2)).toEqual({ role: 'assistant', content: '{ "title": 42 }' });
    expect(repair.messages.at(-1)!.content).toMatch(
      /^Your previous answer cannot be used: the JSON does not match the schema/,
    );
    expect(
      orchestrator
        .getOrCreateContext('writer')
        .getHistory()
        .map((m) => m.content),
    ).toEqual([
      'Plan a post from:\nnotes\nnotes',
      '{"title":"Fixed","sections":["a"]}',
      'Write "Fixed" (a first)',
      'notes',
    ]);
  });

  it('fails a task whose answer stays invalid after its repairs, and skips the tasks that use it', async () => {
    const { provider, requests } = scripted(({ taskId }) =>
      taskId === 'plan' ? 'not json at all' : 'notes',
    );
    const orchestrator = new MultiContextOrchestrator({ providers: { provider } });
    const result = await orchestrator.executeWorkflow(pipeline(1), { inputs: { topic: 't' } });
    expect(result.phases[1]!.results[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { name: 'OutputValidationError' },
    });
    expect(result.phases[1]!.results[0]!.error!.message).toMatch(
      /^The answer was rejected after 1 repair: the answer is not valid JSON/,
    );
    expect(result.phases[1]!.results[1]).toMatchObject({
      status: 'skipped',
      attempts: 0,
      error: {
        name: 'TaskSkippedError',
        message: 'Skipped: the prompt uses the output of task "plan", which failed.',
      },
    });
    expect(result.phases[2]!.results[0]).toMatchObject({
      status: 'skipped',
      error: { message: 'Skipped: the prompt uses the output of task "draft", which was skipped.' },
    });
    expect(requests.map((r) => r.taskId)).not.toContain('draft');
    expect(requests.map((r) => r.taskId)).not.toContain('reviewer');
    expect(result.status).toBe('failed');
  });

  it('checks inputs before any call', () => {
    const { provider, requests } = scripted(() => 'x');
    const orchestrator = new MultiContextOrchestrator({ providers: { provider } });
    expect(() => orchestrator.run(pipeline())).toThrowError(/topic/);
    expect(() => orchestrator.run(pipeline(), { inputs: { topic: 'a', topik: 'b' } })).toThrowError(
      /topik/,
    );
    expect(requests).toHaveLength(0);
  });
});

describe('per-phase and per-task control', () => {
  it('limits a parallel phase to max_concurrency tasks at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = defineProvider({
      id: 'slow',
      complete: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return 'ok';
      },
    });
    const tasks = Array.from({ length: 12 }, (_, i) => ({ contextName: `c${i}`, prompt: 'x' }));
    const orchestrator = new MultiContextOrchestrator({ providers: { slow } });
    const limited = await orchestrator.executeWorkflow(
      workflow({
        name: 'w',
        phases: [{ name: 'p', executionMode: 'parallel', maxConcurrency: 3, tasks }],
      }),
    );
    expect(limited.successfulTasks).toBe(12);
    expect(peak).toBe(3);
    peak = 0;
    await orchestrator.executeWorkflow(
      workflow({
        name: 'w',
        phases: [{ name: 'p', executionMode: 'parallel', tasks }],
        config: { maxConcurrency: 5 },
      }),
    );
    expect(peak).toBe(5);
  });

  it('lets a task override retries and timeout, most specific first', async () => {
    let calls = 0;
    const failing = defineProvider({
      id: 'f',
      complete: () => {
        calls++;
        throw new ProviderError({ message: 'down', status: 503, retryable: true });
      },
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { failing },
      retry: { initialDelayMs: 1, maxDelayMs: 2 },
      profiles: { patient: { retry: { retries: 5 } } },
    });
    const result = await orchestrator.executeWorkflow(
      workflow({
        name: 'w',
        config: { retries: 3 },
        phases: [
          {
            name: 'p',
            tasks: [
              { contextName: 'a', prompt: 'x', retries: 1, profile: 'patient' },
              { contextName: 'b', prompt: 'x', profile: 'patient' },
              { contextName: 'c', prompt: 'x' },
            ],
          },
        ],
      }),
    );
    expect(result.phases[0]!.results.map((r) => r.attempts)).toEqual([2, 6, 4]);
    expect(calls).toBe(12);

    const sleepy = defineProvider({
      id: 's',
      complete: ({ signal }) =>
        new Promise<string>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        ),
    });
    const timed = await new MultiContextOrchestrator({ providers: { sleepy } }).executeWorkflow(
      workflow({
        name: 'w',
        config: { timeoutMs: 60_000 },
        phases: [
          { name: 'p', tasks: [{ contextName: 'a', prompt: 'x', timeoutMs: 10, retries: 0 }] },
        ],
      }),
    );
    expect(timed.phases[0]!.results[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { name: 'TaskTimeoutError' },
    });
  });

  it('lets a task decide whether its failure stops the run', async () => {
    const failing = defineProvider({
      id: 'f',
      complete: ({ contextName }) => {
        if (contextName === 'bad') throw new Error('broken');
        return 'ok';
      },
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { failing } });
    const make = (continueOnError: boolean, taskSays: boolean) =>
      workflow({
        name: 'w',
        config: { continueOnError },
        phases: [
          { name: 'one', tasks: [{ contextName: 'bad', prompt: 'x', continueOnError: taskSays }] },
          { name: 'two', tasks: [{ contextName: 'good', prompt: 'x' }] },
        ],
      });
    expect((await orchestrator.executeWorkflow(make(false, true))).phases[1]!.status).toBe(
      'succeeded',
    );
    expect((await orchestrator.executeWorkflow(make(true, false))).phases[1]!.status).toBe(
      'skipped',
    );
  });

  it('sends a context its own system message and keeps its own history limit', async () => {
    const { provider, requests } = scripted(() => 'ok');
    const orchestrator = new MultiContextOrchestrator({
      providers: { provider },
      profiles: { p: { system: 'Profile rules.' } },
    });
    await orchestrator.executeWorkflow(
      workflow({
        name: 'w',
        inputs: { tone: { type: 'string', default: 'dry' } },
        contexts: { notes: { system: 'Keep notes, {{ inputs.tone }}.', maxHistory: 2 } },
        phases: [
          {
            name: 'p',
            tasks: [1, 2, 3].map((i) => ({ contextName: 'notes', prompt: `n${i}`, profile: 'p' })),
          },
        ],
      }),
    );
    expect(requests[2]!.messages).toEqual([
      { role: 'system', content: 'Profile rules.' },
      { role: 'system', content: 'Keep notes, dry.' },
      { role: 'user', content: 'n2' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'n3' },
    ]);
    expect(orchestrator.getOrCreateContext('notes').getHistory()).toHaveLength(2);
  });
});
