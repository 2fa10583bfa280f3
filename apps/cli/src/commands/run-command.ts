import { randomUUID } from 'node:crypto';
import { MultiContextOrchestrator, type WorkflowRun } from '@multi-context/core';
import type { WorkflowResult } from '@multi-context/events';
import { locateIssues } from '@multi-context/loader';
import { type ProviderSetupResult, setUpProviders } from '@multi-context/providers';
import { createLogUpdate } from 'log-update';
import { concat, from } from 'rxjs';
import { type CliIo, isEnvFlagSet } from '../cli-io.js';
import { type BudgetOptions, budgetOf } from '../options/budget-options.js';
import { DEFAULT_MOCK_DELAY_MS } from '../options/cli-defaults.js';
import { ExitCode } from '../options/exit-codes.js';
import { type JournalDirOptions, journalDirOf } from '../options/journal-options.js';
import type { OtelOptions } from '../options/otel-options.js';
import { type InputOptions, inputValuesOf } from '../options/parse-input-options.js';
import type { RedisOptions } from '../options/redis-options.js';
import { colorsFor } from '../reporting/colors.js';
import { JsonReporter } from '../reporting/json-reporter.js';
import { LiveReporter } from '../reporting/live-reporter.js';
import { PlainReporter } from '../reporting/plain-reporter.js';
import { redactEvent, redactedEvents } from '../reporting/redact-event.js';
import type { RunReporter } from '../reporting/run-reporter.js';
import type { LiveView, LiveViewOptions } from './live-view.js';
import { loadProfilesFile, loadWorkflowFile, originOf } from './load-workflow-file.js';
import { openRedisExecutor } from './redis-executor.js';
import { journalUnreachableLimitMs } from './redis-journal.js';
import { openRunJournal } from './run-journal.js';
import { type RunMcp, startRunMcp } from './run-mcp.js';
import { announceRun, type WorkflowRunPlan } from './run-plan.js';
import { openRunTracing } from './run-tracing.js';

/** The options of `multi-context run`, as parsed from the command line. */
export interface RunCommandOptions
  extends JournalDirOptions,
    InputOptions,
    RedisOptions,
    LiveViewOptions,
    BudgetOptions,
    OtelOptions {
  json?: boolean;
  quiet?: boolean;
  /** `--mock-delay`: ms between the offline provider's streamed pieces. */
  mockDelay?: number;
  /** `--mock-fail`: contexts whose calls the offline provider fails. */
  mockFail?: string[];
  /** `--profiles`: a profiles file whose providers and profiles win over the workflow's own. */
  profiles?: string;
  /** False with `--no-journal`: the run is not journaled (and cannot be resumed). */
  journal?: boolean;
}

/**
 * `multi-context run <file>`: loads the workflow, runs it, shows it as it goes
 * and resolves to the exit code. Load errors are thrown for `main()` to report.
 */
export async function runCommand(
  file: string,
  options: RunCommandOptions,
  io: CliIo,
): Promise<number> {
  const workflow = await loadWorkflowFile(file, io);
  // Checked before providers are set up, so a wrong --input costs nothing.
  const inputs = await inputValuesOf(workflow, options, io);
  const budget = budgetOf(workflow, options);
  return runWorkflow(
    {
      workflow,
      origin: originOf(file, io),
      inputs,
      start: (orchestrator, runId) => orchestrator.run(workflow, { runId, inputs, ...budget }),
      journal:
        options.journal === false
          ? undefined
          : {
              dir: journalDirOf(options, io),
              append: false,
              redis: options.redis,
              redisUnreachableLimitMs: journalUnreachableLimitMs(options),
            },
    },
    options,
    io,
  );
}

/**
 * Sets up the providers of `plan.workflow` as `run` does, starts the run with
 * `plan.start`, journals it, shows it as it goes and resolves to the exit
 * code: what `run` and `resume` share.
 */
