import { describe, expect, it } from 'vitest';
import { parseWorkflow } from './index.js';
import { fixtures, fixtureText, issuesOf, loadError } from './test-helpers.js';

/** A valid workflow, to break one line at a time. */
const valid = `name: Demo
phases:
  - name: Research
    execution_mode: parallel
    tasks:
      - context_name: notes
        prompt: Find facts
config:
  max_context_history: 10
`;

describe('parseWorkflow: the seed-shaped fixtures', () => {
  it('loads example_workflow.yaml unchanged into the expected model', () => {
    const workflow = parseWorkflow(fixtureText(fixtures.example), {
      source: 'example_workflow.yaml',
    });
    expect(workflow.name).toBe('Content Creation Pipeline');
    expect(workflow.description).toBe(
      'Gather findings, write two pieces from them, review both, then revise',
    );
    expect(workflow.defaultProfile).toBe('general-assistant');
    expect(workflow.config).toEqual({ maxContextHistory: 50, continueOnError: true });
    expect(workflow.phases.map((phase) => [phase.name, phase.executionMode])).toEqual([
      ['Research Phase', 'parallel'],
      ['Content Creation Phase', 'sequential'],
      ['Review Phase', 'parallel'],
      ['Final Polish Phase', 'sequential'],
    ]);
    const tasks = workflow.phases.flatMap((phase) => phase.tasks);
    expect(tasks).toHaveLength(9);
    expect(tasks.map((task) => task.id)).toEqual([
      'market_research',
      'technical_research',
      'competitive_analysis',
      'content_writer',
      'technical_writer',
      'content_reviewer',
      'technical_reviewer',
      'content_writer-2',
      'technical_writer-2',
    ]);
    expect(tasks.map((task) => task.profile)).toEqual([
      'researcher',
      'researcher',
      'researcher',
      'writer',
      'writer',
      'editor',
      'technical-editor',
      undefined,
      undefined,
    ]);
    expect(tasks[7]).toStrictEqual({
      id: 'content_writer-2',
      contextName: 'content_writer',
      prompt: "Revise the article with the review's three changes, and keep it the same length.",
      dependsOn: [],
    });
    expect(JSON.parse(JSON.stringify(workflow))).toStrictEqual(workflow);
  });

  it('loads seed_readme_workflow.yaml unchanged, with the default config', () => {
    const workflow = parseWorkflow(fixtureText(fixtures.seedReadme));
    expect(workflow.phases.map((phase) => phase.executionMode)).toEqual([
      'parallel',
      'sequential',
      'parallel',
    ]);
    expect(workflow.phases.flatMap((phase) => phase.tasks.map((task) => task.id))).toEqual([
      'market_research',
      'technical_research',
      'content_writer',
      'technical_writer',
      'content_reviewer',
      'technical_reviewer',
    ]);
    expect(workflow.config).toEqual({ maxContextHistory: 50, continueOnError: true });
  });

  it('accepts JSON, a byte order mark and CRLF line breaks', () => {
    const json = JSON.stringify({
      name: 'J',
      phases: [{ name: 'p', tasks: [{ context_name: 'c', prompt: 'q' }] }],
    });
    expect(parseWorkflow(json).phases[0]!.tasks[0]!.id).toBe('c');
    expect(parseWorkflow(`\ufeff${valid.replaceAll('\n', '\r\n')}`).config.maxContextHistory).toBe(
      10,
    );
  });

  it('resolves anchors and aliases', () => {
    const text = `name: Aliases
phases:
  - name: One
    tasks:
      - context_name: a
        prompt: &shared Summarise the notes
      - context_name: b
        prompt: *shared
`;
    const tasks = parseWorkflow(text).phases[0]!.tasks;
    expect(tasks.map((task) => task.prompt)).toEqual([
      'Summarise the notes',
      'Summarise the notes',
    ]);
  });
});

