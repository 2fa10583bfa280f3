import type { ChatMessage } from '@multi-context/provider';
import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { testRequest } from './test-helpers.js';

describe('scripted tool calls', () => {
  it('calls the scripted tools first, then answers the step after their results', async () => {
    const mock = createMockProvider({
      stream: false,
      script: {
        notes: [
          { text: 'Searching.', toolCalls: [{ name: 'search', input: { q: 'rxjs' } }] },
          'Found it.',
        ],
      },
    });
    const first = await firstValueFrom(mock.stream(testRequest()).pipe(toArray()));
    expect(first.map((e) => e.type)).toEqual(['tool-call', 'finish']);
    expect(first[0]).toEqual({
      type: 'tool-call',
      toolCallId: 'task-1-1-0',
      toolName: 'search',
      input: { q: 'rxjs' },
    });
    expect(first[1]).toMatchObject({ text: 'Searching.', finishReason: 'tool-calls' });

    const step: ChatMessage[] = [
      { role: 'user', content: 'Summarise the findings' },
      {
        role: 'assistant',
        content: 'Searching.',
        toolCalls: [{ id: 'task-1-1-0', name: 'search', input: { q: 'rxjs' } }],
      },
      { role: 'tool', content: '[]', toolCallId: 'task-1-1-0', toolName: 'search' },
    ];
    const second = await firstValueFrom(
      mock.stream(testRequest({ messages: step })).pipe(toArray()),
    );
    expect(second).toEqual([
      expect.objectContaining({ type: 'finish', text: 'Found it.', finishReason: 'stop' }),
    ]);
  });

  it('streams the text of a tool-calling answer as deltas, and numbers the calls by step', async () => {
    const mock = createMockProvider({
      script: { notes: { toolCalls: [{ name: 'a' }, { name: 'b', id: 'mine' }] } },
    });
    const request = testRequest({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'x', name: 'a', input: {} }] },
        { role: 'tool', content: '1', toolCallId: 'x' },
      ],
    });
    const events = await firstValueFrom(mock.stream(request).pipe(toArray()));
    expect(events.filter((e) => e.type === 'tool-call')).toEqual([
      { type: 'tool-call', toolCallId: 'task-1-2-0', toolName: 'a', input: {} },
      { type: 'tool-call', toolCallId: 'mine', toolName: 'b', input: {} },
    ]);
  });
});

describe('a script that ends with tool calls', () => {
  it('answers the step after them by default, quoting what the tools returned, instead of calling them again', async () => {
    const mock = createMockProvider({
      stream: false,
      script: {
        notes: [{ toolCalls: [{ name: 'lookup', input: { topic: 'rxjs' } }, { name: 'broken' }] }],
      },
    });
    const first = await firstValueFrom(mock.stream(testRequest()).pipe(toArray()));
    expect(first.map((e) => e.type)).toEqual(['tool-call', 'tool-call', 'finish']);
    const step: ChatMessage[] = [
      { role: 'user', content: 'Summarise the findings' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'task-1-1-0', name: 'lookup', input: { topic: 'rxjs' } },
          { id: 'task-1-1-1', name: 'broken', input: {} },
        ],
      },
      {
        role: 'tool',
        content: 'Findings on rxjs:\n  streams.',
        toolCallId: 'task-1-1-0',
        toolName: 'lookup',
      },
      {
        role: 'tool',
        content: 'down',
        toolCallId: 'task-1-1-1',
        toolName: 'broken',
        isError: true,
      },
    ];
    const second = await firstValueFrom(
      mock.stream(testRequest({ messages: step })).pipe(toArray()),
    );
    expect(second.map((e) => e.type)).toEqual(['finish']);
    const text = (second[0] as { text: string }).text;
    expect(text).toContain(
      'The tools answered: lookup: "Findings on rxjs: streams."; broken failed: "down".',
    );
    expect(text).toContain('(Mock reply: no model was called.)');
    // And the next call of the context is not scripted any more either.
    const third = await firstValueFrom(mock.stream(testRequest()).pipe(toArray()));
    expect(third.map((e) => e.type)).toEqual(['finish']);
  });
});
