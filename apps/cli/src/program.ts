import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { addViewCommands } from './commands/add-view-commands.js';
import { addWorkerCommand } from './commands/add-worker-command.js';
import { addJournalCommands } from './commands/journal-commands.js';
import type { RunCommandOptions } from './commands/run-command.js';
import { addSchemaCommand } from './commands/schema-command.js';
import type { ValidateCommandOptions } from './commands/validate-command.js';
import { budgetOptions } from './options/budget-options.js';
import { JOURNAL_DIR_HELP } from './options/cli-defaults.js';
import { configure, mockDelayOption, mockFailOption } from './options/command-options.js';
import { ALL_EXIT_CODES, RUN_EXIT_CODES, VALIDATE_EXIT_CODES } from './options/exit-codes.js';
import { otelOption } from './options/otel-options.js';
import { inputOption } from './options/parse-input-options.js';
import { queueOption, redisOption, redisTimeoutOption } from './options/redis-options.js';
import { runViewOptions } from './options/view-options.js';
import { cliVersion } from './version.js';

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
${ALL_EXIT_CODES}
Each command's --help lists the codes it can return.`,
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
    .addOption(
      redisOption(
        "send the run's provider calls to 'multi-context worker's through this Redis, and journal the run there",
      ),
    )
    .addOption(queueOption())
    .addOption(redisTimeoutOption())
    .addOption(mockDelayOption())
    .addOption(mockFailOption());
  for (const option of [...budgetOptions(), ...runViewOptions()]) run.addOption(option);
  run.addOption(otelOption("the run's spans"));
  run
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

With --redis redis://host:port, the run's provider calls are made by the
workers ('multi-context worker --redis ...') that serve that Redis, and the
run is journaled to that Redis (a stream per run) instead of a file, so
'resume', 'runs', 'show' and 'events' with --redis work from any machine that
reaches it; the contexts, the display and the exit codes stay here, as in a
local run, and Ctrl-C cancels the calls on the workers too. A Redis that does
not answer within 3 s is an error (exit 2) before any call and any journal.
A Redis that restarts in the middle of the run costs a pause; one gone for
longer than --redis-timeout stops the run (exit 1), and 'resume' finishes it
once Redis is back.

With --ui, the run is also shown in a web page served by this process: its
URL (http://127.0.0.1:<port>/runs/<runId>) is printed on stderr; the page
follows the run live, can cancel it, and shows the journal's other runs.
The view stops with the run unless --ui-keep.

Cost comes from each profile's price:, else from the price table bundled
with @pydantic/genai-prices for OpenAI and Anthropic models (never fetched);
a model it does not know gets a note on stderr and its cost is not counted.
With --max-cost (or config.max_cost), once the run's cost reaches the budget
no new task starts, the tasks in flight finish (--max-cost-hard cancels
them), and the run ends cancelled with exit 3; 'resume <runId> --max-cost
<more>' finishes it, counting what it cost so far.

Examples:
  $ multi-context run workflow.yaml
  $ multi-context run workflow.yaml --max-cost 2.50
  $ multi-context run workflow.yaml --profiles profiles.yaml
  $ multi-context run workflow.yaml --input topic="tide pools" --input notes=@notes.md
  $ multi-context run workflow.yaml --json | jq -c 'select(.type == "task:end")'
  $ multi-context run workflow.yaml --mock-fail market_research   # see a failing run
  $ multi-context run workflow.yaml --redis redis://127.0.0.1:6379  # calls made by workers
  $ multi-context run workflow.yaml --ui                            # and watch it in a browser
${RUN_EXIT_CODES}`,
    )
    .action(async (file: string, options: RunCommandOptions) => {
      // Each command is loaded when it runs: the orchestrator, the journal and the
      // providers' packages are not read for a --help or a validate.
      const { runCommand } = await import('./commands/run-command.js');
      setExitCode(await runCommand(file, options, io));
    });
  configure(run, io, "Run 'multi-context run --help' for usage.");

  const validate = program
    .command('validate')
    .description('check a workflow file without running it')
    .argument('<file>', 'the workflow file (YAML)')
    .option('--strict', 'check as run would, and report every profile that is used but not defined')
    .option(
      '--profiles <file>',
      'a profiles file (YAML), checked as run --profiles <file> would take it',
    )
    .addHelpText(
      'after',
      `
Prints a one-line description of a valid workflow, or every problem found as
file:line:col: message, the offending line and a caret.

The providers: and profiles: of the workflow and of the --profiles file are
checked as run checks them: an unknown use:, a plugin module that is not
there, an API key written in a file, a profile without a model or naming an
undefined provider, a param the provider would refuse. --strict also checks
what run checks of how the workflow uses them, so that 'validate --strict
--profiles <file>' reports every error that 'run --profiles <file>' stops on
before its first call, and one more: every profile that default_profile, a
task's profile or a context's trim policy names must be defined, even where
no profile is (run then answers every task with the only provider).

An unset API key variable is a warning, not an error: the machine that
validates (CI, say) often has no keys. validate never runs code from the
files it checks: a plugin module is looked for, never imported, so what only
importing it shows (a module that fails to load or exports no factory) is
found by run.

Examples:
  $ multi-context validate workflow.yaml
  $ multi-context validate workflow.yaml --strict --profiles profiles.yaml
${VALIDATE_EXIT_CODES}`,
    )
    .action(async (file: string, options: ValidateCommandOptions) => {
      const { validateCommand } = await import('./commands/validate-command.js');
      setExitCode(await validateCommand(file, io, options));
    });
  configure(validate, io, "Run 'multi-context validate --help' for usage.");

  addSchemaCommand(program, io, setExitCode);
  addWorkerCommand(program, io, setExitCode);

  addJournalCommands(program, io, setExitCode);
  addViewCommands(program, io, setExitCode);
  return program;
}

/**
 * The arguments to give commander: `argv`, or only the command's name when it
 * names no command (after any -h or -V), so that an unknown command is
 * reported as one (exit 2) whatever follows it; commander would print the
 * top-level help for `nosuch --help`, or the version, and exit 0.
 */
export function argumentsToParse(program: Command, argv: readonly string[]): string[] {
  let index = 0;
  while (['-h', '--help', '-V', '--version'].includes(argv[index] ?? '')) index++;
  let name = argv[index];
  if (name === 'help') name = argv[index + 1];
  if (name === undefined || name.startsWith('-')) return [...argv];
  const known = program.commands.some(
    (command) => command.name() === name || command.aliases().includes(name),
  );
  return known ? [...argv] : [name];
}
