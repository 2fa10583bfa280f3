import type { Workflow } from '@multi-context/workflow';
import type { CliIo } from './cli-io.js';
import { colorsFor } from './colors.js';
import { ExitCode } from './exit-codes.js';
import { plural } from './format.js';
import { loadProfilesFile, loadWorkflowFile, originOf } from './load-workflow-file.js';
import { strictCheck } from './strict-check.js';

/** The options of `multi-context validate`. */
export interface ValidateCommandOptions {
  /** `--strict`: also flag profiles that are used but not defined. */
  strict?: boolean;
  /** `--profiles`: a profiles file, checked too; with `--strict`, its profiles count as defined. */
  profiles?: string;
}

/**
 * `multi-context validate <file>`: loads the workflow (and the `--profiles`
 * file) without running it and says what it holds; with `--strict`, also
 * reports every profile used but not defined, at its line and column (exit 2).
 * Load errors are thrown for `main()` to report.
 */
export async function validateCommand(
  file: string,
  io: CliIo,
  options: ValidateCommandOptions = {},
): Promise<number> {
  const workflow = await loadWorkflowFile(file, io);
  const profilesDocument =
    options.profiles === undefined ? undefined : await loadProfilesFile(options.profiles, io);
  if (options.strict === true) {
    const { source, path } = originOf(file, io);
    const strict = await strictCheck({
      workflow,
      path,
      source,
      ...(profilesDocument !== undefined && {
        profilesFile: {
          source: originOf(options.profiles!, io).source,
          document: profilesDocument,
        },
      }),
    });
    if (strict.issues.length > 0) {
      io.stderr.write(`${strict.text}\n`);
      return ExitCode.usage;
    }
  }
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
