import { resolve } from 'node:path';
import { loadWorkflow } from '@multi-context/loader';
import type { Workflow } from '@multi-context/workflow';
import type { CliIo } from './cli-io.js';

/**
 * Loads the workflow at `file`, relative to `io.cwd`. Error messages name the
 * file as the user typed it when that spelling leads to the same place, since
 * that is the name they will look for in `file:line:col: message`.
 *
 * @throws WorkflowLoadError (from `@multi-context/loader`) when it does not load.
 */
export function loadWorkflowFile(file: string, io: CliIo): Promise<Workflow> {
  const path = resolve(io.cwd, file);
  return loadWorkflow(path === resolve(file) ? file : path);
}
