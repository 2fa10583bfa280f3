import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderSetupError } from './provider-setup-error.js';
import { formatSetupIssue, SetupIssues } from './setup-issues.js';

const dir = mkdtempSync(join(tmpdir(), 'setup-issues-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { source: name, path };
}

const workflow = file('workflow.yaml', 'name: W\ndefault_profile: writr\n');
const profiles = file(
  'profiles.yaml',
  'providers:\n  claude: { use: anthropic }\n  gpt: { use: opnai, key: sk-secret-1 }\n',
);

describe('SetupIssues', () => {
  it('lists the files in the order given, each in the order of its lines, then what no file holds', () => {
    const issues = new SetupIssues([profiles, workflow]);
    issues.add('profile "writr" is not defined', { origin: workflow, path: ['default_profile'] });
    issues.add('no provider at all');
    issues.add('unknown provider "opnai"', { origin: profiles, path: ['providers', 'gpt', 'use'] });
    issues.add(
      'the API key variable ANTHROPIC_API_KEY is not set',
      { origin: profiles, path: ['providers', 'claude'], target: 'key' },
      { severity: 'warning' },
    );
    expect(issues.count).toBe(4);
    expect(issues.located().map((issue) => formatSetupIssue(issue))).toEqual([
      'profiles.yaml:2:3: warning: the API key variable ANTHROPIC_API_KEY is not set',
      'profiles.yaml:3:15: unknown provider "opnai"',
      'workflow.yaml:2:18: profile "writr" is not defined',
      'multi-context: no provider at all',
    ]);
  });

  it('has errors, and throws them with the warnings, only when one is not a warning', () => {
    const issues = new SetupIssues();
    issues.add('a key is not set', undefined, { severity: 'warning' });
    expect(issues.hasErrors).toBe(false);
    expect(() => issues.throwIfAny()).not.toThrow();
    issues.add('a real problem', { origin: workflow, path: ['name'] });
    expect(issues.hasErrors).toBe(true);
    expect(() => issues.throwIfAny()).toThrow(
      'workflow.yaml:1:7: a real problem\nmulti-context: warning: a key is not set',
    );
  });

  it('keeps the kind of an issue, and quotes its line under it on request', () => {
    const issues = new SetupIssues();
    issues.add(
      'profile "writr" is not defined',
      { origin: workflow, path: ['default_profile'] },
      { code: 'undefined_profile' },
    );
    const [located] = issues.located();
    expect(located?.code).toBe('undefined_profile');
    expect(formatSetupIssue(located!, { quote: true })).toBe(
      [
        'workflow.yaml:2:18: profile "writr" is not defined',
        '    2 | default_profile: writr',
        '      |                  ^',
      ].join('\n'),
    );
  });

  it('takes secrets out when it shows the issues, in every line thrown', () => {
    const issues = new SetupIssues();
    issues.add('the server said sk-secret-1 is wrong', {
      origin: profiles,
      path: ['providers', 'gpt'],
    });
    issues.add('and again: sk-secret-1');
    const redact = (text: string) => text.replaceAll('sk-secret-1', '[redacted]');
    try {
      issues.throwIfAny(redact);
      expect.unreachable();
    } catch (error) {
      expect(ProviderSetupError.isInstance(error)).toBe(true);
      expect((error as ProviderSetupError).lines).toEqual([
        'profiles.yaml:3:8: the server said [redacted] is wrong',
        'multi-context: and again: [redacted]',
      ]);
    }
  });
});
