import { defineWorkflow } from '@multi-context/workflow';
import { describe, expect, it } from 'vitest';
import { parseWorkflow } from './index.js';
import { issuesOf, loadError } from './test-helpers.js';

/** A workflow that uses the whole language; lines are numbered in the comments of the tests. */
const language = `name: Launch brief
x-defaults:
  reviewer: &reviewer
    profile: reviewer
    retries: 1
    timeout: 45s
inputs:
  topic: { description: What the brief is about }
  audience: { default: developers }
contexts:
  planner: { system: "You plan launches about {{ inputs.topic }}.", max_history: 20 }
  writer: { max_tokens: 8000, trim: { policy: summarize, profile: summarizer, keep_last: 4 } }
phases:
  - name: Research
    execution_mode: parallel
    max_concurrency: 2
    tasks:
      - id: market
        context_name: market
        prompt: Who buys tools about {{ inputs.topic }} for {{ inputs.audience }}?
      - id: plan
        context_name: planner
        prompt: Plan the brief.
        output: { format: json, schema: { type: object, required: [title] } }
  - name: Write
    tasks:
      - id: draft
        context_name: writer
        timeout: 2m
        prompt: |
          Write "{{ outputs.plan.json.title }}" from:
          {{ outputs.market }}
  - name: Review
    execution_mode: parallel
    tasks:
      - context_name: legal
        <<: *reviewer
        prompt: Check {{ outputs.draft }} for claims.
      - context_name: tech
        <<: *reviewer
        retries: 3
        prompt: Check {{ outputs.draft }} for mistakes.
config:
  max_concurrency: 4
  retries: 2
  timeout: 90s
`;

describe('parseWorkflow: the workflow language', () => {
  it('loads every new key into the model, x- keys ignored and merge keys resolved', () => {
    const workflow = parseWorkflow(language, { source: 'launch.yaml' });
    expect(Object.keys(workflow)).toEqual(['name', 'inputs', 'contexts', 'phases', 'config']);
    expect(workflow.config).toEqual({
      maxContextHistory: 50,
      continueOnError: true,
      maxConcurrency: 4,
      retries: 2,
      timeoutMs: 90_000,
    });
    const [research, write, review] = workflow.phases;
    expect(research!.maxConcurrency).toBe(2);
    expect(research!.tasks[0]!.dependsOn).toEqual([]);
    expect(research!.tasks[1]!.output).toEqual({
      format: 'json',
      schema: { type: 'object', required: ['title'] },
      maxRepairs: 2,
    });
    expect(write!.tasks[0]).toMatchObject({
      id: 'draft',
      timeoutMs: 120_000,
      dependsOn: ['plan', 'market'],
    });
    expect(
      review!.tasks.map((task) => [
        task.id,
        task.profile,
        task.retries,
        task.timeoutMs,
        task.dependsOn,
      ]),
    ).toEqual([
      ['legal', 'reviewer', 1, 45_000, ['draft']],
      ['tech', 'reviewer', 3, 45_000, ['draft']],
    ]);
    expect(workflow.contexts!.writer!.trim).toEqual({
      policy: 'summarize',
      profile: 'summarizer',
      keepLast: 4,
    });
    expect(workflow.inputs).toEqual({
      topic: { type: 'string', description: 'What the brief is about', required: true },
      audience: { type: 'string', default: 'developers', required: false },
    });
    expect(JSON.parse(JSON.stringify(workflow))).toStrictEqual(workflow);
    // A loaded workflow is a valid defineWorkflow input (a journal re-validates it so) and comes back equal.
    expect(defineWorkflow(workflow)).toStrictEqual(workflow);
  });

  it('reports a bad value taken from an anchor where it is written', async () => {
    const text = language
      .replace('    timeout: 45s', '    timeout: 45')
      .replace('    retries: 1', '    retries: 1\n    bogus: 1');
    expect(await issuesOf(text)).toEqual([
      [
        6,
        5,
        'unknown key "bogus" in task (allowed: "id", "context_name", "prompt", "profile", "timeout", "retries", "max_steps", "continue_on_error" and "output")',
      ],
      [
        7,
        14,
        'timeout must be a duration with a unit, such as "500ms", "60s", "2m" or "1h" (from 1ms to 596h), got 45; did you mean "45s"?',
      ],
    ]);
  });

  it('refuses a merge key that holds no mapping', async () => {
    const text =
      'name: Demo\nx-a: &a [1]\nphases:\n  - name: One\n    <<: *a\n    tasks: [{context_name: c, prompt: p}]\n';
    expect(await issuesOf(text)).toEqual([
      [
        5,
        9,
        'the merge key "<<" needs a mapping, an alias of one (<<: *defaults), or a list of them',
      ],
    ]);
  });
});

