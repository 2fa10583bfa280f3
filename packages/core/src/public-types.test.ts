import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The published types are what users can depend on, so they hold what users
 * need and nothing of the scheduler. This reads the built declaration file,
 * the one npm ships: `@internal` tags and unexported classes only show there.
 */
const dts = fileURLToPath(new URL('../dist/index.d.ts', import.meta.url));
const src = fileURLToPath(new URL('.', import.meta.url));

function readBuiltTypes(): string {
  if (!existsSync(dts)) {
    throw new Error(
      `${dts} is missing: build core first (pnpm --filter @multi-context/core build); this test reads the published types.`,
    );
  }
  const built = statSync(dts).mtimeMs;
  const newer = readdirSync(src).filter(
    (file) =>
      file.endsWith('.ts') && !file.endsWith('.test.ts') && statSync(src + file).mtimeMs > built,
  );
  if (newer.length > 0) {
    throw new Error(
      `${dts} is older than src/${newer[0]}: build core again (pnpm --filter @multi-context/core build).`,
    );
  }
  return readFileSync(dts, 'utf8');
}

/** Every name core exports, and nothing else. */
const EXPORTS = [
  'AttemptCall',
  'AttemptExecutor',
  'AttemptRequest',
  'DEFAULT_MAX_STEPS',
  'DEFAULT_RETRY_POLICY',
  'DEFAULT_TOOL_TIMEOUT_MS',
  'MaxStepsError',
  'RecoveredStep',
  'Tool',
  'ToolExecuteOptions',
  'ToolInputCheck',
  'ToolInputError',
  'ToolOutputError',
  'ToolTimeoutError',
  'UnknownToolError',
  'MultiContextOrchestrator',
  'MultiContextOrchestratorOptions',
  'OrchestratorConfigError',
  'OutputValidationError',
  'ProfileConfig',
  'ProfilePrice',
  'ProviderEventSink',
  'RecoveredRun',
  'ReplayOption',
  'ResumeOptions',
  'RetryPolicy',
  'RunAlreadyEndedError',
  'RunCancelledError',
  'RunEventListener',
  'RunOptions',
  'SessionLike',
  'SessionRunProfileArgs',
  'SubscriberErrorHandler',
  'TaskTimeoutError',
  'WorkflowRun',
  'inProcessExecutor',
  'recoverRun',
  'reportSubscriberError',
  'retryDelay',
  'sessionProvider',
];

/**
 * Names of the run's machinery: its classes, the interfaces between them, the
 * scheduler's methods. None may appear in the published types, even
 * unexported (a public type that refers to one drags it in).
 */
const INTERNAL = [
  // The class behind WorkflowRun and what the orchestrator lends it.
  'Run',
  'RunDependencies',
  'RunSetup',
  'WorkflowRunOptions',
  // Scheduling: phases, task starts, attempts and their hosts.
  'PhaseExecution',
  'PhaseHost',
  'TaskStarter',
  'StartHost',
  'StartDependencies',
  'TaskAttempts',
  'TaskHost',
  'TaskExecution',
  'ProviderAttempt',
  'AttemptOwner',
  'RetryWait',
  'InflightList',
  'Abortable',
  'SummaryHost',
  // Events, results and contexts of a run.
  'RunEnvelope',
  'EventHub',
  'EventReplay',
  'ReplaySink',
  'RunEventStream',
  'RunListeners',
  'RunResults',
  'RunContextSettings',
  'ContextSettings',
  'ContextStore',
  'OutputChecker',
  'ResolvedProfile',
  'ResolvedTools',
  // The agent loop's machinery.
  'ToolSteps',
  'ToolStepHost',
  'ToolBatch',
  'ToolBatchOwner',
  'ToolCallRun',
  // The scheduler's methods, once public members of the WorkflowRun class.
  'startTask',
  'taskEnded',
  'endUnstarted',
  'track',
  'untrack',
  'attemptDelta',
  'attemptSucceeded',
  'attemptFailed',
  'retryNow',
  'crash',
];

describe('the published types of @multi-context/core', () => {
  it('export exactly the public API', () => {
    const types = readBuiltTypes();
    const list = /^export \{([^}]*)\};$/m.exec(types)?.[1];
    expect(list, 'dist/index.d.ts has no export list').toBeDefined();
    const names = list!.split(',').map((entry) => entry.trim().replace(/^type /, ''));
    expect(names.sort()).toEqual([...EXPORTS].sort());
  });

  it('name nothing internal, and WorkflowRun is an interface', () => {
    const types = readBuiltTypes();
    // Declarations only: prose in the JSDoc ("Run-wide retry defaults") is not a name.
    const code = types.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const found = INTERNAL.filter((name) => new RegExp(`\\b${name}\\b`).test(code));
    expect(found, `internal names in dist/index.d.ts: ${found.join(', ')}`).toEqual([]);
    expect(types).toMatch(/^interface WorkflowRun \{/m);
    expect(types).not.toMatch(/class WorkflowRun\b/);
  });
});
