import { execFileSync, spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { binPath, scratchDir } from './cli-process.js';

/** What a user saw after running the CLI in a terminal. */
export interface TerminalOutcome {
  /** The screen (and its scrollback), as text. */
  screen: string;
  code: number;
  /** Which tool made the terminal: tmux renders a real screen, script only records the bytes. */
  tool: 'tmux' | 'script';
}

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }
}

/** The pseudo-terminal tool available here, if any. */
export const terminalTool: 'tmux' | 'script' | undefined = has('tmux')
  ? 'tmux'
  : has('script')
    ? 'script'
    : undefined;

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The shell command that runs the CLI as a user would in a terminal (not in CI). */
function commandLine(args: string[]): string {
  return `env -u CI -u NO_COLOR TERM=xterm-256color ${quote(process.execPath)} ${quote(binPath)} ${args.map(quote).join(' ')}`;
}

/** Runs `multi-context ...args` in a pseudo-terminal of 100 x 40 and returns what it showed. */
export async function runInTerminal(args: string[], tool = terminalTool): Promise<TerminalOutcome> {
  if (tool === 'tmux') return runInTmux(args);
  if (tool === 'script') return runInScript(args);
  throw new Error('neither tmux nor script (util-linux) is installed');
}

async function runInTmux(args: string[]): Promise<TerminalOutcome> {
  const socket = `multi-context-test-${process.pid}-${Date.now()}`;
  const tmux = (...rest: string[]) =>
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...rest], {
      cwd: scratchDir,
      encoding: 'utf8',
    });
  // The pane lives on after the command, so its last screen can be read.
  tmux(
    'new-session',
    '-d',
    '-x',
    '100',
    '-y',
    '40',
    '-s',
    'cli',
    `${commandLine(args)}; echo "__EXIT:$?"; sleep 60`,
  );
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const screen = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'cli');
      const exit = /__EXIT:(\d+)/.exec(screen);
      if (exit !== null) {
        return { screen: screen.slice(0, exit.index), code: Number(exit[1]), tool: 'tmux' };
      }
      if (Date.now() > deadline) throw new Error(`the CLI did not finish in tmux:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    tmux('kill-server');
  }
}

function runInScript(args: string[]): Promise<TerminalOutcome> {
  const inner = `stty cols 100 rows 40 2>/dev/null; ${commandLine(args)}`;
  const child = spawn('script', ['-qfec', inner, '/dev/null'], {
    cwd: scratchDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let bytes = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    bytes += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ screen: stripVTControlCharacters(bytes), code: code ?? -1, tool: 'script' }),
    );
  });
}