describe('parseWorkflow: each new key and mistake at its line and column', () => {
  it.each([
    [
      'config:\n  timeout: 60\n',
      [
        2,
        12,
        'timeout must be a duration with a unit, such as "500ms", "60s", "2m" or "1h" (from 1ms to 596h), got 60; did you mean "60s"?',
      ],
    ],
    [
      'config:\n  timeout: "1.5"\n',
      [
        2,
        12,
        'timeout must be a duration with a unit, such as "500ms", "60s", "2m" or "1h" (from 1ms to 596h), got "1.5"; did you mean "1.5s"?',
      ],
    ],
    [
      'config:\n  max_concurrency: 0\n',
      [2, 20, 'max_concurrency must be a positive integer, got 0'],
    ],
    ['config:\n  retries: -1\n', [2, 12, 'retries must be a non-negative integer, got -1']],
    ['config:\n  retrys: 1\n', [2, 3, 'unknown key "retrys" in config; did you mean "retries"?']],
    [
      'inputs:\n  topic: { type: text }\n',
      [2, 18, 'type must be "string", "number" or "boolean", got "text"'],
    ],
    [
      'inputs:\n  n: { type: number, default: "3" }\n',
      [
        2,
        31,
        'default must be a number, as input "n" has type number, got "3" (a string); did you mean 3?',
      ],
    ],
    [
      'inputs:\n  n: { default: x, required: true }\n',
      [
        2,
        30,
        'input "n" has a default, so it cannot be required; remove "required: true" or the default',
      ],
    ],
    [
      'inputs:\n  my topic: {}\n',
      [
        2,
        3,
        'input name "my topic" must be made of letters, digits, "_" and "-", starting with a letter or "_"',
      ],
    ],
    [
      'inputs:\n  topic: { defualt: x }\n',
      [2, 12, 'unknown key "defualt" in input "topic"; did you mean "default"?'],
    ],
    [
      'contexts:\n  c: { max_tokens: 0 }\n',
      [2, 20, 'max_tokens must be a positive integer, got 0'],
    ],
    [
      'contexts:\n  c:\n    trim: { policy: summarize }\n',
      [3, 11, 'missing required key "profile" in trim'],
    ],
    [
      'contexts:\n  c:\n    trim: drop_newest\n',
      [
        3,
        11,
        'trim must be "drop_oldest" or a mapping { policy: summarize, profile: <profile>, keep_last: <count> }, got "drop_newest"',
      ],
    ],
    [
      'contexts:\n  c: { system: "Hi {{ outputs.c }}" }\n',
      [
        2,
        20,
        "{{ outputs.c }} cannot be used in a context's system message: only {{ inputs.<name> }} can, as a context outlives every task",
      ],
    ],
    [
      'providers:\n  p: { use: openai, base_url: localhost }\n',
      [2, 31, 'base_url must be an http:// or https:// URL, got "localhost"'],
    ],
    [
      'providers:\n  p: { use: openai }\nprofiles:\n  w: { provider: q }\n',
      [4, 18, 'unknown provider "q"; did you mean "p"?'],
    ],
    [
      'profiles:\n  w: { temperature: 3 }\n',
      [2, 21, 'temperature must be a number from 0 to 2, got 3'],
    ],
    [
      'profiles:\n  w: { timeout: 1d }\n',
      [
        2,
        17,
        'timeout must be a duration with a unit, such as "500ms", "60s", "2m" or "1h" (from 1ms to 596h), got "1d"',
      ],
    ],
    [
      'x-anything: {whatever: [1]}\nx_typo: 1\n',
      [
        2,
        1,
        'unknown key "x_typo" in workflow (allowed: "name", "description", "default_profile", "inputs", "contexts", "providers", "profiles", "mcp_servers", "phases" and "config")',
      ],
    ],
  ])('%j', async (section, expected) => {
    const base =
      'name: Demo\nphases:\n  - name: One\n    tasks:\n      - context_name: c\n        prompt: p\n';
    const [line, column, message] = expected as [number, number, string];
    // The section starts on line 7, after the six lines of the base.
    expect(await issuesOf(base + section)).toEqual([[line + 6, column, message]]);
  });

  it.each([
    ['    max_concurrency: -2\n', 4, 22, 'max_concurrency must be a positive integer, got -2'],
    [
      '        timeout: 5 min\n',
      7,
      18,
      'timeout must be a duration with a unit, such as "500ms", "60s", "2m" or "1h" (from 1ms to 596h), got "5 min"; did you mean "5m"?',
    ],
    [
      '        continue_on_error: sometimes\n',
      7,
      28,
      'continue_on_error must be true or false, got "sometimes" (a string)',
    ],
    ['        output: { format: text }\n', 7, 27, 'format must be "json", got "text"'],
    [
      '        output: { format: json, max_repairs: -1 }\n',
      7,
      46,
      'max_repairs must be a non-negative integer, got -1',
    ],
    [
      '        output: { format: json, schema: { type: strng } }\n',
      7,
      49,
      'type must be a JSON Schema type ("string", "number", "integer", "boolean", "object", "array" or "null"), or a list of them, got "strng"; did you mean "string"?',
    ],
    [
      '        output: { format: json, schema: [] }\n',
      7,
      41,
      'schema must be a JSON Schema (a mapping), got an empty list',
    ],
  ])('task or phase key %j', async (line, row, column, message) => {
    const text = `name: Demo\nphases:\n  - name: One\n${line.startsWith('    max') ? line : ''}    tasks:\n      - context_name: c\n        prompt: p\n${line.startsWith('    max') ? '' : line}`;
    expect(await issuesOf(text)).toEqual([[row, column, message]]);
  });
});

