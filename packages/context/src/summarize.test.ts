import { describe, expect, it } from 'vitest';
import {
  type ContextMessage,
  ContextSummaryError,
  ExecutionContext,
  summarize,
  type Tokenizer,
} from './index.js';

const words: Tokenizer = {
  name: 'words',
  count: (text) => (text.trim() === '' ? 0 : text.trim().split(/\s+/).length),
};
const contents = (messages: ContextMessage[]) => messages.map((message) => message.content);
/** The stand-in for the model a host would ask: it joins what it is given. */
const condense = (messages: ContextMessage[]) => `summary of ${contents(messages).join('+')}`;

function converse(context: ExecutionContext, from: number, to: number): void {
  for (let i = from; i <= to; i += 1) {
    context.addMessage('user', `u${i}`);
    context.addMessage('assistant', `a${i}`);
  }
}

describe('summarize()', () => {
  it('describes itself as JSON data, keepLast 4 and trimTo 0.75 by default', () => {
    expect(new ExecutionContext('s', { policy: summarize() }).policy).toEqual({
      name: 'summarize',
      action: 'summarize',
      settings: { keepLast: 4, trimTo: 0.75 },
    });
    expect(summarize({ keepLast: Number.POSITIVE_INFINITY, trimTo: 0.5 }).settings).toEqual({
      keepLast: null,
      trimTo: 0.5,
    });
  });

  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
  ])('rejects keepLast %s', (keepLast, shown) => {
    expect(() => summarize({ keepLast })).toThrow(
      new RangeError(`keepLast must be a non-negative integer or Infinity, got ${shown}.`),
    );
  });
});

