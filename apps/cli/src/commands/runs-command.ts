import { type JournalSummary, listJournals } from '@multi-context/journal';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../options/exit-codes.js';
import {
  displayPath,
  type JournalDirOptions,
  journalCommand,
  journalDirOf,
} from '../options/journal-options.js';
import { colorsFor } from '../reporting/colors.js';
import { formatDuration, padEnd, textWidth } from '../reporting/format.js';
import { formatTime } from '../reporting/format-time.js';
import { listRedisRuns } from './redis-journal.js';

/** The options of `multi-context runs`. */
export interface RunsCommandOptions extends JournalDirOptions {
  json?: boolean;
  /** `--redis`: list the journals kept in this Redis instead of the folder's. */
  redis?: string;
}

/**
 * `multi-context runs`: the run history of the journal folder, newest first,
 * as a table or (`--json`) an array of journal summaries. Journals that
 * cannot be read are warnings on stderr, never skipped in silence.
 */
export function runsCommand(options: RunsCommandOptions, io: CliIo): Promise<number> {
  return journalCommand(io, async () => {
    const dir = journalDirOf(options, io);
    const { listing, where } =
      options.redis === undefined
        ? { listing: await listJournals({ dir }), where: displayPath(dir, io) }
        : await listRedisRuns(options.redis);
    const { runs, unreadable } = listing;
    for (const error of unreadable) io.stderr.write(`multi-context: warning: ${error.message}\n`);
    if (options.json === true) {
      io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return ExitCode.ok;
    }
    if (runs.length === 0) {
      io.stdout.write(`No runs in ${where}.\n`);
      return ExitCode.ok;
    }
    io.stdout.write(`${runsTable(runs, io).join('\n')}\n`);
    return ExitCode.ok;
  });
}

const HEADINGS = [
  'RUN',
  'WORKFLOW',
  'STATUS',
  'STARTED',
  'DURATION',
  'SUCCEEDED',
  'FAILED',
  'SKIPPED',
];

/**
 * ```
 * RUN                                   WORKFLOW        STATUS      STARTED              DURATION  SUCCEEDED  FAILED  SKIPPED
 * 0b6f5c1e-9d0c-4f5e-a1f7-5f0b8e3f1a2b  Crash pipeline  succeeded   2026-11-24 07:01:12  1.4s      8/8        0       0
 * ```
 */
function runsTable(runs: readonly JournalSummary[], io: CliIo): string[] {
  const colors = colorsFor(io.stdout, io.env);
  const paint: Record<JournalSummary['status'], (text: string) => string> = {
    succeeded: colors.green,
    failed: colors.red,
    cancelled: colors.yellow,
    incomplete: colors.cyan,
  };
  const rows = runs.map((run) => [
    run.runId,
    run.workflowName,
    run.status,
    formatTime(run.startedAt),
    run.durationMs === undefined ? '—' : formatDuration(run.durationMs),
    `${run.succeeded}/${run.totalTasks}`,
    String(run.failed),
    String(run.skipped),
  ]);
  const widths = HEADINGS.map((heading, column) =>
    Math.max(textWidth(heading), ...rows.map((row) => textWidth(row[column]!))),
  );
  const line = (cells: string[], style: (cell: string, column: number) => string) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1
          ? style(cell, column)
          : style(padEnd(cell, widths[column]!), column),
      )
      .join('  ');
  return [
    line(HEADINGS, (cell) => colors.dim(cell)),
    ...rows.map((row, index) =>
      line(row, (cell, column) => (column === 2 ? paint[runs[index]!.status](cell) : cell)),
    ),
  ];
}
