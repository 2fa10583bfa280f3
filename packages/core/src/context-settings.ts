import {
  dropOldest,
  ExecutionContext,
  type ExecutionContextOptions,
  summarize,
  type TrimPolicy,
  type TrimPolicyInfo,
} from '@multi-context/context';
import type { ContextSpec, Workflow } from '@multi-context/workflow';

/** How a run wants one of its contexts: limits, its own system message, its trim policy. */
export interface ContextSettings {
  readonly options: ExecutionContextOptions;
  /** The profile that condenses a span of the history, for the summarising policy. */
  readonly summaryProfile: string | undefined;
  /** The policy as a context made with `options` reports it, as a comparable key. */
  readonly policyKey: string;
}

const policyKey = (info: TrimPolicyInfo) => `${info.name}:${JSON.stringify(info.settings)}`;

/**
 * The settings of a context from its `contexts:` entry (if any) and the
 * workflow's history limit, with `system` already rendered.
 */
export function contextSettings(
  workflow: Workflow,
  spec: ContextSpec | undefined,
  system: string | undefined,
): ContextSettings {
  const options: ExecutionContextOptions = {
    maxHistory: spec?.maxHistory ?? workflow.config.maxContextHistory,
  };
  if (spec?.maxTokens !== undefined) options.maxTokens = spec.maxTokens;
  if (system !== undefined) options.system = system;
  const trim = spec?.trim;
  let summaryProfile: string | undefined;
  let policy: TrimPolicy | undefined;
  // A `contexts:` entry works in turns, dropping the oldest by default (as documented);
  // only a context without an entry keeps the seed's message-at-a-time rule.
  if (trim === 'drop_oldest' || (spec !== undefined && trim === undefined)) policy = dropOldest;
  else if (trim !== undefined) {
    policy = summarize(trim.keepLast === undefined ? {} : { keepLast: trim.keepLast });
    summaryProfile = trim.profile;
  }
  if (policy !== undefined) options.policy = policy;
  // A context reports its policy in one way for all its settings: ask one.
  const reported = policyKey(new ExecutionContext('probe', options).policy);
  return { options, summaryProfile, policyKey: reported };
}

/** Whether `context` was made with these settings (else it is rebuilt with them, keeping its history). */
export function matchesSettings(context: ExecutionContext, settings: ContextSettings): boolean {
  const { options } = settings;
  return (
    context.maxHistory === options.maxHistory &&
    context.maxTokens === (options.maxTokens ?? Number.POSITIVE_INFINITY) &&
    context.system === options.system &&
    policyKey(context.policy) === settings.policyKey
  );
}

/** A new context with these settings, holding `from`'s history (and summary) when given. */
export function buildContext(
  name: string,
  settings: ContextSettings,
  from?: ExecutionContext,
): ExecutionContext {
  const context = new ExecutionContext(name, settings.options);
  if (from !== undefined) {
    const history = from.getHistory();
    for (const message of history) context.addMessage(message.role, message.content);
    const summary = from.summary;
    if (summary !== undefined && settings.options.policy?.action === 'summarize') {
      context.applySummary(
        summary.content,
        history.filter((message) => message.role !== 'system').slice(0, summary.covers),
      );
    }
  }
  return context;
}
