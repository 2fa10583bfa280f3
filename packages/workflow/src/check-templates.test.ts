import { describe, expect, it } from 'vitest';
import { validateWorkflowDocument, type WorkflowIssueDraft } from './index.js';

type Raw = Record<string, unknown>;
const task = (id: string, prompt: string, more: Raw = {}): Raw => ({
  id,
  context_name: id,
  prompt,
  ...more,
});

/** Research (parallel) → Write (sequential: draft, polish) → Review (parallel). */
function pipeline(prompts: Record<string, string>, more: Raw = {}): Raw {
  const prompt = (id: string) => prompts[id] ?? `Do ${id}`;
  return {
    name: 'Pipeline',
    inputs: { topic: {}, audience: { default: 'developers' }, optional: { required: false } },
    phases: [
      {
        name: 'Research',
        execution_mode: 'parallel',
        tasks: [
          task('market', prompt('market')),
          task('plan', prompt('plan'), { output: { format: 'json' } }),
        ],
      },
      { name: 'Write', tasks: [task('draft', prompt('draft')), task('polish', prompt('polish'))] },
      {
        name: 'Review',
        execution_mode: 'parallel',
        tasks: [task('review', prompt('review')), task('check', prompt('check'))],
      },
    ],
    ...more,
  };
}

/** The span of `raw` in `text`, as issues give it. */
function spanOf(text: string, raw: string, from = 0): { offset: number; length: number } {
  const offset = text.indexOf(raw, from);
  if (offset === -1) throw new Error(`${raw} is not in ${text}`);
  return { offset, length: raw.length };
}

function issuesOf(raw: unknown): WorkflowIssueDraft[] {
  const result = validateWorkflowDocument(raw);
  if (result.success) throw new Error('expected issues');
  return result.issues;
}

