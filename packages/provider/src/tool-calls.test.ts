import { firstValueFrom, Observable, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { defineProvider, normalizeCompleteResult } from './define-provider.js';
import {
  isProvider,
  PROVIDER_SPECIFICATION_VERSION,
  type Provider,
  type ProviderEvent,
  type ProviderRequest,
} from './provider.js';
import { textOnlyMessages } from './text-only-messages.js';

const request = (): ProviderRequest => ({
  prompt: 'p',
  history: [],
  messages: [{ role: 'user', content: 'p' }],
  profile: 'x',
  model: undefined,
  system: undefined,
  params: {},
  contextName: 'c',
  taskId: 't',
  runId: 'r',
  signal: new AbortController().signal,
});

describe('specification v2', () => {
  it('is the version defineProvider stamps, and a hand-written v1 text provider is still a provider', async () => {
    expect(PROVIDER_SPECIFICATION_VERSION).toBe('v2');
    // Written against the v1 contract, unchanged: a plain object, text events only.
    const legacy = {
      specificationVersion: 'v1' as const,
      id: 'legacy',
      stream: () =>
        new Observable<ProviderEvent>((subscriber) => {
          subscriber.next({ type: 'text-delta', text: 'hi' });
          subscriber.next({ type: 'finish' });
          subscriber.complete();
        }),
    };
    const provider: Provider = legacy;
    expect(isProvider(provider)).toBe(true);
    expect(isProvider({ ...legacy, specificationVersion: 'v3' })).toBe(false);
    expect(isProvider(defineProvider({ id: 'x', complete: () => 'y' }))).toBe(true);
  });

  it('streams the tool calls of a complete() answer before its finish', async () => {
    const provider = defineProvider({
      id: 'tools',
      complete: () => ({ toolCalls: [{ id: 'c1', name: 'add', input: { a: 1 } }] }),
    });
    const events = await firstValueFrom(provider.stream(request()).pipe(toArray()));
    expect(events).toEqual([
      { type: 'tool-call', toolCallId: 'c1', toolName: 'add', input: { a: 1 } },
      { type: 'finish', text: '', finishReason: 'tool-calls' },
    ]);
  });

  it('normalizes tool calls and rejects malformed ones', () => {
    expect(normalizeCompleteResult({ text: 'a', toolCalls: [] }, 'p')).toEqual({ text: 'a' });
    expect(() => normalizeCompleteResult({ toolCalls: [{ name: 'x' }] }, 'p')).toThrow(
      /not a list of \{ id, name, input \}/,
    );
    expect(() => normalizeCompleteResult({}, 'p')).toThrow(TypeError);
  });
});

describe('textOnlyMessages', () => {
  it('turns tool calls and results into words and keeps other messages as they are', () => {
    const plain = { role: 'user' as const, content: 'hello' };
    const out = textOnlyMessages([
      plain,
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'add', input: { a: 1 } }] },
      { role: 'tool', content: '2', toolCallId: 'c1', toolName: 'add' },
      { role: 'tool', content: 'boom', toolCallId: 'c2', toolName: 'add', isError: true },
    ]);
    expect(out[0]).toBe(plain);
    expect(out.slice(1)).toEqual([
      { role: 'assistant', content: '[called add({"a":1}) as c1]' },
      { role: 'user', content: '[result of add (c1)]: 2' },
      { role: 'user', content: '[error of add (c2)]: boom' },
    ]);
  });
});
