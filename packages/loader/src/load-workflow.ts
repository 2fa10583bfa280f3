import type { Workflow } from '@multi-context/workflow';
import { parseDocument } from './parse-document.js';
import { WORKFLOW_FILE } from './parse-workflow.js';
import { readDocumentFile } from './read-document-file.js';

/**
 * Reads a workflow file (UTF-8 YAML or JSON) and returns the validated
 * {@link Workflow}.
 *
 * @param path A file path, or a `file:` URL.
 * @throws {WorkflowLoadError} When the file is missing, is a directory, cannot
 *   be read, is not UTF-8, or is not a valid workflow; every issue names the
 *   file, line and column. Nothing else is thrown.
 *
 * @example
 * try {
 *   const workflow = await loadWorkflow('workflow.yaml');
 * } catch (error) {
 *   if (WorkflowLoadError.isInstance(error)) console.error(error.format());
 * }
 */
export async function loadWorkflow(path: string | URL): Promise<Workflow> {
  const { source, text } = await readDocumentFile(path, WORKFLOW_FILE.fileName);
  return parseDocument(text, source, WORKFLOW_FILE);
}
