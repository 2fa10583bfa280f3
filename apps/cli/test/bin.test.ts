import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, cliRoot } from './cli-process.js';
import { workspace } from './workspace.js';

const manifest = JSON.parse(readFileSync(join(cliRoot, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  files: string[];
};
const binTarget = resolve(cliRoot, manifest.bin['multi-context']!);
const scratch = workspace();
afterAll(() => scratch.remove());

describe('the multi-context command', () => {
  it('is a file of the repository, so a fresh install links it before anything is built', () => {
    const inPackage = relative(cliRoot, binTarget);
    // A bin in the build output does not exist at install time: pnpm skips it with a warning.
    expect(inPackage.split(/[\\/]/)[0]).not.toBe('dist');
    const tracked = execFileSync('git', ['ls-files', '--stage', '--', inPackage], {
      cwd: cliRoot,
      encoding: 'utf8',
    });
    expect(tracked, `${inPackage} is not committed`).toMatch(/^100755 /);
    expect(readFileSync(binTarget, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // ...and it is published.
    expect(manifest.files.some((entry) => inPackage.startsWith(entry))).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('runs the built CLI when started as a command', () => {
    const outcome = spawnSync(binTarget, ['--version'], { encoding: 'utf8', env: childEnv() });
    expect(outcome.stderr).toBe('');
    expect(outcome).toMatchObject({ status: 0, stdout: `${manifest.version}\n` });
  });

  it('says what to do, in one line, when the CLI is not built yet', () => {
    const copy = scratch.path('cli/bin/multi-context.js');
    mkdirSync(scratch.path('cli/bin'), { recursive: true });
    copyFileSync(binTarget, copy);
    const outcome = spawnSync(process.execPath, [copy, '--version'], {
      encoding: 'utf8',
      env: childEnv(),
    });
    expect(outcome).toMatchObject({
      status: 1,
      stdout: '',
      stderr:
        'multi-context: the CLI is not built yet: run `pnpm build` (or `pnpm demo`) at the root of the repository.\n',
    });
  });
});
