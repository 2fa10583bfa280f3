import type { Workflow } from '@multi-context/workflow';
import type { CliIo } from './cli-io.js';
import { colorsFor } from './colors.js';
import { ExitCode } from './exit-codes.js';
import { plural } from './format.js';
import { loadWorkflowFile } from './load-workflow-file.js';

/**
 * `multi-context validate <file>`: loads the workflow without running it and
 * says what it holds. Load errors are thrown for `main()` to report.
 */
export async function validateCommand(file: string, io: CliIo): Promise<number> {
  const workflow = await loadWorkflowFile(file, io);
  const colors = colorsFor(io.stdout, io.env);
  io.stdout.write(
    `${colors.green('✔')} ${file}: ${colors.bold(workflow.name)} — ${describe(workflow)}\n`,
  );
  return ExitCode.ok;
}

/** `4 phases, 9 tasks, 7 contexts`. */
function describe(workflow: Workflow): string {
  const contexts = new Set<string>();
  let tasks = 0;
  for (const phase of workflow.phases) {
    for (const task of phase.tasks) {
      tasks++;
      contexts.add(task.contextName);
    }
  }
  return `${plural(workflow.phases.length, 'phase')}, ${plural(tasks, 'task')}, ${plural(contexts.size, 'context')}`;
}
