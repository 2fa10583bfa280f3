import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from './cli-process.js';
import { type Workspace, workspace } from './workspace.js';

const noStackTrace = /^\s+at /m;

/** One mistake of each kind the workflow language adds, all in one file. */
const MANY_MISTAKES = [
  'name: Many mistakes', //                                                    1
  'inputs:', //                                                                2
  '  topic:', //                                                               3
  '    type: string', //                                                       4
  '    descripton: the subject', //                                            5  unknown key in an input
  'contexts:', //                                                              6
  '  notes:', //                                                               7
  '    max_histroy: 5', //                                                     8  unknown key in contexts:
  'phases:', //                                                                9
  '  - name: Research', //                                                    10
  '    execution_mode: parallel', //                                          11
  '    tasks:', //                                                            12
  '      - id: market', //                                                    13
  '        context_name: notes', //                                           14
  '        prompt: Research {{ inputs.topik }}', //                           15  unknown input
  '      - id: tech', //                                                      16
  '        context_name: tech', //                                            17
  '        prompt: Compare with {{ outputs.market }} and {{ outputs.draft }}', // 18  same phase; later phase
  '        timeout: 10 minutes', //                                           19  bad duration
  '  - name: Write', //                                                       20
  '    tasks:', //                                                            21
  '      - id: draft', //                                                     22
  '        context_name: writer', //                                          23
  '        prompt: Write from {{ outputs.markit }} and {{ outputs.nothing }}', // 24  unknown task ids
  '        output:', //                                                       25
  '          format: json', //                                                26
  '          schema:', //                                                     27
  '            type: objekt', //                                              28  bad output schema
  '',
].join('\n');

/** A workflow that loads, whose profiles are partly undefined. */
const PROFILES_USED = [
  'name: Profiles', //                                  1
  'default_profile: helper', //                         2
  'profiles:', //                                       3
  '  writer:', //                                       4
  '    model: small', //                                5
  'contexts:', //                                       6
  '  notes:', //                                        7
  '    max_tokens: 2000', //                            8
  '    trim:', //                                       9
  '      policy: summarize', //                        10
  '      profile: sumarizer', //                       11
  'phases:', //                                        12
  '  - name: Go', //                                   13
  '    tasks:', //                                     14
  '      - context_name: notes', //                    15
  '        profile: writer', //                        16
  '        prompt: Hello', //                          17
  '      - context_name: other', //                    18
  '        profile: reviewr', //                       19
  '        prompt: Check', //                          20
  '      - context_name: third', //                    21
  '        prompt: Default profile', //                22
  '',
].join('\n');

let space: Workspace;
beforeAll(() => {
  space = workspace({
    'many.yaml': MANY_MISTAKES,
    'profiles-used.yaml': PROFILES_USED,
    'profiles.yaml': [
      'profiles:',
      '  summarizer:',
      '    model: m',
      '  reviewer:',
      '    model: m',
      '',
    ].join('\n'),
    'broken-profiles.yaml': ['profiles:', '  reviewer:', '    temprature: 1', ''].join('\n'),
  });
});
afterAll(() => space.remove());

function validate(...args: string[]) {
  return runCli(['validate', ...args], { cwd: space.dir });
}

/** The `file:line:col: message` blocks of stderr, each with its source line and caret. */
function blocks(
  stderr: string,
): { line: number; column: number; message: string; source: string; caret: number }[] {
  return stderr
    .trimEnd()
    .split('\n\n')
    .filter((block) => !block.startsWith('multi-context: '))
    .map((block) => {
      const [header, source, caret, ...rest] = block.split('\n');
      expect(rest, block).toEqual([]);
      const match = /^[^:]+:(\d+):(\d+): (.*)$/.exec(header ?? '');
      expect(match, block).not.toBeNull();
      const gutter = source!.indexOf(' | ') + 3;
      return {
        line: Number(match![1]),
        column: Number(match![2]),
        message: match![3]!,
        source: source!.slice(gutter),
        // 1-based column of the caret under the source line.
        caret: caret!.indexOf('^') - gutter + 1,
      };
    });
}

