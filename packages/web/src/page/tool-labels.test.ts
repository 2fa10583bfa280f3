import type { RunEvent } from '@multi-context/events';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordToolRun } from '../../test/tool-run.js';
import { RunViewBuilder } from '../view-model/run-view-builder.js';
import { runningToolLabel, toolCountLabel, toolLines } from './tool-labels.js';

let events: RunEvent[];

beforeAll(async () => {
  events = await recordToolRun();
}, 30_000);

describe('the tool labels of a bar and its tooltip', () => {
  it('name the tools running while a step waits, then count the calls', () => {
    const builder = new RunViewBuilder();
    const secondCall = events.findIndex(
      (event) => event.type === 'task:tool-call' && event.toolCallId === 'research-1-1',
    );
    for (const event of events.slice(0, secondCall + 1)) builder.add(event);
    const task = builder.task('research')!;
    expect(runningToolLabel(task)).toBe('⚙ lookup +1');
    expect(toolLines(task)).toEqual(['2 tool calls', 'calling lookup, broken']);
    builder.add(events[secondCall + 1]!); // broken's error
    expect(runningToolLabel(task)).toBe('⚙ lookup');
    expect(toolLines(task)).toEqual(['2 tool calls (1 failed)', 'calling lookup']);
    for (const event of events.slice(secondCall + 2)) builder.add(event);
    expect(runningToolLabel(task)).toBeUndefined();
    expect(toolCountLabel(task)).toBe(' · ⚙ 3');
    expect(toolLines(task)).toEqual(['3 tool calls (1 failed)']);
  });

  it('say nothing for a task that called no tool', () => {
    const builder = new RunViewBuilder();
    builder.add(events[0]!);
    const task = builder.task('research')!;
    expect([runningToolLabel(task), toolCountLabel(task), toolLines(task)]).toEqual([
      undefined,
      '',
      [],
    ]);
  });
});
