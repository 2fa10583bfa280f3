import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliOutcome, childEnv, cliRoot, runCli } from './cli-process.js';
import { announcedRunId, defaultJournal, journalLines } from './journal-cli.js';
import { parseEventLines, workspace } from './workspace.js';

/**
 * Every example's documented command, run as a newcomer runs it: the built
 * `multi-context` binary or the example's own script, in the example's
 * folder, with no provider configured and no API key in the environment.
 */
const examplesDir = resolve(cliRoot, '../../examples');

/** One documented command of an example. */
interface Documented {
  example: string;
  /** The command as the example's README (or, without one, its package.json) writes it. */
  documented: string;
  /** For `pnpm ... start <args>`: the arguments after `start`, given to the start script. */
  startArgs?: string;
  /** An Ollama stand-in the command's provider plugin talks to (custom-provider). */
  ollama?: boolean;
  /** Checked by what its events say (the research-tools example, whose start script runs the CLI with `--json`). */
  events?: (events: RunEvent[]) => void;
}

const commands: Documented[] = [
  { example: 'demo', documented: 'multi-context run workflow.yaml' },
  { example: 'event-subscriber', documented: 'node --import tsx src/main.ts' },
  {
    example: 'pipeline',
    documented: 'pnpm --filter @multi-context/example-pipeline start "tide tables"',
    startArgs: '"tide tables"',
  },
  {
    example: 'pipeline',
    documented: 'multi-context run workflow.yaml --input topic="tide tables"',
  },
  {
    example: 'custom-provider',
    documented: 'multi-context run workflow.yaml --profiles profiles.yaml',
    ollama: true,
  },
  // Its workflow alone, with no provider configured, runs on the offline provider.
  { example: 'custom-provider', documented: 'multi-context run workflow.yaml' },
  {
    example: 'research-tools',
    documented: 'pnpm --filter @multi-context/example-research-tools start',
    startArgs: '--json',
    events: (events) => {
      const call = events.find((event) => event.type === 'task:tool-call');
      expect(call).toMatchObject({
        tool: 'search_library',
        arguments: { topic: 'multi-agent orchestration trends' },
      });
      const result = events.find((event) => event.type === 'task:tool-result');
      expect(result?.type === 'task:tool-result' && result.result).toContain(
        'Teams split work across specialised agents',
      );
      // The researcher's answer quotes what the tool found, and the writer is given that answer.
      const writer = events.find(
        (event) => event.type === 'task:start' && event.contextName === 'writer',
      );
      expect(writer?.type === 'task:start' && writer.prompt).toContain(
        'The tools answered: search_library:',
      );
      expect(writer?.type === 'task:start' && writer.prompt).toContain(
        'Teams split work across specialised agents',
      );
    },
  },
];

const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && existsSync(join(examplesDir, entry.name, 'package.json')),
  )
  .map((entry) => entry.name);

const read = (example: string, file: string) => {
  const path = join(examplesDir, example, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
};

/** The command an example's `start` script ends with (what runs after it has built what it needs). */
function startCommand(example: string): string {
  const { scripts } = JSON.parse(read(example, 'package.json')) as {
    scripts?: { start?: string };
  };
  expect(scripts?.start, `examples/${example} has no start script`).toBeDefined();
  return scripts!.start!.split('&&').at(-1)!.trim();
}

/** A command line split into words as a POSIX shell does for plain words and quotes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)) {
    words.push(match[0].replace(/"([^"]*)"|'([^']*)'/g, (_, double, single) => double ?? single));
  }
  return words;
}

/** What runs for a documented command: the words after `pnpm ... start` go to the start script. */
function commandLine(entry: Documented): string[] {
  if (entry.startArgs === undefined) return shellWords(entry.documented);
  return [...shellWords(startCommand(entry.example)), ...shellWords(entry.startArgs)];
}

const servers: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(servers.map((close) => close())));

/** A stand-in for Ollama's `POST /api/chat`: one short streamed answer per call. */
async function ollamaStandIn(): Promise<string> {
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      const line = (fields: object) => `${JSON.stringify({ model: 'llama3.2', ...fields })}\n`;
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.write(
        line({ message: { role: 'assistant', content: 'Quiet rooms.' }, done: false }),
      );
      response.end(line({ done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  servers.push(() => new Promise<void>((done) => server.close(() => done())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A copy of the example in a scratch folder (its `node_modules` and `dist`
 * linked), so the journal a CLI run writes by default never lands in the
 * repository.
 */
function exampleCopy(example: string) {
  const from = join(examplesDir, example);
  const space = workspace();
  cpSync(from, space.dir, {
    recursive: true,
    filter: (path) => !/[\\/](node_modules|dist|\.multi-context)$/.test(path),
  });
  for (const linked of ['node_modules', 'dist']) {
    if (existsSync(join(from, linked))) space.link(linked, join(from, linked));
  }
  return space;
}

/** Runs a node script of the example in its own folder (it writes nothing), or in `cwd`. */
function runScript(example: string, args: string[], cwd?: string): Promise<CliOutcome> {
  const child = spawn(process.execPath, args, {
    cwd: cwd ?? join(examplesDir, example),
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

describe('the examples, each run as documented with no provider configured', () => {
  it('covers every example, with commands their README or package.json documents', () => {
    expect(new Set(commands.map((entry) => entry.example))).toEqual(new Set(examples));
    for (const entry of commands) {
      const docs = `${read(entry.example, 'README.md')}\n${startCommand(entry.example)}`;
      expect(docs, `examples/${entry.example}`).toContain(entry.documented);
    }
  });

  for (const entry of commands) {
    it(`examples/${entry.example}: ${entry.documented}`, async () => {
      const [program, ...args] = commandLine(entry);
      if (entry.events !== undefined) {
        const space = exampleCopy(entry.example);
        try {
          const outcome = await runScript(entry.example, args, space.dir);
          expect(outcome.code, outcome.stderr).toBe(0);
          const events = parseEventLines(outcome.stdout);
          expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });
          entry.events(events);
        } finally {
          space.remove();
        }
        return;
      }
      if (program === 'node') {
        const outcome = await runScript(entry.example, args);
        expect(outcome.stderr).toBe('');
        expect(outcome.code).toBe(0);
        // Both scripts end with `<status>: <succeeded>/<total> tasks`.
        const summary = /^(\w+): (\d+)\/(\d+) tasks/m.exec(outcome.stdout);
        expect(summary, outcome.stdout).not.toBeNull();
        expect(summary![1]).toBe('succeeded');
        expect(summary![2]).toBe(summary![3]);
        return;
      }
      expect(program).toBe('multi-context');
      const space = exampleCopy(entry.example);
      try {
        const env: Record<string, string> = entry.ollama
          ? { OLLAMA_HOST: await ollamaStandIn() }
          : {};
        const outcome = await runCli(args, { cwd: space.dir, env });
        expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0);
        if (!entry.ollama) expect(outcome.stderr).toMatch(/offline/);
        const { events } = journalLines(defaultJournal(space.dir, announcedRunId(outcome.stderr)));
        const end = events.at(-1) as Extract<RunEvent, { type: 'run:end' }>;
        expect(end.type).toBe('run:end');
        expect(end.result.status).toBe('succeeded');
        expect(end.result.totalTasks).toBeGreaterThan(0);
        expect(end.result.successfulTasks).toBe(end.result.totalTasks);
      } finally {
        space.remove();
      }
    });
  }
});
