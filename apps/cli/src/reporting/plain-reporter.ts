import type { RunEvent, RunEventOf } from '@multi-context/events';
import type { CliOutput } from '../cli-io.js';
import type { Colors } from './colors.js';
import { formatDuration, oneLine, plural } from './format.js';
import { stateGlyph } from './glyphs.js';
import type { RunReporter } from './run-reporter.js';
import { responseLines, summaryLines, taskOutcome } from './summary.js';
import { taskLabel } from './task-label.js';
import { toolCallText } from './tool-call-text.js';

/** What {@link PlainReporter} prints. */
export interface PlainReporterOptions {
  out: CliOutput;
  err: CliOutput;
  colors: Colors;
  /** A line per phase start and end, task end and retry. */
  progress: boolean;
  /** Every task's response once the run has ended. */
  responses: boolean;
  /**
   * The terminal's width, which the responses are wrapped to; undefined (a
   * pipe, a file) leaves each line of a response whole.
   */
  width?: number | undefined;
}

/**
 * Progress as plain lines that read well in a log or a pipe: nothing is ever
 * redrawn. Ends with the responses (unless told not to) and the summary.
 *
 * ```
 * [phase 1/4] Research Phase (parallel, 3 tasks)
 *   ✔ market_research (researcher) 1 attempt 312ms
 * [phase 1/4] Research Phase succeeded in 330ms
 * ```
 */
export class PlainReporter implements RunReporter {
  readonly #options: PlainReporterOptions;
  readonly #tasks = new Map<string, { contextName: string; profile: string }>();
  #phases: RunEventOf<'run:start'>['phases'] = [];
  #totalTasks = 0;
  readonly #phaseStarts = new Map<number, number>();
  /** Tasks whose end an earlier session recorded (a resume): kept, not run again. */
  readonly #kept = new Set<string>();
  /** The arguments of each tool call in flight, by call id, for the line of its result. */
  readonly #toolArguments = new Map<string, unknown>();
  /** Per task that called tools: how many of its model calls were retries, for its end line. */
  readonly #toolTasks = new Map<string, { retries: number }>();
  /** Retries of tasks that have not called a tool yet. */
  readonly #retries = new Map<string, number>();

  constructor(options: PlainReporterOptions) {
    this.#options = options;
  }

