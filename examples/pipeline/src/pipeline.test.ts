import { readFileSync } from 'node:fs';
import type { RunEvent } from '@multi-context/events';
import { parseWorkflow, WorkflowLoadError } from '@multi-context/loader';
import { profilesJsonSchema, workflowJsonSchema } from '@multi-context/workflow';
import { describe, expect, it } from 'vitest';
import { startPipeline, workflowPath } from './pipeline.js';

describe('the pipeline example', () => {
  it('researches, plans as checked JSON, writes from the plan, summarises and reviews', async () => {
    const run = await startPipeline('tide tables');
    const events: RunEvent[] = [];
    run.events$.subscribe((event) => events.push(event));
    const result = await run.result;
    expect(result.status).toBe('succeeded');
    expect(result.successfulTasks).toBe(6);

    const starts = new Map(
      events
        .filter((e) => e.type === 'task:start')
        .map((e) => [(e as { taskId: string }).taskId, (e as { prompt: string }).prompt]),
    );
    expect(starts.get('market')).toBe(
      'Who needs tide tables, and what do they struggle with today?',
    );
    const marketAnswer = result.phases[0]!.results[0]!.response!;
    expect(starts.get('plan')).toContain(`Market: ${marketAnswer}`);
    // The plan was sent back once (not JSON), then accepted and parsed.
    const plan = result.phases[1]!.results[0]!;
    expect(plan.attempts).toBe(2);
    expect(plan.json).toEqual({
      title: 'Workflows that remember',
      sections: ['Why separate contexts', 'How phases hand results on', 'What to try first'],
    });
    expect(starts.get('draft')).toMatch(/^Write "Workflows that remember" in about 600 words/);
    expect(starts.get('review')).toContain('"title": "Workflows that remember"');
    // The writer's context went over its token limit and was condensed, not cut.
    const trims = events.filter((e) => e.type === 'context:trim');
    expect(trims.some((e) => e.contextName === 'writer' && e.summary !== undefined)).toBe(true);
  });

  it('gives a precise error for each kind of mistake', () => {
    const text = readFileSync(workflowPath, 'utf8');
    // [what the file says, the mistake, the message, what the caret points at]
    const cases: [string, string, RegExp, string][] = [
      [
        '{{ outputs.market }}',
        '{{ outputs.markt }}',
        /^unknown task id "markt" in \{\{ outputs\.markt \}\}; did you mean "market"\?$/,
        '{{ outputs.markt }}',
      ],
      [
        '{{ outputs.plan.json.title }}',
        '{{ outputs.review.json.title }}',
        /refers to task "review" of a later phase \("Review", phase 4\)/,
        '{{ outputs.review',
      ],
      [
        '{{ inputs.topic }}, and',
        '{{ inputs.topik }}, and',
        /^unknown input "topik" in \{\{ inputs\.topik \}\}; did you mean "topic"\?$/,
        '{{ inputs.topik }}',
      ],
      [
        '    max_concurrency: 2',
        '    max_concurency: 2',
        /^unknown key "max_concurency" in phase; did you mean "max_concurrency"\?$/,
        'max_concurency:',
      ],
      [
        '        timeout: 30s',
        '        timeout: 30',
        /must be a duration with a unit.*did you mean "30s"\?$/,
        '30',
      ],
    ];
    for (const [from, to, message, atCaret] of cases) {
      expect(text).toContain(from);
      const broken = text.replace(from, to);
      try {
        parseWorkflow(broken, { source: 'workflow.yaml' });
        expect.fail(`accepted ${to}`);
      } catch (error) {
        expect(WorkflowLoadError.isInstance(error)).toBe(true);
        const issues = (error as WorkflowLoadError).issues;
        expect(issues).toHaveLength(1);
        expect(issues[0]!.message).toMatch(message);
        const line = broken.split('\n')[issues[0]!.line - 1]!;
        expect(line.slice(issues[0]!.column - 1).startsWith(atCaret)).toBe(true);
      }
    }
  });

  it('carries JSON Schemas that are exactly what the schema generator gives', () => {
    const read = (name: string) =>
      JSON.parse(readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8'));
    expect(read('workflow.schema.json')).toEqual(workflowJsonSchema());
    expect(read('profiles.schema.json')).toEqual(profilesJsonSchema());
  });
});
