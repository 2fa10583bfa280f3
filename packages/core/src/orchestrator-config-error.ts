import { MultiContextError } from '@multi-context/errors';

/**
 * The orchestrator cannot run as configured: no provider, a profile naming a
 * provider that does not exist, a malformed workflow object. Raised before any
 * provider call is made.
 */
export class OrchestratorConfigError extends MultiContextError {
  static override errorName = 'OrchestratorConfigError';
}
