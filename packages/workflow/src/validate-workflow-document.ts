import { buildWorkflow, fromFile } from './build-workflow.js';
import { FILE_SPELLING } from './document-fields.js';
import { withoutExtensionKeys } from './extension-keys.js';
import { validateShape } from './validate-shape.js';
import type { WorkflowValidationResult } from './workflow-issue.js';
import { workflowFileSchema } from './workflow-schema.js';

/**
 * Validates a parsed workflow file (the snake_case shape, as YAML or JSON
 * parsing gives it) and turns it into a {@link Workflow}. Never throws for bad
 * input: it reports every issue it finds, each with the path of the offending
 * key or value (and, inside a prompt, the span of the offending reference),
 * so a loader can point at it. Top-level keys that begin with `x-` are ignored.
 *
 * @example
 * const result = validateWorkflowDocument(JSON.parse(text));
 * if (result.success) console.log(result.workflow.phases.length);
 * else for (const issue of result.issues) console.error(issue.path.join('.'), issue.message);
 */
export function validateWorkflowDocument(raw: unknown): WorkflowValidationResult {
  const document = withoutExtensionKeys(raw);
  const result = validateShape(workflowFileSchema, document, FILE_SPELLING);
  if (!result.success) return result;
  return {
    success: true,
    workflow: buildWorkflow(fromFile(result.data), result.ids, result.templates),
  };
}
