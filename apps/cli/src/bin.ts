#!/usr/bin/env node
import { isEnvFlagSet } from './cli-io.js';
import { main } from './main.js';
import { ExitCode } from './options/exit-codes.js';

const debug = isEnvFlagSet(process.env.MULTI_CONTEXT_DEBUG);

// Whatever escapes main() is still reported in one line, not as a stack trace.
const crash = (error: unknown): void => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`multi-context: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(ExitCode.runFailed);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

// A reader that went away (`multi-context run --json | head -1`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
  else crash(error);
});

const code = await main(process.argv.slice(2));
// Exit once stdout has taken everything, so that no timer left by a
// cancelled call keeps a finished command alive.
process.stdout.write('', () => process.exit(code));
