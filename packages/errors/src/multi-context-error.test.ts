import { describe, expect, it } from 'vitest';
import { MultiContextError } from './multi-context-error.js';

class ParentError extends MultiContextError {
  static override errorName = 'TestParentError';
  constructor(readonly detail: string) {
    super(`parent: ${detail}`);
  }
}

class ChildError extends ParentError {
  static override errorName = 'TestChildError';
}

class OtherError extends MultiContextError {
  static override errorName = 'TestOtherError';
}

/** What another copy of the package would make: the same marker, another class. */
function fromAnotherCopy(errorName: string): object {
  const error = new Error('elsewhere');
  (error as unknown as Record<symbol, true>)[Symbol.for(`multi-context.error.${errorName}`)] = true;
  return error;
}

describe('MultiContextError', () => {
  it('recognises its own class, its subclasses, and nothing else', () => {
    const parent = new ParentError('x');
    const child = new ChildError('y');
    expect(ParentError.isInstance(parent)).toBe(true);
    expect(ParentError.isInstance(child)).toBe(true);
    expect(ChildError.isInstance(child)).toBe(true);
    expect(ChildError.isInstance(parent)).toBe(false);
    expect(OtherError.isInstance(parent)).toBe(false);
    expect(MultiContextError.isInstance(new OtherError())).toBe(true);
    for (const value of [new Error('plain'), null, undefined, 'ParentError', 1, {}]) {
      expect(ParentError.isInstance(value)).toBe(false);
      expect(MultiContextError.isInstance(value)).toBe(false);
    }
  });

  it('works unbound, as a callback, for the class it was read from', () => {
    const errors = [new ParentError('a'), new ChildError('b'), new OtherError('c'), new Error('d')];
    expect(errors.filter(ChildError.isInstance)).toEqual([errors[1]]);
    expect(errors.filter(ParentError.isInstance)).toEqual([errors[0], errors[1]]);
    const check: (error: unknown) => boolean = OtherError.isInstance;
    expect([check(errors[2]), check(errors[0])]).toEqual([true, false]);
    expect(ChildError.isInstance).toBe(ChildError.isInstance);
  });

  it('recognises an error made by another copy of the package by its Symbol.for marker', () => {
    expect(ParentError.isInstance(fromAnotherCopy('TestParentError'))).toBe(true);
    expect(ChildError.isInstance(fromAnotherCopy('TestParentError'))).toBe(false);
  });

  it('names the error after its class, keeps the message, the cause and the stack', () => {
    const cause = new Error('root');
    const error = new (class extends MultiContextError {
      static override errorName = 'TestCausedError';
    })('with a cause', { cause });
    expect(error.name).toBe('TestCausedError');
    expect(error.message).toBe('with a cause');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(error.stack).toContain('with a cause');
    const child = new ChildError('z');
    expect([child.name, child.message, child.detail]).toEqual(['TestChildError', 'parent: z', 'z']);
  });

  it('keeps its markers out of JSON and keys', () => {
    const error = new ChildError('x');
    expect(Object.getOwnPropertySymbols(error).map(String)).toEqual([
      'Symbol(multi-context.error.TestChildError)',
      'Symbol(multi-context.error.TestParentError)',
      'Symbol(multi-context.error.MultiContextError)',
    ]);
    expect(Object.keys(error)).toEqual(['name', 'detail']);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'TestChildError', detail: 'x' });
  });
});
