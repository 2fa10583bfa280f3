import { describe, expect, it } from 'vitest';
import { defaultMockReply } from './default-reply.js';

const base = { prompt: 'List three risks', history: [], contextName: 'review', profile: 'critic' };

describe('defaultMockReply', () => {
  it('quotes the prompt and names the profile, the context and the history', () => {
    expect(defaultMockReply(base)).toBe(
      'Here is my take on "List three risks". Answering as the critic profile in the review context, which has no earlier messages yet. (Mock reply: no model was called.)',
    );
  });

  it('counts the earlier messages, singular and plural', () => {
    const one = defaultMockReply({ ...base, history: [{ role: 'user', content: 'hi' }] });
    expect(one).toContain('which has 1 earlier message.');
    const history = [
      { role: 'user' as const, content: 'hi' },
      { role: 'assistant' as const, content: 'hello' },
      { role: 'user' as const, content: 'more' },
    ];
    expect(defaultMockReply({ ...base, history })).toContain('which has 3 earlier messages.');
  });

  it('gives the same reply for the same input, and varies its opener between prompts', () => {
    expect(defaultMockReply({ ...base })).toBe(defaultMockReply({ ...base }));
    const openers = new Set(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(
        (prompt) => defaultMockReply({ ...base, prompt }).split('"')[0],
      ),
    );
    expect(openers).toEqual(new Set(['You asked: ', 'Here is my take on ', 'Let me answer ']));
  });

  it('keeps a question mark and drops a full stop at the end of the quote', () => {
    expect(defaultMockReply({ ...base, prompt: 'Is it safe?' })).toMatch(
      /"Is it safe\?" Answering/,
    );
    expect(defaultMockReply({ ...base, prompt: 'Write it.' })).toMatch(/"Write it"\. Answering/);
  });

  it('puts a long, multi-line prompt on one line and cuts it at a word', () => {
    const prompt = `Research   current trends\nin AI developer tools, ${'and much more '.repeat(10)}`;
    const quote = defaultMockReply({ ...base, prompt }).split('"')[1]!;
    expect(quote).toBe(
      'Research current trends in AI developer tools, and much more and much more and…',
    );
    expect(quote.length).toBeLessThanOrEqual(81);
  });
});