describe('template references', () => {
  it('allows earlier phases, earlier tasks of a sequential phase, .json of JSON tasks and inputs', () => {
    const result = validateWorkflowDocument(
      pipeline({
        draft:
          'Write for {{ inputs.audience }} about {{ inputs.topic }} from {{ outputs.market }} and {{ outputs.plan.json.outline.0 }}, then {{ outputs.market }} again',
        polish: 'Polish {{ outputs.draft }}',
        review: 'Review {{ outputs.polish }} against {{ outputs.plan.json }}',
      }),
    );
    if (!result.success) throw new Error(JSON.stringify(result.issues));
    const tasks = result.workflow.phases.flatMap((phase) => phase.tasks);
    expect(tasks.map((t) => [t.id, t.dependsOn])).toEqual([
      ['market', []],
      ['plan', []],
      ['draft', ['market', 'plan']],
      ['polish', ['draft']],
      ['review', ['polish', 'plan']],
      ['check', []],
    ]);
    expect(tasks[0]!.template).toBeUndefined();
    expect(tasks[3]!.template).toEqual([
      { kind: 'text', text: 'Polish ' },
      {
        kind: 'ref',
        source: 'outputs',
        name: 'draft',
        path: [],
        raw: '{{ outputs.draft }}',
        offset: 7,
        length: 19,
      },
    ]);
  });

  it('keeps a template for a prompt whose only template syntax is an escape', () => {
    const result = validateWorkflowDocument(pipeline({ market: 'Show \\{{ braces }}' }));
    if (!result.success) throw new Error(JSON.stringify(result.issues));
    const market = result.workflow.phases[0]!.tasks[0]!;
    expect(market.template).toEqual([{ kind: 'text', text: 'Show {{ braces }}' }]);
    expect(market.dependsOn).toEqual([]);
  });

  it('reports each wrong reference at its span in the prompt', () => {
    const prompts = {
      market: 'Compare with {{ outputs.plan }}',
      plan: 'Plan {{ outputs.plan }}',
      draft: 'Use {{ outputs.polish }} and {{ outputs.reveiw }} and {{ outputs.nothing_like_it }}',
      polish: 'Use {{ outputs.market.json }} and {{ inputs.topik }} and {{ inputs.optional }}',
      review: 'See {{ outputs.check }}',
      check: 'Old {{ outputs.review.json.x }}',
    };
    expect(issuesOf(pipeline(prompts))).toEqual([
      {
        path: ['phases', 0, 'tasks', 0, 'prompt'],
        code: 'invalid_reference',
        message:
          '{{ outputs.plan }} refers to task "plan" of the same parallel phase, which runs at the same time; move one of them to another phase',
        span: spanOf(prompts.market, '{{ outputs.plan }}'),
      },
      {
        path: ['phases', 0, 'tasks', 1, 'prompt'],
        code: 'invalid_reference',
        message:
          "{{ outputs.plan }} refers to this task's own output; a prompt can use only outputs of tasks that end before it starts",
        span: spanOf(prompts.plan, '{{ outputs.plan }}'),
      },
      {
        path: ['phases', 1, 'tasks', 0, 'prompt'],
        code: 'invalid_reference',
        message:
          '{{ outputs.polish }} refers to task "polish", which runs after this task in the same sequential phase',
        span: spanOf(prompts.draft, '{{ outputs.polish }}'),
      },
      {
        path: ['phases', 1, 'tasks', 0, 'prompt'],
        code: 'unknown_reference',
        message: 'unknown task id "reveiw" in {{ outputs.reveiw }}; did you mean "review"?',
        span: spanOf(prompts.draft, '{{ outputs.reveiw }}'),
      },
      {
        path: ['phases', 1, 'tasks', 0, 'prompt'],
        code: 'unknown_reference',
        message: 'unknown task id "nothing_like_it" in {{ outputs.nothing_like_it }}',
        span: spanOf(prompts.draft, '{{ outputs.nothing_like_it }}'),
      },
      {
        path: ['phases', 1, 'tasks', 1, 'prompt'],
        code: 'invalid_reference',
        message:
          '{{ outputs.market.json }} needs task "market" to declare output: { format: json }',
        span: spanOf(prompts.polish, '{{ outputs.market.json }}'),
      },
      {
        path: ['phases', 1, 'tasks', 1, 'prompt'],
        code: 'unknown_reference',
        message: 'unknown input "topik" in {{ inputs.topik }}; did you mean "topic"?',
        span: spanOf(prompts.polish, '{{ inputs.topik }}'),
      },
      {
        path: ['phases', 1, 'tasks', 1, 'prompt'],
        code: 'invalid_reference',
        message:
          '{{ inputs.optional }} uses input "optional", which is optional and has no default; give it a default or make it required',
        span: spanOf(prompts.polish, '{{ inputs.optional }}'),
      },
      {
        path: ['phases', 2, 'tasks', 0, 'prompt'],
        code: 'invalid_reference',
        message:
          '{{ outputs.check }} refers to task "check" of the same parallel phase, which runs at the same time; move one of them to another phase',
        span: spanOf(prompts.review, '{{ outputs.check }}'),
      },
      {
        path: ['phases', 2, 'tasks', 1, 'prompt'],
        code: 'invalid_reference',
        message:
          '{{ outputs.review.json.x }} refers to task "review" of the same parallel phase, which runs at the same time; move one of them to another phase',
        span: spanOf(prompts.check, '{{ outputs.review.json.x }}'),
      },
    ]);
  });

  it('reports a task of a later phase, with its name and number', () => {
    const market = 'Early {{ outputs.check }}';
    expect(issuesOf(pipeline({ market }))).toEqual([
      {
        path: ['phases', 0, 'tasks', 0, 'prompt'],
        code: 'invalid_reference',
        message:
          '{{ outputs.check }} refers to task "check" of a later phase ("Review", phase 3), which has not run yet',
        span: spanOf(market, '{{ outputs.check }}'),
      },
    ]);
  });

  it('reports malformed references, and inputs of a workflow without inputs', () => {
    const prompt = 'Hi {{ inputs.topic }} {{ env.HOME }} {{ outputs.a';
    const raw = { name: 'w', phases: [{ name: 'p', tasks: [task('a', prompt)] }] };
    expect(issuesOf(raw)).toEqual([
      {
        path: ['phases', 0, 'tasks', 0, 'prompt'],
        code: 'invalid_template',
        message:
          'unknown template root "env" in {{ env.HOME }}: only outputs and inputs can be used (write "\\{{" for literal braces)',
        span: spanOf(prompt, '{{ env.HOME }}'),
      },
      {
        path: ['phases', 0, 'tasks', 0, 'prompt'],
        code: 'invalid_template',
        message: 'unclosed "{{": end the reference with "}}", or write "\\{{" for literal braces',
        span: { offset: prompt.lastIndexOf('{{'), length: 2 },
      },
      {
        path: ['phases', 0, 'tasks', 0, 'prompt'],
        code: 'unknown_reference',
        message: 'unknown input "topic" in {{ inputs.topic }}: the workflow declares no inputs',
        span: spanOf(prompt, '{{ inputs.topic }}'),
      },
    ]);
  });

  it('resolves references to default ids, and checks them in every phase', () => {
    const raw = {
      name: 'w',
      phases: [
        {
          name: 'one',
          tasks: [
            { context_name: 'notes', prompt: 'a' },
            { context_name: 'notes', prompt: 'b {{ outputs.notes }}' },
          ],
        },
        {
          name: 'two',
          tasks: [
            { context_name: 'notes', prompt: 'c {{ outputs.notes-2 }} {{ outputs["notes"] }}' },
          ],
        },
      ],
    };
    const result = validateWorkflowDocument(raw);
    if (!result.success) throw new Error(JSON.stringify(result.issues));
    expect(result.workflow.phases.flatMap((p) => p.tasks.map((t) => [t.id, t.dependsOn]))).toEqual([
      ['notes', []],
      ['notes-2', ['notes']],
      ['notes-3', ['notes-2', 'notes']],
    ]);
  });

  it('allows only inputs in a context system message', () => {
    const system = 'For {{ inputs.audience }} on {{ outputs.plan }} and {{ inputs.nope }} {{ bad';
    const raw = pipeline({}, { contexts: { market: { system } } });
    expect(issuesOf(raw)).toEqual([
      {
        path: ['contexts', 'market', 'system'],
        code: 'invalid_template',
        message: 'unclosed "{{": end the reference with "}}", or write "\\{{" for literal braces',
        span: { offset: system.lastIndexOf('{{'), length: 2 },
      },
      {
        path: ['contexts', 'market', 'system'],
        code: 'invalid_reference',
        message:
          "{{ outputs.plan }} cannot be used in a context's system message: only {{ inputs.<name> }} can, as a context outlives every task",
        span: spanOf(system, '{{ outputs.plan }}'),
      },
      {
        path: ['contexts', 'market', 'system'],
        code: 'unknown_reference',
        message:
          'unknown input "nope" in {{ inputs.nope }} (declared: "topic", "audience" and "optional")',
        span: spanOf(system, '{{ inputs.nope }}'),
      },
    ]);
  });
});
