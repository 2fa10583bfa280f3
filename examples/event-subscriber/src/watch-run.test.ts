import { fileURLToPath } from 'node:url';
import { MultiContextOrchestrator } from '@multi-context/core';
import { loadWorkflow } from '@multi-context/loader';
import { createMockProvider } from '@multi-context/provider-mock';
import { describe, expect, it } from 'vitest';
import { watchRun } from './watch-run.js';

describe('an event subscriber written against the public packages', () => {
  it('sees every phase, every task end and the streamed text of the demo workflow', async () => {
    const workflow = await loadWorkflow(
      fileURLToPath(new URL('../../demo/workflow.yaml', import.meta.url)),
    );
    const orchestrator = new MultiContextOrchestrator({
      providers: { mock: createMockProvider() },
    });
    const run = orchestrator.run(workflow);
    const digest = watchRun(run);
    const result = await run.result;

    expect(digest.phases).toEqual(['Research', 'Drafting', 'Review', 'Follow-up']);
    expect(Object.keys(digest.ended)).toHaveLength(result.totalTasks);
    expect(Object.values(digest.ended).every((status) => status === 'succeeded')).toBe(true);
    const responses = result.phases.flatMap((p) => p.results).map((r) => r.response ?? '');
    // bufferCount drops a last partial buffer only when the stream errors; it flushes on complete.
    expect(digest.streamedCharacters).toBe(responses.join('').length);
    expect(digest.log[0]).toMatch(/^done {2}\S+ {2}\(1 attempt\)$/);
  });
});
