import { readFile } from 'node:fs/promises';
import { formatIssues, type LoadIssue, locateIssues } from '@multi-context/loader';
import { checkWorkflow, type ProfilesDocument, type Workflow } from '@multi-context/workflow';

/** What `validate --strict` checks a loaded workflow against. */
export interface StrictCheckInput {
  /** The workflow, as loaded from `path`. */
  workflow: Workflow;
  /** The workflow file, read again to place the issues at their lines and columns. */
  path: string;
  /** The name messages give the file: as the user typed it. */
  source: string;
  /** The `--profiles` file given to `validate`, if any (its name and contents): its profiles count as defined. */
  profilesFile?: { source: string; document: ProfilesDocument };
}

/** The issues `validate --strict` found, placed in the workflow file, and their rendering. */
export interface StrictCheckResult {
  issues: LoadIssue[];
  /** Every issue as `file:line:col: message`, the offending line and a caret; empty when there are none. */
  text: string;
}

/**
 * The checks that `validate --strict` adds to loading: every profile the
 * workflow uses (`default_profile`, a task's `profile`, a summarising
 * context's `trim.profile`) must be defined, in the workflow's own
 * `profiles:` or in the `--profiles` file. Without `--strict` such a workflow
 * is valid: the profiles may come from the host, or the CLI's defaults.
 */
export async function strictCheck(input: StrictCheckInput): Promise<StrictCheckResult> {
  const definedProfiles = Object.keys(input.profilesFile?.document.profiles ?? {});
  const drafts = checkWorkflow(input.workflow, { definedProfiles });
  if (drafts.length === 0) return { issues: [], text: '' };
  // Only read again when there is something to place.
  const text = await readFile(input.path, 'utf8');
  const issues = locateIssues(text, drafts, { source: input.source });
  const one = issues.length === 1;
  const what = one ? 'a profile is' : `${issues.length} profile uses are`;
  const fix =
    input.profilesFile === undefined
      ? `define ${one ? 'it' : 'them'} under profiles: in the workflow, or give validate the profiles file with --profiles <file>`
      : `define ${one ? 'it' : 'them'} under profiles: in the workflow or in ${input.profilesFile.source}`;
  const summary = `multi-context: --strict: ${what} not defined; ${fix}`;
  return { issues, text: `${formatIssues(issues, text)}\n\n${summary}` };
}
