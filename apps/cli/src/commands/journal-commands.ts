import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { budgetOptions } from '../options/budget-options.js';
import { JOURNAL_DIR_HELP } from '../options/cli-defaults.js';
import { configure, mockDelayOption, mockFailOption } from '../options/command-options.js';
import { EVENTS_EXIT_CODES, HISTORY_EXIT_CODES, RESUME_EXIT_CODES } from '../options/exit-codes.js';
import { otelOption } from '../options/otel-options.js';
import { inputOption } from '../options/parse-input-options.js';
import { queueOption, redisOption, redisTimeoutOption } from '../options/redis-options.js';
import { runViewOptions } from '../options/view-options.js';
import type { EventsCommandOptions } from './events-command.js';
import type { ResumeCommandOptions } from './resume-command.js';
import type { RunsCommandOptions } from './runs-command.js';
import type { ShowCommandOptions } from './show-command.js';

/**
 * Adds the commands that work on run journals: `resume`, `runs`, `show` and
 * `events`.
 */
export function addJournalCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const resume = program
    .command('resume')
    .description('continue an interrupted run from its journal')
    .argument('<runId>', 'the run (its id, or the start of it), as `run` printed it')
    .addOption(inputOption())
    .option('--json', 'print every event of the resumed run as one JSON line on stdout')
    .option('-q, --quiet', 'print only the summary: no progress and no responses')
    .option(
      '--profiles <file>',
      'a profiles file (YAML), as for run: give it again if the run was started with one',
    )
    .option('--journal-dir <dir>', JOURNAL_DIR_HELP)
    .addOption(
      redisOption(
        'send the provider calls to workers through this Redis, and read and continue the journal kept there, as for run',
      ),
    )
    .addOption(queueOption())
    .addOption(redisTimeoutOption())
    .addOption(mockDelayOption())
    .addOption(mockFailOption());
  for (const option of [...budgetOptions(), ...runViewOptions()]) resume.addOption(option);
  resume.addOption(otelOption("the resumed run's spans"));
  resume
    .addHelpText(
      'after',
      `
Runs the workflow recorded in the run's journal, not the workflow file as it
is now (which may have changed since). Tasks whose end was journaled are not
sent to a provider again; tasks in flight when the run stopped run again from
their context as it stood before them. The resumed run keeps its id and
appends to the same journal; it shows and exits like 'run', and Ctrl-C
cancels it, after which it can be resumed again.

Providers are set up as for 'run', from the recorded workflow's own providers:
and profiles: and the environment: if the run was started with --profiles,
pass the same file again. The run's --input values are recorded in its
journal and used again (an --input may repeat one, not change it; inputs are
not recorded when one holds an API key, and are then given again with
--input). A run that already ended (succeeded or failed) is left untouched:
resume says so and exits 0.

With --redis, the run's journal is looked for in that Redis first (where
'run --redis' keeps it), so a run started on one machine is resumed from any
other that reaches the same Redis; the resumed run appends to the same
stream. A run journaled to a file here is resumed from its file, with its
calls made by the workers.

With --ui, the resumed run is shown in a web page as for 'run --ui', from
its first event: the interrupted session's, then the resumed one's.

A run keeps the budget it was recorded with (a --max-cost given to 'run', or
the workflow's config.max_cost); --max-cost gives it another, so a run its
budget stopped goes on with a higher one. What the run cost so far counts
toward the budget.

Examples:
  $ multi-context resume 0b6f5c1e-9d0c-4f5e-a1f7-5f0b8e3f1a2b
  $ multi-context resume 0b6f5c1e --profiles profiles.yaml
  $ multi-context resume 0b6f5c1e --redis redis://127.0.0.1:6379
  $ multi-context resume 0b6f5c1e --ui
  $ multi-context resume 0b6f5c1e --max-cost 5
${RESUME_EXIT_CODES}`,
    )
    .action(async (runId: string, options: ResumeCommandOptions) => {
      // Loaded when it runs, as the commands of program.ts are.
      const { resumeCommand } = await import('./resume-command.js');
      setExitCode(await resumeCommand(runId, options, io));
    });
  configure(resume, io, "Run 'multi-context resume --help' for usage.");

  const runs = program
    .command('runs')
    .description('list the journaled runs, newest first')
    .option('--json', 'print the runs as a JSON array')
    .option('--journal-dir <dir>', JOURNAL_DIR_HELP)
    .addOption(redisOption('read the journals kept in this Redis (by run --redis), not the folder'))
    .addHelpText(
      'after',
      `
One row per journal: the run id, workflow, status (succeeded, failed,
cancelled, or incomplete: no run:end yet, so it is still running or its
process died), when it started, how long it took, and how many tasks
succeeded, failed and were skipped. Journals that cannot be read are listed
as warnings on stderr. Cancelled and incomplete runs can be resumed.

Examples:
  $ multi-context runs
  $ multi-context runs --json | jq -r '.[] | select(.status == "incomplete") | .runId'
  $ multi-context runs --redis redis://127.0.0.1:6379   # the runs journaled in Redis
${HISTORY_EXIT_CODES}`,
    )
    .action(async (options: RunsCommandOptions) => {
      const { runsCommand } = await import('./runs-command.js');
      setExitCode(await runsCommand(options, io));
    });
  configure(runs, io, "Run 'multi-context runs --help' for usage.");

  const show = program
    .command('show')
    .description('show the result of a run, per phase and task')
    .argument('<runId>', 'the run (its id, or the start of it)')
    .option('--json', 'print the run as one JSON object')
    .option('--journal-dir <dir>', JOURNAL_DIR_HELP)
    .addOption(redisOption('read the journals kept in this Redis (by run --redis), not the folder'))
    .addHelpText(
      'after',
      `
For each phase and task: its status, attempts, duration, tokens, and the
response or the error. For a run that has not ended, what its journal holds
so far (tasks started and not ended show as started, the rest as pending).

Examples:
  $ multi-context show 0b6f5c1e
  $ multi-context show 0b6f5c1e --json | jq -r '.phases[].tasks[] | "\\(.taskId) \\(.status)"'
${HISTORY_EXIT_CODES}`,
    )
    .action(async (runId: string, options: ShowCommandOptions) => {
      const { showCommand } = await import('./show-command.js');
      setExitCode(await showCommand(runId, options, io));
    });
  configure(show, io, "Run 'multi-context show --help' for usage.");

  const events = program
    .command('events')
    .description("replay a run's events from its journal")
    .argument('<runId>', 'the run (its id, or the start of it)')
    .option('--json', 'print each event as its JSON line, exactly as the journal holds it')
    .option('-f, --follow', 'keep printing events as a run in progress writes them, until run:end')
    .option('--journal-dir <dir>', JOURNAL_DIR_HELP)
    .addOption(redisOption('read the journals kept in this Redis (by run --redis), not the folder'))
    .addHelpText(
      'after',
      `
One line per event: seq, time, type and what it says (long texts cut), or
with --json the events themselves, as 'run --json' printed them. --follow
tails a run that is still going (from another terminal) and ends at its
run:end; Ctrl-C stops it earlier (exit 130).

Examples:
  $ multi-context events 0b6f5c1e
  $ multi-context events 0b6f5c1e --follow
  $ multi-context events 0b6f5c1e --follow --redis redis://127.0.0.1:6379
  $ multi-context events 0b6f5c1e --json | jq -c 'select(.type == "task:end")'
${EVENTS_EXIT_CODES}`,
    )
    .action(async (runId: string, options: EventsCommandOptions) => {
      const { eventsCommand } = await import('./events-command.js');
      setExitCode(await eventsCommand(runId, options, io));
    });
  configure(events, io, "Run 'multi-context events --help' for usage.");
}
