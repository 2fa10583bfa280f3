import { parseWorkflow } from '@multi-context/loader';
import { describe, expect, it } from 'vitest';
import { recordPipeline, recordRun } from '../../test/pipeline-run.js';
import { RunViewBuilder } from './run-view-builder.js';

/** The writer context's `system` option: a setting, sent first, and not an event. */
const isWriterSystem = (message: { role: string; content: string }) =>
  message.role === 'system' && message.content.startsWith('You write for developers');

describe('historyAsSent, against what a real run sent', () => {
  it('matches every call of the example pipeline with a small max history (summaries)', async () => {
    const { events, sent } = await recordPipeline({ maxHistory: 2 });
    const builder = new RunViewBuilder();
    for (const event of events) builder.add(event);

    const trims = events.filter((event) => event.type === 'context:trim');
    expect(trims.some((trim) => trim.summary !== undefined)).toBe(true);
    expect(sent.size).toBeGreaterThanOrEqual(6);
    for (const [taskId, history] of sent) {
      if (taskId.endsWith(':summary')) continue;
      expect(builder.historyAsSent(taskId), taskId).toEqual(
        history.filter((message) => !isWriterSystem(message)),
      );
    }
    // The newsletter line (task "writer") was sent the summary made at its start, not the plan's turn.
    const summary = trims.find((trim) => trim.summary !== undefined)!;
    expect(builder.historyAsSent('writer')?.[0]).toEqual({
      role: 'system',
      content: summary.summary?.content,
    });
  });

  it('matches a context that drops its oldest messages (the seed rule)', async () => {
    const workflow = parseWorkflow(`
name: Notes
phases:
  - name: Gather
    tasks:
      - { id: a, context_name: notes, prompt: one }
      - { id: b, context_name: notes, prompt: two }
      - { id: c, context_name: notes, prompt: three }
      - { id: d, context_name: notes, prompt: four }
config:
  max_context_history: 3
`);
    const { events, sent } = await recordRun(workflow);
    const builder = new RunViewBuilder();
    for (const event of events) builder.add(event);
    expect(events.filter((event) => event.type === 'context:trim').length).toBeGreaterThan(0);
    for (const taskId of ['a', 'b', 'c', 'd']) {
      expect(builder.historyAsSent(taskId), taskId).toEqual(sent.get(taskId));
    }
    expect(builder.historyAsSent('d')).toHaveLength(3);
  });
});
