import { describe, expect, it } from 'vitest';
import { defineWorkflow } from './index.js';
import { issuesOf, minimalDocument, withConfig, workflowOf } from './test-documents.js';

describe('config.max_cost', () => {
  it('reads the budget into the model', () => {
    expect(workflowOf(withConfig({ max_cost: 2.5 })).config.maxCost).toBe(2.5);
    expect(workflowOf(minimalDocument()).config).not.toHaveProperty('maxCost');
  });

  it('refuses a budget that is not a positive number, saying where', () => {
    expect(issuesOf(withConfig({ max_cost: 0 }))).toEqual([
      ['config.max_cost', 'max_cost must be a positive number, got 0'],
    ]);
    expect(issuesOf(withConfig({ max_cost: '5 USD' }))).toEqual([
      ['config.max_cost', 'max_cost must be a positive number, got "5 USD" (a string)'],
    ]);
  });

  it('takes maxCost in code', () => {
    const workflow = defineWorkflow({
      name: 'w',
      phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'q' }] }],
      config: { maxCost: 1 },
    });
    expect(workflow.config.maxCost).toBe(1);
  });
});

describe('a profile price', () => {
  it('reads cache prices and a currency into the model', () => {
    const workflow = workflowOf({
      ...minimalDocument(),
      profiles: {
        a: {
          price: {
            input_per_million: 3,
            output_per_million: 15,
            cache_read_per_million: 0.3,
            cache_write_per_million: 3.75,
            currency: 'EUR',
          },
        },
        b: { price: { input_per_million: 1, output_per_million: 2 } },
      },
    });
    expect(workflow.profiles).toStrictEqual({
      a: {
        price: {
          inputPerMillion: 3,
          outputPerMillion: 15,
          cacheReadPerMillion: 0.3,
          cacheWritePerMillion: 3.75,
          currency: 'EUR',
        },
      },
      b: { price: { inputPerMillion: 1, outputPerMillion: 2 } },
    });
  });

  it('refuses a currency that is not a three-letter code, and a negative cache price', () => {
    const raw = {
      ...minimalDocument(),
      profiles: {
        a: {
          price: {
            input_per_million: 3,
            output_per_million: 15,
            cache_read_per_million: -1,
            currency: 'dollars',
          },
        },
      },
    };
    expect(issuesOf(raw)).toEqual([
      [
        'profiles.a.price.cache_read_per_million',
        'cache_read_per_million must be a non-negative number, got -1',
      ],
      [
        'profiles.a.price.currency',
        'currency must be a three-letter currency code such as USD or EUR, got "dollars"',
      ],
    ]);
  });
});
