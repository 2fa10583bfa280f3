import { createRequire } from 'node:module';

/**
 * Counts the tokens of a text. Plug in the tokenizer of the model a context
 * feeds when it is not an OpenAI one (a context only ever calls `count`, once
 * per message, and caches the result).
 */
export interface Tokenizer {
  /** A short name recorded in `context.limits.tokenizer`, such as `o200k_base`. */
  readonly name?: string;
  /** How many tokens `text` is: a non-negative integer. */
  count(text: string): number;
}

type CountTokens = (text: string, options: { disallowedSpecial: Set<string> }) => number;

// Loaded on the first count, not on import: the encoding's rank table is a
// ~2 MB module that takes ~200 ms to parse, and a context without a token
// limit never needs it. `require` because `count` is synchronous; the package
// ships a CommonJS build of each encoding for exactly this.
const load = createRequire(import.meta.url);
let countTokens: CountTokens | undefined;
// Message text is data: `<|endoftext|>` typed by a user is counted as text, never refused.
const asText = { disallowedSpecial: new Set<string>() };

/**
 * The real tokenizer of GPT-4o, GPT-4.1, o-series and GPT-5 models (the
 * `o200k_base` encoding of the `gpt-tokenizer` package), and a close measure
 * for other modern models. The default of every context with `maxTokens`.
 * Loads its tables on the first count (~200 ms, once per process).
 */
export const o200kTokenizer: Tokenizer = Object.freeze({
  name: 'o200k_base',
  count(text: string): number {
    countTokens ??= (load('gpt-tokenizer/encoding/o200k_base') as { countTokens: CountTokens })
      .countTokens;
    return countTokens(text, asText);
  },
});

/**
 * A cheap estimate: one token per four characters, rounded up. Use it where
 * speed matters more than exact counts; a context without `maxTokens` (or a
 * tokenizer of its own) uses it to report `tokens` without loading a real tokenizer.
 */
export const estimateTokenizer: Tokenizer = Object.freeze({
  name: 'estimate',
  count(text: string): number {
    return Math.ceil(text.length / 4);
  },
});
