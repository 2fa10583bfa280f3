import { resolve } from 'node:path';
import { loadProfiles, loadWorkflow } from '@multi-context/loader';
import type { DocumentOrigin } from '@multi-context/providers';
import type { ProfilesDocument, Workflow } from '@multi-context/workflow';
import type { CliIo } from '../cli-io.js';

/**
 * Where a file named on the command line is: its absolute path, and the name
 * messages give it — as the user typed it when that spelling leads to the
 * same place, since that is the name they will look for in
 * `file:line:col: message`.
 */
export function originOf(file: string, io: CliIo): DocumentOrigin {
  const path = resolve(io.cwd, file);
  return { source: path === resolve(file) ? file : path, path };
}

/**
 * Loads the workflow at `file`, relative to `io.cwd`.
 *
 * @throws WorkflowLoadError (from `@multi-context/loader`) when it does not load.
 */
export function loadWorkflowFile(file: string, io: CliIo): Promise<Workflow> {
  return loadWorkflow(originOf(file, io).source);
}

/**
 * Loads the profiles file at `file` (`--profiles`), relative to `io.cwd`.
 *
 * @throws WorkflowLoadError (from `@multi-context/loader`) when it does not load.
 */
export function loadProfilesFile(file: string, io: CliIo): Promise<ProfilesDocument> {
  return loadProfiles(originOf(file, io).source);
}
