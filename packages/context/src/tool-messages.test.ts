import { describe, expect, it } from 'vitest';
import { ExecutionContext } from './execution-context.js';
import { summarize } from './trim-policy.js';

/** A task's prompt, a tool call, its result and the final answer: one turn. */
function addToolTurn(context: ExecutionContext, n: number): void {
  context.addMessage('user', `q${n}`);
  context.addMessage('assistant', '', {
    toolCalls: [{ id: `c${n}`, name: 'lookup', input: { n } }],
  });
  context.addMessage('tool', `r${n}`, { toolCallId: `c${n}`, toolName: 'lookup' });
  context.addMessage('assistant', `a${n}`);
}

/** Every tool result in `messages` follows the assistant message that made its call. */
function callsPaired(messages: ReturnType<ExecutionContext['getHistory']>): boolean {
  const open = new Set<string>();
  for (const message of messages) {
    for (const call of message.toolCalls ?? []) open.add(call.id);
    if (message.role === 'tool' && !open.has(message.toolCallId!)) return false;
  }
  return true;
}

describe('tool calls in a context', () => {
  it('keeps tool calls and results in the history as copies', () => {
    const context = new ExecutionContext('c');
    addToolTurn(context, 1);
    const history = context.getHistory();
    expect(history[1]).toEqual({
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'c1', name: 'lookup', input: { n: 1 } }],
    });
    expect(history[2]).toEqual({
      role: 'tool',
      content: 'r1',
      toolCallId: 'c1',
      toolName: 'lookup',
    });
    history[1]!.toolCalls![0]!.name = 'changed';
    expect(context.getHistory()[1]!.toolCalls![0]!.name).toBe('lookup');
  });

  it('never leaves a result without its call under the seed rule, whatever the limit', () => {
    for (let maxHistory = 1; maxHistory <= 9; maxHistory += 1) {
      const context = new ExecutionContext('c', { maxHistory });
      for (let n = 1; n <= 4; n += 1) {
        addToolTurn(context, n);
        expect(callsPaired(context.getHistory())).toBe(true);
      }
    }
  });

  it('drops a call with its result, in whole turns, under a token limit', () => {
    const context = new ExecutionContext('c', { maxTokens: 40 });
    let trimmed = 0;
    for (let n = 1; n <= 6; n += 1) {
      trimmed += context.addMessage('user', `question number ${n} with some words`);
      trimmed += context.addMessage('assistant', '', {
        toolCalls: [{ id: `c${n}`, name: 'lookup', input: { n } }],
      });
      trimmed += context.addMessage('tool', `result ${n}`, { toolCallId: `c${n}` });
      trimmed += context.addMessage('assistant', `answer ${n}`);
      expect(callsPaired(context.window().messages)).toBe(true);
    }
    expect(trimmed).toBeGreaterThan(0);
    expect(context.getHistory()[0]!.role).toBe('user');
  });

  it('asks to summarise whole turns, calls and results together', () => {
    const context = new ExecutionContext('c', {
      maxHistory: 5,
      policy: summarize({ keepLast: 1 }),
    });
    addToolTurn(context, 1);
    addToolTurn(context, 2);
    const pending = context.window().pendingSummary!;
    expect(pending.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });
});