describe('validate reports every mistake of the workflow language in one run', () => {
  it('places each at its exact line:col, with the line and a caret, and exits 2', async () => {
    const { code, stdout, stderr } = await validate('many.yaml');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(noStackTrace);
    expect(stderr.startsWith('many.yaml:')).toBe(true);
    const found = blocks(stderr);
    expect(found.map(({ line, column }) => `${line}:${column}`)).toEqual([
      '5:5',
      '8:5',
      '15:26',
      '18:30',
      '18:55',
      '19:18',
      '24:28',
      '24:53',
      '28:19',
    ]);
    const messages = found.map((issue) => issue.message);
    expect(messages[0]).toMatch(/unknown key "descripton".*did you mean "description"\?/);
    expect(messages[1]).toMatch(
      /unknown key "max_histroy" in context "notes".*did you mean "max_history"\?/,
    );
    expect(messages[2]).toMatch(/unknown input "topik".*did you mean "topic"\?/);
    expect(messages[3]).toMatch(/outputs\.market.*same parallel phase/);
    expect(messages[4]).toMatch(/outputs\.draft.*later phase/);
    expect(messages[5]).toMatch(/timeout must be a duration.*"10 minutes".*did you mean "10m"\?/);
    expect(messages[6]).toMatch(/unknown task id "markit".*did you mean "market"\?/);
    expect(messages[7]).toMatch(/unknown task id "nothing"/);
    expect(messages[8]).toMatch(/got "objekt".*did you mean "object"\?/);
    const lines = MANY_MISTAKES.split('\n');
    for (const issue of found) {
      expect(issue.source).toBe(lines[issue.line - 1]);
      expect(issue.caret).toBe(issue.column);
    }
  });
});

describe('validate --strict', () => {
  it('reports the undefined profiles of the example fixture, each where it is used, and exits 2', async () => {
    const file = fixture('example_workflow.yaml');
    const { code, stdout, stderr } = await runCli(['validate', '--strict', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(noStackTrace);
    const found = blocks(stderr);
    expect(found.map(({ line, column, message }) => `${line}:${column} ${message}`)).toEqual([
      '8:18 profile "general-assistant" is not defined (no profiles are defined)',
      '15:18 profile "researcher" is not defined (no profiles are defined)',
      '19:18 profile "researcher" is not defined (no profiles are defined)',
      '23:18 profile "researcher" is not defined (no profiles are defined)',
      '30:18 profile "writer" is not defined (no profiles are defined)',
      '34:18 profile "writer" is not defined (no profiles are defined)',
      '41:18 profile "editor" is not defined (no profiles are defined)',
      '45:18 profile "technical-editor" is not defined (no profiles are defined)',
    ]);
    for (const issue of found) expect(issue.caret).toBe(issue.column);
    expect(stderr).toContain(`${file}:15:18: `);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(
      'multi-context: --strict: 8 profile uses are not defined; define them under profiles: in the workflow, or give validate the profiles file with --profiles <file>',
    );
  });

  it('is quiet about undefined profiles without --strict', async () => {
    const { code, stdout, stderr } = await validate('profiles-used.yaml');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('✔ profiles-used.yaml: Profiles — 1 phase, 3 tasks, 3 contexts\n');
  });

  it("flags default_profile, a context's summary profile and a task's profile; inline profiles count as defined", async () => {
    const { code, stderr } = await validate('--strict', 'profiles-used.yaml');
    expect(code).toBe(2);
    expect(
      blocks(stderr).map(({ line, column, message }) => `${line}:${column} ${message}`),
    ).toEqual([
      '2:18 profile "helper" is not defined (defined: "writer")',
      '11:16 profile "sumarizer" is not defined (defined: "writer")',
      '19:18 profile "reviewr" is not defined (defined: "writer")',
    ]);
  });

  it('counts the profiles of a --profiles file as defined, and suggests the nearest', async () => {
    const { code, stderr } = await validate(
      '--strict',
      '--profiles',
      'profiles.yaml',
      'profiles-used.yaml',
    );
    expect(code).toBe(2);
    expect(
      blocks(stderr).map(({ line, column, message }) => `${line}:${column} ${message}`),
    ).toEqual([
      '2:18 profile "helper" is not defined (defined: "summarizer", "reviewer" and "writer")',
      '11:16 profile "sumarizer" is not defined; did you mean "summarizer"?',
      '19:18 profile "reviewr" is not defined; did you mean "reviewer"?',
    ]);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(
      'multi-context: --strict: 3 profile uses are not defined; define them under profiles: in the workflow or in profiles.yaml',
    );
  });

  it('passes a workflow whose every profile is defined: the summary line, exit 0', async () => {
    space.write({
      'all-defined.yaml': PROFILES_USED.replace('helper', 'writer')
        .replace('sumarizer', 'summarizer')
        .replace('reviewr', 'reviewer'),
    });
    const { code, stdout, stderr } = await validate(
      '--strict',
      '--profiles',
      'profiles.yaml',
      'all-defined.yaml',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('✔ all-defined.yaml: Profiles — 1 phase, 3 tasks, 3 contexts\n');
  });

  it('reports a --profiles file that does not load at its line:col, with or without --strict', async () => {
    for (const args of [[], ['--strict']]) {
      const { code, stdout, stderr } = await validate(
        ...args,
        '--profiles',
        'broken-profiles.yaml',
        'profiles-used.yaml',
      );
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        /^broken-profiles\.yaml:3:5: unknown key "temprature".*did you mean "temperature"\?/,
      );
    }
  });

  it('lists --strict and --profiles in the help of validate', async () => {
    const { stdout } = await runCli(['validate', '--help']);
    expect(stdout).toContain('--strict');
    expect(stdout).toContain('--profiles <file>');
  });
});
