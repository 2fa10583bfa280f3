import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startOllamaServer, streamAnswer } from './ollama-server.js';

const exampleRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cliBin = join(
  dirname(createRequire(import.meta.url).resolve('@multi-context/cli/package.json')),
  'dist/bin.js',
);

/** Runs the built `multi-context` binary in this package's folder. */
function multiContext(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [cliBin, ...args], {
    cwd: exampleRoot,
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.on('close', (code) => done({ code, stdout, stderr })),
  );
}

let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

describe('the example, run by the CLI through use: ./dist/index.js', () => {
  it('streams both tasks from the plugin, with the profiles mapped onto Ollama options', async () => {
    const server = await startOllamaServer(streamAnswer(['Quiet ', 'rooms ', 'apart.'], 2));
    close = server.close;
    const { code, stdout, stderr } = await multiContext(
      ['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'],
      { OLLAMA_HOST: server.origin },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const events = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const deltas = events.filter((event) => event.type === 'task:delta');
    expect(new Set(deltas.map((event) => event.taskId))).toEqual(new Set(['haiku', 'summary']));
    const ends = events.filter((event) => event.type === 'task:end');
    expect(ends.map((event) => [event.taskId, event.status, event.response]).sort()).toEqual([
      ['haiku', 'succeeded', 'Quiet rooms apart.'],
      ['summary', 'succeeded', 'Quiet rooms apart.'],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });

    const bodies = Object.fromEntries(
      server.calls.map((call) => [
        (call.body.messages as { content: string }[]).at(-1)!.content,
        call.body,
      ]),
    );
    expect(bodies['Write a haiku about conversations that never mix.']).toMatchObject({
      model: 'llama3.2',
      messages: [{ role: 'system', content: 'You write short, vivid poems.' }, { role: 'user' }],
      options: { temperature: 0.9, num_predict: 120 },
      keep_alive: '5m',
    });
    expect(bodies['In one sentence, what is a provider plugin?']).toMatchObject({
      model: 'llama3.2',
      options: { temperature: 0, num_predict: 60, num_ctx: 4096 },
    });
  });
});
