import type { RunEvent } from '@multi-context/events';
import { type ChatMessage, defineProvider } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { collect, workflow } from '../test/helpers.js';
import { MultiContextOrchestrator, type Tool } from './index.js';

/** Calls two tools at each of two steps, then answers with every result it was sent. */
function agent(modelCalls: string[]) {
  return defineProvider({
    id: 'agent',
    complete: async ({ taskId, messages }) => {
      const prompt = messages.findLastIndex((m: ChatMessage) => m.role === 'user');
      const step = messages.slice(prompt + 1).filter((m) => m.toolCalls !== undefined).length + 1;
      modelCalls.push(`${taskId}#${step}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (step <= 2) {
        return {
          text: `step ${step}`,
          toolCalls: ['a', 'b'].map((x) => ({
            id: `${taskId}-${step}${x}`,
            name: 'look',
            input: { key: `${step}${x}` },
          })),
        };
      }
      return `answer of ${taskId}: ${messages
        .filter((m) => m.role === 'tool')
        .map((m) => m.content)
        .join(',')}`;
    },
  });
}

function look(runs: string[]): Tool {
  return {
    name: 'look',
    description: 'looks a key up',
    inputSchema: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] },
    execute: async (input) => {
      const { key } = input as { key: string };
      runs.push(key);
      await new Promise((resolve) => setTimeout(resolve, key.endsWith('a') ? 1 : 3));
      return `v${key}`;
    },
  };
}

const flow = () =>
  workflow({
    name: 'agents',
    phases: [
      {
        name: 'work',
        executionMode: 'parallel',
        tasks: [
          { id: 'x', contextName: 'c', prompt: 'go', profile: 'agent' },
          { id: 'y', contextName: 'd', prompt: 'go', profile: 'agent' },
        ],
      },
      { name: 'after', tasks: [{ id: 'z', contextName: 'c', prompt: 'then', profile: 'agent' }] },
    ],
  });

function setUp() {
  const modelCalls: string[] = [];
  const toolRuns: string[] = [];
  const orchestrator = new MultiContextOrchestrator({
    providers: { agent: agent(modelCalls) },
    profiles: { agent: { tools: ['look'] } },
    tools: { look: look(toolRuns) },
  });
  return { orchestrator, modelCalls, toolRuns };
}

function historyOf(orchestrator: MultiContextOrchestrator) {
  return ['c', 'd'].map((name) => orchestrator.getOrCreateContext(name).getHistory());
}

describe('resuming tasks with tool steps', () => {
  it('never runs a recorded tool call again nor sends a completed model step again, from any cut', async () => {
    const full = setUp();
    const run = full.orchestrator.run(flow(), { runId: 'r' });
    const events = collect(run);
    const expected = await run.result;
    expect(expected.success).toBe(true);
    const expectedHistories = historyOf(full.orchestrator);

    for (let cut = 1; cut < events.length - 1; cut++) {
      const record = events.slice(0, cut);
      const ended = new Set(
        record.filter((e) => e.type === 'task:end').map((e) => (e as { taskId: string }).taskId),
      );
      const inRecord = (e: RunEvent, type: string) =>
        e.type === type && !ended.has((e as { taskId: string }).taskId);
      const recordedResults = record.filter((e) => inRecord(e, 'task:tool-result')).length;
      // A step counts as recorded once all of its calls are (a cut among them re-sends it).
      const callsOf = new Map<string, { seen: number; made: number }>();
      for (const e of record) {
        if (!inRecord(e, 'task:tool-call') || e.type !== 'task:tool-call') continue;
        const key = `${e.taskId}#${e.step}`;
        const entry = callsOf.get(key) ?? { seen: 0, made: e.calls };
        entry.seen++;
        callsOf.set(key, entry);
      }
      const recordedSteps = new Set(
        [...callsOf].filter(([, { seen, made }]) => seen === made).map(([key]) => key),
      );
      const again = setUp();
      const resumed = again.orchestrator.resume(flow(), { events: record });
      const result = await resumed.result;
      const at = `cut ${cut} (${record.at(-1)!.type})`;
      expect(result.success, at).toBe(true);
      expect(
        result.phases.map((p) => p.results.map((r) => r.response)),
        at,
      ).toEqual(expected.phases.map((p) => p.results.map((r) => r.response)));
      expect(historyOf(again.orchestrator), at).toEqual(expectedHistories);
      // Each of the 12 tool calls and 9 model steps happens once across both sessions, but
      // what was in flight at the cut (started, not recorded) which runs again.
      const doneTasks = [...ended].length;
      expect(again.toolRuns.length, at).toBe(12 - 4 * doneTasks - recordedResults);
      for (const step of recordedSteps) expect(again.modelCalls, at).not.toContain(step);
      expect(again.modelCalls.length, at).toBe(9 - 3 * doneTasks - recordedSteps.size);
    }
  });
});