describe('the summarising flow', () => {
  it('asks for a summary of all but the newest keepLast messages, then sends it in their place', () => {
    const context = new ExecutionContext('notes', {
      maxHistory: 6,
      system: 'be brief',
      policy: summarize({ keepLast: 2 }),
    });
    converse(context, 1, 3);
    expect(context.window().pendingSummary).toBeUndefined();
    expect(context.addMessage('user', 'u4')).toBe(0); // nothing is dropped here

    // Step 1: the window is over maxHistory (7 > 6): it leaves the span out and asks for a summary.
    const first = context.window();
    expect(contents(first.messages)).toEqual(['be brief', 'u3', 'a3', 'u4']);
    expect(first.pendingSummary).toEqual({
      messages: [
        { role: 'user', content: 'u1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'u2' },
        { role: 'assistant', content: 'a2' },
      ],
      reason: 'over maxHistory (7 > 6)',
    });

    // Step 2: the host has a model condense the span and hands the text back.
    const pending = first.pendingSummary!.messages;
    expect(context.applySummary(condense(pending), pending)).toEqual({ removed: 4, remaining: 4 });
    const second = context.window();
    expect(second.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'system', content: 'summary of u1+a1+u2+a2' },
      { role: 'user', content: 'u3' },
      { role: 'assistant', content: 'a3' },
      { role: 'user', content: 'u4' },
    ]);
    expect(second).toMatchObject({ summarized: 4, overLimit: false });
    expect(second.pendingSummary).toBeUndefined();
    expect(context.summary).toEqual({
      content: 'summary of u1+a1+u2+a2',
      tokens: 6,
      covers: 4,
    });

    // The full history stays with the host.
    expect(contents(context.getHistory())).toEqual(['u1', 'a1', 'u2', 'a2', 'u3', 'a3', 'u4']);
    expect(context.size).toBe(7);
  });

  it('condenses the earlier summary and the turns after it into a second summary', () => {
    const context = new ExecutionContext('notes', {
      maxHistory: 5,
      policy: summarize({ keepLast: 2 }),
    });
    converse(context, 1, 3);
    const first = context.window().pendingSummary!;
    expect(contents(first.messages)).toEqual(['u1', 'a1', 'u2', 'a2']);
    context.applySummary('S1', first.messages);
    converse(context, 4, 5);
    const window = context.window();
    expect(contents(window.messages)).toEqual(['S1', 'u5', 'a5']);
    expect(window.summarized).toBe(4);
    const second = window.pendingSummary!;
    expect(contents(second.messages)).toEqual(['S1', 'u3', 'a3', 'u4', 'a4']);
    expect(second.reason).toBe('over maxHistory (7 > 5)');
    expect(context.applySummary('S2', second.messages)).toEqual({ removed: 5, remaining: 3 });
    expect(contents(context.window().messages)).toEqual(['S2', 'u5', 'a5']);
    expect(context.window().summarized).toBe(8);
    expect(context.getHistory()).toHaveLength(10);
  });

  it('counts the summary toward the limits, and asks again when a summary is too long', () => {
    const context = new ExecutionContext('notes', {
      maxTokens: 6,
      tokenizer: words,
      policy: summarize({ keepLast: 0 }),
    });
    converse(context, 1, 2); // 4 tokens
    context.addMessage('user', 'three words here'); // 7 tokens: over
    const { pendingSummary } = context.window();
    expect(contents(pendingSummary!.messages)).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(pendingSummary!.reason).toBe('over maxTokens (7 > 6)');
    context.applySummary('a very long summary', pendingSummary!.messages); // 4 tokens
    expect(context.tokens).toBe(7);
    context.addMessage('assistant', 'ok'); // 8
    context.addMessage('user', 'next'); // 9: the turn before leaves, the summary stays till condensed
    const again = context.window();
    expect(contents(again.messages)).toEqual(['a very long summary', 'next']);
    expect(again.tokens).toBe(5);
    expect(contents(again.pendingSummary!.messages)).toEqual([
      'a very long summary',
      'three words here',
      'ok',
    ]);
  });

  it('keeps the newest keepLast messages word for word, rounded up to whole turns', () => {
    const context = new ExecutionContext('notes', {
      maxHistory: 8,
      policy: summarize({ keepLast: 3 }),
    });
    converse(context, 1, 4);
    context.addMessage('user', 'u5');
    expect(contents(context.window().pendingSummary!.messages)).toEqual([
      'u1',
      'a1',
      'u2',
      'a2',
      'u3',
      'a3',
    ]);
  });

  it('condenses more than keepLast allows when the kept turns alone do not fit', () => {
    const context = new ExecutionContext('notes', {
      maxHistory: 3,
      policy: summarize({ keepLast: 10 }),
    });
    converse(context, 1, 2);
    const { messages, pendingSummary } = context.window();
    expect(contents(messages)).toEqual(['u2', 'a2']);
    expect(contents(pendingSummary!.messages)).toEqual(['u1', 'a1']);
  });

  it('never condenses system messages: they stay ahead of the summary', () => {
    const context = new ExecutionContext('notes', {
      maxHistory: 5,
      policy: summarize({ keepLast: 0 }),
    });
    context.addMessage('user', 'u1');
    context.addMessage('system', 'rule');
    context.addMessage('assistant', 'a1');
    converse(context, 2, 3);
    const window = context.window();
    expect(contents(window.messages)).toEqual(['rule', 'u3', 'a3']);
    expect(contents(window.pendingSummary!.messages)).toEqual(['u1', 'a1', 'u2', 'a2']);
    context.applySummary('S', window.pendingSummary!.messages);
    expect(contents(context.window().messages)).toEqual(['rule', 'S', 'u3', 'a3']);
    expect(contents(context.getHistory())).toEqual(['u1', 'rule', 'a1', 'u2', 'a2', 'u3', 'a3']);
  });

  it('sends the newest turn whole, over the limit, when nothing is left to condense', () => {
    const context = new ExecutionContext('notes', {
      maxTokens: 3,
      tokenizer: words,
      policy: summarize(),
    });
    context.addMessage('user', 'a question of five words');
    const window = context.window();
    expect(window).toMatchObject({ overLimit: true, tokens: 5 });
    expect(window.pendingSummary).toBeUndefined();
  });

  it('may be sent as it is while a summary is pending: it always fits', () => {
    const context = new ExecutionContext('notes', { maxHistory: 4, policy: summarize() });
    converse(context, 1, 5);
    const window = context.window();
    expect(window.messages.length).toBeLessThanOrEqual(4);
    expect(window.overLimit).toBe(false);
    // keepLast 4 would keep u4 to a5, but the summary condenses down to 75% of the limit (3 messages).
    expect(contents(window.messages)).toEqual(['u5', 'a5']);
    expect(window.pendingSummary!.messages).toHaveLength(8);
  });
});

