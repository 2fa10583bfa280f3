import { defineProvider } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { collect, contentPipeline, recordingProvider, workflow } from '../test/helpers.js';
import { MultiContextOrchestrator, OrchestratorConfigError } from './index.js';

describe('MultiContextOrchestrator', () => {
  it('runs every phase and task and returns the result shape of design.md', async () => {
    const rec = recordingProvider();
    const orchestrator = new MultiContextOrchestrator({ providers: { rec } });
    const result = await orchestrator.executeWorkflow(contentPipeline());

    expect(result.workflowName).toBe('Content Creation Pipeline');
    expect(result.status).toBe('succeeded');
    expect(result.success).toBe(true);
    expect(result.totalTasks).toBe(9);
    expect(result.successfulTasks).toBe(9);
    expect(result.failedTasks).toBe(0);
    expect(result.phases.map((p) => [p.name, p.executionMode, p.status, p.results.length])).toEqual(
      [
        ['Research', 'parallel', 'succeeded', 3],
        ['Writing', 'sequential', 'succeeded', 2],
        ['Review', 'parallel', 'succeeded', 2],
        ['Polish', 'sequential', 'succeeded', 2],
      ],
    );
    const polish = result.phases[3]!.results[0]!;
    expect(polish).toMatchObject({
      taskId: 'content_writer-2',
      contextName: 'content_writer',
      profile: 'general-assistant',
      status: 'succeeded',
      success: true,
      response: 'content_writer:polish blog',
      attempts: 1,
    });
    expect(polish.durationMs).toBeGreaterThanOrEqual(0);
    expect(rec.requests).toHaveLength(9);
  });

  it('sends each task its own context history plus the prompt, and keeps contexts apart', async () => {
    const rec = recordingProvider();
    const orchestrator = new MultiContextOrchestrator({
      providers: { rec },
      profiles: { writer: { system: 'You write.', model: 'm1', params: { temperature: 0.3 } } },
    });
    await orchestrator.executeWorkflow(contentPipeline());

    const polish = rec.requests.find((r) => r.prompt === 'polish blog')!;
    // The writer context continues its own conversation from phase 2, and only that.
    expect(polish.history).toEqual([
      { role: 'user', content: 'draft blog' },
      { role: 'assistant', content: 'content_writer:draft blog' },
    ]);
    expect(polish.messages).toEqual([...polish.history, { role: 'user', content: 'polish blog' }]);
    expect(polish.profile).toBe('general-assistant');

    const draft = rec.requests.find((r) => r.prompt === 'draft blog')!;
    expect(draft.history).toEqual([]);
    expect(draft.system).toBe('You write.');
    expect(draft.model).toBe('m1');
    expect(draft.params).toEqual({ temperature: 0.3 });
    expect(draft.messages).toEqual([
      { role: 'system', content: 'You write.' },
      { role: 'user', content: 'draft blog' },
    ]);
    expect(draft.contextName).toBe('content_writer');
    expect(draft.taskId).toBe('content_writer');
    expect(draft.signal).toBeInstanceOf(AbortSignal);

    for (const request of rec.requests) {
      for (const message of request.history) {
        if (message.role === 'assistant')
          expect(message.content.startsWith(`${request.contextName}:`)).toBe(true);
      }
    }
    expect(orchestrator.getOrCreateContext('content_writer').getHistory()).toHaveLength(4);
    expect(orchestrator.getOrCreateContext('market_research').getHistory()).toHaveLength(2);
  });

  it('gives the same runId to the run, every event and the result', async () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const run = orchestrator.run(contentPipeline(), { runId: 'run-42' });
    const events = collect(run);
    const result = await run.result;
    expect(run.runId).toBe('run-42');
    expect(result.runId).toBe('run-42');
    expect(new Set(events.map((e) => e.runId))).toEqual(new Set(['run-42']));
    const other = orchestrator.run(contentPipeline());
    expect(other.runId).toMatch(/^[0-9a-f-]{36}$/);
    await other.result;
  });

  it('runs a parallel phase concurrently and a sequential one in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const order: string[] = [];
    const slow = defineProvider({
      id: 'slow',
      complete: async ({ prompt }) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        order.push(`start ${prompt}`);
        await new Promise((r) => setTimeout(r, 20));
        order.push(`end ${prompt}`);
        inFlight--;
        return prompt;
      },
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { slow } });
    await orchestrator.executeWorkflow(
      workflow({
        name: 'w',
        phases: [
          {
            name: 'p',
            executionMode: 'parallel',
            tasks: [1, 2, 3, 4].map((i) => ({ contextName: `c${i}`, prompt: `p${i}` })),
          },
          {
            name: 's',
            executionMode: 'sequential',
            tasks: [1, 2].map((i) => ({ contextName: `c${i}`, prompt: `s${i}` })),
          },
        ],
      }),
    );
    expect(peak).toBe(4);
    expect(order.slice(8)).toEqual(['start s1', 'end s1', 'start s2', 'end s2']);
  });

  it('lets tasks of a parallel phase that share a context take turns in declaration order', async () => {
    const rec = recordingProvider();
    const orchestrator = new MultiContextOrchestrator({ providers: { rec } });
    const result = await orchestrator.executeWorkflow(
      workflow({
        name: 'w',
        phases: [
          {
            name: 'p',
            executionMode: 'parallel',
            tasks: [
              { contextName: 'a', prompt: 'one' },
              { contextName: 'b', prompt: 'other' },
              { contextName: 'a', prompt: 'two' },
            ],
          },
        ],
      }),
    );
    const two = rec.requests.find((r) => r.prompt === 'two')!;
    expect(two.history).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'a:one' },
    ]);
    expect(result.phases[0]!.results.map((r) => r.taskId)).toEqual(['a', 'b', 'a-2']);
  });

  it('honours config.max_context_history', async () => {
    const rec = recordingProvider();
    const orchestrator = new MultiContextOrchestrator({ providers: { rec } });
    const run = orchestrator.run(
      workflow({
        name: 'w',
        phases: [
          {
            name: 'p',
            executionMode: 'sequential',
            tasks: [1, 2, 3].map((i) => ({ contextName: 'a', prompt: `q${i}` })),
          },
        ],
        config: { maxContextHistory: 3 },
      }),
    );
    const events = collect(run);
    await run.result;
    expect(rec.requests[2]!.history).toEqual([
      { role: 'assistant', content: 'a:q1' },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'a:q2' },
    ]);
    expect(orchestrator.getOrCreateContext('a').getHistory()).toHaveLength(3);
    const trims = events.filter((e) => e.type === 'context:trim');
    expect(trims).toEqual([
      expect.objectContaining({ contextName: 'a', removed: 1, remaining: 3 }),
      expect.objectContaining({ contextName: 'a', removed: 1, remaining: 3 }),
      expect.objectContaining({ contextName: 'a', removed: 1, remaining: 3 }),
    ]);
  });

  it('keeps contexts between runs and clears them on request', async () => {
    const rec = recordingProvider();
    const orchestrator = new MultiContextOrchestrator({ providers: { rec } });
    const once = workflow({
      name: 'w',
      phases: [{ name: 'p', tasks: [{ contextName: 'a', prompt: 'hi' }] }],
    });
    await orchestrator.executeWorkflow(once);
    await orchestrator.executeWorkflow(once);
    expect(rec.requests[1]!.history).toHaveLength(2);
    expect(orchestrator.getContextNames()).toEqual(['a']);
    orchestrator.clearContext('a');
    expect(orchestrator.getOrCreateContext('a').getHistory()).toEqual([]);
    await orchestrator.executeWorkflow(once);
    orchestrator.getOrCreateContext('b').addMessage('user', 'x');
    orchestrator.clearAllContexts();
    expect(orchestrator.getOrCreateContext('a').getHistory()).toEqual([]);
    expect(orchestrator.getOrCreateContext('b').getHistory()).toEqual([]);
  });

  it('returns a copy from getHistory()', () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { rec: recordingProvider() } });
    const context = orchestrator.getOrCreateContext('a');
    context.addMessage('user', 'hello');
    const copy = context.getHistory();
    copy.push({ role: 'user', content: 'sneaky' });
    copy[0]!.content = 'changed';
    expect(context.getHistory()).toEqual([{ role: 'user', content: 'hello' }]);
  });

  it('resolves profiles: defined ones to their provider, unknown ones to the default with the name passed along', async () => {
    const a = recordingProvider('a');
    const b = recordingProvider('b');
    const orchestrator = new MultiContextOrchestrator({
      providers: { a, b },
      defaultProvider: 'a',
      profiles: { writer: { provider: 'b', model: 'big' } },
    });
    await orchestrator.executeWorkflow(contentPipeline());
    expect(b.requests.map((r) => r.prompt)).toEqual(['draft blog', 'draft docs']);
    expect(b.requests[0]!.model).toBe('big');
    expect(a.requests.map((r) => r.profile).sort()).toEqual([
      'editor',
      'general-assistant',
      'general-assistant',
      'researcher',
      'researcher',
      'researcher',
      'technical-editor',
    ]);
  });

  it('refuses to start, before any call, when a profile names a missing provider', () => {
    const rec = recordingProvider();
    const orchestrator = new MultiContextOrchestrator({
      providers: { rec },
      profiles: { writer: { provider: 'nope' } },
    });
    expect(() => orchestrator.run(contentPipeline())).toThrowError(
      /Profile "writer" \(used by task "content_writer"\) names provider "nope", which is not one of: rec/,
    );
    expect(rec.requests).toHaveLength(0);
    return expect(orchestrator.executeWorkflow(contentPipeline())).rejects.toSatisfy((error) =>
      OrchestratorConfigError.isInstance(error),
    );
  });

  it('refuses a constructor without providers, a bad default or a non-provider', () => {
    expect(() => new MultiContextOrchestrator({})).toThrowError(/No provider/);
    expect(
      () =>
        new MultiContextOrchestrator({
          providers: { a: recordingProvider() },
          defaultProvider: 'b',
        }),
    ).toThrowError(/defaultProvider "b" is not one of the providers \(a\)/);
    expect(
      () =>
        new MultiContextOrchestrator({
          providers: { a: { id: 'x', complete: async () => 'x' } as never },
        }),
    ).toThrowError(/providers\.a is not a provider/);
  });

  it('needs a default provider when several exist and a profile names none', () => {
    const orchestrator = new MultiContextOrchestrator({
      providers: { a: recordingProvider(), b: recordingProvider() },
    });
    expect(() => orchestrator.run(contentPipeline())).toThrowError(
      /names no provider, and there is no defaultProvider/,
    );
  });

  it('runs a workflow object built by hand in plain JavaScript, without dependsOn', async () => {
    const rec = recordingProvider();
    const handMade = {
      name: 'by hand',
      phases: [
        {
          name: 'p',
          executionMode: 'parallel',
          tasks: [{ id: 'a', contextName: 'a', prompt: 'x' }],
        },
      ],
      config: { maxContextHistory: 50, continueOnError: true },
    };
    const result = await new MultiContextOrchestrator({ providers: { rec } }).executeWorkflow(
      handMade as never,
    );
    expect(result.phases[0]!.results[0]).toMatchObject({ status: 'succeeded', response: 'a:x' });
  });

  it('refuses something that is not a workflow', () => {
    const orchestrator = new MultiContextOrchestrator({ providers: { a: recordingProvider() } });
    expect(() => orchestrator.run({ name: 'x' } as never)).toThrowError(/run\(\) takes a Workflow/);
  });

  it('accepts the original host contract: session.runProfile and session.run_profile', async () => {
    const calls: unknown[] = [];
    const session = {
      runProfile: async (args: { profile: string; prompt: string; history: unknown[] }) => {
        calls.push(args);
        return `reply to ${args.prompt}`;
      },
    };
    const orchestrator = new MultiContextOrchestrator({ session, maxContextHistory: 50 });
    const result = await orchestrator.executeWorkflow(contentPipeline());
    expect(result.successfulTasks).toBe(9);
    expect(calls[0]).toEqual({ profile: 'researcher', prompt: 'market', history: [] });
    expect(calls.at(-1)).toEqual({
      profile: 'general-assistant',
      prompt: 'polish docs',
      history: [
        { role: 'user', content: 'draft docs' },
        { role: 'assistant', content: 'reply to draft docs' },
      ],
    });

    const snake = new MultiContextOrchestrator({ session: { run_profile: async () => 'ok' } });
    expect((await snake.executeWorkflow(contentPipeline())).successfulTasks).toBe(9);

    const bad = new MultiContextOrchestrator({ session: { runProfile: async () => 42 as never } });
    const failed = await bad.executeWorkflow(contentPipeline());
    expect(failed.phases[0]!.results[0]!.error?.message).toMatch(
      /must resolve to a string, got number/,
    );
  });

  it('counts usage per task and per run, with a cost when the profile has a price', async () => {
    const metered = defineProvider({
      id: 'metered',
      complete: async ({ prompt }) => ({
        text: prompt,
        usage: { inputTokens: 10, outputTokens: 5 },
      }),
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { metered },
      profiles: { writer: { price: { inputPerMillion: 3, outputPerMillion: 15 } } },
    });
    const result = await orchestrator.executeWorkflow(contentPipeline());
    expect(result.usage.inputTokens).toBe(90);
    expect(result.usage.outputTokens).toBe(45);
    expect(result.usage.totalTokens).toBe(135);
    const writer = result.phases[1]!.results[0]!;
    expect(writer.usage).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      totalTokens: 15,
      cost: (10 * 3 + 5 * 15) / 1e6,
      currency: 'USD',
    });
    expect(result.phases[0]!.results[0]!.usage).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      totalTokens: 15,
    });
    expect(result.usage.cost).toBeCloseTo(2 * ((10 * 3 + 5 * 15) / 1e6), 12);
    // Per phase and per context: content_writer answered twice (phases 2 and 4), at the writer's price once.
    expect(result.phases.map((p) => p.usage.totalTokens)).toEqual([45, 30, 30, 30]);
    expect(result.contextUsage.content_writer).toEqual({
      inputTokens: 20,
      outputTokens: 10,
      totalTokens: 30,
      cost: (10 * 3 + 5 * 15) / 1e6,
      currency: 'USD',
    });
    expect(result.contextUsage.market_research).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      totalTokens: 15,
    });
    expect(Object.keys(result.contextUsage)).toHaveLength(7);
  });
});
