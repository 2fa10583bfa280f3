import { describe, expect, it } from 'vitest';
import { addUsage, emptyUsage, RUN_EVENT_TYPES, runEventSchema } from './index.js';

describe('runEventSchema', () => {
  it('lists every event type of the vocabulary', () => {
    expect([...RUN_EVENT_TYPES].sort()).toEqual(
      [
        'run:start',
        'phase:start',
        'phase:end',
        'task:start',
        'task:delta',
        'task:retry',
        'task:end',
        'context:message',
        'context:trim',
        'run:resume',
        'run:end',
        'task:tool-call',
        'task:tool-result',
      ].sort(),
    );
  });

  it('accepts a well-formed event and rejects a malformed one with the reason', () => {
    const ok = runEventSchema.safeParse({
      type: 'task:retry',
      runId: 'r',
      seq: 3,
      time: 1,
      taskId: 't',
      attempt: 2,
      delayMs: 500,
      error: { name: 'ProviderError', message: 'overloaded', status: 503, retryable: true },
    });
    expect(ok.success).toBe(true);
    const bad = runEventSchema.safeParse({
      type: 'task:end',
      runId: 'r',
      seq: -1,
      time: 1,
      taskId: 't',
      status: 'maybe',
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['seq', 'status', 'attempts', 'durationMs']));
    expect(runEventSchema.safeParse({ type: 'nope', runId: 'r', seq: 0, time: 0 }).success).toBe(
      false,
    );
  });
});

describe('tool events', () => {
  it('round-trip a tool call, its result and the messages that carry them through JSON', () => {
    const events = [
      {
        type: 'task:tool-call',
        runId: 'r',
        seq: 4,
        time: 1,
        taskId: 't',
        step: 1,
        calls: 1,
        toolCallId: 'c1',
        tool: 'search',
        arguments: { q: 'x' },
        text: 'looking',
      },
      {
        type: 'task:tool-result',
        runId: 'r',
        seq: 5,
        time: 2,
        taskId: 't',
        step: 1,
        toolCallId: 'c1',
        tool: 'search',
        error: { name: 'ToolTimeoutError', message: 'took over 10ms' },
        durationMs: 10,
      },
      {
        type: 'context:message',
        runId: 'r',
        seq: 6,
        time: 3,
        contextName: 'c',
        taskId: 't',
        message: {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c1', name: 'search', input: { q: 'x' } }],
        },
      },
      {
        type: 'context:message',
        runId: 'r',
        seq: 7,
        time: 3,
        contextName: 'c',
        taskId: 't',
        message: {
          role: 'tool',
          content: 'took over 10ms',
          toolCallId: 'c1',
          toolName: 'search',
          isError: true,
        },
      },
    ];
    for (const event of events) {
      const parsed = runEventSchema.parse(JSON.parse(JSON.stringify(event)));
      expect(parsed).toEqual(event);
    }
    const noStep = { ...events[0], step: 0 };
    expect(runEventSchema.safeParse(noStep).success).toBe(false);
  });
});

describe('usage helpers', () => {
  it('adds usage in place and keeps cost only when one side has it', () => {
    const total = emptyUsage();
    addUsage(total, { inputTokens: 1, outputTokens: 2, totalTokens: 3 });
    addUsage(total, undefined);
    expect(total).toEqual({ inputTokens: 1, outputTokens: 2, totalTokens: 3 });
    addUsage(total, { inputTokens: 1, outputTokens: 1, totalTokens: 2, cost: 0.5 });
    expect(total).toEqual({ inputTokens: 2, outputTokens: 3, totalTokens: 5, cost: 0.5 });
  });
});

describe('run:end reason', () => {
  const result = {
    runId: 'r',
    workflowName: 'w',
    success: false,
    status: 'cancelled',
    phases: [],
    totalTasks: 0,
    successfulTasks: 0,
    failedTasks: 0,
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    contextUsage: {},
    durationMs: 1,
  };

  it('carries a budget stop, and still reads a run:end of a journal written without one', () => {
    const reason = {
      kind: 'budget',
      message: 'stopped',
      maxCost: 1,
      cost: 1.2,
      currency: 'USD',
      hard: false,
    };
    const stopped = {
      type: 'run:end',
      runId: 'r',
      seq: 1,
      time: 2,
      status: 'cancelled',
      reason,
      result: { ...result, reason },
    };
    expect(runEventSchema.parse(JSON.parse(JSON.stringify(stopped)))).toEqual(stopped);
    const old = { type: 'run:end', runId: 'r', seq: 1, time: 2, status: 'cancelled', result };
    expect(runEventSchema.parse(old)).toEqual(old);
    const unknown = { ...stopped, reason: { ...reason, kind: 'whim' } };
    expect(runEventSchema.safeParse(unknown).success).toBe(false);
  });
});
