import { field } from './document-fields.js';
import { TASK_ID_PATTERN } from './task-schema.js';
import { quote, subjectOf } from './wording.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

/** What id assignment needs to know of one task, in document order. */
export interface TaskRef {
  /** The path of the task object: `['phases', p, 'tasks', t]`. */
  path: (string | number)[];
  /** The explicit id, when the task has a well-formed one. */
  id: string | undefined;
  contextName: string;
  /** The task object itself, as the document has it. */
  task: Record<string, unknown>;
  /** The phase object the task is in. */
  phase: Record<string, unknown>;
}

/**
 * The tasks of a workflow document, read defensively so that ids can be
 * checked even while other parts of the document are invalid.
 */
export function collectTaskRefs(document: unknown, contextKey: string): TaskRef[] {
  const refs: TaskRef[] = [];
  const phases = field(document, 'phases');
  if (!Array.isArray(phases)) return refs;
  for (let p = 0; p < phases.length; p += 1) {
    const tasks = field(phases[p], 'tasks');
    if (!Array.isArray(tasks)) continue;
    for (let t = 0; t < tasks.length; t += 1) {
      const task: unknown = tasks[t];
      if (typeof task !== 'object' || task === null || Array.isArray(task)) continue;
      const id = field(task, 'id');
      const contextName = field(task, contextKey);
      refs.push({
        path: ['phases', p, 'tasks', t],
        id: typeof id === 'string' && TASK_ID_PATTERN.test(id) ? id : undefined,
        contextName: typeof contextName === 'string' ? contextName : '',
        task: task as Record<string, unknown>,
        phase: phases[p] as Record<string, unknown>,
      });
    }
  }
  return refs;
}

/**
 * Gives every task its id (see the README for this public rule):
 * an explicit id wins; a task without one gets the first id among
 * `<context>`, `<context>-2`, `<context>-3`, … that no other task has taken,
 * in document order. A repeated explicit id is an issue on the later task's `id`.
 *
 * @returns One id per ref, in the same order, and the issues found.
 */
export function assignTaskIds(refs: readonly TaskRef[]): {
  ids: string[];
  issues: WorkflowIssueDraft[];
} {
  const owners = new Map<string, TaskRef>();
  const issues: WorkflowIssueDraft[] = [];
  for (const ref of refs) {
    if (ref.id === undefined) continue;
    const owner = owners.get(ref.id);
    if (owner === undefined) owners.set(ref.id, ref);
    else {
      issues.push({
        path: [...ref.path, 'id'],
        code: 'duplicate_id',
        message: `duplicate task id ${quote(ref.id)}: ${subjectOf(owner.path)} already uses it`,
      });
    }
  }
  // Where each context's numbering goes on: every `<context>-n` below it is taken.
  const nextSuffix = new Map<string, number>();
  const ids = refs.map((ref) => {
    if (ref.id !== undefined) return ref.id;
    const context = ref.contextName;
    let candidate = context;
    let suffix = nextSuffix.get(context) ?? 2;
    while (owners.has(candidate)) {
      candidate = `${context}-${suffix}`;
      suffix += 1;
    }
    nextSuffix.set(context, suffix);
    owners.set(candidate, ref);
    return candidate;
  });
  return { ids, issues };
}
