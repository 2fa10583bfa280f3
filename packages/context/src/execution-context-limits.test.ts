import { describe, expect, it } from 'vitest';
import {
  type ContextMessage,
  dropOldest,
  dropOldestPolicy,
  ExecutionContext,
  estimateTokenizer,
  type Tokenizer,
  type TrimPolicy,
  type TrimRequest,
} from './index.js';

/** One token per word: easy sums in the tests. */
const words: Tokenizer = {
  name: 'words',
  count: (text) => (text.trim() === '' ? 0 : text.trim().split(/\s+/).length),
};

const contents = (messages: ContextMessage[]) => messages.map((message) => message.content);

describe('ExecutionContext options', () => {
  it('keeps the seed rule and reports it when given neither maxTokens nor policy', () => {
    const context = new ExecutionContext('notes');
    expect(context.policy).toEqual({ name: 'drop-oldest-messages', action: 'drop', settings: {} });
    expect(context.limits).toEqual({ maxHistory: 50, maxTokens: null, tokenizer: 'estimate' });
    expect(context.maxTokens).toBe(Number.POSITIVE_INFINITY);
    expect(context.system).toBeUndefined();
  });

  it('uses dropOldest and the o200k tokenizer once maxTokens is set', () => {
    const context = new ExecutionContext('notes', { maxTokens: 100 });
    expect(context.policy).toEqual({
      name: 'drop-oldest',
      action: 'drop',
      settings: { trimTo: 0.75 },
    });
    expect(context.limits).toEqual({ maxHistory: 50, maxTokens: 100, tokenizer: 'o200k_base' });
  });

  it('reports no limit as null, so the limits survive JSON', () => {
    const context = new ExecutionContext('all', {
      maxHistory: Number.POSITIVE_INFINITY,
      maxTokens: Number.POSITIVE_INFINITY,
    });
    expect(context.limits).toEqual({ maxHistory: null, maxTokens: null, tokenizer: 'o200k_base' });
    expect(JSON.parse(JSON.stringify(context.limits))).toEqual(context.limits);
  });

  it.each([
    [-1, '-1'],
    [2.5, '2.5'],
    [Number.NaN, 'NaN'],
    ['100', '"100"'],
  ])('rejects maxTokens %s with a RangeError that names it', (value, shown) => {
    expect(() => new ExecutionContext('bad', { maxTokens: value as number })).toThrow(
      new RangeError(`maxTokens must be a non-negative integer or Infinity, got ${shown}.`),
    );
  });

  it('rejects a system option, tokenizer or policy of the wrong type', () => {
    expect(() => new ExecutionContext('bad', { system: 42 as unknown as string })).toThrow(
      new TypeError('system must be a string, got 42.'),
    );
    expect(() => new ExecutionContext('bad', { tokenizer: {} as Tokenizer })).toThrow(
      new TypeError('tokenizer must have a count(text) method, got an object.'),
    );
    expect(
      () => new ExecutionContext('bad', { policy: { ...dropOldest, action: 'keep' } as never }),
    ).toThrow(TypeError);
    expect(() => new ExecutionContext('bad', { policy: 'summarize' as never })).toThrow(
      /policy must be dropOldest, summarize\(\) or an object/,
    );
  });
});

describe('the system option', () => {
  it('is sent first, is not history and is not counted by maxHistory', () => {
    const context = new ExecutionContext('notes', { maxHistory: 2, system: 'be brief' });
    context.addMessage('user', 'one');
    context.addMessage('assistant', 'two');
    expect(context.addMessage('user', 'three')).toBe(1);
    expect(context.getHistory()).toEqual([
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
    ]);
    expect(context.window().messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
    ]);
    expect(context.size).toBe(2);
  });

  it('counts against maxTokens and is never trimmed, even when it alone is over the limit', () => {
    const context = new ExecutionContext('notes', {
      maxTokens: 5,
      system: 'one two three four five six',
      tokenizer: words,
    });
    expect(context.tokens).toBe(6);
    expect(context.window()).toEqual({
      messages: [{ role: 'system', content: 'one two three four five six' }],
      tokens: 6,
      overLimit: true,
      summarized: 0,
    });
  });

  it('stays when the history is cleared', () => {
    const context = new ExecutionContext('notes', { system: 'be brief' });
    context.addMessage('user', 'hello');
    context.clearHistory();
    expect(context.window().messages).toEqual([{ role: 'system', content: 'be brief' }]);
  });
});

