import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue, locateIssues } from '@multi-context/loader';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSetupIssue } from './located-setup-issue.js';
import { ProviderSetupError } from './provider-setup-error.js';
import { SetupIssues } from './setup-issues.js';

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
    const issues = new SetupIssues([profiles, workflow], locateIssues);
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

  it('names the file and the setting when it has no locator, in the order found', () => {
    const issues = new SetupIssues([profiles, workflow]);
    issues.add('profile "writr" is not defined', { origin: workflow, path: ['default_profile'] });
    issues.add('unknown provider "opnai"', { origin: profiles, path: ['providers', 'gpt', 'use'] });
    issues.add('no provider at all');
    expect(issues.located().map((issue) => formatSetupIssue(issue))).toEqual([
      'profiles.yaml: providers.gpt.use: unknown provider "opnai"',
      'workflow.yaml: default_profile: profile "writr" is not defined',
      'multi-context: no provider at all',
    ]);
  });

  it('names the file without a place when it cannot be read again', () => {
    const issues = new SetupIssues([], locateIssues);
    const gone = { source: 'journal (the recorded workflow)', path: join(dir, 'nothing-here') };
    issues.add('unknown provider "x"', { origin: gone, path: ['providers', 'x', 'use'] });
    expect(formatSetupIssue(issues.located()[0]!)).toBe(
      'journal (the recorded workflow): providers.x.use: unknown provider "x"',
    );
  });

  it('has errors, and throws them with the warnings, only when one is not a warning', () => {
    const issues = new SetupIssues([], locateIssues);
    issues.add('a key is not set', undefined, { severity: 'warning' });
    expect(issues.hasErrors).toBe(false);
    expect(() => issues.throwIfAny()).not.toThrow();
    issues.add('a real problem', { origin: workflow, path: ['name'] });
    expect(issues.hasErrors).toBe(true);
    expect(() => issues.throwIfAny()).toThrow(
      'workflow.yaml:1:7: a real problem\nmulti-context: warning: a key is not set',
    );
  });

  it('keeps the kind of an issue, and what quoting its line under it takes', () => {
    const issues = new SetupIssues([], locateIssues);
    issues.add(
      'profile "writr" is not defined',
      { origin: workflow, path: ['default_profile'] },
      { code: 'undefined_profile' },
    );
    const [located] = issues.located();
    expect(located?.code).toBe('undefined_profile');
    const { message, path, line, column, source, code, text } = located!;
    expect(
      formatIssue({ message, path: path!, line: line!, column: column!, source, code }, text),
    ).toBe(
      [
        'workflow.yaml:2:18: profile "writr" is not defined',
        '    2 | default_profile: writr',
        '      |                  ^',
      ].join('\n'),
    );
  });

  it('takes secrets out when it shows the issues, in every line thrown', () => {
    const issues = new SetupIssues([], locateIssues);
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
      expect((error as ProviderSetupError).issues.map((issue) => issue.line)).toEqual([
        3,
        undefined,
      ]);
    }
  });
});
