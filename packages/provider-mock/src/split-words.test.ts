import { describe, expect, it } from 'vitest';
import { createRandom } from './seeded-random.js';
import { splitWords } from './split-words.js';

describe('splitWords', () => {
  it('groups words, keeping the whitespace before each word', () => {
    expect(splitWords('one two three four five six seven', 3)).toEqual([
      'one two three',
      ' four five six',
      ' seven',
    ]);
    expect(splitWords('one two', 1)).toEqual(['one', ' two']);
  });

  it('keeps leading, trailing and inner whitespace', () => {
    expect(splitWords('  hello\n\nworld \t', 1)).toEqual(['  hello', '\n\nworld \t']);
  });

  it('gives no pieces for empty text and one for blank text', () => {
    expect(splitWords('', 3)).toEqual([]);
    expect(splitWords(' \n ', 3)).toEqual([' \n ']);
  });

  it('always joins back to the input', () => {
    const random = createRandom(3);
    const alphabet = ['a', 'b', 'é', ' ', ' ', '\n', '\t', '.', '🙂'];
    for (let run = 0; run < 500; run++) {
      const length = Math.floor(random() * 40);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const size = 1 + Math.floor(random() * 4);
      const pieces = splitWords(text, size);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces)
        expect(piece.trim().split(/\s+/).length).toBeLessThanOrEqual(size);
    }
  });
});
