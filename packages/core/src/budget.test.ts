import type { RunEvent } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { collect, deferred, workflow } from '../test/helpers.js';
import { MultiContextOrchestrator, OrchestratorConfigError } from './index.js';

/** Every call costs exactly 1 (one input token at a million per million). */
const ONE_PER_CALL = { inputPerMillion: 1_000_000, outputPerMillion: 0 };

/** A provider whose calls cost 1 each and answer at once; it counts its calls by task. */
function paidProvider(calls: string[]) {
  return defineProvider({
    id: 'paid',
    complete: async ({ taskId, prompt }) => {
      calls.push(taskId);
      return { text: `done ${prompt}`, usage: { inputTokens: 1, outputTokens: 0 } };
    },
  });
}

/** Two phases: four sequential tasks, then one more. */
function fourThenOne(maxCost?: number) {
  return workflow({
    name: 'budgeted',
    phases: [
      {
        name: 'Steps',
        executionMode: 'sequential',
        tasks: ['a', 'b', 'c', 'd'].map((id) => ({ id, contextName: 'ctx', prompt: id })),
      },
      { name: 'Last', tasks: [{ id: 'e', contextName: 'other', prompt: 'e' }] },
    ],
    config: maxCost === undefined ? {} : { maxCost },
  });
}

function orchestratorWith(calls: string[], price = ONE_PER_CALL) {
  return new MultiContextOrchestrator({
    providers: { paid: paidProvider(calls) },
    profiles: { default: { price } },
  });
}

const statuses = (events: RunEvent[]) =>
  Object.fromEntries(
    events.flatMap((event) => (event.type === 'task:end' ? [[event.taskId, event.status]] : [])),
  );

