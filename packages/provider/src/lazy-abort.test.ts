import { describe, expect, it } from 'vitest';
import { completeFunctionOf, defineProvider, normalizeCompleteResult } from './define-provider.js';
import { isRequestAborted, LazyAbort, requestWithSignal } from './lazy-abort.js';

const fields = {
  prompt: 'p',
  history: [],
  messages: [],
  profile: 'x',
  model: undefined,
  system: undefined,
  params: {},
  contextName: 'c',
  taskId: 't',
  runId: 'r',
};

describe('LazyAbort', () => {
  it('makes its signal on first read, already aborted if abort() came first', () => {
    const early = new LazyAbort();
    early.abort('why');
    expect(early.aborted).toBe(true);
    expect(early.signal.aborted).toBe(true);
    expect(early.signal.reason).toBe('why');

    const late = new LazyAbort();
    const signal = late.signal;
    expect(signal.aborted).toBe(false);
    late.abort('now');
    late.abort('ignored');
    expect(signal.reason).toBe('now');
    expect(late.signal).toBe(signal);
  });

  it('follows a parent signal once made', () => {
    const parent = new AbortController();
    let looked = 0;
    const child = new LazyAbort(() => {
      looked++;
      return parent.signal;
    });
    expect(looked).toBe(0);
    const signal = child.signal;
    expect(looked).toBe(1);
    parent.abort('parent');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('parent');

    const aborted = new AbortController();
    aborted.abort('before');
    expect(new LazyAbort(() => aborted.signal).signal.reason).toBe('before');
  });

  it('gives requests a lazy signal and tells abortion without making it', () => {
    const abort = new LazyAbort();
    const request = requestWithSignal(fields, abort);
    expect(request.prompt).toBe('p');
    expect(isRequestAborted(request)).toBe(false);
    abort.abort('x');
    expect(isRequestAborted(request)).toBe(true);
    expect(request.signal.aborted).toBe(true);
    const plain = { ...fields, signal: AbortSignal.abort() };
    expect(isRequestAborted(plain)).toBe(true);
  });

  it("carries a structured-output task's output format, and stays JSON without one", () => {
    const output = { format: 'json' as const, schema: { type: 'object' } };
    const request = requestWithSignal({ ...fields, output }, new LazyAbort());
    expect(request.output).toBe(output);
    expect(JSON.parse(JSON.stringify(request))).toMatchObject({ prompt: 'p', output });
    const plain = requestWithSignal(fields, new LazyAbort());
    expect('output' in JSON.parse(JSON.stringify(plain))).toBe(false);
  });
});

describe('completeFunctionOf / normalizeCompleteResult', () => {
  it('finds the complete function of a defineProvider({ complete }) provider only', async () => {
    const p = defineProvider({ id: 'p', complete: ({ prompt }) => `got ${prompt}` });
    const complete = completeFunctionOf(p);
    expect(await complete?.(requestWithSignal(fields, new LazyAbort()))).toBe('got p');
    expect(Object.keys(p)).toEqual(['specificationVersion', 'id', 'stream']);
    const { EMPTY } = await import('rxjs');
    expect(completeFunctionOf(defineProvider({ id: 's', stream: () => EMPTY }))).toBeUndefined();
  });

  it('accepts a string or { text, usage } and refuses anything else', () => {
    expect(normalizeCompleteResult('a', 'p')).toEqual({ text: 'a' });
    expect(
      normalizeCompleteResult({ text: 'a', usage: { inputTokens: 1, outputTokens: 2 } }, 'p'),
    ).toEqual({
      text: 'a',
      usage: { inputTokens: 1, outputTokens: 2 },
    });
    for (const bad of [undefined, null, 3, { txt: 'a' }]) {
      expect(() => normalizeCompleteResult(bad, 'p')).toThrowError(
        'Provider "p" complete() must return a string or { text, usage }.',
      );
    }
  });
});
