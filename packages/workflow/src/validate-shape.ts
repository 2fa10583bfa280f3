import type { z } from 'zod';
import { describeIssues } from './describe-issues.js';
import { assignTaskIds, collectTaskRefs } from './task-ids.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

/** What {@link validateShape} found: the parsed value with the task ids, or every issue. */
export type ShapeResult<T> =
  | { success: true; data: T; ids: string[] }
  | { success: false; issues: WorkflowIssueDraft[] };

/**
 * Validates `document` against one spelling of the workflow shape and checks
 * its task ids, reporting all issues of both kinds at once.
 *
 * @param contextKey How that spelling names a task's context (`context_name` or `contextName`).
 */
export function validateShape<S extends z.ZodType>(
  schema: S,
  document: unknown,
  contextKey: string,
): ShapeResult<z.output<S>> {
  const parsed = schema.safeParse(document);
  const { ids, issues: idIssues } = assignTaskIds(collectTaskRefs(document, contextKey));
  const issues = [
    ...(parsed.success ? [] : describeIssues(schema, document, parsed.error.issues)),
    ...idIssues,
  ];
  if (!parsed.success || issues.length > 0) return { success: false, issues };
  return { success: true, data: parsed.data, ids };
}
