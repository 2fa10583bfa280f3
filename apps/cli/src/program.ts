import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MOCK_DELAY_MS, JOURNAL_DIR_HELP } from './cli-defaults.js';
import type { CliIo } from './cli-io.js';
import { addJournalCommands } from './journal-commands.js';
import { inputOption } from './parse-input-options.js';
import type { RunCommandOptions } from './run-command.js';
import { addSchemaCommand } from './schema-command.js';
import type { ValidateCommandOptions } from './validate-command.js';
import { cliVersion } from './version.js';

const EXIT_CODES = `
Exit codes:
  0    every task succeeded (validate: the workflow is valid)
  1    the run finished with failed or skipped tasks, or its journal failed
  2    invalid input or usage: a bad option, a workflow or profiles file that
       does not load, providers that cannot be set up (checked before any call)
  130  interrupted (Ctrl-C or SIGTERM); the run was cancelled`;

/**
 * The command line, as commander understands it. Each action hands its exit
 * code to `setExitCode`; commander itself throws a `CommanderError` instead of
 * exiting, so `main()` stays callable in-process.
 */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('multi-context');
  configure(program, io, "Run 'multi-context --help' for usage.");
  program
    .description('Run LLM workflows across many isolated conversation contexts.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .addHelpText(
      'after',
      `
Examples:
  $ multi-context validate workflow.yaml
  $ multi-context run workflow.yaml
  $ multi-context run workflow.yaml --json > events.jsonl
  $ multi-context runs
  $ multi-context resume <runId>
${EXIT_CODES}`,
    );

  const run = program
    .command('run')
    .description('run a workflow and show its progress')
    .argument('<file>', 'the workflow file (YAML)')
    .addOption(inputOption())
    .option('--json', 'print every run event as one JSON line on stdout, and nothing else')
    .option('-q, --quiet', 'print only the summary: no progress and no responses')
    .option(
      '--profiles <file>',
      "a profiles file (YAML): providers and profiles, which win over the workflow's own",
    )
    .option('--journal-dir <dir>', JOURNAL_DIR_HELP)
    .option('--no-journal', 'do not journal the run (it then cannot be resumed)')
    .addOption(mockDelayOption())
    .addOption(mockFailOption())
    .addHelpText(
      'after',
      `
Providers and profiles come from --profiles and the workflow's own providers:
and profiles: sections (the --profiles file wins on a name clash). With none,
OPENAI_API_KEY picks OpenAI, else ANTHROPIC_API_KEY picks Anthropic (model:
MULTI_CONTEXT_MODEL, or gpt-4o-mini / claude-sonnet-5-5), else the offline mock
provider answers, which streams a made-up reply and calls no model.

Every run is journaled to .multi-context/runs/<runId>/events.jsonl (under the
working directory; --journal-dir to change): 'multi-context resume <runId>'
continues it after a crash or Ctrl-C without paying again for tasks that
ended, and 'runs', 'show' and 'events' show it. The run id is printed on
stderr when the run starts (with --json, every event carries it).

Examples:
  $ multi-context run workflow.yaml
  $ multi-context run workflow.yaml --profiles profiles.yaml
  $ multi-context run workflow.yaml --input topic="tide pools" --input notes=@notes.md
  $ multi-context run workflow.yaml --json | jq -c 'select(.type == "task:end")'
  $ multi-context run workflow.yaml --mock-fail market_research   # see a failing run
${EXIT_CODES}`,
    )
    .action(async (file: string, options: RunCommandOptions) => {
      // Each command is loaded when it runs: the orchestrator, the journal and the
      // providers' packages are not read for a --help or a validate.
      const { runCommand } = await import('./run-command.js');
      setExitCode(await runCommand(file, options, io));
    });
  configure(run, io, "Run 'multi-context run --help' for usage.");

  const validate = program
    .command('validate')
    .description('check a workflow file without running it')
    .argument('<file>', 'the workflow file (YAML)')
    .option('--strict', 'also report profiles that are used but not defined')
    .option(
      '--profiles <file>',
      'a profiles file (YAML) to check too; with --strict, its profiles count as defined',
    )
    .addHelpText(
      'after',
      `
Prints a one-line description of a valid workflow, or every problem found as
file:line:col: message, the offending line and a caret. --strict also reports
every profile that default_profile, a task's profile or a context's trim
policy names but neither the workflow's profiles: nor the --profiles file
defines, at the line and column where it is used.

Examples:
  $ multi-context validate workflow.yaml
  $ multi-context validate workflow.yaml --strict --profiles profiles.yaml
${EXIT_CODES}`,
    )
    .action(async (file: string, options: ValidateCommandOptions) => {
      const { validateCommand } = await import('./validate-command.js');
      setExitCode(await validateCommand(file, io, options));
    });
  configure(validate, io, "Run 'multi-context validate --help' for usage.");

  addSchemaCommand(program, io, setExitCode);

  addJournalCommands(program, io, setExitCode, EXIT_CODES);
  return program;
}

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

export function parseMilliseconds(value: string): number {
  const ms = Number(value);
  if (value.trim() === '' || !Number.isFinite(ms) || ms < 0) {
    throw new InvalidArgumentError('expected a number of milliseconds >= 0.');
  }
  return ms;
}

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