describe('system messages of the history (with maxTokens or a policy)', () => {
  it('are never dropped: they stay ahead of the turns that remain', () => {
    const context = new ExecutionContext('notes', { maxHistory: 3, policy: dropOldest });
    context.addMessage('user', 'u1');
    context.addMessage('system', 'rule');
    context.addMessage('assistant', 'a1');
    expect(context.addMessage('user', 'u2')).toBe(2);
    context.addMessage('assistant', 'a2');
    expect(context.addMessage('user', 'u3')).toBe(2);
    expect(context.addMessage('assistant', 'a3')).toBe(0);
    expect(contents(context.getHistory())).toEqual(['rule', 'u3', 'a3']);
    expect(contents(context.window().messages)).toEqual(['rule', 'u3', 'a3']);
  });

  it('count toward the limits, and a window made only of them and the newest turn is over the limit', () => {
    const context = new ExecutionContext('notes', { maxHistory: 2, policy: dropOldest });
    context.addMessage('system', 's1');
    context.addMessage('system', 's2');
    context.addMessage('user', 'u1');
    const window = context.window();
    expect(contents(window.messages)).toEqual(['s1', 's2', 'u1']);
    expect(window.overLimit).toBe(true);
  });
});

describe('pairs leave together', () => {
  it('drops a user message and its answer together, oldest first', () => {
    const context = new ExecutionContext('notes', { maxHistory: 4, policy: dropOldest });
    for (const [i, content] of ['u1', 'a1', 'u2', 'a2'].entries()) {
      expect(context.addMessage(i % 2 === 0 ? 'user' : 'assistant', content)).toBe(0);
    }
    expect(context.addMessage('user', 'u3')).toBe(2);
    expect(contents(context.getHistory())).toEqual(['u2', 'a2', 'u3']);
    expect(context.addMessage('assistant', 'a3')).toBe(0);
    expect(contents(context.getHistory())).toEqual(['u2', 'a2', 'u3', 'a3']);
  });

  it('with an odd maxHistory holds at most that many, so a complete history holds one fewer', () => {
    const context = new ExecutionContext('notes', { maxHistory: 3, policy: dropOldest });
    context.addMessage('user', 'u1');
    context.addMessage('assistant', 'a1');
    expect(context.addMessage('user', 'u2')).toBe(0);
    expect(context.size).toBe(3);
    expect(context.addMessage('assistant', 'a2')).toBe(2);
    expect(contents(context.getHistory())).toEqual(['u2', 'a2']);
  });

  it('keeps answers that follow one question with it', () => {
    const context = new ExecutionContext('notes', { maxHistory: 4, policy: dropOldest });
    context.addMessage('user', 'u1');
    context.addMessage('assistant', 'a1');
    context.addMessage('assistant', 'a1 continued');
    context.addMessage('user', 'u2');
    expect(context.addMessage('assistant', 'a2')).toBe(3);
    expect(contents(context.getHistory())).toEqual(['u2', 'a2']);
  });

  it('drops a lone question by itself, and answers with no question before them as one turn', () => {
    // trimTo 1: just enough to fit, so that each trim shows what leaves together.
    const context = new ExecutionContext('notes', {
      maxHistory: 3,
      policy: dropOldestPolicy({ trimTo: 1 }),
    });
    context.addMessage('assistant', 'welcome');
    context.addMessage('assistant', 'ask me anything');
    context.addMessage('user', 'u1');
    expect(context.addMessage('user', 'u2')).toBe(2);
    expect(contents(context.getHistory())).toEqual(['u1', 'u2']);
    context.addMessage('assistant', 'a2');
    expect(context.addMessage('user', 'u3')).toBe(1);
    expect(contents(context.getHistory())).toEqual(['u2', 'a2', 'u3']);
  });

  it('always keeps the newest turn: a turn larger than the limit is sent whole, over the limit', () => {
    const context = new ExecutionContext('notes', { maxTokens: 4, tokenizer: words });
    context.addMessage('user', 'hi');
    context.addMessage('assistant', 'hello');
    expect(context.addMessage('user', 'tell me a long story')).toBe(2);
    expect(context.addMessage('assistant', 'once upon a time')).toBe(0);
    const window = context.window();
    expect(contents(window.messages)).toEqual(['tell me a long story', 'once upon a time']);
    expect(window).toMatchObject({ tokens: 9, overLimit: true });
    // The next question pushes the oversized turn out at once.
    expect(context.addMessage('user', 'thanks')).toBe(2);
    expect(context.window()).toMatchObject({ tokens: 1, overLimit: false });
  });

  it('with maxHistory 0 and a policy keeps only the newest turn', () => {
    const context = new ExecutionContext('notes', { maxHistory: 0, policy: dropOldest });
    expect(context.addMessage('user', 'u1')).toBe(0);
    expect(context.addMessage('assistant', 'a1')).toBe(0);
    expect(context.addMessage('user', 'u2')).toBe(2);
    expect(context.window()).toMatchObject({ overLimit: true, messages: [{ content: 'u2' }] });
  });
});

