import type { z } from 'zod';
import { checkInputs } from './check-inputs.js';
import { checkMcpServers } from './check-mcp-servers.js';
import { checkOutputSchema } from './check-output-schemas.js';
import { checkProviderReferences } from './check-provider-references.js';
import { checkTemplates, type TemplateCheck } from './check-templates.js';
import { describeIssues } from './describe-issues.js';
import { field, isRecord, type Spelling } from './document-fields.js';
import { assignTaskIds, collectTaskRefs, type TaskRef } from './task-ids.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

/** What {@link validateShape} found: the parsed value with the task ids and templates, or every issue. */
export type ShapeResult<T> =
  | { success: true; data: T; ids: string[]; templates: TemplateCheck }
  | { success: false; issues: WorkflowIssueDraft[] };

/**
 * Validates `document` against one spelling of the workflow shape, and checks
 * the rules that span the document (task ids, inputs, template references,
 * output schemas, providers of profiles), reporting all issues of every kind
 * at once.
 */
export function validateShape<S extends z.ZodType>(
  schema: S,
  document: unknown,
  spelling: Spelling,
): ShapeResult<z.output<S>> {
  const parsed = schema.safeParse(document);
  const refs = collectTaskRefs(document, spelling.contextName);
  const { ids, issues: idIssues } = assignTaskIds(refs);
  const inputs = checkInputs(document);
  const templates = checkTemplates(document, spelling, refs, ids, inputs.declared);
  const issues = [
    ...(parsed.success ? [] : describeIssues(schema, document, parsed.error.issues)),
    ...idIssues,
    ...inputs.issues,
    ...templates.issues,
    ...refs.flatMap(outputSchemaIssues),
    ...checkProviderReferences(document),
    ...checkMcpServers(document, { section: spelling.code ? 'mcpServers' : 'mcp_servers' }),
  ];
  if (!parsed.success || issues.length > 0) return { success: false, issues };
  return { success: true, data: parsed.data, ids, templates };
}

function outputSchemaIssues(ref: TaskRef): WorkflowIssueDraft[] {
  const schema = field(field(ref.task, 'output'), 'schema');
  return isRecord(schema) ? checkOutputSchema(schema, [...ref.path, 'output', 'schema']) : [];
}
