import type { ExecutionContext } from '@multi-context/context';
import type { ChatMessage } from '@multi-context/provider';
import type { AttemptExecutor } from './attempt-executor.js';
import type { InflightList } from './inflight-list.js';
import type { ResolvedProfile } from './profile.js';
import { attemptOnce } from './provider-attempt.js';
import type { RunEnvelope } from './run-envelope.js';

/** What a summary profile is told. */
const SUMMARY_INSTRUCTION =
  'Condense the conversation below into one message that keeps every fact, decision, name and number a later turn may need. Write only the summary.';

/** What summarising a context needs of its run. */
export interface SummaryHost {
  readonly envelope: RunEnvelope;
  readonly executor: AttemptExecutor;
  /** Why the run was cancelled, or undefined while it goes on. */
  readonly cancelReason: string | undefined;
  /** The default bound of a provider call, for a profile without its own. */
  readonly timeoutMs: number | undefined;
  /** The attempts and waits in flight, which a cancel aborts. */
  readonly inflight: InflightList;
}

/**
 * The summarising policy's first step, before a task of the context starts:
 * asks the context's summary profile to condense `span` into one message,
 * which the context then sends in its place, and emits `context:trim` with the
 * summary (what a resume rebuilds it from). The full history stays; only what
 * is sent is compacted. If the summary cannot be had, the task goes on with
 * the window as it is (it already fits the limits without the span).
 */
export async function condenseContext(
  host: SummaryHost,
  context: ExecutionContext,
  span: readonly { role: string; content: string }[],
  profile: ResolvedProfile,
  taskId: string,
): Promise<void> {
  const transcript = span.map((message) => `${message.role}: ${message.content}`).join('\n\n');
  const messages: ChatMessage[] = [
    { role: 'system', content: SUMMARY_INSTRUCTION },
    { role: 'user', content: transcript },
  ];
  let text: string;
  try {
    ({ text } = await attemptOnce(
      host.inflight,
      host.executor,
      {
        prompt: transcript,
        history: [],
        messages,
        profile: profile.name,
        model: profile.model,
        system: SUMMARY_INSTRUCTION,
        params: profile.params,
        contextName: context.name,
        taskId: `${taskId}:summary`,
        runId: host.envelope.runId,
        provider: profile.providerName,
      },
      profile.provider,
      profile.timeoutMs ?? host.timeoutMs,
    ));
  } catch {
    return;
  }
  if (host.cancelReason !== undefined) return;
  const { removed, remaining } = context.applySummary(text, span as never);
  host.envelope.emit({
    type: 'context:trim',
    contextName: context.name,
    removed,
    remaining,
    summary: { content: text, covers: context.summary?.covers ?? removed },
  });
}
