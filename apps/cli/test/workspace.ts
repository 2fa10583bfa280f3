import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { type RunEvent, runEventSchema } from '@multi-context/events';
import { expect } from 'vitest';

/** A temporary folder with the files a test writes, removed by `remove()`. */
export interface Workspace {
  dir: string;
  /** The absolute path of a file in the folder. */
  path(name: string): string;
  /** Writes files (folders are made as needed); returns the workspace. */
  write(files: Record<string, string>): Workspace;
  /** Makes `name` a link to the folder `target` (say, an installed package). */
  link(name: string, target: string): Workspace;
  /** Every file under the folder, with its text, by path relative to the folder. */
  files(): Record<string, string>;
  remove(): void;
}

/** Makes a temporary folder holding `files`. */
export function workspace(files: Record<string, string> = {}): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'multi-context-cli-'));
  const space: Workspace = {
    dir,
    path: (name) => join(dir, name),
    write(more) {
      for (const [name, text] of Object.entries(more)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), text);
      }
      return space;
    },
    link(name, target) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      symlinkSync(target, join(dir, name), 'dir');
      return space;
    },
    files() {
      const found: Record<string, string> = {};
      const walk = (folder: string) => {
        for (const entry of readdirSync(folder, { withFileTypes: true })) {
          const full = join(folder, entry.name);
          if (entry.isSymbolicLink()) continue;
          if (entry.isDirectory()) walk(full);
          else found[relative(dir, full)] = readFileSync(full, 'utf8');
        }
      };
      walk(dir);
      return found;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return space.write(files);
}

/** The events of a `--json` run's stdout, each checked against the event schema. */
export function parseEventLines(stdout: string): RunEvent[] {
  const lines = stdout.split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((line) => runEventSchema.parse(JSON.parse(line)));
}

/** A workflow of one parallel phase, one task per `[taskId, profile, prompt]`. */
export function parallelWorkflow(tasks: readonly (readonly [string, string, string])[]): string {
  return [
    'name: Providers',
    'phases:',
    '  - name: Ask',
    '    execution_mode: parallel',
    '    tasks:',
    ...tasks.flatMap(([id, profile, prompt]) => [
      `      - id: ${id}`,
      `        context_name: ${id}`,
      `        profile: ${profile}`,
      `        prompt: ${prompt}`,
    ]),
    '',
  ].join('\n');
}