export async function runWorkflow(
  plan: WorkflowRunPlan,
  options: RunCommandOptions,
  io: CliIo,
): Promise<number> {
  const { workflow } = plan;
  const profiles =
    options.profiles === undefined
      ? undefined
      : {
          profiles: await loadProfilesFile(options.profiles, io),
          profilesFile: originOf(options.profiles, io),
        };
  const json = options.json === true;
  const selection = await setUpProviders({
    workflow,
    workflowFile: plan.origin,
    ...profiles,
    env: io.env,
    locate: locateIssues,
    mock: {
      // Machines reading --json want the events, not a show.
      chunkDelayMs: options.mockDelay ?? (json ? 0 : DEFAULT_MOCK_DELAY_MS),
      failContexts: options.mockFail ?? [],
    },
  });
  // With --redis the workers' providers answer, and each worker says which.
  if (selection.notice !== undefined && options.redis === undefined)
    io.stderr.write(`multi-context: ${selection.notice}\n`);
  // Once per run, before it starts: a cost that is not counted is not a cost of zero.
  for (const note of selection.priceNotes) io.stderr.write(`multi-context: ${note}\n`);

  // MCP servers start before any call, and are closed however the command ends (a failed start closes its own).
  const mcp = await startRunMcp(selection, io);
  try {
    return await runWithMcp(plan, options, io, selection, mcp);
  } finally {
    await mcp?.close();
  }
}

async function runWithMcp(
  plan: WorkflowRunPlan,
  options: RunCommandOptions,
  io: CliIo,
  selection: ProviderSetupResult,
  mcp: RunMcp | undefined,
): Promise<number> {
  const { workflow } = plan;
  const json = options.json === true;
  // The servers' secrets are kept out of the display and the journal like the API keys.
  const secrets = mcp === undefined ? selection.secrets : [...selection.secrets, ...mcp.secrets];
  // --otel or OTEL_EXPORTER_OTLP_ENDPOINT: the run's traces are exported (the SDK is loaded only then).
  const tracing = await openRunTracing(options, io);
  // Checked before the journal is opened: a run Redis cannot take leaves nothing behind.
  const remote =
    options.redis === undefined
      ? undefined
      : await openRedisExecutor(
          options.redis,
          options.queue,
          options.redisTimeout,
          tracing?.traceContext,
        );
  if (remote !== undefined && !json) io.stderr.write(`multi-context: ${remote.description}\n`);
  const executor = remote?.executor;

  // --ui: the view listens before anything is paid for (a port in use stops the command here).
  const view = options.ui === true ? await startLiveView(options, plan, io) : undefined;
  const reporter = createReporter(options, io);
  const orchestrator = new MultiContextOrchestrator({
    ...(executor !== undefined && { executor }),
    providers: selection.providers,
    profiles: mcp?.profiles ?? selection.profiles,
    ...(mcp !== undefined && { tools: mcp.tools }),
    ...(selection.defaultProvider !== undefined && { defaultProvider: selection.defaultProvider }),
    // A display bug must not stop the run, nor print a stack trace over it.
    onSubscriberError: (error) => {
      io.stderr.write(`multi-context: the progress display failed: ${messageOf(error)}\n`);
    },
  });
  // The journal exists before the run starts, so a run killed at any moment can be resumed.
  const runId = plan.runId ?? randomUUID();
  let journal: Awaited<ReturnType<typeof openRunJournal>>;
  let run: WorkflowRun;
  try {
    journal = await openRunJournal(
      { runId, workflow, inputs: plan.inputs, secrets },
      plan.journal,
      (message) => reporter.notice(message),
    );
  } catch (error) {
    reporter.abort();
    await executor?.close();
    await view?.close();
    await tracing?.shutdown();
    throw error;
  }
  try {
    run = plan.start(orchestrator, runId);
  } catch (error) {
    reporter.abort();
    await journal.abandon();
    await executor?.close();
    await view?.close();
    await tracing?.shutdown();
    throw error;
  }
  // All the CLI prints or writes sees the events with the API keys taken out.
  const events$ = redactedEvents(run.events$, secrets);
  journal.record(events$);
  tracing?.attach(events$);
  if (!json) {
    const announce = plan.announce ?? ((runId, path) => announceRun(runId, path, io));
    io.stderr.write(`${announce(run.runId, journal.path)}\n`);
    for (const event of plan.recorded ?? []) reporter.history(redactEvent(event, secrets));
  }
  view?.attach({
    runId: run.runId,
    workflowName: workflow.name,
    // A resumed run's page starts from its first event: the earlier session's, then this one's.
    events$:
      plan.journaled === undefined || plan.journaled.length === 0
        ? events$
        : concat(from(plan.journaled.map((event) => redactEvent(event, secrets))), events$),
    cancel: (reason) => run.cancel(reason),
  });
  const subscription = events$.subscribe((event) => reporter.event(event));
  // A journal in Redis that failed keeps what it holds for a resume: nothing more is paid for without it.
  if (journal.stopsRunOnFailure)
    void journal.settled.then((failure) => failure && run.cancel('the journal failed'));

  // Redis gone for longer than --redis-timeout: no call can be answered, so the run stops (resumable).
  const lostRedis = () =>
    run.cancel(String((executor?.signal.reason as Error | undefined)?.message));
  executor?.signal.addEventListener('abort', lostRedis, { once: true });

  let interrupts = 0;
  const stopListening = io.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      reporter.notice('interrupted: cancelling the run (press Ctrl-C again to exit at once)');
      run.cancel('interrupted');
      return;
    }
    reporter.abort();
    // At once, but with the spans so far: a second's wait for the collector at most.
    if (tracing === undefined) io.exit(ExitCode.interrupted);
    else void tracing.shutdown(1_000).finally(() => io.exit(ExitCode.interrupted));
  });

  try {
    const result = await run.result;
    const journalFailure = await journal.settled;
    // Redis gone stops the journal in Redis too: the reason the run stopped is said first.
    if (remote?.executor.signal.aborted === true && result.status === 'cancelled') {
      io.stderr.write(
        `multi-context: the run failed: ${(remote.executor.signal.reason as Error).message}:\n  multi-context resume ${run.runId} --redis ${remote.target}\n`,
      );
      return ExitCode.runFailed;
    }
    // A run whose journal failed cannot be resumed: not a success, whatever its tasks did.
    if (journalFailure !== undefined) return ExitCode.runFailed;
    if (result.reason?.kind === 'budget') {
      const redis = remote === undefined ? '' : ` --redis ${remote.target}`;
      io.stderr.write(
        `multi-context: the run stopped at its budget: ${result.reason.message}; to finish it with a higher budget:\n  multi-context resume ${run.runId}${redis} --max-cost <amount>\n`,
      );
    }
    return exitCodeFor(result);
  } finally {
    stopListening();
    executor?.signal.removeEventListener('abort', lostRedis);
    subscription.unsubscribe();
    reporter.abort();
    // Cancels the jobs of attempts still waiting and closes the connections, so the process can end.
    await executor?.close();
    await view?.finish();
    // The last spans are sent before the command exits, however the run ended.
    await tracing?.shutdown();
  }
}

