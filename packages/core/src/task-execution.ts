import type { ExecutionContext } from '@multi-context/context';
import type { Task } from '@multi-context/workflow';
import type { AttemptRequest } from './attempt-executor.js';
import type { ContextSettings } from './context-settings.js';
import type { PhaseExecution } from './phase-execution.js';
import type { ResolvedProfile } from './profile.js';
import type { OutputChecker } from './structured-output.js';

/** The state of one task while it runs: what every attempt of it needs. */
export class TaskExecution {
  attempts = 0;
  /** Retries after retryable failures so far (repairs of structured output do not count). */
  retriesUsed = 0;
  retries = 0;
  timeoutMs: number | undefined;
  /** Answers sent back for not being the declared JSON, so far. */
  repairs = 0;
  checker: OutputChecker | undefined;

  constructor(
    readonly phase: PhaseExecution,
    readonly index: number,
    readonly task: Task,
    readonly profile: ResolvedProfile,
    /** Made at the first append when the task started in a context that did not exist yet. */
    public context: ExecutionContext | undefined,
    readonly settings: ContextSettings,
    /** The `now()` reading of its `task:start`, which its duration is measured from. */
    readonly started: number,
    /** The prompt as sent, templates rendered. */
    readonly prompt: string,
    /** What the next attempt sends; a repair moves its conversation on (see repairRequest). */
    public request: AttemptRequest,
  ) {}
}
