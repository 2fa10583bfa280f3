import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-process.js';
import { parseEventLines, type Workspace, workspace } from './workspace.js';

const noStackTrace = /^\s+at /m;

/** A workflow with a string, a number and a boolean input; `tone` has a default. */
const WORKFLOW = [
  'name: Inputs',
  'inputs:',
  '  topic:',
  '    type: string',
  '    description: what to write about',
  '  rounds:',
  '    type: number',
  '  loud:',
  '    type: boolean',
  '  tone:',
  '    type: string',
  '    default: dry',
  'phases:',
  '  - name: Write',
  '    tasks:',
  '      - id: draft',
  '        context_name: writer',
  '        prompt: "{{ inputs.rounds }} x {{ inputs.topic }}, loud={{ inputs.loud }}, tone={{ inputs.tone }}"',
  '',
].join('\n');

let space: Workspace;
beforeAll(() => {
  space = workspace({
    'inputs.yaml': WORKFLOW,
    'notes/topic.txt': 'tide pools\nand their crabs\n',
    'two-steps.yaml': [
      'name: Two steps',
      'inputs:',
      '  topic: { type: string }',
      'phases:',
      '  - name: One',
      '    tasks:',
      '      - { id: first, context_name: a, prompt: "First on {{ inputs.topic }}" }',
      '  - name: Two',
      '    tasks:',
      '      - { id: second, context_name: b, prompt: "Then {{ inputs.topic }}" }',
      '',
    ].join('\n'),
  });
});
afterAll(() => space.remove());

/** `run inputs.yaml --json --no-journal` with these extra arguments, in the workspace. */
function run(...args: string[]) {
  return runCli(['run', 'inputs.yaml', '--json', '--no-journal', ...args], { cwd: space.dir });
}

/** The prompt the task was sent, from the run's events. */
function promptOf(stdout: string): string | undefined {
  const start = parseEventLines(stdout).find((event) => event.type === 'task:start');
  return start?.type === 'task:start' ? start.prompt : undefined;
}

