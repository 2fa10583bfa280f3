import type { Colors } from './colors.js';

/** What a task is shown by. Only the id is known of a task that never started. */
export interface LabelledTask {
  taskId: string;
  contextName?: string | undefined;
  profile?: string | undefined;
}

/**
 * What runs a task, to show beside its id: `writer`, or `writer, context
 * brief` when the context's name is not the task's id (a context shared by
 * several tasks, whose ids are then `brief`, `brief-2`, ...). Empty when
 * neither is known.
 */
export function taskWhere(task: LabelledTask): string {
  const parts: string[] = [];
  if (task.profile !== undefined) parts.push(task.profile);
  if (task.contextName !== undefined && task.contextName !== task.taskId) {
    parts.push(`context ${task.contextName}`);
  }
  return parts.join(', ');
}

/**
 * A task as every display and message names it: its id (unique in the
 * workflow, and what core's errors and the journal say), then what runs it:
 * `brief-2 (writer, context brief)`.
 */
export function taskLabel(task: LabelledTask, colors: Colors): string {
  const where = taskWhere(task);
  const id = colors.bold(task.taskId);
  return where === '' ? id : `${id} ${colors.dim(`(${where})`)}`;
}
