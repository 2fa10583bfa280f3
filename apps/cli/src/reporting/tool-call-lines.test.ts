import type { RunEvent } from '@multi-context/events';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { EventScript } from '../../test/run-events.js';
import { formatEventLine } from './event-line.js';
import { PlainReporter } from './plain-reporter.js';
import { RunView } from './run-view.js';

function toolEvents() {
  const script = new EventScript();
  return [
    script.emit({
      type: 'run:start',
      workflowName: 'Agents',
      totalTasks: 1,
      phases: [{ name: 'Work', executionMode: 'sequential', taskIds: ['t'] }],
    }),
    script.emit({ type: 'phase:start', phaseIndex: 0, phaseName: 'Work' }),
    script.emit({
      type: 'task:start',
      taskId: 't',
      phaseIndex: 0,
      contextName: 'c',
      profile: 'agent',
      prompt: 'x',
    }),
    script.emit({
      type: 'task:tool-call',
      taskId: 't',
      step: 1,
      calls: 2,
      toolCallId: 'a',
      tool: 'search',
      arguments: { q: 'rxjs' },
    }),
    script.emit({
      type: 'task:tool-call',
      taskId: 't',
      step: 1,
      calls: 2,
      toolCallId: 'b',
      tool: 'fetch',
      arguments: { url: 'https://example.com' },
    }),
    script.emit({
      type: 'task:tool-result',
      taskId: 't',
      step: 1,
      toolCallId: 'a',
      tool: 'search',
      result: '[]',
      durationMs: 12,
    }),
    script.emit({
      type: 'task:tool-result',
      taskId: 't',
      step: 1,
      toolCallId: 'b',
      tool: 'fetch',
      error: { name: 'ToolTimeoutError', message: 'The tool "fetch" did not finish within 50 ms.' },
      durationMs: 50,
    }),
  ];
}

describe('tool calls in the CLI output', () => {
  it('prints a short line per tool call in plain progress, with its time or its error', () => {
    const chunks: string[] = [];
    const out = { write: (text: string) => chunks.push(text) };
    const reporter = new PlainReporter({
      out,
      err: out,
      colors: pc.createColors(false),
      progress: true,
      responses: false,
    });
    for (const event of toolEvents()) reporter.event(event);
    const lines = chunks.join('').split('\n');
    expect(lines).toContain('    ⚙ t (agent, context c) search({"q":"rxjs"}) 12ms');
    expect(lines).toContain(
      '    ⚙ t (agent, context c) fetch({"url":"https://example.com"}) 50ms: The tool "fetch" did not finish within 50 ms.',
    );
  });

  it('counts the model steps of a task that called tools, not attempts, and its retries apart', () => {
    const common = { runId: 'run-1', seq: 99, time: 2_000 };
    const retry = {
      ...common,
      type: 'task:retry',
      taskId: 't',
      attempt: 3,
      delayMs: 10,
      error: { name: 'ProviderError', message: 'overloaded' },
    } as RunEvent;
    const end = {
      ...common,
      type: 'task:end',
      taskId: 't',
      status: 'succeeded',
      attempts: 3,
      durationMs: 80,
      output: 'done',
    } as RunEvent;
    const chunks: string[] = [];
    const out = { write: (text: string) => chunks.push(text) };
    const reporter = new PlainReporter({
      out,
      err: out,
      colors: pc.createColors(false),
      progress: true,
      responses: false,
    });
    for (const event of [...toolEvents(), retry, end]) reporter.event(event);
    // Three model calls: the step that called tools, a retry, and the answer.
    expect(chunks.join('').split('\n')).toContain('  ✔ t (agent, context c) 2 steps, 1 retry 80ms');
  });

  it('describes both events in the event log', () => {
    const [, , , call, , result] = toolEvents();
    const colors = pc.createColors(false);
    expect(formatEventLine(call!, colors)).toMatch(
      /task:tool-call\s+t step 1: search\(\{"q":"rxjs"\}\)$/,
    );
    expect(formatEventLine(result!, colors)).toMatch(/task:tool-result\s+t search 12ms: "\[\]"$/);
  });

  it('shows the latest tool call on the running task of the live view', () => {
    const view = new RunView();
    for (const event of toolEvents().slice(0, 5)) view.apply(event);
    expect(view.tasks.get('t')?.streamed).toBe('⚙ fetch({"url":"https://example.com"})');
  });
});
