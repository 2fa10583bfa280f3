import { describe, expect, it } from 'vitest';
import {
  type ContextMessage,
  dropOldest,
  dropOldestPolicy,
  ExecutionContext,
  summarize,
  type Tokenizer,
} from './index.js';

const words: Tokenizer = {
  name: 'words',
  count: (text) => (text.trim() === '' ? 0 : text.trim().split(/\s+/).length),
};

/** Runs `turns` tasks in a context (a prompt, then its answer), and the window each task's call sent. */
function sentWindows(context: ExecutionContext, turns: number): ContextMessage[][] {
  const sent: ContextMessage[][] = [];
  for (let i = 1; i <= turns; i += 1) {
    context.addMessage('user', `question ${i} is five words`);
    sent.push(context.window().messages);
    context.addMessage('assistant', `answer ${i} is five words`);
  }
  return sent;
}

/** The tasks whose call did not begin with everything the call before it sent: where the cached prefix was lost. */
function prefixBreaks(windows: ContextMessage[][]): number[] {
  const breaks: number[] = [];
  for (let i = 1; i < windows.length; i += 1) {
    const before = windows[i - 1]!;
    const now = windows[i]!;
    if (!before.every((message, j) => now[j]?.content === message.content)) breaks.push(i + 1);
  }
  return breaks;
}

describe('trimming with hysteresis', () => {
  it('drops down to 75% of the limit, so the prefix sent stays identical between two trims', () => {
    const context = new ExecutionContext('notes', {
      system: 'You are terse.',
      maxTokens: 103,
      tokenizer: words,
      policy: dropOldest,
    });
    // Each turn is 10 tokens, the system 3: over 103 at the 11th question (3 + 100 + 5).
    const windows = sentWindows(context, 30);
    // Trimmed to 75% (77 tokens): 108 - 4 turns = 68 tokens, so 3 more tasks pass before the next trim.
    expect(prefixBreaks(windows)).toEqual([11, 15, 19, 23, 27]);
    // Between two trims each call sends what the one before it sent, then the new turn: what a cache reads back.
    for (const task of [12, 13, 14]) {
      const before = windows[task - 2]!;
      expect(windows[task - 1]!.slice(0, before.length)).toEqual(before);
      expect(windows[task - 1]!.map((m) => m.content).slice(0, 2)).toEqual([
        'You are terse.',
        'question 5 is five words',
      ]);
    }
    expect(context.tokens).toBeLessThanOrEqual(103);
  });

  it('loses the prefix on every task once full when it trims just enough (trimTo 1)', () => {
    const context = new ExecutionContext('notes', {
      maxTokens: 100,
      tokenizer: words,
      policy: dropOldestPolicy({ trimTo: 1 }),
    });
    expect(prefixBreaks(sentWindows(context, 15))).toEqual([11, 12, 13, 14, 15]);
  });

  it('counts maxHistory the same way: down to 75% of the messages', () => {
    const context = new ExecutionContext('notes', { maxHistory: 8, policy: dropOldest });
    const windows = sentWindows(context, 12);
    // 9 messages at the 5th question: down to 6 (3 turns), and again at the 7th, 9th, 11th.
    expect(prefixBreaks(windows)).toEqual([5, 7, 9, 11]);
    expect(windows[4]!.map((m) => m.content)).toEqual([
      'question 3 is five words',
      'answer 3 is five words',
      'question 4 is five words',
      'answer 4 is five words',
      'question 5 is five words',
    ]);
  });

  it('keeps a tool call and its result together when it trims', () => {
    const context = new ExecutionContext('notes', { maxHistory: 8, policy: dropOldest });
    for (let i = 1; i <= 6; i += 1) {
      context.addMessage('user', `q${i}`);
      context.addMessage('assistant', '', {
        toolCalls: [{ id: `c${i}`, name: 'look', input: { i } }],
      });
      context.addMessage('tool', `r${i}`, { toolCallId: `c${i}` });
      context.addMessage('assistant', `a${i}`);
      const sent = context.window().messages;
      // Whole turns only: a result never arrives without the call before it.
      expect(sent[0]?.role).toBe('user');
      expect(sent.length).toBeLessThanOrEqual(8);
    }
  });

  it('asks for a summary down to 75% of the limit, so several tasks pass before the next one', () => {
    const context = new ExecutionContext('notes', {
      maxHistory: 12,
      policy: summarize({ keepLast: 100 }),
    });
    const asked: number[] = [];
    for (let i = 1; i <= 20; i += 1) {
      context.addMessage('user', `q${i}`);
      const { pendingSummary } = context.window();
      if (pendingSummary !== undefined) {
        asked.push(i);
        context.applySummary(`summary up to q${i}`, pendingSummary.messages);
      }
      context.addMessage('assistant', `a${i}`);
    }
    // 13 messages at q7: condensed down to 9, to which the first summary adds one; from then on
    // each summary takes what is sent (it included) down to 8, and two tasks pass without one.
    expect(asked).toEqual([7, 9, 12, 15, 18]);
  });

  it('refuses a trimTo outside (0, 1]', () => {
    expect(() => dropOldestPolicy({ trimTo: 0 })).toThrow(
      new RangeError('trimTo must be a number in (0, 1], got 0.'),
    );
    expect(() => summarize({ trimTo: 1.5 })).toThrow(RangeError);
  });
});
