import { MultiContextError } from '@multi-context/errors';
import { describe, expect, it } from 'vitest';
import {
  OrchestratorConfigError,
  OutputValidationError,
  RunAlreadyEndedError,
  RunCancelledError,
  TaskTimeoutError,
} from './index.js';

/** What another copy of core would make: an error with the same marker, of another class. */
function fromAnotherCopy(name: string): Error {
  const error = new Error('elsewhere');
  (error as unknown as Record<symbol, true>)[Symbol.for(`multi-context.error.${name}`)] = true;
  return error;
}

describe("core's errors", () => {
  const made = [
    new OrchestratorConfigError('no provider'),
    new TaskTimeoutError(250),
    new RunCancelledError('ctrl-c'),
    new RunAlreadyEndedError('run-1', 'succeeded'),
    new OutputValidationError('not JSON'),
  ];

  it('keep their names, messages and fields', () => {
    expect(made.map((error) => [error.name, error.message])).toEqual([
      ['OrchestratorConfigError', 'no provider'],
      ['TaskTimeoutError', 'The provider did not finish within 250 ms.'],
      ['RunCancelledError', 'The run was cancelled: ctrl-c'],
      ['RunAlreadyEndedError', 'Run run-1 already ended (succeeded); there is nothing to resume.'],
      ['OutputValidationError', 'not JSON'],
    ]);
    expect(made[1]).toMatchObject({ retryable: true, timeoutMs: 250 });
    expect(made[3]).toMatchObject({ runId: 'run-1', status: 'succeeded' });
    for (const error of made) expect(error).toBeInstanceOf(Error);
  });

  it('are recognised by isInstance, across copies, and as multi-context errors', () => {
    const classes = [
      OrchestratorConfigError,
      TaskTimeoutError,
      RunCancelledError,
      RunAlreadyEndedError,
      OutputValidationError,
    ] as const;
    classes.forEach((type, i) => {
      expect(made.filter((error) => type.isInstance(error))).toEqual([made[i]]);
      expect(type.isInstance(fromAnotherCopy(type.name))).toBe(true);
      expect(type.isInstance(new Error(type.name))).toBe(false);
      expect(MultiContextError.isInstance(made[i])).toBe(true);
    });
  });
});