describe('a run budget', () => {
  it('starts no new task once the cost reaches it, and ends cancelled with a budget reason', async () => {
    const calls: string[] = [];
    const run = orchestratorWith(calls).run(fourThenOne(), { runId: 'r', maxCost: 2 });
    const events = collect(run);
    const result = await run.result;

    expect(calls).toEqual(['a', 'b']);
    expect(statuses(events)).toEqual({
      a: 'succeeded',
      b: 'succeeded',
      c: 'cancelled',
      d: 'cancelled',
      e: 'cancelled',
    });
    const c = result.phases[0]!.results[2]!;
    expect(c).toMatchObject({ attempts: 0, error: { name: 'BudgetReachedError' } });
    expect(c.error!.message).toBe(
      "Not started: the run's cost 2.0000 USD reached its budget of 2.0000 USD: no new task started.",
    );
    const reason = {
      kind: 'budget',
      message: "the run's cost 2.0000 USD reached its budget of 2.0000 USD: no new task started",
      maxCost: 2,
      cost: 2,
      currency: 'USD',
      hard: false,
    };
    expect(result).toMatchObject({ status: 'cancelled', success: false, reason });
    expect(result.usage).toMatchObject({ cost: 2, currency: 'USD' });
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'run:end', status: 'cancelled', reason });
  });

  it('lets the tasks in flight finish', async () => {
    const calls: string[] = [];
    const gates = new Map(['a', 'b', 'c', 'd'].map((id) => [id, deferred()]));
    const provider = defineProvider({
      id: 'gated',
      complete: async ({ taskId }) => {
        calls.push(taskId);
        await gates.get(taskId)!.promise;
        return { text: taskId, usage: { inputTokens: 1, outputTokens: 0 } };
      },
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { provider },
      profiles: { default: { price: ONE_PER_CALL } },
    });
    const parallel = workflow({
      name: 'wide',
      phases: [
        {
          name: 'All',
          executionMode: 'parallel',
          maxConcurrency: 2,
          tasks: ['a', 'b', 'c', 'd'].map((id) => ({ id, contextName: id, prompt: id })),
        },
      ],
    });
    const run = orchestrator.run(parallel, { maxCost: 1 });
    const events = collect(run);
    await until(() => calls.length === 2);
    gates.get('a')!.resolve();
    await until(() => statuses(events).a === 'succeeded');
    // a reached the budget while b was in flight: b finishes, c and d never start.
    gates.get('b')!.resolve();
    const result = await run.result;
    expect(calls).toEqual(['a', 'b']);
    expect(result.phases[0]!.results.map((task) => task.status)).toEqual([
      'succeeded',
      'succeeded',
      'cancelled',
      'cancelled',
    ]);
    expect(result.reason).toMatchObject({ kind: 'budget', cost: 1, maxCost: 1, hard: false });
    // The reason says what the cost was when the budget was reached; the usage, what the run cost in the end.
    expect(result.usage.cost).toBe(2);
  });

  it('cancels the tasks in flight when it is hard', async () => {
    const calls: string[] = [];
    const gate = deferred();
    const provider = defineProvider({
      id: 'slow',
      complete: ({ taskId, signal }) => {
        calls.push(taskId);
        if (taskId === 'a') return gate.promise.then(() => ({ text: 'a', usage: cheap }));
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
      },
    });
    const cheap = { inputTokens: 1, outputTokens: 0 };
    const orchestrator = new MultiContextOrchestrator({
      providers: { provider },
      profiles: { default: { price: ONE_PER_CALL } },
    });
    const parallel = workflow({
      name: 'wide',
      phases: [
        {
          name: 'All',
          executionMode: 'parallel',
          maxConcurrency: 2,
          tasks: ['a', 'b', 'c'].map((id) => ({ id, contextName: id, prompt: id })),
        },
      ],
    });
    const run = orchestrator.run(parallel, { maxCost: 1, maxCostHard: true });
    await until(() => calls.length === 2);
    gate.resolve();
    const result = await run.result;
    const [a, b, c] = result.phases[0]!.results;
    expect(calls).toEqual(['a', 'b']);
    expect(a!.status).toBe('succeeded');
    expect(b).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(b!.error!.message).toMatch(/reached its budget of 1\.0000 USD: the tasks in flight/);
    expect(c).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(result).toMatchObject({ status: 'cancelled', reason: { kind: 'budget', hard: true } });
  });

  it('takes config.maxCost of the workflow, and a run option overrides it', async () => {
    const calls: string[] = [];
    const byConfig = await orchestratorWith(calls).run(fourThenOne(1)).result;
    expect(calls).toEqual(['a']);
    expect(byConfig.reason?.maxCost).toBe(1);
    calls.length = 0;
    const byOption = await orchestratorWith(calls).run(fourThenOne(1), { maxCost: 100 }).result;
    expect(byOption.status).toBe('succeeded');
    expect(byOption).not.toHaveProperty('reason');
    expect(calls).toHaveLength(5);
  });

  it('ends as its tasks did when the budget is reached by the last task', async () => {
    const calls: string[] = [];
    const result = await orchestratorWith(calls).run(fourThenOne(), { maxCost: 5 }).result;
    expect(result.status).toBe('succeeded');
    expect(result).not.toHaveProperty('reason');
  });

  it('refuses a budget that is not a positive number', () => {
    expect(() => orchestratorWith([]).run(fourThenOne(), { maxCost: 0 })).toThrow(
      OrchestratorConfigError,
    );
    expect(() => orchestratorWith([]).run(fourThenOne(), { maxCost: Number.NaN })).toThrow(
      /maxCost must be a positive number, got NaN/,
    );
  });
});

