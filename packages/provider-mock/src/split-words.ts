// A word with the whitespace before it; the text's trailing whitespace rides on its last word.
const wordPattern = /\s*\S+(?:\s+$)?/g;

/**
 * Splits `text` into pieces of `wordsPerPiece` words each. Joining the pieces
 * gives back `text` exactly, whitespace included, so streamed deltas add up
 * to the same answer as the non-streamed one.
 */
export function splitWords(text: string, wordsPerPiece: number): string[] {
  const words = text.match(wordPattern);
  if (words === null) return text === '' ? [] : [text];
  const pieces: string[] = [];
  for (let start = 0; start < words.length; start += wordsPerPiece) {
    pieces.push(words.slice(start, start + wordsPerPiece).join(''));
  }
  return pieces;
}