describe('token limits with the real tokenizer', () => {
  it('counts each message with o200k_base and drops the oldest turns to fit', () => {
    const context = new ExecutionContext('geo', {
      maxTokens: 30,
      system: 'You are a concise research assistant.', // 7 tokens
    });
    expect(context.tokens).toBe(7);
    context.addMessage('user', 'What is the capital of France?'); // 7
    context.addMessage('assistant', 'The capital of France is Paris.'); // 7
    context.addMessage('user', 'And of Italy?'); // 4
    expect(context.addMessage('assistant', 'Rome.')).toBe(0); // 2: 27 in all
    expect(context.tokens).toBe(27);
    expect(context.addMessage('user', 'Tell me a joke.')).toBe(2); // 5: 32 > 30, France leaves
    expect(context.tokens).toBe(18);
    expect(context.addMessage('assistant', 'Why did the chicken cross the road?')).toBe(0); // 8
    const window = context.window();
    expect(window).toEqual({
      messages: [
        { role: 'system', content: 'You are a concise research assistant.' },
        { role: 'user', content: 'And of Italy?' },
        { role: 'assistant', content: 'Rome.' },
        { role: 'user', content: 'Tell me a joke.' },
        { role: 'assistant', content: 'Why did the chicken cross the road?' },
      ],
      tokens: 26,
      overLimit: false,
      summarized: 0,
    });
    expect(context.countTokens('hello world')).toBe(2);
  });

  it('applies maxHistory and maxTokens together', () => {
    const context = new ExecutionContext('both', {
      maxHistory: 2,
      maxTokens: 1000,
      tokenizer: words,
    });
    context.addMessage('user', 'u1');
    context.addMessage('assistant', 'a1');
    expect(context.addMessage('user', 'u2')).toBe(2);
    expect(context.window().pendingSummary).toBeUndefined();
  });
});

describe('the estimate and custom tokenizers', () => {
  it('trims by the estimate of ceil(chars / 4) when asked to', () => {
    const context = new ExecutionContext('cheap', { maxTokens: 5, tokenizer: estimateTokenizer });
    expect(context.limits.tokenizer).toBe('estimate');
    context.addMessage('user', 'abcdefgh'); // 2
    context.addMessage('assistant', 'abcd'); // 1
    expect(context.tokens).toBe(3);
    expect(context.addMessage('user', 'abcdefghi')).toBe(2); // 3: 6 > 5
    expect(context.tokens).toBe(3);
  });

  it('reports estimated tokens in a context without a token limit', () => {
    const context = new ExecutionContext('notes', { system: 'be brief' }); // 2
    context.addMessage('user', 'hello world'); // 3
    expect(context.window().tokens).toBe(5);
  });

  it('counts each message once, when it is added, never again per window', () => {
    const counted: string[] = [];
    const spy: Tokenizer = {
      name: 'spy',
      count: (text) => {
        counted.push(text);
        return words.count(text);
      },
    };
    const context = new ExecutionContext('spied', {
      maxTokens: 100,
      system: 'sys',
      tokenizer: spy,
    });
    context.addMessage('user', 'hello there');
    context.addMessage('assistant', 'general kenobi');
    for (let i = 0; i < 5; i += 1) context.window();
    expect(context.tokens).toBe(5);
    expect(counted).toEqual(['sys', 'hello there', 'general kenobi']);
    expect(context.limits.tokenizer).toBe('spy');
  });

  it('names a tokenizer without a name custom, and refuses a count that is not a whole number', () => {
    const half = new ExecutionContext('half', { maxTokens: 10, tokenizer: { count: () => 0.5 } });
    expect(half.limits.tokenizer).toBe('custom');
    expect(() => half.addMessage('user', 'x')).toThrow(
      new TypeError('tokenizer custom counted 0.5 tokens; a count must be a non-negative integer.'),
    );
    expect(half.size).toBe(0);
  });
});