/** The web view of `run --ui`, loaded only then; it lists the journal folder's runs beside this one. */
async function startLiveView(
  options: RunCommandOptions,
  plan: WorkflowRunPlan,
  io: CliIo,
): Promise<LiveView> {
  const { openLiveView } = await import('./live-view.js');
  const dir = plan.journal?.redis === undefined ? plan.journal?.dir : undefined;
  return openLiveView(options, dir, io);
}

function exitCodeFor(result: WorkflowResult): number {
  if (result.status === 'succeeded') return ExitCode.ok;
  if (result.reason?.kind === 'budget') return ExitCode.budget;
  return result.status === 'cancelled' ? ExitCode.interrupted : ExitCode.runFailed;
}

function createReporter(options: RunCommandOptions, io: CliIo): RunReporter {
  if (options.json === true) return new JsonReporter(io.stdout, io.stderr);
  const colors = colorsFor(io.stdout, io.env);
  const quiet = options.quiet === true;
  if (!quiet && isLiveTerminal(io)) {
    return new LiveReporter({
      draw: createLogUpdate(io.stdout as NodeJS.WritableStream),
      write: (text) => io.stdout.write(text),
      colors,
      size: () => ({ columns: io.stdout.columns || 80, rows: io.stdout.rows || undefined }),
      responses: true,
    });
  }
  return new PlainReporter({
    out: io.stdout,
    err: io.stderr,
    colors,
    progress: !quiet,
    responses: !quiet,
    // A terminal wraps long lines at its edge, mid-word; a pipe keeps each line whole.
    width: io.stdout.isTTY === true ? (io.stdout.columns || 80) - 1 : undefined,
  });
}

/** A live display needs a real terminal; CI logs and dumb terminals get plain lines. */
function isLiveTerminal(io: CliIo): boolean {
  return io.stdout.isTTY === true && !isEnvFlagSet(io.env.CI) && io.env.TERM !== 'dumb';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
