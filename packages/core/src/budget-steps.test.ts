import type { RunEvent } from '@multi-context/events';
import { type ChatMessage, defineProvider, type ProviderRequest } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { collect, deferred, workflow } from '../test/helpers.js';
import { MultiContextOrchestrator, recoverRun, type Tool } from './index.js';

/** Every model call costs exactly 1 (one input token at a million per million). */
const ONE_PER_CALL = { inputPerMillion: 1_000_000, outputPerMillion: 0 };
const CALL_USAGE = { inputTokens: 1, outputTokens: 0 };

const lookup: Tool = {
  name: 'lookup',
  description: 'looks a thing up',
  inputSchema: { type: 'object', properties: {} },
  execute: () => 'found',
};

/** The tool steps of the current task so far. */
const stepsSoFar = (messages: readonly ChatMessage[]) =>
  messages.slice(messages.findLastIndex((m) => m.role === 'user') + 1).filter((m) => m.toolCalls)
    .length;

/**
 * Tasks named `loop*` ask for one `lookup` per step until `steps` steps are
 * done, then answer; other tasks answer at once. Every call costs 1. `gates`
 * holds the calls of a task until its promise resolves.
 */
function loopingProvider(steps: number, gates = new Map<string, Promise<void>>()) {
  const requests: ProviderRequest[] = [];
  const provider = defineProvider({
    id: 'looping',
    complete: async (request) => {
      requests.push(request);
      await gates.get(request.taskId);
      const done = stepsSoFar(request.messages);
      if (request.taskId.startsWith('loop') && done < steps) {
        const id = `${request.taskId}-${done + 1}`;
        return { text: '', toolCalls: [{ id, name: 'lookup', input: {} }], usage: CALL_USAGE };
      }
      return { text: `answer ${request.taskId}`, usage: CALL_USAGE };
    },
  });
  return Object.assign(provider, { requests });
}

function orchestratorFor(provider: ReturnType<typeof loopingProvider>) {
  return new MultiContextOrchestrator({
    providers: { provider },
    profiles: { default: { price: ONE_PER_CALL, tools: ['lookup'] } },
    tools: { lookup },
  });
}

const oneLoop = (maxSteps = 10) =>
  workflow({
    name: 'agent',
    phases: [{ name: 'p', tasks: [{ id: 'loop', contextName: 'c', prompt: 'go', maxSteps }] }],
  });

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) =>
  events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

