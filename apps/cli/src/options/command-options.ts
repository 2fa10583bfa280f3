import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { DEFAULT_MOCK_DELAY_MS } from './cli-defaults.js';

/** Gives `command` the CLI's way of reporting errors and help: one-line errors on stderr, a usage hint. */
export function configure(command: Command, io: CliIo, hint: string): void {
  command
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError(hint)
    .helpOption('-h, --help', 'show help')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(oneLineError(text)),
      getOutHelpWidth: () => io.stdout.columns || 80,
      getErrHelpWidth: () => io.stderr.columns || 80,
    });
}

/** commander's `error: unknown command 'rnu'\n(Did you mean run?)` as one line with our prefix. */
function oneLineError(text: string): string {
  const message = text
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ');
  return `multi-context: ${message}\n`;
}

/** A `<ms>` option's value: a number of milliseconds, 0 or more. */
export function parseMilliseconds(value: string): number {
  const ms = Number(value);
  if (value.trim() === '' || !Number.isFinite(ms) || ms < 0) {
    throw new InvalidArgumentError('expected a number of milliseconds >= 0.');
  }
  return ms;
}

/** A comma-separated option's value, added to what earlier uses of the option gave. */
export function parseList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError('expected one or more context names.');
  return [...(previous ?? []), ...items];
}

/** `--mock-delay`: the offline provider's pace, for every command that runs a workflow. */
export function mockDelayOption(): Option {
  return new Option(
    '--mock-delay <ms>',
    `offline provider: milliseconds between streamed pieces (default ${DEFAULT_MOCK_DELAY_MS}, 0 with --json)`,
  ).argParser(parseMilliseconds);
}

/** `--mock-fail`: contexts whose offline-provider calls fail (a testing aid). */
export function mockFailOption(): Option {
  return new Option(
    '--mock-fail <contexts>',
    'offline provider: make every call in these contexts fail (comma-separated; a testing aid)',
  ).argParser(parseList);
}
