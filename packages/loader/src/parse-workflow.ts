import { validateWorkflowDocument, type Workflow } from '@multi-context/workflow';
import { fileIssue } from './load-issue.js';
import { parseYamlDocument } from './parse-yaml-document.js';
import { WorkflowLoadError } from './workflow-load-error.js';

/** Options of {@link parseWorkflow}. */
export interface ParseWorkflowOptions {
  /** The file name to put on issues (`workflow.yaml:3:5: ...`); `<input>` when left out. */
  source?: string;
}

const EXPECTED = 'a workflow: a mapping with "name" and "phases"';

/**
 * Parses the text of a workflow file (YAML, or JSON) into a validated
 * {@link Workflow}.
 *
 * @throws {WorkflowLoadError} With every issue found, each at its line and
 *   column, when the text is not a valid workflow. Nothing else is thrown,
 *   whatever the text.
 *
 * @example
 * const workflow = parseWorkflow(
 *   'name: Demo\nphases:\n  - name: One\n    tasks:\n      - context_name: notes\n        prompt: Hello\n',
 *   { source: 'demo.yaml' },
 * );
 * workflow.phases[0].tasks[0].id; // 'notes'
 */
export function parseWorkflow(text: string, options: ParseWorkflowOptions = {}): Workflow {
  const { source } = options;
  if (typeof text !== 'string') {
    throw new WorkflowLoadError(
      [
        fileIssue(
          'invalid_input',
          `expected the text of a workflow file, got ${typeof text}`,
          source,
        ),
      ],
      { source },
    );
  }
  // Editors do not count a byte order mark as a column; neither do the issues.
  const content = text.startsWith('\ufeff') ? text.slice(1) : text;
  try {
    return parseContent(content, source);
  } catch (error) {
    if (WorkflowLoadError.isInstance(error)) throw error;
    // The promise of this function is that only WorkflowLoadError escapes.
    const reason = error instanceof Error ? error.message : String(error);
    throw new WorkflowLoadError(
      [fileIssue('internal_error', `the workflow could not be loaded: ${reason}`, source)],
      { source, text: content, cause: error },
    );
  }
}

function parseContent(text: string, source: string | undefined): Workflow {
  const document = parseYamlDocument(text, { source, expected: EXPECTED });
  if (!document.ok) throw new WorkflowLoadError(document.issues, { source, text });
  const result = validateWorkflowDocument(document.value);
  if (result.success) return result.workflow;
  const issues = result.issues
    .map((issue) => document.locate(issue, issue.code === 'unknown_key' ? 'key' : 'value'))
    .sort((a, b) => a.line - b.line || a.column - b.column);
  throw new WorkflowLoadError(issues, { source, text });
}