describe('applySummary', () => {
  const over = () => {
    const context = new ExecutionContext('notes', {
      maxHistory: 4,
      policy: summarize({ keepLast: 2 }),
    });
    converse(context, 1, 3);
    return context;
  };

  it('accepts a span of whole turns the host chose itself', () => {
    const context = over();
    const span: ContextMessage[] = [
      { role: 'user', content: 'u1' },
      { role: 'assistant', content: 'a1' },
    ];
    // Still over the limit: the next window leaves u2 and a2 out as well, so 3 remain...
    expect(context.applySummary('S', span)).toEqual({ removed: 2, remaining: 3 });
    // ...and asks for the summary and that turn to be condensed.
    expect(contents(context.window().pendingSummary!.messages)).toEqual(['S', 'u2', 'a2']);
  });

  it('refuses a span that is no longer the one to condense', () => {
    const context = over();
    const { pendingSummary } = context.window();
    context.clearHistory();
    converse(context, 7, 9);
    expect(() => context.applySummary('S', pendingSummary!.messages)).toThrow(ContextSummaryError);
  });

  it('refuses half a turn, the newest turn, an empty span, or skipping the current summary', () => {
    const context = over();
    const u1: ContextMessage = { role: 'user', content: 'u1' };
    const a1: ContextMessage = { role: 'assistant', content: 'a1' };
    const reject = (span: ContextMessage[]) => {
      try {
        context.applySummary('S', span);
      } catch (error) {
        expect(ContextSummaryError.isInstance(error)).toBe(true);
        expect((error as ContextSummaryError).contextName).toBe('notes');
        expect((error as Error).message).toMatch(/^Context "notes": forMessages is not the span/);
        return;
      }
      throw new Error('accepted');
    };
    reject([u1]);
    reject([]);
    reject(context.getHistory());
    reject([a1, u1]);
    context.applySummary('S', [u1, a1]);
    reject([
      { role: 'user', content: 'u2' },
      { role: 'assistant', content: 'a2' },
    ]);
    expect(context.summary?.content).toBe('S');
  });

  it('is refused by a context that drops instead', () => {
    const context = new ExecutionContext('plain', { maxHistory: 2 });
    expect(() => context.applySummary('S', [])).toThrow(
      `Context "plain": applySummary needs the summarize policy; this context's policy is drop-oldest-messages.`,
    );
  });

  it('can be applied again to the same history in a new context, as when limits change', () => {
    const old = over();
    const { pendingSummary } = old.window();
    old.applySummary('S', pendingSummary!.messages);
    old.addMessage('system', 'rule');
    const next = new ExecutionContext('notes', { maxHistory: 10, policy: summarize() });
    const history = old.getHistory();
    for (const { role, content } of history) next.addMessage(role, content);
    const span = history.filter((m) => m.role !== 'system').slice(0, old.summary!.covers);
    expect(next.applySummary(old.summary!.content, span)).toEqual({ removed: 4, remaining: 4 });
    expect(next.window()).toEqual(old.window());
  });

  it('is forgotten with the history', () => {
    const context = over();
    const { pendingSummary } = context.window();
    context.applySummary('S', pendingSummary!.messages);
    context.clearHistory();
    expect(context.summary).toBeUndefined();
    expect(context.window()).toEqual({ messages: [], tokens: 0, overLimit: false, summarized: 0 });
  });
});