  event(event: RunEvent): void {
    if (event.type === 'run:end') {
      this.#end(event);
      return;
    }
    if (!this.#options.progress) return;
    const line = this.#lineFor(event);
    if (line !== undefined) this.#options.out.write(`${line}\n`);
  }

  /**
   * A resume's recorded events are not printed: this log is of what runs
   * now, each phase once. They tell the phases, and which tasks are kept.
   */
  history(event: RunEvent): void {
    if (event.type === 'run:start') {
      this.#phases = event.phases;
      this.#totalTasks = event.totalTasks;
    } else if (event.type === 'task:start') {
      this.#tasks.set(event.taskId, { contextName: event.contextName, profile: event.profile });
    } else if (event.type === 'task:end') {
      if (event.status === 'succeeded' || event.status === 'failed') this.#kept.add(event.taskId);
      else this.#kept.delete(event.taskId);
    }
  }

  notice(message: string): void {
    this.#options.err.write(`multi-context: ${message}\n`);
  }

  abort(): void {}

  #lineFor(event: RunEvent): string | undefined {
    const { colors } = this.#options;
    switch (event.type) {
      case 'run:start':
        this.#phases = event.phases;
        this.#totalTasks = event.totalTasks;
        return `${colors.bold(event.workflowName)}: ${plural(event.phases.length, 'phase')}, ${plural(event.totalTasks, 'task')}`;
      case 'run:resume': {
        const kept = event.recoveredTaskIds.length;
        return `${colors.bold(event.workflowName)}: resumed, ${kept} of ${plural(this.#totalTasks, 'task')} kept, ${this.#totalTasks - kept} to run`;
      }
      case 'phase:start': {
        this.#phaseStarts.set(event.phaseIndex, event.time);
        const phase = this.#phases[event.phaseIndex];
        const kept = phase?.taskIds.filter((taskId) => this.#kept.has(taskId)).length ?? 0;
        const facts =
          phase === undefined
            ? ''
            : ` (${phase.executionMode}, ${plural(phase.taskIds.length, 'task')}${kept === 0 ? '' : `, ${kept} kept`})`;
        return `${this.#phaseLabel(event.phaseIndex)} ${colors.bold(event.phaseName)}${colors.dim(facts)}`;
      }
      case 'phase:end': {
        const started = this.#phaseStarts.get(event.phaseIndex) ?? event.time;
        return `${this.#phaseLabel(event.phaseIndex)} ${event.phaseName} ${event.status} in ${formatDuration(event.time - started)}`;
      }
      case 'task:start':
        this.#tasks.set(event.taskId, { contextName: event.contextName, profile: event.profile });
        return undefined;
      case 'task:retry': {
        const toolTask = this.#toolTasks.get(event.taskId);
        if (toolTask !== undefined) toolTask.retries++;
        else this.#retries.set(event.taskId, (this.#retries.get(event.taskId) ?? 0) + 1);
        return `  ${stateGlyph('retrying', colors)} ${this.#taskLabel(event.taskId)} attempt ${event.attempt} in ${formatDuration(event.delayMs)}, after: ${oneLine(event.error.message)}`;
      }
      case 'task:tool-call':
        this.#toolArguments.set(event.toolCallId, event.arguments);
        if (!this.#toolTasks.has(event.taskId)) {
          this.#toolTasks.set(event.taskId, { retries: this.#retries.get(event.taskId) ?? 0 });
          this.#retries.delete(event.taskId);
        }
        return undefined;
      case 'task:tool-result': {
        const args = this.#toolArguments.get(event.toolCallId);
        this.#toolArguments.delete(event.toolCallId);
        const call = toolCallText(event.tool, args);
        const failure =
          event.error === undefined ? '' : colors.red(`: ${oneLine(event.error.message)}`);
        return `    ${colors.dim('⚙')} ${this.#taskLabel(event.taskId)} ${call} ${colors.dim(formatDuration(event.durationMs))}${failure}`;
      }
      case 'task:end':
        return this.#taskEnd(event);
      default:
        return undefined;
    }
  }

  #phaseLabel(phaseIndex: number): string {
    return this.#options.colors.cyan(`[phase ${phaseIndex + 1}/${this.#phases.length}]`);
  }

  #taskLabel(taskId: string): string {
    return taskLabel({ taskId, ...this.#tasks.get(taskId) }, this.#options.colors);
  }

  #taskEnd(event: RunEventOf<'task:end'>): string {
    const { colors } = this.#options;
    const head = `  ${stateGlyph(event.status, colors)} ${this.#taskLabel(event.taskId)}`;
    if (event.attempts === 0) return `${head} ${taskOutcome(event)}`;
    const facts = `${this.#callsOf(event)} ${formatDuration(event.durationMs)}`;
    if (event.status === 'succeeded') return `${head} ${facts}`;
    if (event.status === 'cancelled') return `${head} ${colors.yellow('cancelled')} ${facts}`;
    const reason = event.error === undefined ? '' : `: ${oneLine(event.error.message)}`;
    return `${head} ${colors.red(event.status)} ${facts}${colors.dim(reason)}`;
  }

  /**
   * `2 attempts` for a task that answered at once; `3 steps` (and its
   * retries) for one that called tools, where each model step is a call of
   * its own and "attempts" would read as failures.
   */
  #callsOf(event: RunEventOf<'task:end'>): string {
    const toolTask = this.#toolTasks.get(event.taskId);
    this.#retries.delete(event.taskId);
    if (toolTask === undefined) return plural(event.attempts, 'attempt');
    this.#toolTasks.delete(event.taskId);
    const steps = plural(event.attempts - toolTask.retries, 'step');
    const { retries } = toolTask;
    return retries === 0 ? steps : `${steps}, ${retries} ${retries === 1 ? 'retry' : 'retries'}`;
  }

  #end(event: RunEventOf<'run:end'>): void {
    const { out, colors } = this.#options;
    const lines: string[] = [''];
    if (this.#options.responses)
      lines.push(...responseLines(event.result, colors, this.#options.width));
    lines.push(...summaryLines(event.result, colors));
    out.write(`${lines.join('\n')}\n`);
  }
}
