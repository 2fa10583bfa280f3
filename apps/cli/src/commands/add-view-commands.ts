import { type Command, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { JOURNAL_DIR_HELP } from '../options/cli-defaults.js';
import { configure } from '../options/command-options.js';
import { ExitCode, exitCodesHelp } from '../options/exit-codes.js';
import { redisOption } from '../options/redis-options.js';
import { HOST_HELP, parsePort } from '../options/view-options.js';
import type { ReportCommandOptions } from './report-command.js';
import type { UiCommandOptions } from './ui-command.js';

const UI_EXIT_CODES = exitCodesHelp([
  [
    ExitCode.usage,
    'the view cannot listen there (a port in use, an address not of this\nmachine), or a bad option',
  ],
  [ExitCode.interrupted, 'stopped by Ctrl-C or SIGTERM (the way it ends)'],
]);

const REPORT_EXIT_CODES = exitCodesHelp([
  [ExitCode.ok, 'the report was written'],
  [
    ExitCode.usage,
    'no such run, a journal that cannot be read, the --out file cannot be\nwritten, or a bad option',
  ],
]);

/**
 * Adds the commands of the web view: `ui`, which serves it, and `report`,
 * which writes a run's page to one file. `@multi-context/web` is loaded only
 * when one of them runs.
 */
export function addViewCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const ui = program
    .command('ui')
    .description('serve a web view of every journaled run (until Ctrl-C)')
    .option('--journal-dir <dir>', JOURNAL_DIR_HELP)
    .addOption(new Option('--port <port>', 'the port (default: a free one)').argParser(parsePort))
    .addOption(new Option('--host <host>', HOST_HELP))
    .addOption(redisOption('serve the runs journaled in this Redis (run --redis) instead'))
    .addHelpText(
      'after',
      `
Prints the view's URL on stderr and serves, from this process, a list of the
runs in the journal folder, each opening to its page: a run still being
written (by a 'run' in another terminal) shows live, a finished one replays.
Only this machine can open it (127.0.0.1) unless --host says otherwise; then
every URL needs the token printed with it. Nothing can be changed through
it: only 'run --ui' can cancel its own run from the page.

Examples:
  $ multi-context ui
  $ multi-context ui --port 8080 --journal-dir ../other/.multi-context/runs
  $ multi-context ui --redis redis://127.0.0.1:6379
${UI_EXIT_CODES}`,
    )
    .action(async (options: UiCommandOptions) => {
      const { uiCommand } = await import('./ui-command.js');
      setExitCode(await uiCommand(options, io));
    });
  configure(ui, io, "Run 'multi-context ui --help' for usage.");

  const report = program
    .command('report')
    .description("write a run's page as one self-contained HTML file")
    .argument('<runId>', 'the run (its id, or the start of it)')
    .requiredOption('--out <file>', 'the HTML file to write')
    .option('--journal-dir <dir>', JOURNAL_DIR_HELP)
    .addHelpText(
      'after',
      `
The page of the run, as 'ui' serves it, with the run's events inlined: one
file that any browser opens, with no server and no network. API keys are
taken out, as from everything the CLI prints.

Examples:
  $ multi-context report 0b6f5c1e --out run.html
${REPORT_EXIT_CODES}`,
    )
    .action(async (runId: string, options: ReportCommandOptions) => {
      const { reportCommand } = await import('./report-command.js');
      setExitCode(await reportCommand(runId, options, io));
    });
  configure(report, io, "Run 'multi-context report --help' for usage.");
}
