import { validateWorkflowDocument, type Workflow } from '@multi-context/workflow';
import { type DocumentKind, parseDocument } from './parse-document.js';

/** Options of {@link parseWorkflow}. */
export interface ParseWorkflowOptions {
  /** The file name to put on issues (`workflow.yaml:3:5: ...`); `<input>` when left out. */
  source?: string;
}

/** Workflow files: validated by `validateWorkflowDocument`. */
export const WORKFLOW_FILE: DocumentKind<Workflow> = {
  fileName: 'workflow file',
  name: 'workflow',
  expected: 'a workflow: a mapping with "name" and "phases"',
  validate(value) {
    const result = validateWorkflowDocument(value);
    return result.success ? { success: true, value: result.workflow } : result;
  },
};

/**
 * Parses the text of a workflow file (YAML, or JSON) into a validated
 * {@link Workflow}: every key checked, templates parsed and their references
 * checked, anchors, aliases and merge keys (`<<: *defaults`) resolved, and
 * top-level `x-` keys ignored.
 *
 * @throws {WorkflowLoadError} With every issue found, each at its line and
 *   column (a template reference's issue at the reference itself), when the
 *   text is not a valid workflow. Nothing else is thrown, whatever the text.
 *
 * @example
 * const workflow = parseWorkflow(
 *   'name: Demo\nphases:\n  - name: One\n    tasks:\n      - context_name: notes\n        prompt: Hello\n',
 *   { source: 'demo.yaml' },
 * );
 * workflow.phases[0].tasks[0].id; // 'notes'
 */
export function parseWorkflow(text: string, options: ParseWorkflowOptions = {}): Workflow {
  return parseDocument(text, options.source, WORKFLOW_FILE);
}