describe('resuming a run its budget stopped', () => {
  async function stopped() {
    const calls: string[] = [];
    const run = orchestratorWith(calls).run(fourThenOne(), { runId: 'r', maxCost: 2 });
    const events = collect(run);
    await run.result;
    return events;
  }

  it('finishes with a higher budget without running the tasks that ended again', async () => {
    const events = await stopped();
    const calls: string[] = [];
    const resumed = orchestratorWith(calls).resume(fourThenOne(), { events, maxCost: 10 });
    const result = await resumed.result;
    expect(calls).toEqual(['c', 'd', 'e']);
    expect(result.status).toBe('succeeded');
    expect(result).not.toHaveProperty('reason');
    expect(result.successfulTasks).toBe(5);
    expect(result.usage).toMatchObject({ cost: 5, currency: 'USD' });
  });

  it("counts the earlier sessions' cost: the same budget starts nothing", async () => {
    const events = await stopped();
    const calls: string[] = [];
    const result = await orchestratorWith(calls).resume(fourThenOne(), { events, maxCost: 2 })
      .result;
    expect(calls).toEqual([]);
    expect(result).toMatchObject({ status: 'cancelled', reason: { cost: 2, maxCost: 2 } });
  });

  it('keeps the budget the run was recorded with when the resume gives none', async () => {
    const calls: string[] = [];
    const run = orchestratorWith(calls).run(fourThenOne(), {
      runId: 'r',
      maxCost: 3,
      maxCostHard: true,
    });
    const events = collect(run);
    await run.result;
    expect(events[0]).toMatchObject({ type: 'run:start', budget: { maxCost: 3, hard: true } });
    // A crash after b: no run:end, and the budget was not reached yet.
    const cut = events.findIndex((e) => e.type === 'task:end' && e.taskId === 'b');
    const record = events.slice(0, cut + 1);
    const again: string[] = [];
    const resumed = orchestratorWith(again).resume(fourThenOne(), { events: record });
    const resumedEvents = collect(resumed);
    const result = await resumed.result;
    expect(again).toEqual(['c']);
    expect(result.reason).toMatchObject({ maxCost: 3, cost: 3, hard: true });
    expect(resumedEvents[0]).toMatchObject({
      type: 'run:resume',
      budget: { maxCost: 3, hard: true },
    });
    // A budget given to the resume replaces the recorded one, hard flag included.
    const more: string[] = [];
    const raised = await orchestratorWith(more).resume(fourThenOne(), {
      events: record,
      maxCost: 100,
    }).result;
    expect(more).toEqual(['c', 'd', 'e']);
    expect(raised.status).toBe('succeeded');
  });

  it('stops again at a raised budget that the rest would pass', async () => {
    const events = await stopped();
    const calls: string[] = [];
    const result = await orchestratorWith(calls).resume(fourThenOne(), { events, maxCost: 3 })
      .result;
    expect(calls).toEqual(['c']);
    expect(result.reason).toMatchObject({ cost: 3, maxCost: 3 });
  });
});

describe('prices', () => {
  it('count cache reads and writes at their own prices, or at the input price', async () => {
    const provider = defineProvider({
      id: 'cached',
      complete: async () => ({
        text: 'ok',
        usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 1000, cacheWriteTokens: 50 },
      }),
    });
    const price = {
      inputPerMillion: 3,
      outputPerMillion: 15,
      cacheReadPerMillion: 0.3,
      cacheWritePerMillion: 3.75,
      currency: 'EUR',
    };
    const one = workflow({
      name: 'w',
      phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'q' }] }],
    });
    const priced = new MultiContextOrchestrator({
      providers: { provider },
      profiles: { default: { price } },
    });
    const usage = (await priced.executeWorkflow(one)).usage;
    expect(usage.cost).toBeCloseTo((100 * 3 + 1000 * 0.3 + 50 * 3.75 + 10 * 15) / 1e6, 12);
    expect(usage.currency).toBe('EUR');

    const plain = new MultiContextOrchestrator({
      providers: { provider },
      profiles: { default: { price: { inputPerMillion: 3, outputPerMillion: 15 } } },
    });
    const plainUsage = (await plain.executeWorkflow(one)).usage;
    expect(plainUsage.cost).toBeCloseTo(((100 + 1000 + 50) * 3 + 10 * 15) / 1e6, 12);
    expect(plainUsage.currency).toBe('USD');
  });

  it('must share one currency across the profiles', () => {
    const provider = paidProvider([]);
    expect(
      () =>
        new MultiContextOrchestrator({
          providers: { provider },
          profiles: {
            a: { price: { ...ONE_PER_CALL, currency: 'EUR' } },
            b: { price: ONE_PER_CALL },
          },
        }),
    ).toThrow(
      "Profiles price in different currencies: EUR (a) and USD (b). A run's cost is one sum: give every price the same currency.",
    );
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error('timed out waiting');
}
