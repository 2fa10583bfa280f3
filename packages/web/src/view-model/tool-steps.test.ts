import type { RunEvent, RunEventOf } from '@multi-context/events';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGE_LENGTH, recordToolRun } from '../../test/tool-run.js';
import { foldRunView } from './fold-run-view.js';
import { RunViewBuilder } from './run-view-builder.js';
import { clipText, runningToolCalls, TOOL_TEXT_LIMIT } from './tool-steps.js';

let events: RunEvent[];

beforeAll(async () => {
  events = await recordToolRun();
}, 30_000);

const ofType = <T extends RunEvent['type']>(type: T) =>
  events.filter((event): event is RunEventOf<T> => event.type === type);

describe('the tool calls of a real run', () => {
  it('keeps each call in order with its arguments, result or error and duration', () => {
    const view = foldRunView(events);
    const research = view.tasks.find((task) => task.taskId === 'research')!;
    expect(research.status).toBe('succeeded');
    const results = new Map(ofType('task:tool-result').map((event) => [event.toolCallId, event]));
    expect(
      research.toolCalls.map((call) => ({
        id: call.toolCallId,
        step: call.step,
        tool: call.tool,
        status: call.status,
        durationMs: call.durationMs,
      })),
    ).toEqual([
      {
        id: 'research-1-0',
        step: 1,
        tool: 'lookup',
        status: 'ok',
        durationMs: results.get('research-1-0')!.durationMs,
      },
      {
        id: 'research-1-1',
        step: 1,
        tool: 'broken',
        status: 'error',
        durationMs: results.get('research-1-1')!.durationMs,
      },
      {
        id: 'research-2-0',
        step: 2,
        tool: 'fetch_page',
        status: 'ok',
        durationMs: results.get('research-2-0')!.durationMs,
      },
    ]);
    const [lookup, broken] = research.toolCalls;
    // The two calls of step 1 ran in parallel: broken's result came first, lookup's after its 15 ms.
    expect(lookup!.durationMs).toBeGreaterThanOrEqual(10);
    expect(broken!.end).toBeLessThanOrEqual(lookup!.end!);
    expect(lookup!.arguments).toEqual({ text: '{"q":"rxjs"}', length: 12 });
    expect(lookup!.result).toEqual({ text: '{"fact":"rxjs is a reactive library"}', length: 37 });
    expect(lookup!.stepText).toEqual({ text: 'Let me look that up.', length: 20 });
    expect(lookup!.error).toBeUndefined();
    expect(broken!.stepText).toBeUndefined();
    expect(broken!.result).toBeUndefined();
    expect(broken!.error).toEqual({
      name: 'Error',
      message: { text: 'the index is offline', length: 20 },
    });
    expect(lookup!.start).toBe(ofType('task:tool-call')[0]!.time);
  });

  it('keeps a bounded part of long arguments and results, and their length', () => {
    const fetch = foldRunView(events).tasks[0]!.toolCalls[2]!;
    expect(fetch.result!.length).toBe(PAGE_LENGTH);
    expect(fetch.result!.text).toBe('x'.repeat(TOOL_TEXT_LIMIT));
    const sent = JSON.stringify(ofType('task:tool-call')[2]!.arguments);
    expect(fetch.arguments.length).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(9000);
    expect(fetch.arguments.text).toBe(sent.slice(0, TOOL_TEXT_LIMIT));
  });

  it('shows the calls running while a step waits for its results', () => {
    const builder = new RunViewBuilder();
    const secondCall = events.findIndex(
      (event) => event.type === 'task:tool-call' && event.toolCallId === 'research-1-1',
    );
    for (const event of events.slice(0, secondCall + 1)) builder.add(event);
    const task = builder.task('research')!;
    expect(task.toolCalls.map((call) => call.status)).toEqual(['running', 'running']);
    expect(runningToolCalls(task).map((call) => call.tool)).toEqual(['lookup', 'broken']);
    builder.add(events[secondCall + 1]!); // broken's error
    expect(runningToolCalls(task).map((call) => call.tool)).toEqual(['lookup']);
    for (const event of events.slice(secondCall + 2)) builder.add(event);
    expect(runningToolCalls(task)).toEqual([]);
  });

  it('marks calls with no result when their task ended as interrupted (a cancel)', () => {
    const cut = events.findIndex((event) => event.type === 'task:tool-result');
    const end = events.find((event) => event.type === 'task:end')!;
    const builder = new RunViewBuilder();
    for (const event of events.slice(0, cut)) builder.add(event);
    builder.add({
      ...end,
      seq: cut,
      status: 'cancelled',
      response: undefined,
      usage: undefined,
    } as RunEvent);
    const task = builder.task('research')!;
    expect(task.toolCalls.map((call) => call.status)).toEqual(['interrupted', 'interrupted']);
    expect(runningToolCalls(task)).toEqual([]);
  });
});

describe('a resumed run with a tool step in flight', () => {
  it('keeps the calls of both sessions: the one cut off ends when the resumed session runs it', async () => {
    // Interrupted after broken's error was recorded, before lookup's result was.
    const cut = events.findIndex((event) => event.type === 'task:tool-result') + 1;
    const record = events.slice(0, cut);
    const resumed = await recordToolRun(record, 1);
    const all: RunEvent[] = [...record, ...resumed];
    expect(all.map((event) => event.seq)).toEqual(all.map((_, index) => index));

    const builder = new RunViewBuilder();
    for (const event of record) builder.add(event);
    builder.add(resumed[0]!); // run:resume
    const task = builder.task('research')!;
    expect(task.toolCalls.map((call) => call.status)).toEqual(['interrupted', 'error']);
    for (const event of resumed.slice(1)) builder.add(event);
    // Only lookup ran again (broken's result was recorded): one call each, no duplicate.
    expect(task.toolCalls.map((call) => [call.toolCallId, call.status])).toEqual([
      ['research-1-0', 'ok'],
      ['research-1-1', 'error'],
      ['research-2-0', 'ok'],
    ]);
    expect(task.status).toBe('succeeded');
    expect(task.attempts.at(0)?.interrupted).toBe(true);
  }, 30_000);
});

describe('clipText', () => {
  it('keeps a short text whole', () => {
    expect(clipText('hello')).toEqual({ text: 'hello', length: 5 });
  });

  it('cuts a long text to the limit and says how long it was', () => {
    const clipped = clipText('abcdefghij', 4);
    expect(clipped).toEqual({ text: 'abcd', length: 10 });
  });

  it('never cuts between the halves of a surrogate pair', () => {
    // '😀' is two UTF-16 code units: a cut at 4 would leave half of the second one.
    expect(clipText('a😀😀b', 4)).toEqual({ text: 'a😀', length: 6 });
  });
});