describe('parseWorkflow: bad input, each issue at its line and column', () => {
  it('reports every YAML syntax error with its position', async () => {
    const text = 'name: Demo\nphases: [one, two\ndescription: "unterminated\n';
    expect(await issuesOf(text)).toEqual([
      [
        3,
        1,
        'invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
      [4, 1, 'invalid YAML: missing closing "quote'],
    ]);
  });

  it('reports a tab used as indentation', async () => {
    expect(await issuesOf('name: Demo\nphases:\n\t- name: x\n')).toEqual([
      [3, 1, 'invalid YAML: tabs are not allowed as indentation'],
    ]);
  });

  it('reports a value of the wrong shape at the value', async () => {
    expect(await issuesOf('name: Demo\nphases: research\n')).toEqual([
      [2, 9, 'phases must be a list of at least one phase, got "research" (a string)'],
    ]);
  });

  it('reports an unknown key at the key, with "did you mean"', async () => {
    const text = valid.replace('execution_mode', 'executon_mode');
    expect(await issuesOf(text)).toEqual([
      [4, 5, 'unknown key "executon_mode" in phase; did you mean "execution_mode"?'],
    ]);
  });

  it('reports a duplicate key at the second occurrence', async () => {
    const text = valid.replace(
      '        prompt: Find facts\n',
      '        prompt: Find facts\n        prompt: Again\n',
    );
    expect(await issuesOf(text)).toEqual([[8, 9, 'duplicate key "prompt" (first set on line 7)']]);
  });

  it('rejects a __proto__ key anywhere, before it reaches an object', async () => {
    const text = `__proto__: {polluted: true}
name: Demo
phases:
  - name: One
    tasks: [{context_name: c, prompt: p, __proto__: {polluted: true}}]
`;
    expect(await issuesOf(text)).toEqual([
      [1, 1, 'the key "__proto__" is not allowed'],
      [5, 42, 'the key "__proto__" is not allowed'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects an empty phase list at the list', async () => {
    expect(await issuesOf('name: Demo\nphases: []\n')).toEqual([
      [2, 9, 'phases must be a list of at least one phase, got an empty list'],
    ]);
  });

  it('rejects a phase without tasks: an empty list, an empty value, or no key', async () => {
    expect(await issuesOf('name: Demo\nphases:\n  - name: One\n    tasks: []\n')).toEqual([
      [4, 12, 'tasks must be a list of at least one task, got an empty list'],
    ]);
    expect(await issuesOf('name: Demo\nphases:\n  - name: One\n    tasks:\n')).toEqual([
      [4, 5, 'tasks must be a list of at least one task, got an empty value (null)'],
    ]);
    expect(await issuesOf('name: Demo\nphases:\n  - name: One\n')).toEqual([
      [3, 5, 'missing required key "tasks" in phase'],
    ]);
  });

  it('rejects an unknown execution mode at the value, with "did you mean"', async () => {
    const text = valid.replace('execution_mode: parallel', 'execution_mode: paralel');
    expect(await issuesOf(text)).toEqual([
      [
        4,
        21,
        'execution_mode must be "sequential" or "parallel", got "paralel"; did you mean "parallel"?',
      ],
    ]);
  });

  it('rejects a negative history limit at the value', async () => {
    const text = valid.replace('max_context_history: 10', 'max_context_history: -5');
    expect(await issuesOf(text)).toEqual([
      [9, 24, 'max_context_history must be a non-negative integer, got -5'],
    ]);
  });

  it('refuses an alias bomb at the alias that crosses the limit', async () => {
    const text = `a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
`;
    expect(await issuesOf(text)).toEqual([
      [
        5,
        8,
        'aliases expand the document by more than 10000 nodes (at "*d"); refusing a likely alias bomb',
      ],
    ]);
  });

  it.each([
    ['[', 65],
    ['{', 65],
    ['- ', 129],
  ])('refuses 100,000 nested %j beyond 64 levels, quickly', async (unit, column) => {
    const started = Date.now();
    expect(await issuesOf(unit.repeat(100_000))).toEqual([
      [1, column, 'the file nests lists and mappings deeper than 64 levels'],
    ]);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('refuses deep nesting spread over lines', async () => {
    const text = Array.from(
      { length: 100 },
      (_, depth) => `${'  '.repeat(depth)}level${depth}:`,
    ).join('\n');
    expect(await issuesOf(text)).toEqual([
      [65, 129, 'the file nests lists and mappings deeper than 64 levels'],
    ]);
  });

  it('refuses an alias that nests the document too deep', async () => {
    const deep = `${'['.repeat(40)}x${']'.repeat(40)}`;
    const text = `a: &a ${deep}\nb: ${'['.repeat(30)}*a${']'.repeat(30)}\n`;
    expect(await issuesOf(text)).toEqual([
      [2, 34, 'alias "*a" nests the document deeper than 64 levels'],
    ]);
  });

  it.each([
    ['', 'the file is empty'],
    ['   \n\t\n  ', 'the file is empty'],
    ['# just a comment\n\n# and another\n', 'the file holds only comments'],
    ['---\n...\n', 'the file holds no YAML content'],
  ])('rejects a file with no content: %j', async (text, what) => {
    expect(await issuesOf(text)).toEqual([
      [1, 1, `${what}; expected a workflow: a mapping with "name" and "phases"`],
    ]);
  });

  it('rejects a top-level scalar or list', async () => {
    expect(await issuesOf('# a scalar\nhello\n')).toEqual([
      [2, 1, 'the workflow must be an object with "name" and "phases", got "hello" (a string)'],
    ]);
    expect(await issuesOf('- name: Demo\n')).toEqual([
      [1, 1, 'the workflow must be an object with "name" and "phases", got a list'],
    ]);
  });

  it('rejects more than one document', async () => {
    expect(await issuesOf(`${valid}---\nname: Other\n`)).toEqual([
      [
        10,
        1,
        'the file holds more than one YAML document (a second one starts here); expected one',
      ],
    ]);
  });

  it('rejects an alias without an anchor and an unknown tag', async () => {
    expect(await issuesOf('name: !secret Demo\nphases: *phases\n')).toEqual([
      [1, 7, 'invalid YAML: unresolved tag: !secret'],
      [2, 9, 'unknown alias "*phases": no anchor "&phases" comes before it'],
    ]);
  });

  it('reports all issues at once, in source order', async () => {
    const text = `name: ""
descripton: Demo
phases:
  - name: One
    execution_mode: paralel
    tasks:
      - context_name: notes
      - prompt: Hello
        id: "bad id"
config:
  max_context_history: -1
  continue_on_error: yes please
`;
    expect(await issuesOf(text)).toEqual([
      [1, 7, 'name must be a non-empty string, got ""'],
      [2, 1, 'unknown key "descripton" in workflow; did you mean "description"?'],
      [
        5,
        21,
        'execution_mode must be "sequential" or "parallel", got "paralel"; did you mean "parallel"?',
      ],
      [7, 9, 'missing required key "prompt" in task'],
      [8, 9, 'missing required key "context_name" in task'],
      [
        9,
        13,
        'id must be made of letters, digits, "_", "." and "-", starting with a letter, digit or "_", got "bad id"',
      ],
      [11, 24, 'max_context_history must be a non-negative integer, got -1'],
      [12, 22, 'continue_on_error must be true or false, got "yes please" (a string)'],
    ]);
  });

  it('reports a duplicate task id at the later id', async () => {
    const text = `name: Demo
phases:
  - name: One
    tasks:
      - {id: draft, context_name: a, prompt: p}
      - {id: draft, context_name: b, prompt: q}
`;
    expect(await issuesOf(text)).toEqual([
      [6, 14, 'duplicate task id "draft": task 1 of phase 1 already uses it'],
    ]);
  });

  it('survives binary input', async () => {
    const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const error = await loadError(() => parseWorkflow(binary));
    for (const issue of error.issues) {
      expect(issue.line).toBeGreaterThanOrEqual(1);
      expect(issue.column).toBeGreaterThanOrEqual(1);
    }
    const controls = [...error.format()].filter((c) => c < ' ' && c !== '\n' && c !== '\t');
    expect(controls).toEqual([]);
  });

  it('throws only WorkflowLoadError, even for input that is not a string', async () => {
    const error = await loadError(() => parseWorkflow(42 as unknown as string, { source: 'x' }));
    expect(error.issues).toEqual([
      {
        message: 'expected the text of a workflow file, got number',
        path: [],
        line: 1,
        column: 1,
        source: 'x',
        code: 'invalid_input',
      },
    ]);
  });

  it('gives each issue its path, code and source', async () => {
    const error = await loadError(() =>
      parseWorkflow(valid.replace('execution_mode', 'executon_mode'), { source: 'demo.yaml' }),
    );
    expect(error.source).toBe('demo.yaml');
    expect(error.issues).toEqual([
      {
        message: 'unknown key "executon_mode" in phase; did you mean "execution_mode"?',
        path: ['phases', 0, 'executon_mode'],
        line: 4,
        column: 5,
        source: 'demo.yaml',
        code: 'unknown_key',
      },
    ]);
  });
});