describe('a budget and the model calls inside a task', () => {
  it('records each tool step with what its model call cost', async () => {
    const provider = loopingProvider(2);
    const run = orchestratorFor(provider).run(oneLoop());
    const events = collect(run);
    const result = await run.result;
    const calls = ofType(events, 'task:tool-call');
    expect(calls.map((call) => [call.step, call.usage?.cost])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(calls[0]!.usage).toMatchObject({ inputTokens: 1, outputTokens: 0, currency: 'USD' });
    // The task's end gives the total of its three model calls, the steps included.
    expect(ofType(events, 'task:end')[0]!.usage).toMatchObject({ inputTokens: 3, cost: 3 });
    expect(result.usage).toMatchObject({ inputTokens: 3, cost: 3 });
  });

  it('cancels a tool loop at the step that reaches a hard budget, and resume goes on from there', async () => {
    const provider = loopingProvider(6);
    const run = orchestratorFor(provider).run(oneLoop(), {
      runId: 'r',
      maxCost: 3,
      maxCostHard: true,
    });
    const events = collect(run);
    const result = await run.result;
    // Three model calls, then the budget: the third step's tool call is recorded but not run.
    expect(provider.requests).toHaveLength(3);
    expect(ofType(events, 'task:tool-call')).toHaveLength(3);
    expect(ofType(events, 'task:tool-result')).toHaveLength(2);
    const task = result.phases[0]!.results[0]!;
    expect(task).toMatchObject({ status: 'cancelled', usage: { inputTokens: 3, cost: 3 } });
    expect(result).toMatchObject({
      status: 'cancelled',
      reason: { kind: 'budget', cost: 3, maxCost: 3, hard: true },
    });
    expect(result.usage).toMatchObject({ cost: 3 });
    expect(recoverRun(oneLoop(), events).cost).toBe(3);

    // The recorded steps are not asked again: the run pays for the four calls left.
    const again = loopingProvider(6);
    const resumed = orchestratorFor(again).resume(oneLoop(), { events, maxCost: 10 });
    const resumedEvents = collect(resumed);
    const finished = await resumed.result;
    expect(again.requests).toHaveLength(4);
    expect(ofType(resumedEvents, 'task:tool-result').map((r) => r.step)).toEqual([3, 4, 5, 6]);
    expect(finished).toMatchObject({ status: 'succeeded' });
    expect(finished.phases[0]!.results[0]).toMatchObject({ response: 'answer loop' });
  });

  it('starts no new task once the steps of a task in flight reach a soft budget', async () => {
    // loop takes two tool steps (cost 2) while `other` waits at its gate; the budget is 2.
    // When `other` ends, its slot is free, but `late` must not start: the budget was reached
    // by loop's steps, before any task ended.
    const otherGate = deferred();
    const loopGate = deferred();
    const provider = loopingProvider(2, new Map([['other', otherGate.promise]]));
    const steps: number[] = [];
    const orchestrator = orchestratorFor(provider);
    const wide = workflow({
      name: 'wide',
      phases: [
        {
          name: 'p',
          executionMode: 'parallel',
          maxConcurrency: 2,
          tasks: [
            { id: 'loop', contextName: 'a', prompt: 'go' },
            { id: 'other', contextName: 'b', prompt: 'go' },
            { id: 'late', contextName: 'c', prompt: 'go' },
          ],
        },
      ],
    });
    const run = orchestrator.run(wide, { maxCost: 2 });
    const events = collect(run);
    run.events$.subscribe((event) => {
      if (event.type === 'task:tool-result') {
        steps.push(event.step);
        if (event.step === 2) loopGate.resolve();
      }
    });
    await loopGate.promise;
    otherGate.resolve();
    const result = await run.result;
    expect(steps).toEqual([1, 2]);
    const [loop, other, late] = result.phases[0]!.results;
    // Tasks in flight finish with a soft budget, the tool loop too.
    expect(loop).toMatchObject({ status: 'succeeded', usage: { cost: 3 } });
    expect(other).toMatchObject({ status: 'succeeded', usage: { cost: 1 } });
    expect(late).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(provider.requests.map((r) => r.taskId)).not.toContain('late');
    expect(result).toMatchObject({ status: 'cancelled', reason: { kind: 'budget', cost: 2 } });
    expect(ofType(events, 'run:end')[0]!.result.usage).toMatchObject({ cost: 4 });
  });

  it('counts the calls of a task that failed or had its answer rejected', async () => {
    // max_steps 2: the second step still asks for a tool, so the task fails after two paid calls.
    const provider = loopingProvider(5);
    const run = orchestratorFor(provider).run(oneLoop(2));
    const events = collect(run);
    const result = await run.result;
    const end = ofType(events, 'task:end')[0]!;
    expect(end).toMatchObject({ status: 'failed', usage: { inputTokens: 2, cost: 2 } });
    expect(result.usage).toMatchObject({ cost: 2 });

    // A rejected answer was paid for: the task's usage counts it beside the accepted one.
    let answers = 0;
    const json = defineProvider({
      id: 'json',
      complete: async () => {
        answers++;
        return { text: answers === 1 ? 'not json' : '{"ok":true}', usage: CALL_USAGE };
      },
    });
    const structured = workflow({
      name: 'structured',
      phases: [
        {
          name: 'p',
          tasks: [{ id: 's', contextName: 'c', prompt: 'json please', output: { format: 'json' } }],
        },
      ],
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { json },
      profiles: { default: { price: ONE_PER_CALL } },
    });
    const repaired = await orchestrator.run(structured).result;
    expect(repaired.phases[0]!.results[0]).toMatchObject({
      status: 'succeeded',
      json: { ok: true },
      usage: { inputTokens: 2, cost: 2 },
    });
    expect(answers).toBe(2);

    // With a hard budget of 1, the rejected answer reaches it: the repair is never asked.
    answers = 0;
    const stopped = await orchestrator.run(structured, { maxCost: 1, maxCostHard: true }).result;
    expect(answers).toBe(1);
    expect(stopped.phases[0]!.results[0]).toMatchObject({
      status: 'cancelled',
      usage: { inputTokens: 1, cost: 1 },
    });
    expect(stopped).toMatchObject({ status: 'cancelled', reason: { kind: 'budget', cost: 1 } });
  });

  it('counts the steps of a task a crash cut off in its tool loop when resuming', async () => {
    const provider = loopingProvider(3);
    const run = orchestratorFor(provider).run(oneLoop(), { runId: 'r' });
    const events = collect(run);
    await run.result;
    // The record as a crash would leave it: up to the second step's result, no task end.
    const cut = events.findIndex((e) => e.type === 'task:tool-result' && e.step === 2);
    const record = events.slice(0, cut + 1);
    expect(recoverRun(oneLoop(), record).cost).toBe(2);
    // The whole record: the task's end counts its steps, which are not counted twice.
    expect(recoverRun(oneLoop(), events).cost).toBe(4);
  });

  it('counts the summary of a context in the usage and the budget of the task it was made for', async () => {
    // Notes cost 1 per call; the summariser 10 per call (another profile, its own price).
    let summaries = 0;
    const sum = defineProvider({
      id: 'sum',
      complete: async () => {
        summaries++;
        return { text: `SUMMARY ${summaries}`, usage: CALL_USAGE };
      },
    });
    const main = defineProvider({
      id: 'main',
      complete: async ({ taskId }) => ({ text: `ok ${taskId}`, usage: CALL_USAGE }),
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { main, sum },
      defaultProvider: 'main',
      profiles: {
        default: { price: ONE_PER_CALL },
        condenser: { provider: 'sum', price: { inputPerMillion: 10_000_000, outputPerMillion: 0 } },
      },
    });
    const notes = workflow({
      name: 'notes',
      contexts: {
        notes: { maxHistory: 4, trim: { policy: 'summarize', profile: 'condenser', keepLast: 2 } },
      },
      phases: [
        {
          name: 'p',
          executionMode: 'sequential',
          tasks: Array.from({ length: 5 }, (_, i) => ({
            id: `n${i + 1}`,
            contextName: 'notes',
            prompt: `note ${i + 1}`,
          })),
        },
      ],
    });
    const run = orchestrator.run(notes);
    const events = collect(run);
    const result = await run.result;
    const trims = ofType(events, 'context:trim').filter((trim) => trim.summary !== undefined);
    expect(trims.length).toBe(summaries);
    expect(summaries).toBeGreaterThan(0);
    expect(trims[0]!.usage).toMatchObject({ inputTokens: 1, cost: 10, currency: 'USD' });
    // The task the first summary was made for: its own call (1) and the summary (10).
    const ends = ofType(events, 'task:end');
    const firstTrim = events.indexOf(trims[0]!);
    const summarised = ends.find((end) => events.indexOf(end) > firstTrim)!;
    expect(summarised.usage).toMatchObject({ inputTokens: 2, cost: 11 });
    expect(result.usage).toMatchObject({ cost: 5 + 10 * summaries });

    // A hard budget the summary reaches cancels its task before the task's own call.
    const cheap = await orchestrator.run(notes, { maxCost: 12, maxCostHard: true }).result;
    const statuses = cheap.phases[0]!.results.map((task) => task.status);
    const stopped = statuses.indexOf('cancelled');
    expect(cheap.phases[0]!.results[stopped]).toMatchObject({ attempts: 0, usage: { cost: 10 } });
    expect(cheap).toMatchObject({ status: 'cancelled', reason: { kind: 'budget' } });
  });
});
