import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { argumentsToParse, buildProgram } from './program.js';

const io: CliIo = {
  stdout: { write: () => true },
  stderr: { write: () => true },
  env: {},
  cwd: '/',
  onInterrupt: () => () => {},
  exit: () => {},
};
const program = buildProgram(io, () => {});

describe('argumentsToParse', () => {
  it.each([
    [['run', 'wf.yaml', '--help']],
    [['--help']],
    [['-V']],
    [['help', 'validate']],
    [['help']],
    [[]],
    [['--bogus', 'run']],
  ])('leaves %j as it is', (argv) => {
    expect(argumentsToParse(program, argv)).toEqual(argv);
  });

  it.each([
    [['nosuch', '--help'], ['nosuch']],
    [['nosuch', '-V', 'x.yaml'], ['nosuch']],
    [['--help', 'nosuch'], ['nosuch']],
    [['-h', 'help', 'nosuch'], ['nosuch']],
  ])('gives an unknown command alone: %j', (argv, expected) => {
    expect(argumentsToParse(program, argv)).toEqual(expected);
  });
});
