// What counting tokens costs per message: node scripts/count-cost.mjs (after `pnpm build`).
// Appends generated English-like messages of three sizes to a context with a
// token limit, once with the real tokenizer and once with the estimate.
import { ExecutionContext, estimateTokenizer, o200kTokenizer } from '../dist/index.js';

const vocabulary = `the of and to in is that for it as with was on be by this are from at or an
have not which but they were their can more one all has about also been other these into model
context token tokens research market developer tools summary answer question pipeline workflow
data results analysis report trends growth 2024 2025 API latency throughput users teams`.split(
  /\s+/,
);
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const text = (wordCount) =>
  Array.from(
    { length: wordCount },
    () => vocabulary[Math.floor(random() * vocabulary.length)],
  ).join(' ');

const start = performance.now();
o200kTokenizer.count('warm up');
console.log(`loading o200k_base on the first count: ${(performance.now() - start).toFixed(0)} ms`);

for (const [label, wordCount, n] of [
  ['a prompt of ~10 words', 10, 20_000],
  ['a paragraph of ~100 words', 100, 5_000],
  ['an answer of ~1,000 words', 1_000, 500],
]) {
  const messages = Array.from({ length: n }, () => text(wordCount));
  const tokens = o200kTokenizer.count(messages[0]);
  const cost = (tokenizer) => {
    const context = new ExecutionContext('cost', { maxTokens: 20_000, tokenizer });
    const t0 = performance.now();
    for (const [i, message] of messages.entries()) {
      context.addMessage(i % 2 === 0 ? 'user' : 'assistant', message);
    }
    return ((performance.now() - t0) * 1000) / n;
  };
  cost(o200kTokenizer);
  console.log(
    `${label} (~${tokens} tokens): o200k_base ${cost(o200kTokenizer).toFixed(1)} us, estimate ${cost(estimateTokenizer).toFixed(2)} us per addMessage`,
  );
}
