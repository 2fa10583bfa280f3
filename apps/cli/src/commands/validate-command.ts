import { formatIssue, locateIssues } from '@multi-context/loader';
import {
  checkProviderSetup,
  formatSetupIssue,
  type LocatedSetupIssue,
  type Redact,
} from '@multi-context/providers';
import type { Workflow } from '@multi-context/workflow';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../options/exit-codes.js';
import { colorsFor } from '../reporting/colors.js';
import { plural } from '../reporting/format.js';
import { loadProfilesFile, loadWorkflowFile, originOf } from './load-workflow-file.js';

/** The options of `multi-context validate`. */
export interface ValidateCommandOptions {
  /** `--strict`: check as `run` would, and flag every profile used but not defined. */
  strict?: boolean;
  /** `--profiles`: a profiles file, checked too, as `run --profiles` would take it. */
  profiles?: string;
}

/**
 * `multi-context validate <file>`: loads the workflow (and the `--profiles`
 * file) and checks its providers and profiles with the check `run` makes
 * before its first call ({@link checkProviderSetup}), without running
 * anything: no plugin module is imported, no provider made. Without
 * `--strict`, each provider and profile is checked as written; with it, also
 * what `run` checks of the workflow's use of them, and every profile used
 * must be defined. An unset API key variable is a warning. Every problem is
 * printed at its line and column (exit 2); load errors are thrown for
 * `main()` to report.
 */
export async function validateCommand(
  file: string,
  io: CliIo,
  options: ValidateCommandOptions = {},
): Promise<number> {
  const workflow = await loadWorkflowFile(file, io);
  const profiles =
    options.profiles === undefined
      ? undefined
      : {
          profiles: await loadProfilesFile(options.profiles, io),
          profilesFile: originOf(options.profiles, io),
        };
  const check = await checkProviderSetup({
    workflow,
    workflowFile: originOf(file, io),
    ...profiles,
    env: io.env,
    locate: locateIssues,
    scope: options.strict === true ? 'strict' : 'entries',
    missingApiKey: 'warning',
  });
  const { issues } = check;
  if (issues.count > 0) {
    const located = issues.located(await redactorFor(check.secrets));
    io.stderr.write(`${report(located, profiles?.profilesFile.source)}\n`);
  }
  if (issues.hasErrors) return ExitCode.usage;
  const colors = colorsFor(io.stdout, io.env);
  io.stdout.write(
    `${colors.green('✔')} ${file}: ${colors.bold(workflow.name)} — ${describe(workflow)}\n`,
  );
  return ExitCode.ok;
}

/**
 * Every problem as `file:line:col: message`, the offending line and a caret,
 * and, when profiles are used but not defined, one line that says how to
 * define them.
 */
function report(located: readonly LocatedSetupIssue[], profilesSource: string | undefined): string {
  const blocks = located.map(quoted);
  const undefinedUses = located.filter((issue) => issue.code === 'undefined_profile').length;
  if (undefinedUses === 0) return blocks.join('\n\n');
  const one = undefinedUses === 1;
  const what = one ? 'a profile is' : `${undefinedUses} profile uses are`;
  const them = one ? 'it' : 'them';
  const fix =
    profilesSource === undefined
      ? `define ${them} under profiles: in the workflow, or give validate the profiles file with --profiles <file>`
      : `define ${them} under profiles: in the workflow or in ${profilesSource}`;
  return `${blocks.join('\n\n')}\n\nmulti-context: --strict: ${what} not defined; ${fix}`;
}

/** A problem as `file:line:col: message`, with the offending line and a caret under it, as the loader shows its own. */
function quoted(issue: LocatedSetupIssue): string {
  const { source, path, line, column, text } = issue;
  if (source === undefined || line === undefined || column === undefined) {
    return formatSetupIssue(issue);
  }
  const message = `${issue.severity === 'warning' ? 'warning: ' : ''}${issue.message}`;
  return formatIssue({ message, path: path ?? [], line, column, source, code: issue.code }, text);
}

/**
 * Takes the API keys of the environment out of what validate prints. The
 * provider contract's helper is loaded only when there are keys to take out,
 * so that a validate without keys (as in CI) loads none of a run's packages.
 */
async function redactorFor(secrets: readonly string[]): Promise<Redact> {
  if (secrets.length === 0) return (text) => text;
  const { redactSecrets } = await import('@multi-context/provider');
  return (text) => redactSecrets(text, secrets);
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
