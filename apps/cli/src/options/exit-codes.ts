/** The exit codes of `multi-context`, one meaning each, so scripts can branch on them. */
export const ExitCode = Object.freeze({
  /** Every task succeeded, or a command such as `validate` or `--help` succeeded. */
  ok: 0,
  /** The run finished with failed or skipped tasks; or an unexpected error. */
  runFailed: 1,
  /** Invalid input: a usage error, a workflow that does not load, a bad option value. */
  usage: 2,
  /** The run's budget (`--max-cost`, `config.max_cost`) stopped it; `resume` with a higher one continues it. */
  budget: 3,
  /** Interrupted by Ctrl-C (SIGINT) or SIGTERM: 128 + SIGINT, as shells report it. */
  interrupted: 130,
});

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An "Exit codes:" block for a command's help: one entry per code the
 * command can return, so that a script knows what to branch on. A meaning
 * may hold line breaks; its next lines are indented under the first.
 */
export function exitCodesHelp(codes: readonly (readonly [ExitCodeValue, string])[]): string {
  const lines = codes.map(
    ([code, meaning]) => `  ${String(code).padEnd(5)}${meaning.replace(/\n/g, '\n       ')}`,
  );
  return `\nExit codes:\n${lines.join('\n')}`;
}

/** What `run` (and `resume`, which ends as `run` does) can return. */
export const RUN_EXIT_CODES = exitCodesHelp([
  [ExitCode.ok, 'every task succeeded'],
  [ExitCode.runFailed, 'the run finished with failed or skipped tasks, or its journal failed'],
  [
    ExitCode.usage,
    'invalid input: a bad option or --input, a workflow or profiles file that\ndoes not load, providers that cannot be set up, Redis (--redis) that does\nnot answer (checked before any call)',
  ],
  [
    ExitCode.budget,
    "the run's budget (--max-cost, config.max_cost) stopped it; 'resume <runId>\n--max-cost <more>' continues it",
  ],
  [ExitCode.interrupted, 'interrupted (Ctrl-C or SIGTERM); the run was cancelled'],
]);

/** What `resume` can return: as `run`, and a run that cannot be found or read is a usage error. */
export const RESUME_EXIT_CODES = exitCodesHelp([
  [ExitCode.ok, 'every task succeeded, or the run had already ended (left untouched)'],
  [ExitCode.runFailed, 'the run finished with failed or skipped tasks, or its journal failed'],
  [
    ExitCode.usage,
    'no such run, a journal that cannot be read, a bad option or --input, or\nproviders that cannot be set up (checked before any call)',
  ],
  [
    ExitCode.budget,
    "the run's budget (--max-cost, config.max_cost) stopped it again; a higher\n--max-cost continues it",
  ],
  [
    ExitCode.interrupted,
    'interrupted (Ctrl-C or SIGTERM); the run was cancelled, and can be resumed',
  ],
]);

/** What `runs` and `show` can return. */
export const HISTORY_EXIT_CODES = exitCodesHelp([
  [ExitCode.ok, 'done'],
  [
    ExitCode.usage,
    'no such run, a journal that cannot be read (the message names the file\nand line), or a bad option',
  ],
]);

/** What `events` can return: as `runs` and `show`, and Ctrl-C stops `--follow`. */
export const EVENTS_EXIT_CODES = exitCodesHelp([
  [ExitCode.ok, 'done: every event printed (with --follow: up to run:end)'],
  [
    ExitCode.usage,
    'no such run, a journal that cannot be read (the message names the file\nand line), or a bad option',
  ],
  [ExitCode.interrupted, '--follow was stopped by Ctrl-C before the run ended'],
]);

/** What `validate` can return. */
export const VALIDATE_EXIT_CODES = exitCodesHelp([
  [
    ExitCode.ok,
    'the workflow (and the --profiles file) is valid; warnings, such as an\nunset API key variable, do not change that',
  ],
  [ExitCode.usage, 'a problem was found (each is printed), or a bad option'],
]);

/** What `schema` can return. */
export const SCHEMA_EXIT_CODES = exitCodesHelp([
  [ExitCode.ok, 'the schema was printed or written'],
  [ExitCode.usage, 'a bad option or kind, or the --out file cannot be written'],
]);

/** What `worker` can return: it runs until it is stopped. */
export const WORKER_EXIT_CODES = exitCodesHelp([
  [
    ExitCode.usage,
    'Redis did not answer at the start (within 3 s), a bad option, or a profiles\nfile or providers that cannot be set up',
  ],
  [ExitCode.interrupted, 'stopped by Ctrl-C or SIGTERM, after its calls in flight'],
]);

/** The codes of every command, for the top-level help. */
export const ALL_EXIT_CODES = exitCodesHelp([
  [ExitCode.ok, 'success (run: every task succeeded; validate: the workflow is valid)'],
  [ExitCode.runFailed, 'a run finished with failed or skipped tasks, or its journal failed'],
  [
    ExitCode.usage,
    'invalid input or usage: an unknown command or option, a file that does\nnot load or has problems, providers that cannot be set up, no such run',
  ],
  [ExitCode.budget, "a run's budget (--max-cost, config.max_cost) stopped it; it can be resumed"],
  [ExitCode.interrupted, 'interrupted (Ctrl-C or SIGTERM); the run was cancelled'],
]);
