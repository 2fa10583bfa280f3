import { z } from 'zod';
import { workflowFileSchema } from './workflow-schema.js';

/**
 * The JSON Schema (draft 2020-12) of a workflow file, generated from
 * {@link workflowFileSchema}: point an editor's YAML or JSON support at it for
 * completion and checks while typing. Task-id uniqueness is not expressible
 * in JSON Schema and is checked only by `validateWorkflowDocument`.
 *
 * @example
 * writeFileSync('workflow.schema.json', JSON.stringify(workflowJsonSchema(), null, 2));
 */
export function workflowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(workflowFileSchema, { target: 'draft-2020-12', io: 'input' }) as Record<
    string,
    unknown
  >;
}
