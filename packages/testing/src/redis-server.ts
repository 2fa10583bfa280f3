import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import path from 'node:path';

/** The sentence a test run without Redis fails with: never a silent skip. */
export const REDIS_NOT_INSTALLED =
  'redis-server is not installed: apt-get install redis-server (Debian/Ubuntu) or brew install redis (macOS)';

/** What {@link startRedisServer} takes. */
export interface TestRedisOptions {
  /** The port; default a free one. Give the same one to start a server again after `stop()`. */
  port?: number;
  /**
   * The server's working folder, where its append-only file goes. Without
   * it nothing is written to disk.
   */
  dir?: string;
  /** Turns on the append-only file (`appendfsync always`), in `dir`: a restart keeps everything. */
  appendOnly?: boolean;
}

/** A redis-server a test started, on 127.0.0.1. */
export interface TestRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
}

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // Not in this folder.
    }
  }
  return false;
}

/** A port of 127.0.0.1 that nothing listens on (as of now): for "Redis unreachable" cases too. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

/**
 * Starts a redis-server (on a free port unless given one) and waits until it
 * answers PING (at most 5 s). `stop()` ends it with SIGTERM, which lets it
 * write its append-only file out first.
 */
export async function startRedisServer(options: TestRedisOptions = {}): Promise<TestRedis> {
  if (!onPath('redis-server')) throw new Error(REDIS_NOT_INSTALLED);
  const port = options.port ?? (await freePort());
  const persistence = options.appendOnly
    ? ['--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      ...persistence,
      ...(options.dir === undefined ? [] : ['--dir', options.dir]),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let tries = 0; tries < 50; tries += 1) {
    if (await ping(port)) return { port, url: `redis://127.0.0.1:${port}`, stop };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within 5 s`);
}
