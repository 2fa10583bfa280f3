import type { RunEvent } from '@multi-context/events';
import {
  type ChatMessage,
  defineProvider,
  type Provider,
  ProviderError,
  type ProviderRequest,
} from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { collect, deferred, workflow } from '../test/helpers.js';
import { MultiContextOrchestrator, OrchestratorConfigError, type Tool } from './index.js';

const addSchema = {
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' } },
  required: ['a', 'b'],
  additionalProperties: false,
};

function tool(name: string, execute: Tool['execute'], extra: Partial<Tool> = {}): Tool {
  return { name, description: `the ${name} tool`, inputSchema: addSchema, execute, ...extra };
}

/** The tool steps of the current task so far: assistant messages with calls after its prompt. */
function stepsSoFar(messages: readonly ChatMessage[]): number {
  const prompt = messages.findLastIndex((m) => m.role === 'user');
  return messages.slice(prompt + 1).filter((m) => m.toolCalls !== undefined).length;
}

/** Asks for `calls(step)` tool calls while `calls` gives some, then answers with the results it saw. */
function scripted(
  calls: (step: number, request: ProviderRequest) => { name: string; input: unknown }[],
): Provider & { requests: ProviderRequest[] } {
  const requests: ProviderRequest[] = [];
  const provider = defineProvider({
    id: 'scripted',
    complete: async (request) => {
      requests.push(request);
      const step = stepsSoFar(request.messages) + 1;
      const wanted = calls(step, request);
      if (wanted.length > 0) {
        return {
          text: step === 1 ? 'let me check' : '',
          toolCalls: wanted.map((call, i) => ({ id: `${request.taskId}-${step}-${i}`, ...call })),
          usage: { inputTokens: 1, outputTokens: 1 },
        };
      }
      const results = request.messages.filter((m) => m.role === 'tool').map((m) => m.content);
      return { text: `done: ${results.join(', ')}`, usage: { inputTokens: 1, outputTokens: 1 } };
    },
  });
  return Object.assign(provider, { requests });
}

const oneTask = (maxSteps?: number) =>
  workflow({
    name: 'tools',
    phases: [
      {
        name: 'p',
        tasks: [{ id: 't', contextName: 'c', prompt: 'add things', profile: 'agent', maxSteps }],
      },
    ],
  });

function orchestrator(provider: Provider, tools: Record<string, Tool>, extra = {}) {
  return new MultiContextOrchestrator({
    providers: { main: provider },
    profiles: { agent: { provider: 'main', tools: Object.keys(tools) } },
    tools,
    ...extra,
  });
}

const typesOf = (events: RunEvent[]) => events.map((e) => e.type);

