import type { ExecutionContext } from '@multi-context/context';
import type { Usage } from '@multi-context/events';
import type { ChatMessage } from '@multi-context/provider';
import type { AttemptExecutor } from './attempt-executor.js';
import type { InflightList } from './inflight-list.js';
import type { ResolvedProfile } from './profile.js';
import { attemptOnce } from './provider-attempt.js';
import type { RunEnvelope } from './run-envelope.js';
import { toUsage } from './task-usage.js';

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
 * Returns the summary call's usage, priced by the summary profile: the task
 * it was made for counts it.
 */
export async function condenseContext(
  host: SummaryHost,
  context: ExecutionContext,
  span: readonly { role: string; content: string }[],
  profile: ResolvedProfile,
  taskId: string,
): Promise<Usage | undefined> {
  const transcript = span.map((message) => `${message.role}: ${message.content}`).join('\n\n');
  const messages: ChatMessage[] = [
    { role: 'system', content: SUMMARY_INSTRUCTION },
    { role: 'user', content: transcript },
  ];
  let text: string;
  let usage: Usage | undefined;
  try {
    const answer = await attemptOnce(
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
    );
    text = answer.text;
    usage = toUsage(answer.usage, profile);
  } catch {
    return undefined;
  }
  if (host.cancelReason !== undefined) return usage;
  const { removed, remaining } = context.applySummary(text, span as never);
  host.envelope.emit({
    type: 'context:trim',
    contextName: context.name,
    removed,
    remaining,
    summary: { content: text, covers: context.summary?.covers ?? removed },
    ...(usage === undefined ? {} : { usage }),
  });
  return usage;
}
