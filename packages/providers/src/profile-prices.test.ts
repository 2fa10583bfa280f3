import { defineWorkflow, type ProfileSpec, type ProviderSpec } from '@multi-context/workflow';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setUpProviders } from './set-up-providers.js';

const env = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' };

function workflowWith(
  providers: Record<string, ProviderSpec>,
  profiles: Record<string, ProfileSpec>,
  taskProfiles: (string | undefined)[],
) {
  return defineWorkflow({
    name: 'Priced',
    providers,
    profiles,
    phases: [
      {
        name: 'P',
        tasks: taskProfiles.map((profile, i) => ({
          contextName: `c${i}`,
          prompt: 'hi',
          ...(profile !== undefined && { profile }),
        })),
      },
    ],
  });
}

afterEach(() => vi.restoreAllMocks());

describe('prices of the profiles of a run', () => {
  it('come from the bundled price table, cache prices included, without any network call', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    const workflow = workflowWith(
      { claude: { use: 'anthropic' }, gpt: { use: 'openai' } },
      {
        writer: { provider: 'claude', model: 'claude-sonnet-4-5' },
        editor: { provider: 'gpt', model: 'gpt-4o-mini' },
      },
      ['writer', 'editor'],
    );
    const setup = await setUpProviders({ workflow, env });
    expect(setup.profiles.writer!.price).toEqual({
      inputPerMillion: 3,
      outputPerMillion: 15,
      cacheReadPerMillion: 0.3,
      cacheWritePerMillion: 3.75,
      currency: 'USD',
    });
    expect(setup.profiles.editor!.price).toEqual({
      inputPerMillion: 0.15,
      outputPerMillion: 0.6,
      cacheReadPerMillion: 0.075,
      currency: 'USD',
    });
    expect(setup.priceNotes).toEqual([]);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("keep a profile's own price over the table's", async () => {
    const own = { inputPerMillion: 1, outputPerMillion: 2, currency: 'EUR' };
    const workflow = workflowWith(
      { claude: { use: 'anthropic' } },
      { writer: { model: 'claude-sonnet-4-5', price: own } },
      ['writer'],
    );
    const setup = await setUpProviders({ workflow, env });
    expect(setup.profiles.writer!.price).toEqual(own);
  });

  it('note, once per provider and model, what the table does not know; the mock costs nothing', async () => {
    const workflow = workflowWith(
      {
        gpt: { use: 'openai' },
        local: { use: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', defaultModel: 'gpt-4o' },
        offline: { use: 'mock' },
      },
      {
        a: { provider: 'gpt', model: 'gpt-future' },
        b: { provider: 'gpt', model: 'gpt-future' },
        c: { provider: 'local' },
        d: { provider: 'offline' },
        unused: { provider: 'gpt', model: 'nobody-knows' },
      },
      ['a', 'b', 'c', 'd'],
    );
    const setup = await setUpProviders({ workflow, env });
    expect(setup.priceNotes).toEqual([
      'no price known for model gpt-future of provider gpt: cost not counted for profiles a, b; add price: to them',
      'no price known for model gpt-4o of provider local at http://127.0.0.1:11434/v1: cost not counted for profile c; add price: to the profile',
    ]);
    for (const name of ['a', 'b', 'c', 'd', 'unused']) {
      expect(setup.profiles[name]).not.toHaveProperty('price');
    }
  });

  it('price a task profile that is not defined from the default provider', async () => {
    const workflow = defineWorkflow({
      name: 'Bare',
      phases: [{ name: 'P', tasks: [{ contextName: 'a', prompt: 'hi' }] }],
    });
    const setup = await setUpProviders({
      workflow,
      env: { OPENAI_API_KEY: 'sk-test', MULTI_CONTEXT_MODEL: 'gpt-4.1-mini' },
    });
    expect(setup.profiles.default).toEqual({
      provider: 'openai',
      price: {
        inputPerMillion: 0.4,
        outputPerMillion: 1.6,
        cacheReadPerMillion: 0.1,
        currency: 'USD',
      },
    });
  });
});

describe('currencies', () => {
  it('must be one per run: a price in another is an error at its currency', async () => {
    const workflow = workflowWith(
      { offline: { use: 'mock' } },
      {
        a: { price: { inputPerMillion: 1, outputPerMillion: 1, currency: 'EUR' } },
        b: { price: { inputPerMillion: 1, outputPerMillion: 1 } },
      },
      ['a', 'b'],
    );
    await expect(setUpProviders({ workflow, env })).rejects.toThrow(
      `profile "b" prices in USD (the default), and profile "a" in EUR: a run's cost is one sum, so give every price the same currency`,
    );
  });
});
