import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../options/exit-codes.js';
import {
  displayPath,
  type JournalDirOptions,
  journalCommand,
  readRun,
} from '../options/journal-options.js';
import { type Colors, colorsFor } from '../reporting/colors.js';
import { formatDuration, formatUsage, plural, statusReason } from '../reporting/format.js';
import { formatTime } from '../reporting/format-time.js';
import { stateGlyph } from '../reporting/glyphs.js';
import {
  type PhaseReportStatus,
  type RunReport,
  reportRun,
  type TaskReport,
  type TaskReportStatus,
} from '../reporting/run-report.js';
import { taskLabel } from '../reporting/task-label.js';
import { readRedisRun } from './redis-journal.js';

/** The options of `multi-context show`. */
export interface ShowCommandOptions extends JournalDirOptions {
  json?: boolean;
  /** `--redis`: read the run's journal from this Redis instead of the folder. */
  redis?: string;
}

/**
 * `multi-context show <runId>`: the result of a run from its journal, phase
 * by phase and task by task (status, attempts, duration, tokens, the
 * response or the error); for a run that has not ended, what is known so far.
 */
export function showCommand(
  runId: string,
  options: ShowCommandOptions,
  io: CliIo,
): Promise<number> {
  return journalCommand(io, async () => {
    const contents =
      options.redis === undefined
        ? await readRun(runId, options, io)
        : await readRedisRun(runId, options.redis);
    const report = reportRun(contents);
    if (options.json === true) {
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return ExitCode.ok;
    }
    io.stdout.write(`${showLines(report, colorsFor(io.stdout, io.env), io).join('\n')}\n`);
    return ExitCode.ok;
  });
}

/**
 * ```
 * Run 0b6f5c1e-…: Crash pipeline, succeeded in 1.4s
 *   Started  2026-11-24 07:01:12, resumed once
 *   Journal  .multi-context/runs/0b6f5c1e-…/events.jsonl
 *   Tasks    8 succeeded · 0 failed · 0 skipped · 0 cancelled, of 8
 *   Tokens   925 (397 in, 528 out)
 *
 * [phase 1/3] Research (parallel) succeeded
 *   ✔ market (default) 1 attempt · 312ms · 58 tokens
 *     The market grows.
 * ```
 */
function showLines(report: RunReport, colors: Colors, io: CliIo): string[] {
  const lines = [
    `${stateGlyph(glyphState(report.status), colors)} ${colors.bold(`Run ${report.runId}`)}: ${report.workflowName}, ${headline(report)}`,
    `  ${colors.dim('Started')}  ${formatTime(report.startedAt)}${report.resumes === 0 ? '' : `, resumed ${report.resumes === 1 ? 'once' : `${report.resumes} times`}`}`,
    `  ${colors.dim('Journal')}  ${displayPath(report.path, io)}${report.truncated ? colors.dim(' (its torn last line was left out)') : ''}`,
    `  ${colors.dim('Tasks  ')}  ${report.succeeded} succeeded · ${report.failed} failed · ${report.skipped} skipped · ${report.cancelled} cancelled, of ${report.totalTasks}`,
  ];
  if (report.usage !== undefined)
    lines.push(`  ${colors.dim('Tokens ')}  ${formatUsage(report.usage)}`);
  report.phases.forEach((phase, index) => {
    lines.push(
      '',
      `${colors.cyan(`[phase ${index + 1}/${report.phases.length}]`)} ${colors.bold(phase.name)} ${colors.dim(`(${phase.executionMode})`)} ${phase.status}`,
    );
    for (const task of phase.tasks) lines.push(...taskLines(task, colors));
  });
  return lines;
}

function headline(report: RunReport): string {
  const inRedis = /^rediss?:\/\//.test(report.path) ? ' --redis <url>' : '';
  const resume = `'multi-context resume ${report.runId}${inRedis}' continues it`;
  if (report.status === 'incomplete') {
    return `incomplete: it has no run:end yet, so it is still running or its process died (${resume})`;
  }
  const took = report.durationMs === undefined ? '' : ` in ${formatDuration(report.durationMs)}`;
  if (report.reason?.kind === 'budget') {
    return `cancelled by its budget${took}: ${report.reason.message} ('multi-context resume ${report.runId}${inRedis} --max-cost <amount>' continues it)`;
  }
  return report.status === 'cancelled' ? `cancelled${took} (${resume})` : `${report.status}${took}`;
}

function taskLines(task: TaskReport, colors: Colors): string[] {
  const facts: string[] = [];
  if (task.attempts !== undefined && task.attempts > 0)
    facts.push(plural(task.attempts, 'attempt'));
  if (task.durationMs !== undefined && task.attempts !== 0)
    facts.push(formatDuration(task.durationMs));
  if (task.usage !== undefined)
    facts.push(`${task.usage.totalTokens.toLocaleString('en-US')} tokens`);
  const status = task.status === 'succeeded' ? '' : ` ${paint(task.status, colors)}`;
  const head = `  ${stateGlyph(glyphState(task.status), colors)} ${taskLabel(task, colors)}${status}${facts.length === 0 ? '' : ` ${facts.join(' · ')}`}`;
  const lines = [head];
  if (task.response !== undefined) {
    for (const line of task.response.split(/\r?\n/)) lines.push(line === '' ? '' : `    ${line}`);
  }
  if (task.error !== undefined) {
    lines.push(`    ${colors.red(statusReason(task.error.name, task.error.message))}`);
  }
  if (task.status === 'started')
    lines.push(`    ${colors.dim('started; its end is not recorded')}`);
  return lines;
}

function paint(status: TaskReportStatus, colors: Colors): string {
  if (status === 'failed') return colors.red(status);
  if (status === 'cancelled' || status === 'skipped') return colors.yellow(status);
  return colors.dim(status);
}

function glyphState(status: TaskReportStatus | PhaseReportStatus | RunReport['status']) {
  if (status === 'started' || status === 'incomplete') return 'running';
  return status;
}