describe('custom trim policies', () => {
  const pair = (context: ExecutionContext, i: number) => {
    context.addMessage('user', `u${i}`);
    context.addMessage('assistant', `a${i}`);
  };

  it('may take out more than the minimum, and get the sizes of the turns', () => {
    const requests: TrimRequest[] = [];
    const dropHalf: TrimPolicy = {
      name: 'drop-half',
      action: 'drop',
      settings: { share: 0.5 },
      select(request) {
        requests.push(request);
        return Math.max(request.minimum, Math.ceil(request.available / 2));
      },
    };
    const context = new ExecutionContext('custom', { maxHistory: 8, policy: dropHalf });
    for (let i = 1; i <= 4; i += 1) pair(context, i);
    expect(context.addMessage('user', 'u5')).toBe(4);
    expect(contents(context.getHistory())).toEqual(['u3', 'a3', 'u4', 'a4', 'u5']);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ available: 4, minimum: 1, newest: { messages: 1, tokens: 1 } });
    expect(request!.limits).toEqual({ maxHistory: 8, maxTokens: null, tokenizer: 'estimate' });
    expect(request!.turn(0)).toEqual({ messages: 2, tokens: 2 });
    expect(() => request!.turn(4)).toThrow(RangeError);
    expect(context.policy).toEqual({ name: 'drop-half', action: 'drop', settings: { share: 0.5 } });
  });

  it('is clamped to [minimum, available], and must answer with an integer', () => {
    const greedy: TrimPolicy = { ...dropOldest, name: 'greedy', select: () => 99 };
    const lazy: TrimPolicy = { ...dropOldest, name: 'lazy', select: () => 0 };
    const broken: TrimPolicy = { ...dropOldest, name: 'broken', select: () => Number.NaN };
    const g = new ExecutionContext('g', { maxHistory: 4, policy: greedy });
    const l = new ExecutionContext('l', { maxHistory: 4, policy: lazy });
    for (const context of [g, l]) for (let i = 1; i <= 3; i += 1) pair(context, i);
    expect(contents(g.getHistory())).toEqual(['u3', 'a3']);
    expect(contents(l.getHistory())).toEqual(['u2', 'a2', 'u3', 'a3']);
    const b = new ExecutionContext('b', { maxHistory: 1, policy: broken });
    pair(b, 1);
    expect(() => b.addMessage('user', 'u2')).toThrow(
      new TypeError('policy "broken" select() must return an integer, got NaN.'),
    );
  });
});

describe('reads', () => {
  it('returns copies, and data that survives JSON', () => {
    const context = new ExecutionContext('notes', { maxTokens: 50, system: 'be brief' });
    context.addMessage('user', 'hello');
    const window = context.window();
    window.messages[1]!.content = 'changed';
    window.messages.push({ role: 'user', content: 'injected' });
    const again = context.window();
    expect(contents(again.messages)).toEqual(['be brief', 'hello']);
    for (const data of [again, context.limits, context.policy]) {
      expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    }
  });

  it('forgets pinned system messages when cleared', () => {
    const context = new ExecutionContext('notes', { maxHistory: 2, policy: dropOldest });
    context.addMessage('system', 'rule');
    context.addMessage('user', 'u1');
    context.addMessage('assistant', 'a1');
    context.addMessage('user', 'u2');
    context.clearHistory();
    expect(context.getHistory()).toEqual([]);
    expect(context.window()).toEqual({ messages: [], tokens: 0, overLimit: false, summarized: 0 });
    expect(context.addMessage('user', 'again')).toBe(0);
  });
});
