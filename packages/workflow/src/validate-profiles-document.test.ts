import { describe, expect, it } from 'vitest';
import { validateProfilesDocument } from './index.js';

function issuesOf(raw: unknown): [string, string, string][] {
  const result = validateProfilesDocument(raw);
  if (result.success) throw new Error('expected issues');
  return result.issues.map((issue) => [issue.path.join('.'), issue.code, issue.message]);
}

describe('validateProfilesDocument', () => {
  it('turns the file into camelCase providers and profiles, ignoring x- keys', () => {
    const result = validateProfilesDocument({
      'x-common': { temperature: 0.2 },
      providers: {
        local: {
          use: 'openai',
          base_url: 'http://localhost:11434/v1',
          api_key_env: 'OLLAMA_API_KEY',
        },
        claude: { use: 'anthropic', api_key_env: 'ANTHROPIC_API_KEY' },
        mine: { use: './my-provider.js', options: { greeting: 'hi' } },
      },
      profiles: {
        researcher: {
          provider: 'local',
          model: 'llama3.2',
          system: 'You are a careful researcher.',
          temperature: 0.2,
        },
        writer: {
          provider: 'claude',
          model: 'claude-sonnet-4-5',
          max_tokens: 2048,
          retries: 4,
          timeout: '60s',
        },
      },
    });
    expect(result).toStrictEqual({
      success: true,
      profiles: {
        providers: {
          local: {
            use: 'openai',
            baseUrl: 'http://localhost:11434/v1',
            apiKeyEnv: 'OLLAMA_API_KEY',
          },
          claude: { use: 'anthropic', apiKeyEnv: 'ANTHROPIC_API_KEY' },
          mine: { use: './my-provider.js', options: { greeting: 'hi' } },
        },
        profiles: {
          researcher: {
            provider: 'local',
            model: 'llama3.2',
            system: 'You are a careful researcher.',
            temperature: 0.2,
          },
          writer: {
            provider: 'claude',
            model: 'claude-sonnet-4-5',
            maxTokens: 2048,
            retries: 4,
            timeoutMs: 60_000,
          },
        },
      },
    });
    expect(validateProfilesDocument({})).toStrictEqual({ success: true, profiles: {} });
  });

  it('reports every issue with its path, and providers that are not defined', () => {
    const raw = {
      provider: {},
      providers: { local: { use: '', base_url: 'ftp://x', default_model: 'm', headers: [] } },
      profiles: {
        a: {
          provider: 'locl',
          top_p: 2,
          max_tokens: 0,
          seed: 1.5,
          stop: ['', 'x'],
          price: { input_per_million: -1 },
        },
        b: { provider: 'remote', timeout: 30, modle: 'x' },
        c: 'fast',
      },
    };
    expect(issuesOf(raw)).toEqual([
      ['providers.local.use', 'invalid_value', 'use must be a non-empty string, got ""'],
      [
        'providers.local.base_url',
        'invalid_value',
        'base_url must be an http:// or https:// URL, got "ftp://x"',
      ],
      [
        'providers.local.headers',
        'invalid_type',
        'headers must be a mapping of header names to strings, got an empty list',
      ],
      ['profiles.a.top_p', 'invalid_value', 'top_p must be a number from 0 to 1, got 2'],
      ['profiles.a.max_tokens', 'invalid_value', 'max_tokens must be a positive integer, got 0'],
      ['profiles.a.stop.0', 'invalid_value', 'item 1 of stop must be a non-empty string, got ""'],
      ['profiles.a.seed', 'invalid_value', 'seed must be an integer, got 1.5'],
      [
        'profiles.a.price.input_per_million',
        'invalid_value',
        'input_per_million must be a non-negative number, got -1',
      ],
      [
        'profiles.a.price.output_per_million',
        'missing_key',
        'missing required key "output_per_million" in price',
      ],
      [
        'profiles.b.timeout',
        'invalid_type',
        'timeout must be a duration with a unit, such as "500ms", "60s", "2m" or "1h" (from 1ms to 596h), got 30; did you mean "30s"?',
      ],
      [
        'profiles.b.modle',
        'unknown_key',
        'unknown key "modle" in profile "b"; did you mean "model"?',
      ],
      ['profiles.c', 'invalid_type', 'profile "c" must be an object, got "fast" (a string)'],
      [
        'provider',
        'unknown_key',
        'unknown key "provider" in profiles file; did you mean "providers"?',
      ],
      [
        'profiles.a.provider',
        'unknown_reference',
        'unknown provider "locl"; did you mean "local"?',
      ],
      ['profiles.b.provider', 'unknown_reference', 'unknown provider "remote" (defined: "local")'],
    ]);
  });

  it('says what a profiles file is when it is not a mapping', () => {
    expect(issuesOf(['a'])).toEqual([
      ['', 'invalid_type', 'the profiles file must be an object, got a list'],
    ]);
    expect(issuesOf({ name: 'a workflow', phases: [] })).toEqual([
      [
        'name',
        'unknown_key',
        'unknown key "name" in profiles file (allowed: "providers", "profiles" and "mcp_servers")',
      ],
      [
        'phases',
        'unknown_key',
        'unknown key "phases" in profiles file (allowed: "providers", "profiles" and "mcp_servers")',
      ],
    ]);
  });
});
