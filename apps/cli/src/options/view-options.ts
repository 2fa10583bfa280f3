import { InvalidArgumentError, Option } from 'commander';

/** `--port`/`--ui-port` and `--host`/`--ui-host`: where a run view listens. */
export interface ViewListenOptions {
  port?: number;
  host?: string;
}

/** A port number: 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('expected a port number, 0 to 65535 (0: any free port).');
  }
  return port;
}

/** The sentence every listen option's help ends with. */
export const HOST_HELP =
  'the interface to listen on (default 127.0.0.1, this machine only; any other makes the view need the token printed in its URL)';

/** `run`'s options of its live view: `--ui`, `--ui-port`, `--ui-host`, `--ui-keep`. */
export function runViewOptions(): Option[] {
  return [
    new Option('--ui', 'serve a live web view of the run and print its URL on stderr'),
    new Option('--ui-port <port>', 'with --ui: the port (default: a free one)').argParser(
      parsePort,
    ),
    new Option('--ui-host <host>', `with --ui: ${HOST_HELP}`),
    new Option(
      '--ui-keep',
      "with --ui: keep serving the view after the run ended, until Ctrl-C (the exit code is still the run's)",
    ),
  ];
}
