import type { ExecutionContext } from '@multi-context/context';
import type { Workflow } from '@multi-context/workflow';
import { buildContext, type ContextSettings } from './context-settings.js';
import type { RecoveredRun } from './recover-run.js';
import type { RunContextSettings } from './run-context-settings.js';

/** Where a resume finds the orchestrator's contexts and puts the rebuilt ones. */
export interface ContextStore {
  /** The context if it exists (rebuilt if its settings differ), or undefined. */
  existingContext(name: string, settings: ContextSettings): ExecutionContext | undefined;
  /** Puts a context rebuilt from a record in place of the orchestrator's. */
  adoptContext(context: ExecutionContext): void;
}

/**
 * A resume's first step: every context the workflow uses, rebuilt from what
 * the record says the tasks that succeeded appended to it (and its last
 * summary), with this run's settings for it. What the orchestrator held under
 * that name before is replaced: the record is what the resumed run continues.
 */
export function rebuildContexts(
  workflow: Workflow,
  recovered: RecoveredRun,
  settings: RunContextSettings,
  store: ContextStore,
): void {
  const names = new Set<string>();
  for (const phase of workflow.phases) for (const task of phase.tasks) names.add(task.contextName);
  for (const name of names) {
    const contextSettings = settings.for(name);
    const history = recovered.histories.get(name) ?? [];
    const summary = recovered.summaries.get(name);
    // As in a live run, a context exists once a task appended to it; an empty one
    // is made only to reset one of that name the orchestrator already holds.
    if (history.length === 0 && summary === undefined) {
      if (store.existingContext(name, contextSettings) === undefined) continue;
    }
    const context = buildContext(name, contextSettings);
    for (const { role, content, ...details } of history) context.addMessage(role, content, details);
    if (summary !== undefined) {
      context.applySummary(
        summary.content,
        history.filter((message) => message.role !== 'system').slice(0, summary.covers),
      );
    }
    store.adoptContext(context);
  }
}
