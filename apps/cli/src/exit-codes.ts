/** The exit codes of `multi-context`, one meaning each, so scripts can branch on them. */
export const ExitCode = Object.freeze({
  /** Every task succeeded, or a command such as `validate` or `--help` succeeded. */
  ok: 0,
  /** The run finished with failed or skipped tasks; or an unexpected error. */
  runFailed: 1,
  /** Invalid input: a usage error, a workflow that does not load, a bad option value. */
  usage: 2,
  /** Interrupted by Ctrl-C (SIGINT) or SIGTERM: 128 + SIGINT, as shells report it. */
  interrupted: 130,
});

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
