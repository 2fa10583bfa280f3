import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ContextMessage,
  type ContextWindow,
  DEFAULT_TRIM_TO,
  dropOldest,
  ExecutionContext,
  type ExecutionContextOptions,
  type MessageRole,
  o200kTokenizer,
  summarize,
  type Tokenizer,
  type TrimPolicy,
} from './index.js';

/** One token per word, so generated sizes are easy to steer. */
const words: Tokenizer = {
  name: 'words',
  count: (text) => (text.trim() === '' ? 0 : text.trim().split(/\s+/).length),
};
const dropHalf: TrimPolicy = {
  name: 'drop-half',
  action: 'drop',
  settings: {},
  select: ({ available, minimum }) => Math.max(minimum, Math.ceil(available / 2)),
};

type Operation =
  | { kind: 'append'; role: MessageRole; size: number }
  | { kind: 'window'; summarise: boolean; size: number }
  | { kind: 'clear' };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      role: fc.constantFrom<MessageRole>('user', 'assistant', 'user', 'assistant', 'system'),
      size: fc.integer({ min: 0, max: 6 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('window' as const),
      summarise: fc.boolean(),
      size: fc.integer({ min: 0, max: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

const limit = (max: number) =>
  fc.oneof(fc.integer({ min: 0, max }), fc.constant(Number.POSITIVE_INFINITY));
const policy = fc.oneof(
  fc.constant<TrimPolicy | undefined>(undefined),
  fc.constant<TrimPolicy>(dropOldest),
  fc.constant<TrimPolicy>(dropHalf),
  fc.integer({ min: 0, max: 6 }).map((keepLast) => summarize({ keepLast })),
);
const options: fc.Arbitrary<ExecutionContextOptions> = fc
  .record({
    maxHistory: limit(10),
    maxTokens: fc.option(limit(30), { nil: undefined }),
    system: fc.option(
      fc.integer({ min: 0, max: 4 }).map((n) => ['sys', ...Array(n).fill('w')].join(' ')),
      { nil: undefined },
    ),
    policy,
  })
  // Without maxTokens or policy a context keeps the seed's rule, checked elsewhere.
  .filter(({ maxTokens, policy }) => maxTokens !== undefined || policy !== undefined)
  .map((o) => ({ ...o, tokenizer: words }));

/** A message as appended, with its place in the conversation. */
interface Logged extends ContextMessage {
  index: number;
  tokens: number;
}

/** The turns of a conversation: a user message and the answers after it; answers with no question open their own. */
function turnsOf(log: Logged[]): Logged[][] {
  const turns: Logged[][] = [];
  for (const message of log) {
    if (message.role === 'system') continue;
    if (message.role === 'user' || turns.length === 0) turns.push([message]);
    else turns.at(-1)!.push(message);
  }
  return turns;
}

const sum = (messages: { tokens: number }[]) => messages.reduce((n, m) => n + m.tokens, 0);

function checkWindow(
  opts: ExecutionContextOptions,
  log: Logged[],
  window: ContextWindow,
  summaries: Set<string>,
): void {
  const byContent = new Map(log.map((m) => [m.content, m]));
  const sent = [...window.messages];
  // The system option comes first, whatever else happens.
  if (opts.system !== undefined)
    expect(sent.shift()).toEqual({ role: 'system', content: opts.system });
  const summary = sent.filter((m) => summaries.has(m.content));
  expect(summary.length).toBeLessThanOrEqual(1);
  const fromHistory = sent
    .filter((m) => !summaries.has(m.content))
    .map((m) => byContent.get(m.content)!);
  expect(fromHistory.every((m) => m !== undefined)).toBe(true);

  // The tokens add up, and the limits hold unless only what can never leave is left.
  const tokens =
    words.count(opts.system ?? '') +
    sum(fromHistory) +
    summary.reduce((n, m) => n + words.count(m.content), 0);
  expect(window.tokens).toBe(tokens);
  const maxHistory = opts.maxHistory ?? 50;
  const maxTokens = opts.maxTokens ?? Number.POSITIVE_INFINITY;
  const fits = sent.length <= maxHistory && tokens <= maxTokens;
  expect(window.overLimit).toBe(!fits);
  const turns = turnsOf(log);
  const conversation = fromHistory.filter((m) => m.role !== 'system');
  if (window.overLimit) expect(conversation).toEqual(turns.at(-1) ?? []);

  // Order is kept, every system message stays, and what is sent of the conversation is its newest part.
  const indices = fromHistory.map((m) => m.index);
  expect(indices).toEqual([...indices].sort((a, b) => a - b));
  const systemMessages = log.filter((m) => m.role === 'system');
  expect(fromHistory.filter((m) => m.role === 'system')).toEqual(systemMessages);
  const allConversation = log.filter((m) => m.role !== 'system');
  expect(conversation).toEqual(allConversation.slice(allConversation.length - conversation.length));

  // No answer is sent without its question: what is sent starts at a turn.
  if (conversation.length > 0) {
    const first = conversation[0]!;
    expect(turns.some((turn) => turn[0] === first)).toBe(true);
  }

  // A pending summary is exactly the current summary and the conversation just before what is sent.
  if (window.pendingSummary !== undefined) {
    const span = window.pendingSummary.messages;
    const raw = span.filter((m) => !summaries.has(m.content));
    expect(span.slice(0, span.length - raw.length)).toEqual(summary);
    const before = allConversation.slice(0, allConversation.length - conversation.length);
    expect(raw).toEqual(
      before.slice(before.length - raw.length).map(({ role, content }) => ({ role, content })),
    );
    expect(raw.length).toBeGreaterThan(0);
    expect(turns.some((turn) => turn[0]!.content === raw[0]!.content)).toBe(true);
  }
}

describe('ExecutionContext with limits and policies (properties)', () => {
  it('keeps what is sent within the limits, in order, newest kept, system messages and turns whole', () => {
    fc.assert(
      fc.property(options, fc.array(operation, { maxLength: 80 }), (opts, operations) => {
        const context = new ExecutionContext('p', opts);
        const summarizes = opts.policy?.action === 'summarize';
        const summaries = new Set<string>();
        let log: Logged[] = [];
        let next = 0;
        let condensed = 0;
        for (const op of operations) {
          if (op.kind === 'clear') {
            context.clearHistory();
            log = [];
            condensed = 0;
          } else if (op.kind === 'append') {
            const content = [`${op.role}#${next}`, ...Array(op.size).fill('w')].join(' ');
            next += 1;
            log.push({ role: op.role, content, index: next, tokens: words.count(content) });
            const removed = context.addMessage(op.role, content);
            if (summarizes) expect(removed).toBe(0);
            if (removed > 0) {
              // What core publishes as context:trim: `remaining` is the size of what is sent.
              const sent = context.window().messages.length - (opts.system === undefined ? 0 : 1);
              expect(context.size).toBe(sent);
            }
          } else {
            const window = context.window();
            checkWindow(opts, log, window, summaries);
            expect(window.summarized).toBe(condensed);
            if (op.summarise && window.pendingSummary !== undefined) {
              const { messages } = window.pendingSummary;
              const text = [`summary#${next}`, ...Array(op.size).fill('s')].join(' ');
              next += 1;
              summaries.add(text);
              const report = context.applySummary(text, messages);
              expect(report.removed).toBe(messages.length);
              const after = context.window().messages.length - (opts.system === undefined ? 0 : 1);
              expect(report.remaining).toBe(after);
              condensed += messages.filter((m) => !summaries.has(m.content)).length;
            }
          }
          const window = context.window();
          checkWindow(opts, log, window, summaries);
          const history = context.getHistory();
          if (summarizes) {
            // Nothing is thrown away: the host still has every message.
            expect(history).toEqual(log.map(({ role, content }) => ({ role, content })));
          } else {
            // A dropping context holds what it sends, and dropped no more than it had to:
            // the seed's rule to fit the limits, dropOldest to fit 75% of them (its hysteresis).
            const sent = window.messages.slice(opts.system === undefined ? 0 : 1);
            expect(history).toEqual(sent);
            if (opts.policy === dropOldest || opts.policy === undefined) {
              const share = context.policy.name === 'drop-oldest' ? DEFAULT_TRIM_TO : 1;
              const conversation = log.filter((m) => m.role !== 'system');
              const dropped = turnsOf(log).filter((turn) =>
                turn.every((m) => !history.some((h) => h.content === m.content)),
              );
              const last = dropped.at(-1);
              if (last !== undefined && conversation.length > 0) {
                const maxHistory = Math.floor((opts.maxHistory ?? 50) * share);
                const maxTokens = Math.floor((opts.maxTokens ?? Number.POSITIVE_INFINITY) * share);
                expect(
                  sent.length + last.length > maxHistory || window.tokens + sum(last) > maxTokens,
                ).toBe(true);
              }
            }
          }
          expect(context.size).toBe(history.length);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reports every trim: what left what is sent adds up to what was appended and is no longer sent', () => {
    fc.assert(
      fc.property(options, fc.array(operation, { maxLength: 60 }), (opts, operations) => {
        const context = new ExecutionContext('p', opts);
        const summaries = new Set<string>();
        let appended = 0;
        let removed = 0;
        let summariesCondensed = 0;
        for (const op of operations) {
          if (op.kind === 'clear') {
            context.clearHistory();
            appended = 0;
            removed = 0;
            summariesCondensed = 0;
          } else if (op.kind === 'append') {
            appended += 1;
            removed += context.addMessage(
              op.role,
              `${op.role}#${appended} ${'w '.repeat(op.size)}`,
            );
          } else {
            const { pendingSummary } = context.window();
            if (pendingSummary !== undefined && op.summarise) {
              const text = `summary#${summaries.size}`;
              summaries.add(text);
              if (context.summary !== undefined) summariesCondensed += 1;
              removed += context.applySummary(text, pendingSummary.messages).removed;
            }
          }
          // Once a pending summary is applied, the history messages no longer sent were all reported.
          const window = context.window();
          const pending = window.pendingSummary?.messages.filter((m) => !summaries.has(m.content));
          const inWindow = window.messages.filter(
            (m) => !summaries.has(m.content) && m.content !== opts.system,
          ).length;
          expect(removed - summariesCondensed).toBe(appended - inWindow - (pending?.length ?? 0));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('behaves exactly as the seed with only maxHistory, whatever system option or tokenizer it has', () => {
    fc.assert(
      fc.property(
        limit(12),
        fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        fc.boolean(),
        fc.array(
          fc.record({
            role: fc.constantFrom<MessageRole>('system', 'user', 'assistant'),
            content: fc.string({ maxLength: 8 }),
          }),
          { maxLength: 100 },
        ),
        (maxHistory, system, custom, messages) => {
          const seed = new ExecutionContext('seed', { maxHistory });
          const context = new ExecutionContext('p', {
            maxHistory,
            system,
            ...(custom ? { tokenizer: words } : {}),
          });
          for (const { role, content } of messages) {
            expect(context.addMessage(role, content)).toBe(seed.addMessage(role, content));
          }
          expect(context.getHistory()).toEqual(seed.getHistory());
          const window = context.window();
          expect(window.messages).toEqual([
            ...(system === undefined ? [] : [{ role: 'system', content: system }]),
            ...seed.getHistory(),
          ]);
          expect(window.overLimit).toBe(false);
          expect(window.pendingSummary).toBeUndefined();
          expect(context.policy.name).toBe('drop-oldest-messages');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ExecutionContext with the real tokenizer (properties)', () => {
  it('sends at most maxTokens o200k_base tokens, counted once per message', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(
          fc.record({
            role: fc.constantFrom<MessageRole>('user', 'assistant'),
            content: fc.string({ unit: 'grapheme', maxLength: 24 }),
          }),
          { maxLength: 30 },
        ),
        (maxTokens, messages) => {
          const context = new ExecutionContext('real', { maxTokens, system: 'Be brief.' });
          for (const { role, content } of messages) context.addMessage(role, content);
          const window = context.window();
          const counted = window.messages.reduce((n, m) => n + o200kTokenizer.count(m.content), 0);
          expect(window.tokens).toBe(counted);
          if (!window.overLimit) expect(counted).toBeLessThanOrEqual(maxTokens);
        },
      ),
      { numRuns: 150 },
    );
  });
});