describe('run --input', () => {
  it('passes each value, converted to its input type, into the prompt', async () => {
    const { code, stdout, stderr } = await run(
      '--input',
      'topic=tide pools',
      '--input',
      'rounds=3',
      '--input',
      'loud=true',
    );
    expect(stderr).not.toMatch(noStackTrace);
    expect(code).toBe(0);
    expect(promptOf(stdout)).toBe('3 x tide pools, loud=true, tone=dry');
  });

  it('overrides a default, and takes an empty value and a value that contains "="', async () => {
    const { code, stdout } = await run(
      '--input',
      'topic=a=b',
      '--input',
      'rounds=0.5',
      '--input',
      'loud=false',
      '--input',
      'tone=',
    );
    expect(code).toBe(0);
    expect(promptOf(stdout)).toBe('0.5 x a=b, loud=false, tone=');
  });

  it('reads name=@file from a file relative to the working directory, exactly as written', async () => {
    const { code, stdout } = await run(
      '--input',
      'topic=@notes/topic.txt',
      '--input',
      'rounds=1',
      '--input',
      'loud=false',
    );
    expect(code).toBe(0);
    expect(promptOf(stdout)).toBe('1 x tide pools\nand their crabs\n, loud=false, tone=dry');
  });

  it('takes name=@@text as the literal value @text', async () => {
    const { code, stdout } = await run(
      '--input',
      'topic=@@handle',
      '--input',
      'rounds=1',
      '--input',
      'loud=false',
    );
    expect(code).toBe(0);
    expect(promptOf(stdout)).toBe('1 x @handle, loud=false, tone=dry');
  });

  it('reports every missing, ill-typed and unknown input, one per line, and exits 2 before any call', async () => {
    const { code, stdout, stderr } = await run(
      '--input',
      'rounds=many',
      '--input',
      'loud=yes',
      '--input',
      'topik=tides',
    );
    expect(code).toBe(2);
    // No event at all: the run never started, so no provider was called.
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      'multi-context: 4 inputs are not right (set inputs with --input name=value):',
      '  missing input "topic" (a string): what to write about',
      '  input "rounds" must be a number, got "many" (a string)',
      '  input "loud" must be true or false, got "yes" (a string)',
      '  unknown input "topik"; did you mean "topic"?',
    ]);
  });

  it('reports missing inputs when none is given, also without --json', async () => {
    const { code, stdout, stderr } = await runCli(['run', 'inputs.yaml', '--no-journal'], {
      cwd: space.dir,
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('  missing input "topic" (a string)');
    expect(stderr).toContain('  missing input "rounds" (a number)');
    expect(stderr).toContain('  missing input "loud" (true or false)');
    expect(stderr).not.toContain('"tone"');
    // Checked before the providers are set up: no notice about the offline provider.
    expect(stderr).not.toContain('mock');
    expect(stderr).not.toMatch(noStackTrace);
  });

  it('exits 2 with the path when an @file is missing', async () => {
    const { code, stdout, stderr } = await run(
      '--input',
      'topic=@notes/nope.txt',
      '--input',
      'rounds=1',
      '--input',
      'loud=false',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `multi-context: --input topic=@notes/nope.txt: file not found: ${space.path('notes/nope.txt')}\n`,
    );
  });

  it('exits 2 when an @file is a directory', async () => {
    const { code, stderr } = await run('--input', 'topic=@notes', '--input', 'rounds=1');
    expect(code).toBe(2);
    expect(stderr).toBe(
      `multi-context: --input topic=@notes: it is a directory, not a file: ${space.path('notes')}\n`,
    );
  });

  it.each([
    ['no "="', 'novalue', 'expected name=value (or name=@file to read the value from a file).'],
    ['no name', '=value', 'expected name=value (or name=@file to read the value from a file).'],
    ['no file after "@"', 'topic=@', 'expected a file name after "@".'],
  ])('rejects a malformed option (%s) with a usage hint, exit 2', async (_, value, reason) => {
    const { code, stdout, stderr } = await run('--input', value);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      `multi-context: option '--input <name=value>' argument '${value}' is invalid. ${reason}`,
      "Run 'multi-context run --help' for usage.",
    ]);
  });

  it('rejects an input given twice', async () => {
    const { code, stderr } = await run('--input', 'topic=a', '--input', 'topic=b');
    expect(code).toBe(2);
    expect(stderr).toContain('input "topic" is given more than once.');
  });

  it('is listed in the help of run', async () => {
    const { stdout } = await runCli(['run', '--help']);
    expect(stdout).toContain('--input <name=value>');
  });
});

describe('resume --input', () => {
  it('takes --input like run, and the resumed tasks render the inputs', async () => {
    const journalDir = ['--journal-dir', 'journals'];
    const started = startCli(
      [
        'run',
        'two-steps.yaml',
        '--json',
        '--mock-delay',
        '50',
        '--input',
        'topic=tides',
        ...journalDir,
      ],
      { cwd: space.dir },
    );
    let runId: string | undefined;
    started.onLine((line) => {
      const event = JSON.parse(line) as { type: string; runId: string };
      runId = event.runId;
      if (event.type === 'task:end') started.child.kill('SIGINT');
    });
    const interrupted = await started.outcome;
    expect(interrupted.code).toBe(130);
    expect(runId).toBeDefined();

    const malformed = await runCli(['resume', runId!, '--input', 'topic', ...journalDir], {
      cwd: space.dir,
    });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain(
      "multi-context: option '--input <name=value>' argument 'topic' is invalid.",
    );
    expect(malformed.stderr).toContain("Run 'multi-context resume --help' for usage.");

    const resumed = await runCli(
      ['resume', runId!, '--json', '--mock-delay', '0', '--input', 'topic=tides', ...journalDir],
      { cwd: space.dir },
    );
    expect(resumed.stderr).not.toMatch(noStackTrace);
    expect(resumed.code).toBe(0);
    const starts = parseEventLines(resumed.stdout).filter((event) => event.type === 'task:start');
    expect(starts.map((event) => event.type === 'task:start' && event.prompt)).toEqual([
      'Then tides',
    ]);
  });
});
