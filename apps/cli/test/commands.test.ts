import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRoot, fixture, runCli } from './cli-process.js';

const tmp = mkdtempSync(join(tmpdir(), 'multi-context-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const noStackTrace = /^\s+at /m;

describe('multi-context --help and --version', () => {
  it('prints the top-level help with every command and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Usage: multi-context [options] [command]');
    expect(stdout).toMatch(/^\s+run \[options\] <file>/m);
    expect(stdout).toMatch(/^\s+validate \[options\] <file>/m);
    expect(stdout).toMatch(/^\s+schema \[options\]/m);
    expect(stdout).toContain('Exit codes:');
  });

  it('prints the help of a command with -h', async () => {
    const { code, stdout } = await runCli(['run', '-h']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: multi-context run [options] <file>');
    for (const option of ['--json', '--quiet', '--mock-delay <ms>', '--mock-fail <contexts>']) {
      expect(stdout).toContain(option);
    }
  });

  it('prints the version of the package', async () => {
    const { version } = JSON.parse(readFileSync(resolve(cliRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });
});

/** The exit codes listed under "Exit codes:" in a help text, in order (a code listed twice shows twice). */
function exitCodesOf(help: string): number[] {
  const blocks = help.split('\nExit codes:\n');
  expect(blocks, help).toHaveLength(2);
  return [...blocks[1]!.matchAll(/^ {2}(\d+) /gm)].map((match) => Number(match[1]));
}

describe("each command's help lists the exit codes it can return", () => {
  it.each([
    [[], [0, 1, 2, 3, 130]],
    [['run'], [0, 1, 2, 3, 130]],
    [['resume'], [0, 1, 2, 3, 130]],
    [['validate'], [0, 2]],
    [['schema'], [0, 2]],
    [['runs'], [0, 2]],
    [['show'], [0, 2]],
    [['events'], [0, 2, 130]],
  ])('%j', async (command, codes) => {
    const { code, stdout } = await runCli([...command, '--help']);
    expect(code).toBe(0);
    expect(exitCodesOf(stdout)).toEqual(codes);
  });

  it('says under validate that an unset API key variable is a warning, not an error', async () => {
    const { stdout } = await runCli(['validate', '--help']);
    expect(stdout.replace(/\s+/g, ' ')).toMatch(/unset API key variable is a warning/);
  });
});

describe('usage errors exit 2 with one line and a hint', () => {
  it.each([
    [
      'an unknown command',
      ['rnu', 'x.yaml'],
      "multi-context: unknown command 'rnu' (Did you mean run?)",
    ],
    ['an unknown option', ['run', 'x.yaml', '--bogus'], "multi-context: unknown option '--bogus'"],
    ['a missing file argument', ['validate'], "multi-context: missing required argument 'file'"],
    [
      'a bad option value',
      ['run', 'x.yaml', '--mock-delay', 'soon'],
      "multi-context: option '--mock-delay <ms>' argument 'soon' is invalid.",
    ],
  ])('%s', async (_, args, message) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const [first, hint, ...rest] = stderr.trimEnd().split('\n');
    expect(first).toContain(message);
    expect(hint).toMatch(/^Run 'multi-context( run| validate)? --help' for usage\.$/);
    expect(rest).toEqual([]);
  });

  it.each([
    ['nosuch', '--help'],
    ['nosuch', '-h'],
    ['nosuch', '--version'],
    ['--help', 'nosuch'],
    ['help', 'nosuch'],
  ])(
    'an unknown command exits 2 with its message, whatever goes with it: %s %s',
    async (...args) => {
      const { code, stdout, stderr } = await runCli(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        "multi-context: unknown command 'nosuch'\nRun 'multi-context --help' for usage.\n",
      );
    },
  );

  it('shows the help on stderr when no command is given', async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: multi-context');
  });
});

describe('multi-context validate', () => {
  it.each([
    ['example_workflow.yaml', 'Content Creation Pipeline — 4 phases, 9 tasks, 7 contexts'],
    ['seed_readme_workflow.yaml', 'Content Creation Pipeline — 3 phases, 6 tasks, 6 contexts'],
  ])('describes the valid fixture %s and exits 0', async (name, description) => {
    const file = fixture(name);
    const { code, stdout, stderr } = await runCli(['validate', file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`✔ ${file}: ${description}\n`);
  });

  it('names the file as it was given', async () => {
    const { code, stdout } = await runCli(['validate', 'example_workflow.yaml'], {
      cwd: fixture('.'),
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✔ example_workflow\.yaml: /);
  });

  it('reports a misspelt key as file:line:col with a suggestion and a caret, and exits 2', async () => {
    const file = join(tmp, 'typo.yaml');
    writeFileSync(
      file,
      [
        'name: Typo',
        'phases:',
        '  - name: Research',
        '    executon_mode: parallel',
        '    tasks:',
        '      - context_name: notes',
        '        prompt: Hello',
        '',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await runCli(['validate', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:4:5: `);
    expect(stderr).toMatch(/did you mean "?execution_mode"?/);
    expect(stderr).toContain('executon_mode: parallel');
    expect(stderr).toMatch(/^\s+\|\s+\^$/m);
    expect(stderr).not.toMatch(noStackTrace);
  });

  it('reports every issue of a file, not only the first', async () => {
    const file = join(tmp, 'two-issues.yaml');
    writeFileSync(
      file,
      [
        'name: Two',
        'phases:',
        '  - name: Research',
        '    executon_mode: parallel',
        '    tasks:',
        '      - context_name: notes',
        '        promt: Hello',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await runCli(['validate', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:4:5: `);
    expect(stderr).toContain(`${file}:7:9: `);
  });

  it('reports a missing file in one line without a stack trace, and exits 2', async () => {
    const file = join(tmp, 'nowhere.yaml');
    const { code, stdout, stderr } = await runCli(['validate', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(file);
    expect(stderr).not.toMatch(noStackTrace);
  });
});