describe('parseWorkflow: template references at their own line and column', () => {
  /** A two-phase workflow whose second task's prompt is `prompt` (written as YAML). */
  const withPrompt = (prompt: string) =>
    `name: Demo\nphases:\n  - name: One\n    execution_mode: parallel\n    tasks:\n      - {id: a, context_name: a, prompt: A}\n      - id: b\n        context_name: b\n        prompt: ${prompt}\n  - name: Two\n    tasks:\n      - {id: later, context_name: c, prompt: C}\n`;
  const unknown = 'unknown task id "zz" in {{ outputs.zz }}';

  it.each([
    ['a plain scalar', 'Use {{ outputs.zz }} now', 9, 21],
    ['a single-quoted scalar', "'It''s {{ outputs.zz }}'", 9, 24],
    ['a double-quoted scalar with escapes', '"\\u00e9\\t\\"\\U0001F600 {{ outputs.zz }}"', 9, 39],
    [
      'a literal block scalar',
      '|\n          First line\n            indented {{ outputs.zz }}\n',
      11,
      22,
    ],
    ['a folded block scalar', '>-\n          Folded\n          text {{ outputs.zz }}\n', 11, 16],
    ['a plain scalar over two lines', 'First\n          then {{ outputs.zz }}', 10, 16],
    ['a double-quoted scalar over two lines', '"First\n          then {{ outputs.zz }}"', 10, 16],
  ])('in %s', async (_, prompt, line, column) => {
    expect(await issuesOf(withPrompt(prompt))).toEqual([[line, column, unknown]]);
  });

  it('finds the right one of several equal references', async () => {
    expect(
      await issuesOf(withPrompt('|\n          {{ outputs.zz }} and\n          {{ outputs.zz }}\n')),
    ).toEqual([
      [10, 11, unknown],
      [11, 11, unknown],
    ]);
  });

  it('falls back to the start of a folded scalar when the reference spans a folded line break', async () => {
    expect(await issuesOf(withPrompt('>-\n          x {{ outputs.\n          zz }}\n'))).toEqual([
      [9, 17, '"." must be followed by a name in {{ outputs. zz }}'],
    ]);
  });

  it('reports every kind of mistake, each at its reference, sorted by place', async () => {
    const text = withPrompt(
      '"{{ outputs.a }} {{ outputs.b }} {{ outputs.later }} {{ outputs.a.json }} {{ inputs.x }} {{ env.HOME }} {{ outputs.a"',
    );
    const error = await loadError(() => parseWorkflow(text, { source: 'w.yaml' }));
    expect(
      error.issues.map((issue) => [issue.line, issue.column, issue.code, issue.message]),
    ).toEqual([
      [
        9,
        18,
        'invalid_reference',
        '{{ outputs.a }} refers to task "a" of the same parallel phase, which runs at the same time; move one of them to another phase',
      ],
      [
        9,
        34,
        'invalid_reference',
        "{{ outputs.b }} refers to this task's own output; a prompt can use only outputs of tasks that end before it starts",
      ],
      [
        9,
        50,
        'invalid_reference',
        '{{ outputs.later }} refers to task "later" of a later phase ("Two", phase 2), which has not run yet',
      ],
      [
        9,
        70,
        'invalid_reference',
        '{{ outputs.a.json }} refers to task "a" of the same parallel phase, which runs at the same time; move one of them to another phase',
      ],
      [
        9,
        91,
        'unknown_reference',
        'unknown input "x" in {{ inputs.x }}: the workflow declares no inputs',
      ],
      [
        9,
        106,
        'invalid_template',
        'unknown template root "env" in {{ env.HOME }}: only outputs and inputs can be used (write "\\{{" for literal braces)',
      ],
      [
        9,
        121,
        'invalid_template',
        'unclosed "{{": end the reference with "}}", or write "\\{{" for literal braces',
      ],
    ]);
    expect(error.format().split('\n').slice(0, 3)).toEqual([
      'w.yaml:9:18: {{ outputs.a }} refers to task "a" of the same parallel phase, which runs at the same time; move one of them to another phase',
      // The formatter shows at most 120 characters of a line.
      '    9 |         prompt: "{{ outputs.a }} {{ outputs.b }} {{ outputs.later }} {{ outputs.a.json }} {{ inputs.x }} {{ env.HOME }} …',
      '      |                  ^',
    ]);
  });

  it('reports .json of a task without structured output, and allows an earlier sequential task', async () => {
    const text = `name: Demo\nphases:\n  - name: One\n    tasks:\n      - {id: a, context_name: a, prompt: A}\n      - {id: b, context_name: b, prompt: "{{ outputs.a }} {{ outputs.a.json.x }}"}\n`;
    expect(await issuesOf(text)).toEqual([
      [6, 59, '{{ outputs.a.json.x }} needs task "a" to declare output: { format: json }'],
    ]);
  });

  it('points into the anchored text of a prompt used through an alias', async () => {
    const text = `name: Demo\nx-prompts:\n  check: &check Check {{ outputs.drft }}\nphases:\n  - name: One\n    tasks:\n      - {id: draft, context_name: a, prompt: A}\n  - name: Two\n    tasks:\n      - {context_name: b, prompt: *check}\n`;
    expect(await issuesOf(text)).toEqual([
      [3, 23, 'unknown task id "drft" in {{ outputs.drft }}; did you mean "draft"?'],
    ]);
  });
});
