import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerJobReport } from '../src/index.js';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker-process.ts');

/** A worker child process, and what it has reported. */
export interface WorkerProcess {
  id: string;
  jobs: WorkerJobReport[];
  stop(): Promise<void>;
  /** Kills the process with SIGKILL (kill -9) and resolves once it has exited. */
  kill(): Promise<void>;
}

/**
 * Starts a worker process (test/worker-process.ts, through tsx) and waits for
 * it to be ready, at most 20 s.
 */
export function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const jobs: WorkerJobReport[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the worker process was not ready within 20 s: ${stderr}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker process exited (${code}) before it was ready: ${stderr}`));
    });
    let buffered = '';
    child.stdout?.on('data', (chunk) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const message = JSON.parse(line) as { ready?: string; job?: WorkerJobReport };
        if (message.job !== undefined) jobs.push(message.job);
        if (message.ready !== undefined) {
          clearTimeout(timer);
          resolve({ id: message.ready, jobs, stop, kill });
        }
      }
    });
  });
}

/** Waits until `check()` holds, polling every 20 ms for at most `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let tries = 0; tries < 10_000 && Date.now() < deadline; tries += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
