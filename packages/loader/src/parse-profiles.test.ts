import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfiles, parseProfiles, WorkflowLoadError } from './index.js';
import { loadError } from './test-helpers.js';

const profiles = `# yaml-language-server: $schema=./profiles.schema.json
x-common: &common { temperature: 0.2 }
providers:
  local:   { use: openai, base_url: "http://localhost:11434/v1", api_key_env: OLLAMA_API_KEY }
  claude:  { use: anthropic, api_key_env: ANTHROPIC_API_KEY }
  mine:    { use: ./my-provider.js }
profiles:
  researcher: { <<: *common, provider: local, model: llama3.2, system: You are a careful researcher. }
  writer:     { provider: claude, model: claude-sonnet-4-5, max_tokens: 2048, retries: 4, timeout: 60s }
`;

async function issuesOf(text: string): Promise<[number, number, string][]> {
  const error = await loadError(() => parseProfiles(text, { source: 'profiles.yaml' }));
  return error.issues.map((issue) => [issue.line, issue.column, issue.message]);
}

const directory = mkdtempSync(join(tmpdir(), 'multi-context-profiles-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('parseProfiles', () => {
  it('reads providers and profiles into camelCase specs, with anchors and merge keys', () => {
    expect(parseProfiles(profiles, { source: 'profiles.yaml' })).toStrictEqual({
      providers: {
        local: { use: 'openai', baseUrl: 'http://localhost:11434/v1', apiKeyEnv: 'OLLAMA_API_KEY' },
        claude: { use: 'anthropic', apiKeyEnv: 'ANTHROPIC_API_KEY' },
        mine: { use: './my-provider.js' },
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
    });
  });

  it('reports every issue at its line and column', async () => {
    const text = profiles
      .replace('provider: claude,', 'provider: claud,')
      .replace('timeout: 60s', 'timeout: 60')
      .replace('api_key_env: ANTHROPIC_API_KEY', 'api_key_env: sk-ant-123');
    expect(await issuesOf(text)).toEqual([
      [
        5,
        43,
        'api_key_env must be the name of an environment variable, such as OPENAI_API_KEY (never the key itself), got a string (not shown: it may be a secret)',
      ],
      [9, 27, 'unknown provider "claud"; did you mean "claude"?'],
      [
        9,
        99,
        'timeout must be a duration with a unit, such as "500ms", "60s", "2m" or "1h" (from 1ms to 596h), got 60; did you mean "60s"?',
      ],
    ]);
  });

  it('says what a profiles file holds when it holds something else', async () => {
    expect(await issuesOf('')).toEqual([
      [
        1,
        1,
        'the file is empty; expected a profiles file: a mapping with "providers" and/or "profiles"',
      ],
    ]);
    expect(await issuesOf('name: Demo\nphases: []\n')).toEqual([
      [
        1,
        1,
        'unknown key "name" in profiles file (allowed: "providers", "profiles" and "mcp_servers")',
      ],
      [
        2,
        1,
        'unknown key "phases" in profiles file (allowed: "providers", "profiles" and "mcp_servers")',
      ],
    ]);
    expect(await issuesOf('- a\n')).toEqual([
      [1, 1, 'the profiles file must be an object, got a list'],
    ]);
    const error = await loadError(() => parseProfiles(7 as unknown as string));
    expect(error.issues[0]!.message).toBe('expected the text of a profiles file, got number');
  });
});

describe('loadProfiles', () => {
  it('reads a file, and reports its issues with the file name', async () => {
    const good = join(directory, 'profiles.yaml');
    writeFileSync(good, profiles);
    expect(Object.keys((await loadProfiles(good)).profiles!)).toEqual(['researcher', 'writer']);
    const bad = join(directory, 'bad.yaml');
    writeFileSync(bad, 'profiles:\n  a: { modle: x }\n');
    const error = await loadError(() => loadProfiles(bad));
    expect(WorkflowLoadError.isInstance(error)).toBe(true);
    expect(error.format()).toBe(
      `${bad}:2:8: unknown key "modle" in profile "a"; did you mean "model"?\n    2 |   a: { modle: x }\n      |        ^`,
    );
    const folder = await loadError(() => loadProfiles(directory));
    expect(folder.issues[0]!.message).toBe('this is a directory, not a profiles file');
  });
});