describe('the agent loop', () => {
  it('runs the tool calls, sends their results back and keeps every step in the context', async () => {
    const provider = scripted((step) =>
      step === 1 ? [{ name: 'add', input: { a: 2, b: 3 } }] : [],
    );
    const seen: unknown[] = [];
    const add = tool('add', (input) => {
      seen.push(input);
      const { a, b } = input as { a: number; b: number };
      return { sum: a + b };
    });
    const orch = orchestrator(provider, { add });
    const run = orch.run(oneTask());
    const events = collect(run);
    const result = await run.result;
    expect(result.phases[0]!.results[0]).toMatchObject({
      status: 'succeeded',
      response: 'done: {"sum":5}',
      attempts: 2,
      usage: { inputTokens: 2, outputTokens: 2, totalTokens: 4 },
    });
    expect(seen).toEqual([{ a: 2, b: 3 }]);
    expect(provider.requests[0]!.tools).toEqual([
      { name: 'add', description: 'the add tool', inputSchema: addSchema },
    ]);
    const second = provider.requests[1]!;
    expect(second.messages.slice(-3)).toEqual([
      { role: 'user', content: 'add things' },
      {
        role: 'assistant',
        content: 'let me check',
        toolCalls: [{ id: 't-1-0', name: 'add', input: { a: 2, b: 3 } }],
      },
      { role: 'tool', content: '{"sum":5}', toolCallId: 't-1-0', toolName: 'add' },
    ]);
    expect(second.history.slice(-3)).toEqual(second.messages.slice(-3));
    expect(typesOf(events).filter((t) => t.startsWith('task:') || t === 'context:message')).toEqual(
      [
        'task:start',
        'task:tool-call',
        'task:tool-result',
        'context:message',
        'context:message',
        'context:message',
        'context:message',
        'task:end',
      ],
    );
    const call = events.find((e) => e.type === 'task:tool-call');
    expect(call).toMatchObject({
      step: 1,
      toolCallId: 't-1-0',
      tool: 'add',
      arguments: { a: 2, b: 3 },
      text: 'let me check',
    });
    expect(events.find((e) => e.type === 'task:tool-result')).toMatchObject({
      step: 1,
      result: '{"sum":5}',
    });
    expect(
      orch
        .getOrCreateContext('c')
        .getHistory()
        .map((m) => m.role),
    ).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });

  it('runs the calls of one step in parallel and keeps their results in call order', async () => {
    const provider = scripted((step) =>
      step === 1
        ? [
            { name: 'slow', input: { a: 1, b: 0 } },
            { name: 'fast', input: { a: 2, b: 0 } },
          ]
        : [],
    );
    const gate = deferred();
    let running = 0;
    let most = 0;
    const track = async (value: string, wait: Promise<void> | undefined) => {
      running++;
      most = Math.max(most, running);
      if (wait !== undefined) await wait;
      running--;
      return value;
    };
    const slow = tool('slow', () => track('S', gate.promise));
    const fast = tool('fast', async () => {
      const out = await track('F', undefined);
      gate.resolve();
      return out;
    });
    const result = await orchestrator(provider, { slow, fast }).run(oneTask()).result;
    expect(most).toBe(2);
    expect(result.phases[0]!.results[0]!.response).toBe('done: S, F');
  });

  it('answers a throw, a timeout, bad arguments, bad content and an unknown tool with error results', async () => {
    const provider = scripted((step) =>
      step === 1
        ? [
            { name: 'throws', input: { a: 1, b: 1 } },
            { name: 'hangs', input: { a: 1, b: 1 } },
            { name: 'strict', input: { a: 'x' } },
            { name: 'bigint', input: { a: 1, b: 1 } },
            { name: 'nope', input: {} },
          ]
        : [],
    );
    let strictRan = false;
    let hangSignal: AbortSignal | undefined;
    const tools = {
      throws: tool('throws', () => {
        throw new Error('kaput');
      }),
      hangs: tool(
        'hangs',
        (_input, { signal }) => {
          hangSignal = signal;
          return new Promise(() => {});
        },
        { timeoutMs: 20 },
      ),
      strict: tool('strict', () => {
        strictRan = true;
        return 'ran';
      }),
      bigint: tool('bigint', () => ({ n: 1n })),
    };
    const run = orchestrator(provider, tools).run(oneTask());
    const events = collect(run);
    const result = await run.result;
    expect(result.success).toBe(true);
    expect(strictRan).toBe(false);
    expect(hangSignal?.aborted).toBe(true);
    const results = events.filter((e) => e.type === 'task:tool-result');
    // Each in the order it ended: the ones that end at once in call order, the timeout last.
    expect(results.map((e) => [e.tool, e.error?.name])).toEqual([
      ['throws', 'Error'],
      ['strict', 'ToolInputError'],
      ['bigint', 'ToolOutputError'],
      ['nope', 'UnknownToolError'],
      ['hangs', 'ToolTimeoutError'],
    ]);
    const tool2 = provider.requests[1]!.messages.filter((m) => m.role === 'tool');
    expect(tool2.map((m) => [m.toolName, m.isError])).toEqual([
      ['throws', true],
      ['hangs', true],
      ['strict', true],
      ['bigint', true],
      ['nope', true],
    ]);
    expect(tool2[0]!.content).toBe('kaput');
    expect(tool2[2]!.content).toMatch(
      /^Invalid arguments for the tool "strict": .*property "b".* a: Instance type "string"/,
    );
  });

  it('fails the task at max_steps with the reason, and retries a failed step alone', async () => {
    let failures = 1;
    const base = scripted(() => [{ name: 'add', input: { a: 1, b: 1 } }]);
    const flaky = defineProvider({
      id: 'flaky',
      stream: (request) => {
        if (stepsSoFar(request.messages) === 1 && failures-- > 0) {
          return defineProvider({
            id: 'x',
            complete: () => {
              throw new ProviderError({ message: 'overloaded', retryable: true });
            },
          }).stream(request);
        }
        return base.stream(request);
      },
    });
    const run = orchestrator(
      flaky,
      { add: tool('add', () => 2) },
      { retry: { baseDelayMs: 1 } },
    ).run(oneTask(3));
    const events = collect(run);
    const result = await run.result;
    const task = result.phases[0]!.results[0]!;
    expect(task.status).toBe('failed');
    expect(task.error).toMatchObject({
      name: 'MaxStepsError',
      message: expect.stringContaining('max_steps (3)'),
    });
    expect(events.filter((e) => e.type === 'task:tool-result')).toHaveLength(2);
    expect(base.requests).toHaveLength(3);
  });

  it('aborts tool calls in flight on cancel and ends the task cancelled without their results', async () => {
    const provider = scripted((step) =>
      step === 1 ? [{ name: 'wait', input: { a: 1, b: 1 } }] : [],
    );
    const started = deferred<AbortSignal>();
    const wait = tool('wait', (_input, { signal }) => {
      started.resolve(signal);
      return new Promise(() => {});
    });
    const run = orchestrator(provider, { wait }).run(oneTask());
    const events = collect(run);
    const signal = await started.promise;
    run.cancel('stop');
    const result = await run.result;
    expect(signal.aborted).toBe(true);
    expect(result.phases[0]!.results[0]!.status).toBe('cancelled');
    expect(events.some((e) => e.type === 'task:tool-result')).toBe(false);
    expect(events.some((e) => e.type === 'context:message')).toBe(false);
  });

  it('refuses unknown tool names and tools on a text-only provider before anything runs', () => {
    const provider = scripted(() => []);
    expect(() =>
      new MultiContextOrchestrator({
        providers: { main: provider },
        profiles: { agent: { tools: ['missing'] } },
      }).run(oneTask()),
    ).toThrow(OrchestratorConfigError);
    const legacy: Provider = { ...provider, specificationVersion: 'v1' };
    expect(() => orchestrator(legacy, { add: tool('add', () => 1) }).run(oneTask())).toThrow(
      /specification v1 and cannot call tools/,
    );
  });

  it('tells a text-only provider of an earlier task about the tool calls in words', async () => {
    const agent = scripted((step) => (step === 1 ? [{ name: 'add', input: { a: 1, b: 1 } }] : []));
    const seen: ProviderRequest[] = [];
    const legacy: Provider = {
      ...defineProvider({
        id: 'legacy',
        complete: (request) => {
          seen.push(request);
          return 'ok';
        },
      }),
      specificationVersion: 'v1',
    };
    const orch = new MultiContextOrchestrator({
      providers: { main: agent, legacy },
      profiles: { agent: { provider: 'main', tools: ['add'] }, plain: { provider: 'legacy' } },
      tools: { add: tool('add', () => 2) },
    });
    const flow = workflow({
      name: 'mixed',
      phases: [
        {
          name: 'p',
          tasks: [
            { contextName: 'c', prompt: 'add', profile: 'agent' },
            { contextName: 'c', prompt: 'summarise', profile: 'plain' },
          ],
        },
      ],
    });
    await orch.run(flow).result;
    const roles = seen[0]!.messages.map((m) => m.role);
    expect(roles).not.toContain('tool');
    expect(seen[0]!.messages.some((m) => m.toolCalls !== undefined)).toBe(false);
    expect(seen[0]!.messages[2]!.content).toBe(
      '[result of add (t-1-0)]: 2'.replace(
        't-1-0',
        seen[0]!.messages[1]!.content.match(/as (\S+)\]/)![1]!,
      ),
    );
  });
});
