import type { ProviderRequest } from '@multi-context/provider';
import { hashString } from './seeded-random.js';

/** What the default reply is made from. */
export type DefaultReplyInput = Pick<
  ProviderRequest,
  'prompt' | 'history' | 'contextName' | 'profile'
> &
  Partial<Pick<ProviderRequest, 'messages'>>;

// How much of each tool result the answer after a tool step quotes.
const maxToolQuoteLength = 160;

// Long prompts would drown the rest of the reply, which is there to show context and history.
const maxQuoteLength = 80;

// Whitespace other than single spaces, which the quote turns into single spaces.
const untidy = /[^\S ]| {2}/;

// A few openers, picked by a hash, so that a demo's replies do not all read the same.
const openers: ReadonlyArray<(quote: string) => string> = [
  (quote) => `You asked: "${quote}"`,
  (quote) => `Here is my take on "${quote}"`,
  (quote) => `Let me answer "${quote}"`,
];

/**
 * The mock provider's default answer: a short sentence that quotes the prompt,
 * names the profile and the context, and says how many earlier messages the
 * context holds, so a demo shows each history growing. It depends only on its
 * input: the same request always gets the same reply.
 *
 * @example
 * defaultMockReply({ prompt: 'List three risks', history: [], contextName: 'review', profile: 'critic' });
 * // 'Here is my take on "List three risks". Answering as the critic profile in the review context,
 * //  which has no earlier messages yet. (Mock reply: no model was called.)'
 */
export function defaultMockReply(input: DefaultReplyInput): string {
  const quote = quotePrompt(input.prompt);
  const opener = openers[hashString(`${input.contextName}\u0000${input.prompt}`) % openers.length]!;
  // A quote that ends in ? or ! already closes its sentence.
  const stop = /[?!]$/.test(quote) ? '' : '.';
  return `${opener(quote)}${stop}${toolFindings(input.messages)} Answering as the ${input.profile} profile in the ${input.contextName} context, ${describeHistory(input.history.length)}. (Mock reply: no model was called.)`;
}

/**
 * After a tool step, what the task's tools returned, quoted: the answer a
 * model would build on them, so a demo shows the results reaching the answer.
 */
function toolFindings(messages: DefaultReplyInput['messages']): string {
  if (messages === undefined || messages.at(-1)?.role !== 'tool') return '';
  const prompt = messages.findLastIndex((message) => message.role === 'user');
  const results = messages
    .slice(prompt + 1)
    .filter((message) => message.role === 'tool')
    .map((message) => {
      const text = message.content.replace(/\s+/g, ' ').trim();
      const quoted =
        text.length <= maxToolQuoteLength ? text : `${text.slice(0, maxToolQuoteLength)}…`;
      return `${message.toolName ?? 'a tool'}${message.isError === true ? ' failed' : ''}: "${quoted}"`;
    });
  return ` The tools answered: ${results.join('; ')}.`;
}

function describeHistory(count: number): string {
  if (count === 0) return 'which has no earlier messages yet';
  return `which has ${count} earlier ${count === 1 ? 'message' : 'messages'}`;
}

/** The prompt on one line, cut at a word boundary when long, without a trailing full stop. */
function quotePrompt(prompt: string): string {
  // Most prompts are already one tidy line; skipping the rewrite for them
  // keeps the default reply cheap on the benchmark's instant path.
  const line = (untidy.test(prompt) ? prompt.replace(/\s+/g, ' ') : prompt).trim();
  if (line.length <= maxQuoteLength) return dropTrailingStop(line);
  const cut = line.slice(0, maxQuoteLength);
  const lastSpace = cut.lastIndexOf(' ');
  return `${dropTrailingStop(lastSpace > 0 ? cut.slice(0, lastSpace) : cut)}…`;
}

function dropTrailingStop(text: string): string {
  return /[.,;:]$/.test(text) ? text.replace(/[.,;:]+$/, '') : text;
}
