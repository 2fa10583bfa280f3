import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** The package folder, `apps/cli`. */
export const cliRoot = resolve(here, '..');

/** The built binary the tests run: `pnpm --filter @multi-context/cli... build` makes it. */
export const binPath = resolve(cliRoot, 'dist/bin.js');

/** The repository's own fixtures (`fixtures/` at its root), used where they are. */
export const fixturesDir = resolve(cliRoot, '../../fixtures');

/** A fixture's absolute path. */
export function fixture(name: string): string {
  return resolve(fixturesDir, name);
}

if (!existsSync(binPath)) {
  throw new Error(
    `${binPath} is missing: run \`pnpm --filter @multi-context/cli... build\` first.`,
  );
}

/**
 * Where a child runs unless a test says otherwise: the test run's scratch
 * folder (see global-setup.ts), so the journals that runs write by default
 * (`.multi-context/runs`) never land in the package.
 */
export const scratchDir = inject('scratchDir');

/** How a finished `multi-context` process went. */
export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Variables that would pick a provider or a server: a test sets them itself, or runs offline. */
const PROVIDER_VARIABLES = [
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'OPENAI_ORG_ID',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'MULTI_CONTEXT_MODEL',
  // Nor a collector: a test that traces names its own.
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
];

/**
 * The environment of a child: no colour and no CI flag, so that output is
 * plain and stable, and no API key of the machine running the tests, so that
 * no test can reach a real service.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['CI', 'FORCE_COLOR', 'MULTI_CONTEXT_DEBUG', ...PROVIDER_VARIABLES]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

/** How a test starts the binary. */
export interface CliOptions {
  /** The working directory: {@link scratchDir} unless given. */
  cwd?: string;
  /** Variables added to {@link childEnv}. */
  env?: Record<string, string>;
  /** Options of `node` itself, before the binary's path (`--import ...`). */
  nodeArgs?: string[];
}

/** A running `node dist/bin.js ...`: its process, its stdout lines as they come, and its outcome. */
export function startCli(args: string[], options: CliOptions = {}) {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), binPath, ...args], {
    cwd: options.cwd ?? scratchDir,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const lineListeners: ((line: string) => void)[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) for (const listener of lineListeners) listener(line);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const outcome = new Promise<CliOutcome>((resolveOutcome, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolveOutcome({ code, signal, stdout, stderr }));
  });
  return {
    child,
    outcome,
    onLine(listener: (line: string) => void) {
      lineListeners.push(listener);
    },
  };
}

/** Runs `node dist/bin.js ...` to its end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliOutcome> {
  return startCli(args, options).outcome;
}
