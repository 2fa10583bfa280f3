import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ContextMessage, ExecutionContext } from './index.js';

type Operation = { kind: 'append'; message: ContextMessage } | { kind: 'clear' };

const message = fc.record({
  role: fc.constantFrom('system' as const, 'user' as const, 'assistant' as const),
  content: fc.string({ maxLength: 8 }),
});
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 9, arbitrary: message.map((m) => ({ kind: 'append' as const, message: m })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);
const limit = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(Number.POSITIVE_INFINITY));

describe('ExecutionContext (properties)', () => {
  it('holds exactly the newest min(limit, n) messages, in order, never over the limit', () => {
    fc.assert(
      fc.property(limit, fc.array(operation, { maxLength: 200 }), (maxHistory, operations) => {
        const context = new ExecutionContext('p', { maxHistory });
        let appended: ContextMessage[] = [];
        let trimmed = 0;
        for (const op of operations) {
          if (op.kind === 'clear') {
            context.clearHistory();
            appended = [];
            trimmed = 0;
          } else {
            appended.push(op.message);
            trimmed += context.addMessage(op.message.role, op.message.content);
          }
          expect(context.size).toBeLessThanOrEqual(maxHistory);
        }
        const kept = Math.min(maxHistory, appended.length);
        const history = context.getHistory();
        expect(history).toEqual(appended.slice(appended.length - kept));
        expect(context.size).toBe(kept);
        expect(trimmed).toBe(appended.length - kept);
      }),
      { numRuns: 300 },
    );
  });

  it('never returns more than one trimmed message per append', () => {
    fc.assert(
      fc.property(limit, fc.array(message, { maxLength: 60 }), (maxHistory, messages) => {
        const context = new ExecutionContext('p', { maxHistory });
        for (const [index, m] of messages.entries()) {
          const removed = context.addMessage(m.role, m.content);
          expect(removed).toBe(index + 1 > maxHistory ? 1 : 0);
        }
      }),
    );
  });
});
