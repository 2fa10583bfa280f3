import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { configure, mockDelayOption, mockFailOption } from '../options/command-options.js';
import { WORKER_EXIT_CODES } from '../options/exit-codes.js';
import { otelOption } from '../options/otel-options.js';
import { queueOption, redisOption } from '../options/redis-options.js';
import type { WorkerCommandOptions } from './worker-command.js';

/** A `--concurrency` value: a whole number of calls, 1 or more. */
function parseConcurrency(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1)
    throw new InvalidArgumentError('expected a whole number of 1 or more.');
  return count;
}

/** A `--lock-duration` value: whole milliseconds, 1000 or more (the lock is renewed every half of it). */
function parseLockDuration(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1000)
    throw new InvalidArgumentError('expected a whole number of milliseconds, 1000 or more.');
  return ms;
}

/**
 * Adds `multi-context worker`, which makes the provider calls of runs started
 * with `run --redis`. Only its definition lives here: the command itself (and
 * bullmq) is loaded when it runs.
 */
export function addWorkerCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const worker = program
    .command('worker')
    .description('make the provider calls of runs started with --redis (until Ctrl-C)')
    .addOption(
      redisOption('the Redis server of the queue, as redis://host:port').makeOptionMandatory(),
    )
    .option(
      '--profiles <file>',
      'a profiles file (YAML): the providers and profiles this worker answers with',
    )
    .addOption(
      new Option('--concurrency <n>', 'how many provider calls at once (default 16)').argParser(
        parseConcurrency,
      ),
    )
    .addOption(
      new Option(
        '--lock-duration <ms>',
        "how long a job stays locked to this worker without a renewal; a dead worker's calls are taken again by another within about twice this (default 30000)",
      ).argParser(parseLockDuration),
    )
    .addOption(queueOption())
    .addOption(otelOption('a span for each provider call, in the trace of its run'))
    .option('-v, --verbose', 'print one line per job as it ends')
    .addOption(mockDelayOption())
    .addOption(mockFailOption())
    .addHelpText(
      'after',
      `
Start as many workers as you like, on any machine that reaches the Redis
server; 'multi-context run workflow.yaml --redis <url>' then sends every
provider call of the run to them. A worker holds no conversation: each job
carries the request as it is sent. API keys never travel through Redis: a
worker answers with the providers of its own --profiles file and environment
(OPENAI_API_KEY, ANTHROPIC_API_KEY; with none, the offline mock provider), so
give every worker the profiles file the runs use.

It prints one line when it is ready (its id, the queue, the Redis URL with
any password taken out); with --verbose, one line per job. A job that is not
a valid attempt is refused and reported on stderr; the worker goes on.

Ctrl-C or SIGTERM stops it: it takes no new job and lets the calls in flight
finish, then exits 130. A second Ctrl-C aborts the calls in flight and exits
at once; their runs see no answer, and time out or are cancelled.

A worker that dies (kill -9, a lost machine) holds its calls until their lock
expires: another worker takes them again within about twice --lock-duration
(the lock, then a stalled-job check, which runs as often). A shorter lock
means a quicker takeover, and more Redis writes to renew it.

Examples:
  $ multi-context worker --redis redis://127.0.0.1:6379
  $ multi-context worker --redis redis://:secret@redis.internal:6379 --profiles profiles.yaml --concurrency 64
  $ multi-context worker --redis redis://127.0.0.1:6379 --lock-duration 5000
${WORKER_EXIT_CODES}`,
    )
    .action(async (options: WorkerCommandOptions) => {
      const { workerCommand } = await import('./worker-command.js');
      setExitCode(await workerCommand(options, io));
    });
  configure(worker, io, "Run 'multi-context worker --help' for usage.");
}
