/** A place the CLI writes to: `process.stdout`, `process.stderr`, or a test's collector. */
export interface CliOutput {
  write(text: string): unknown;
  /** Whether it is a terminal; only then does `run` draw its live display. */
  readonly isTTY?: boolean;
  /** Terminal width in characters, when it is a terminal. */
  readonly columns?: number;
  /** Terminal height in lines, when it is a terminal. */
  readonly rows?: number;
}

/** The signals that interrupt a run. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/**
 * Everything the CLI touches outside itself. `main()` takes it as a parameter
 * so tests can run commands in-process with fake streams and signals.
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Environment variables (`CI`, `NO_COLOR`, `FORCE_COLOR`, `MULTI_CONTEXT_DEBUG`, ...). */
  env: Readonly<Record<string, string | undefined>>;
  /** The directory that relative workflow paths are resolved against. */
  cwd: string;
  /** Calls `listener` on every SIGINT or SIGTERM until the returned function is called. */
  onInterrupt(listener: (signal: InterruptSignal) => void): () => void;
  /** Ends the process at once: a second Ctrl-C does not wait for the run to wind down. */
  exit(code: number): void;
}

/** The real process's streams, environment and signals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(listener) {
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
    },
    exit(code) {
      process.exit(code);
    },
  };
}

/** Whether an environment flag such as `CI` or `MULTI_CONTEXT_DEBUG` is switched on. */
export function isEnvFlagSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
