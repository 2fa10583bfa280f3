import { WorkflowInputError } from '@multi-context/workflow';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { formatInputError, parseInputOption } from './parse-input-options.js';

describe('parseInputOption', () => {
  it('splits at the first "=" and collects the options in order', () => {
    let options = parseInputOption('topic=tide pools', undefined);
    options = parseInputOption('formula=a=b', options);
    options = parseInputOption('empty=', options);
    expect(options).toEqual([
      { name: 'topic', value: 'tide pools' },
      { name: 'formula', value: 'a=b' },
      { name: 'empty', value: '' },
    ]);
  });

  it('reads name=@file as a file, and name=@@text as the text @text', () => {
    expect(parseInputOption('notes=@notes/a b.md', undefined)).toEqual([
      { name: 'notes', file: 'notes/a b.md' },
    ]);
    expect(parseInputOption('handle=@@someone', undefined)).toEqual([
      { name: 'handle', value: '@someone' },
    ]);
  });

  it.each([
    ['novalue', /expected name=value/],
    ['=value', /expected name=value/],
    ['  =value', /expected name=value/],
    ['notes=@', /expected a file name after "@"/],
  ])('rejects %j', (raw, message) => {
    expect(() => parseInputOption(raw, undefined)).toThrowError(InvalidArgumentError);
    expect(() => parseInputOption(raw, undefined)).toThrowError(message);
  });

  it('rejects a name given twice', () => {
    const first = parseInputOption('topic=a', undefined);
    expect(() => parseInputOption('topic=b', first)).toThrowError(
      'input "topic" is given more than once.',
    );
  });
});

describe('formatInputError', () => {
  it('prints a heading, then one line per issue', () => {
    const error = new WorkflowInputError([
      { input: 'topic', message: 'missing input "topic" (a string)' },
      { input: 'n', message: 'input "n" must be a number, got "x" (a string)' },
    ]);
    expect(formatInputError(error).split('\n')).toEqual([
      'multi-context: 2 inputs are not right (set inputs with --input name=value):',
      '  missing input "topic" (a string)',
      '  input "n" must be a number, got "x" (a string)',
    ]);
  });

  it('says "an input" for one issue', () => {
    const error = new WorkflowInputError([{ input: 'x', message: 'unknown input "x"' }]);
    expect(formatInputError(error)).toBe(
      'multi-context: an input is not right (set inputs with --input name=value):\n  unknown input "x"',
    );
  });
});
